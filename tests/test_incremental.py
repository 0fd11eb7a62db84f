"""--incremental: a ledger of processed inputs, atomic commits, and recovery from a SIGKILLed run."""
import gzip
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

from pipeline.evaluate.harness import read_avro_dir
from pipeline.incremental import Ledger, RUNNING_MARKER
from tests.conftest import PIPELINE_CLI, ROOT, SEED_TEXTS as SEED_FILES, run_cli
from tests.gcs import require_emulator



def stdout_of(*args: str, env=None) -> str:
    return run_cli(*args, env=env, check=True).stdout


def make_inputs(directory, copies: int) -> list:
    directory.mkdir(exist_ok=True)
    paths = []
    for copy in range(copies):
        for seed in SEED_FILES:
            path = directory / f"{copy:03d}_{seed.name}.gz"
            path.write_bytes(gzip.compress(seed.read_bytes()))
            paths.append(path)
    return paths


def final_files(output) -> set[str]:
    """Every file under output, relative, except the ledger."""
    return {str(p.relative_to(output)) for p in output.rglob("*") if p.is_file() and "_newsbeam/ledger" not in str(p)}


def assert_exactly_once(output, inputs):
    records = read_avro_dir(output / "articles")
    ids = Counter(r["article_id"] for r in records)
    assert not [i for i, n in ids.items() if n > 1], "duplicate article_id"
    assert sorted(r["source_uri"] for r in records) == sorted(str(p) for p in inputs)
    assert all(name.startswith(("articles/", "dead_letter/")) and name.endswith(".avro") for name in final_files(output)), \
        final_files(output)
    assert not list((output / "_newsbeam" / "staging").glob("*"))


def test_rerun_processes_only_new_and_changed_inputs(tmp_path):
    inputs, output = make_inputs(tmp_path / "in", 1), tmp_path / "out"
    first = stdout_of("--input", str(tmp_path / "in"), "--output", str(output), "--incremental")
    assert f"articles read:          {len(inputs)}" in first
    assert_exactly_once(output, inputs)
    before = final_files(output)
    again = stdout_of("--input", str(tmp_path / "in"), "--output", str(output), "--incremental")
    assert "articles read:          0" in again and "nothing new" in again
    assert final_files(output) == before
    added = tmp_path / "in" / "new.txt"
    added.write_bytes(SEED_FILES[0].read_bytes())
    third = stdout_of("--input", str(tmp_path / "in"), "--output", str(output), "--incremental")
    assert "articles read:          1" in third
    assert_exactly_once(output, inputs + [added])
    assert len(list((output / "_newsbeam" / "ledger").glob("*.json"))) == 2


def test_file_names_with_glob_characters_are_read_as_written(tmp_path):
    plain = tmp_path / "in" / "a1.txt"
    plain.parent.mkdir()
    plain.write_bytes(SEED_FILES[0].read_bytes())
    output = tmp_path / "out"
    stdout_of("--input", str(tmp_path / "in"), "--output", str(output), "--incremental")
    odd = [tmp_path / "in" / name for name in ("a[1].txt", "b*.txt", "c?.txt")]
    for path in odd:  # "a[1].txt" read as a pattern matches a1.txt, which is done, and not itself
        path.write_bytes(SEED_FILES[1].read_bytes())
    second = stdout_of("--input", str(tmp_path / "in"), "--output", str(output), "--incremental")
    assert "articles read:          3" in second
    assert_exactly_once(output, [plain, *odd])


def test_sigkill_mid_run_then_rerun(tmp_path):
    inputs, output = make_inputs(tmp_path / "in", 12), tmp_path / "out"
    args = ("--input", str(tmp_path / "in"), "--output", str(output), "--incremental", "--num_shards", "3")
    process = subprocess.Popen([*PIPELINE_CLI, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not list((output / "_newsbeam" / "staging").glob(f"*/{RUNNING_MARKER}")):
            assert process.poll() is None and time.monotonic() < deadline, "the run ended before it could be killed"
            time.sleep(0.05)
        time.sleep(1.0)  # into the pipeline: model loading, reading, maybe temp files
        assert process.poll() is None, "the run finished too fast to be killed mid-run"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert not list((output / "_newsbeam" / "ledger").glob("*.json")), "killed before its commit point"
    assert not list(output.glob("articles/*.avro")), "nothing reaches the final location before the commit"
    stdout_of(*args)
    assert_exactly_once(output, inputs)


def test_a_run_killed_after_its_commit_point_is_finished_by_the_next(tmp_path):
    inputs, output = make_inputs(tmp_path / "in", 1), tmp_path / "out"
    stdout_of("--input", str(tmp_path / "in"), "--output", str(output), "--incremental")
    (manifest,) = Ledger(str(output)).manifests()
    staged, final = manifest["files"][0]
    # Recreate the state of a run killed between its manifest and its moves.
    Path(staged).parent.mkdir(parents=True)
    os.rename(final, staged)
    again = stdout_of("--input", str(tmp_path / "in"), "--output", str(output), "--incremental")
    assert "nothing new" in again
    assert_exactly_once(output, inputs)


def test_incremental_on_gcs(gcs):
    for seed in SEED_FILES:
        gcs.upload(f"in/{seed.name}", seed.read_bytes())
    require_emulator(gcs.env)
    args = ("--input", gcs.uri("in/*.txt"), "--output", gcs.uri("out"), "--incremental")
    assert f"articles read:          {len(SEED_FILES)}" in stdout_of(*args, env=gcs.env)
    assert "nothing new" in stdout_of(*args, env=gcs.env)
    gcs.upload("in/late.txt", SEED_FILES[0].read_bytes())
    assert "articles read:          1" in stdout_of(*args, env=gcs.env)
    records = gcs.read_avro("out/articles/")
    assert sorted(r["source_uri"] for r in records) == sorted([gcs.uri(f"in/{s.name}") for s in SEED_FILES] + [gcs.uri("in/late.txt")])
    names = gcs.names("out/")
    assert not [n for n in names if n.startswith("out/_newsbeam/staging")]
    assert len([n for n in names if n.startswith("out/_newsbeam/ledger/") and n.endswith(".json")]) == 2

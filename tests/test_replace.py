"""A batch run replaces the earlier output only once it has succeeded (--overwrite)."""
import pytest

from pipeline import options as flags
from pipeline.evaluate.harness import read_avro_dir
from pipeline.incremental import RUNNING_MARKER, STAGING_DIR, STATE_DIR
from pipeline.replace import run_replacing
from pipeline.run import execute, run
from tests.conftest import SEED_TEXTS


def staged_runs(output) -> list:
    return list((output / STATE_DIR / STAGING_DIR).glob("*"))


def test_a_failed_run_leaves_the_earlier_output_and_the_next_run_cleans_up(tmp_path):
    output = tmp_path / "out"
    first = run(["--input", str(SEED_TEXTS[0]), "--output", str(output)])
    assert first.get("written") == 1 and staged_runs(output) == []
    before = sorted(p.name for p in (output / "articles").iterdir())

    def killed(options, globs, staging):  # the pipeline wrote its files, then the run died
        execute(options, globs, staging)
        raise RuntimeError("killed")

    options = flags.parse(["--input", "seeds/*.txt", "--output", str(output), "--overwrite"])
    with pytest.raises(RuntimeError):
        run_replacing(options, flags.expand_inputs(["seeds/*.txt"]), killed)
    assert sorted(p.name for p in (output / "articles").iterdir()) == before
    assert len(read_avro_dir(output / "articles")) == 1
    (left,) = staged_runs(output)
    assert (left / RUNNING_MARKER).exists()

    again = run(["--input", "seeds/*.txt", "--output", str(output), "--overwrite"])
    assert again.output == str(output) and staged_runs(output) == []
    assert len(read_avro_dir(output / "articles")) == len(SEED_TEXTS)

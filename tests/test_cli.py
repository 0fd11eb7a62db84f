"""End to end: the CLI over seeds/ into a temp dir, Avro read back and checked."""
import shutil
import subprocess
import sys

import fastavro
import pytest

import schemas
from pipeline.cli import main
from pipeline.evaluate.harness import read_avro_dir
from tests.conftest import ROOT, SEED_TEXTS, USER_SEED, run_cli, seed_article_count

SEED_TITLE = "U.S. pursues balanced trade as talks with Japan advance"
SEED_PEOPLE = {"Donald Trump", "Mike Pence", "Steven Mnuchin", "Wilbur Ross", "Robert Lighthizer", "Shinzo Abe", "Taro Aso"}


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    """One CLI run over seeds/ and a rerun into another directory."""
    runs = []
    for name in ("first", "second"):
        output = tmp_path_factory.mktemp(name)
        done = run_cli("--input", "seeds/", "--output", str(output))
        assert done.returncode == 0, done.stderr
        runs.append((done.stdout, read_avro_dir(output / "articles"), read_avro_dir(output / "dead_letter"), output))
    return runs


def seed_record(records):
    return next(r for r in records if r["title"] == SEED_TITLE)


def test_summary_accounts_for_every_input(seed_run):
    stdout, records, dead_letters, _ = seed_run[0]
    count = seed_article_count()
    assert f"articles read:          {count}" in stdout
    assert f"read {count} = written {len(records)} + dead-lettered {len(dead_letters)}: OK" in stdout
    assert len(records) + len(dead_letters) == count
    assert '"article_id"' in stdout  # one record printed as JSON


def test_seed_record(seed_run):
    record = seed_record(seed_run[0][1])
    assert record["dateline"] == "WASHINGTON"
    assert record["section"] == "business" and record["section_source"] == "footer"
    assert str(record["published_date"]) == "2017-10-17" and record["date_source"] == "footer"
    assert "Business on 10/17/2017" not in record["body"] and "Upcoming Events" not in record["body"]
    people = {e["canonical"] for e in record["entities"] if e["label"] == "PERSON"}
    assert SEED_PEOPLE <= people
    for mention in record["entities"]:
        assert record["body"][mention["start_char"]:mention["end_char"]] == mention["text"]
    quoted = {(q["speaker"], q["cue"]) for q in record["quotes"] if q["kind"] in ("direct", "mixed")}
    assert {("Mike Pence", "said"), ("Taro Aso", "said")} <= quoted  # Pence's quotation is inside reported speech: mixed
    texts = [q["text"] for q in record["quotes"]]
    assert any('"a common strategy on trade' in t for t in texts)
    assert any(t.startswith("North Korea poses an unprecedented") for t in texts)


def test_every_record_validates(seed_run):
    _, records, dead_letters, _ = seed_run[0]
    article_schema, dead_schema = fastavro.parse_schema(schemas.load("article")), fastavro.parse_schema(schemas.load("dead_letter"))
    assert records
    for record in records:
        fastavro.validate(record, article_schema, raise_errors=True)
    for letter in dead_letters:
        fastavro.validate(letter, dead_schema, raise_errors=True)


def test_rerun_gives_identical_records(seed_run):
    def comparable(records):
        return sorted(({k: v for k, v in r.items() if k != "ingested_at"} for r in records), key=lambda r: r["article_id"])

    (_, first, _, _), (_, second, _, _) = seed_run
    assert [r["article_id"] for r in comparable(first)] == [r["article_id"] for r in comparable(second)]
    assert comparable(first) == comparable(second)


def test_every_layout_and_format_is_in_the_seeds(seed_run):
    records = seed_run[0][1]
    assert {r["source_format"] for r in records} == {"text", "jsonl", "html"}
    assert {r["title"] for r in records} >= {SEED_TITLE, "HARBOR GRAIN EXPORTS RISE ON STRONG ASIAN DEMAND"}
    wire = next(r for r in records if r["dateline"] == "CHICAGO")
    assert not wire["body"].rstrip().endswith("Reuter")
    page = next(r for r in records if r["source_format"] == "html")
    assert (page["dateline"], page["section"], str(page["published_date"])) == ("SPRINGFIELD", "education", "2024-08-30")
    assert page["body"].startswith("The Springfield Public Library") and "Most popular" not in page["body"]


def test_compressed_inputs_and_repeated_input_flags(tmp_path):
    import bz2
    import gzip

    seed = USER_SEED.read_bytes()
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(seed))
    (tmp_path / "b.txt.bz2").write_bytes(bz2.compress(seed))
    (tmp_path / "c.txt.gz").write_bytes(gzip.compress(seed)[:200])  # truncated
    output = tmp_path / "out"
    assert main(["--input", str(tmp_path / "*.gz"), "--input", str(tmp_path / "*.bz2"), "--output", str(output)]) == 0
    records = read_avro_dir(output / "articles")
    assert sorted(r["title"] for r in records) == [SEED_TITLE, SEED_TITLE]
    (letter,) = read_avro_dir(output / "dead_letter")
    assert letter["source_uri"].endswith("c.txt.gz")
    assert (letter["stage"], letter["error_class"]) == ("read", "CorruptInput")
    assert "re-download or recompress" in letter["message"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--input", "no/such/dir/*.txt", "--output", "{tmp}/out"], "matches no file"),
        (["--input", "seeds/", "--output", "/proc/newsbeam-out"], "cannot write to --output"),
        (["--input", "seeds/"], "no --output given"),
        (["--output", "{tmp}/out"], "no --input given"),
        (["--input", "seeds/", "--output", "{tmp}/out", "--model", "no_such_model"], "is neither an installed spaCy model"),
        (["--input", "seeds/", "--output", "{tmp}/out", "--nlp_batch_size", "0"], "--nlp_batch_size must be a positive number"),
        (["--input", "seeds/", "--output", "{tmp}/out", "--num_shards", "-1"], "--num_shards must be 0"),
        (["--input", "seeds/", "--output", "{tmp}/out", "--nlp_matmul", "mkl"], "--nlp_matmul: invalid choice: 'mkl'"),
        (["--input", "seeds/", "--output", "{tmp}/out", "--dedup", "true"], "unknown flag --dedup; did you mean --dedupe?"),
    ],
)
def test_bad_configuration_fails_fast(tmp_path, args, message):
    done = run_cli(*[arg.format(tmp=tmp_path) for arg in args])
    assert done.returncode == 2
    assert message in done.stderr
    assert not (tmp_path / "out" / "articles").exists()


def test_output_of_an_earlier_run_is_refused_or_replaced(tmp_path):
    output = tmp_path / "out"
    assert main(["--input", "seeds/*.txt", "--output", str(output), "--num_shards", "2"]) == 0
    assert main(["--input", "seeds/*.txt", "--output", str(output)]) == 2
    assert main(["--input", "seeds/*.txt", "--output", str(output), "--overwrite"]) == 0
    records = read_avro_dir(output / "articles")
    assert len(records) == len({r["article_id"] for r in records}) == len(SEED_TEXTS)


def test_overlapping_inputs_and_subdirectories_read_each_file_once(tmp_path):
    nested = tmp_path / "in" / "2017" / "10"
    nested.mkdir(parents=True)
    seed = USER_SEED
    (nested / seed.name).write_bytes(seed.read_bytes())
    output = tmp_path / "out"
    assert main(["--input", str(tmp_path / "in"), "--input", str(nested / "*.txt"), "--output", str(output)]) == 0
    (record,) = read_avro_dir(output / "articles")
    assert record["title"] == SEED_TITLE


def test_help_lists_the_flags():
    done = run_cli("--help")
    assert done.returncode == 0
    for flag in ("--input", "--output", "--model", "--runner"):
        assert flag in done.stdout


def test_console_script_is_installed():
    script = shutil.which("newsbeam", path=str(ROOT / ".venv" / "bin")) or shutil.which("newsbeam", path=sys.prefix + "/bin")
    assert script, "the newsbeam console script is not installed next to this Python"
    done = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "--input" in done.stdout

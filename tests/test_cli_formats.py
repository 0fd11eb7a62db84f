"""End to end over a dump of every input format with every bad-input case (tests/format_fixtures.py)."""
import re
from pathlib import Path

import pytest

from pipeline.evaluate.harness import read_avro_dir
from tests import format_fixtures as fx
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def formats_run(tmp_path_factory):
    inputs, output = tmp_path_factory.mktemp("inputs"), tmp_path_factory.mktemp("out")
    fx.build(inputs)
    done = run_cli("--input", f"{inputs}/", "--output", str(output), "--dedupe", *fx.FLAGS, timeout=900, check=True)
    return done.stdout, read_avro_dir(output / "articles"), read_avro_dir(output / "dead_letter")


def _name(uri: str) -> str:
    """The file name of ``uri``, with a WARC record's ``#<target uri>`` kept."""
    path, _, target = uri.partition("#")
    return Path(path).name + (f"#{target}" if target else "")


def test_exact_dead_letters(formats_run):
    _, _, dead = formats_run
    found = {}
    for letter in dead:
        name = _name(letter["source_uri"])
        position = fx.ANY if (name, fx.ANY) in fx.EXPECTED_DEAD_LETTERS else letter["source_position"]
        assert position == fx.ANY or position is None or position >= 0
        found[(name, position)] = (letter["stage"], letter["error_class"])
    assert found == fx.EXPECTED_DEAD_LETTERS
    assert len(dead) == len(fx.EXPECTED_DEAD_LETTERS)


def test_dead_letters_say_where_and_what_to_do(formats_run):
    for letter in formats_run[2]:
        assert _name(letter["source_uri"]).split("#")[0] in letter["message"]
        assert len(letter["raw_excerpt"]) <= 1000
    by_class = {letter["error_class"]: letter["message"] for letter in formats_run[2]}
    assert "--field_map text=" in by_class["MissingText"]
    assert "--max_decompressed_bytes" in next(l["message"] for l in formats_run[2] if _name(l["source_uri"]) == "bomb.jsonl.gz")
    assert "re-download" in by_class["CorruptInput"]


def test_dead_letter_raw_size_and_excerpt(formats_run):
    found = {_name(l["source_uri"]): (l["raw_size"], l["raw_excerpt"]) for l in formats_run[2]}
    for name, (size, start) in fx.EXPECTED_RAW.items():
        assert found[name][0] == size and found[name][1].startswith(start), (name, found[name][0], found[name][1][:40])


def test_records(formats_run):
    _, records, _ = formats_run
    truncated = sorted(r["title"] for r in records if _name(r["source_uri"]) == "truncated.jsonl.gz")
    assert 0 < len(truncated) < 20  # the lines before the break are kept
    assert truncated == sorted(f"Council votes on plan {n}" for n in range(10, 10 + len(truncated)))
    assert sorted(r["title"] for r in records if _name(r["source_uri"]) != "truncated.jsonl.gz") == fx.EXPECTED_TITLES
    by_title = {r["title"]: r for r in records}
    first = by_title["Council votes on plan 1"]
    assert (first["source_format"], first["source_position"], first["source_id"]) == ("jsonl", 1, "a1")
    assert (first["section"], first["section_raw"], first["section_source"]) == ("business", "Biz", "metadata")
    assert (str(first["published_date"]), first["date_source"]) == ("2017-10-17", "metadata")
    assert first["published_at"].isoformat() == "2017-10-17T14:00:00+00:00"
    assert first["authors"] == ["Jane Doe", "John Roe"]
    webhose = by_title["Webhose story"]
    assert (webhose["section"], webhose["section_source"], str(webhose["published_date"]), webhose["date_source"]) == (
        "sport", "metadata", "2018-02-03", "url")
    harbor = by_title["Harbor reopens"]
    assert (harbor["section"], str(harbor["published_date"]), harbor["date_source"]) == ("business", "2019-05-06", "metadata")
    assert "Paragraph 5" in harbor["body"] and "Home Sport" not in harbor["body"]
    assert by_title["Council votes on plan 3"]["section"] == "technology"
    assert all("\u00e9" in r["body"] and "\u00c3" not in r["body"] for r in records if r["title"].startswith("Caf"))


def test_summary_balances_per_format(formats_run):
    stdout, records, dead = formats_run
    assert f"written {len(records)} + dead-lettered {len(dead)} + duplicates {fx.EXPECTED_DUPLICATES}: OK" in stdout
    for fmt in ("text", "jsonl", "json", "html", "warc"):
        assert re.search(rf"^    {fmt}: +read \d+ = .*: OK$", stdout, re.M), stdout
    assert "skipped:  warc-non-html 1" in stdout and "warc-revisit 1" in stdout


def test_bad_field_map_fails_fast(tmp_path):
    done = run_cli("--input", "seeds/", "--output", str(tmp_path / "out"), "--field_map", "body=story")
    assert done.returncode == 2 and "--field_map entry 'body=story'" in done.stderr


def test_forced_format_and_help(tmp_path):
    (tmp_path / "a.txt").write_text('{"title": "Council votes", "text": "Mayor Michael Carter backed the plan."}\n')
    done = run_cli("--input", str(tmp_path / "a.txt"), "--output", str(tmp_path / "out"), "--input_format", "jsonl")
    assert done.returncode == 0 and "jsonl:                read 1 = written 1" in done.stdout
    help_text = run_cli("--help").stdout
    for flag in ("--input_format", "--field_map", "--max_decompressed_bytes", "--max_line_bytes", "--dedupe"):
        assert flag in help_text

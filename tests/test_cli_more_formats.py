"""End to end over the formats data teams hand over: wrapped JSON, tables, Parquet, feeds, SGML,
untitled JSONL and a dangling symlink, with the negative case of each (issue 13)."""
import io
import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.evaluate.harness import read_avro_dir
from tests.conftest import run_cli
from tests.test_formats_feeds import ATOM, RSS
from tests.test_formats_sgml import REUTERS
from tests.test_formats_wrapped_json import webhose_pages

LEAD = "WASHINGTON -- The Senate passed the infrastructure bill on Tuesday after a long debate, senators said."


def _parquet() -> bytes:
    out = io.BytesIO()
    pq.write_table(pa.table({"title": ["Parquet story"], "text": ["The port authority said ships returned on Friday."],
                             "date": ["2021-06-04"]}), out)
    return out.getvalue()


FILES = {
    "webhose.json": webhose_pages(2, 3),
    "newsapi.json": json.dumps({"status": "ok", "totalResults": 1, "articles": [
        {"title": "Rates held", "description": "The central bank held rates on Wednesday, its governor said.",
         "url": "https://times.example/a", "publishedAt": "2024-05-01T12:30:00Z"}]}).encode(),
    "no_array.json": json.dumps({"status": "ok", "totalResults": 0, "stories": []}).encode(),
    "export.csv": b'title,text,date\n"Council, again","The council met on Monday.\n\nIt voted ""yes"".",2020-01-06\n',
    "prices.csv": b"date,price\n2020-01-01,3\n2020-01-02,4\n",
    "export.tsv": b"headline\tbody\nTSV story\tThe mayor spoke on Tuesday.\n",
    "noext_table": b"id,title,text\n1,Sniffed table,The table was sniffed on Monday.\n2,Second row,Another row here.\n",
    "news.parquet": _parquet(),
    "city.rss": RSS,
    "port.atom": ATOM,
    "catalog.xml": b'<?xml version="1.0"?><catalog><book><title>T</title></book></catalog>',
    "reuters.sgm": REUTERS,
    "nodocs.sgm": b"<html><body>not a corpus</body></html>",
    "untitled.jsonl": json.dumps({"text": f"{LEAD}\n\nThe House votes next week."}).encode() + b"\n",
}
# (file name, position) -> (stage, error_class)
EXPECTED_DEAD_LETTERS = {
    ("no_array.json", None): ("read", "MissingText"),
    ("prices.csv", None): ("read", "MissingText"),
    ("city.rss", 2): ("read", "MissingText"),
    ("catalog.xml", None): ("read", "MalformedInput"),
    ("reuters.sgm", 1): ("read", "NoBody"),
    ("nodocs.sgm", None): ("read", "EmptyInput"),
    ("gone.txt", None): ("read", "VanishedInput"),
}
FILES_WITHOUT_ARTICLES = 5  # no_array.json, prices.csv, catalog.xml, nodocs.sgm, gone.txt


@pytest.fixture(scope="module")
def more_formats_run(tmp_path_factory):
    inputs, output = tmp_path_factory.mktemp("inputs"), tmp_path_factory.mktemp("out")
    for name, data in FILES.items():
        (inputs / name).write_bytes(data)
    (inputs / "gone.txt").symlink_to(inputs / "deleted.txt")
    done = run_cli("--input", f"{inputs}/", "--output", str(output), timeout=900, check=True)
    return done.stdout, read_avro_dir(output / "articles"), read_avro_dir(output / "dead_letter")


def test_dead_letters(more_formats_run):
    _, _, dead = more_formats_run
    found = {(Path(d["source_uri"]).name, d["source_position"]): (d["stage"], d["error_class"]) for d in dead}
    assert found == EXPECTED_DEAD_LETTERS and len(dead) == len(EXPECTED_DEAD_LETTERS)
    messages = {Path(d["source_uri"]).name: d["message"] for d in dead}
    assert "no array of records was found under posts, articles, data" in messages["no_array.json"]
    assert "no text column among" in messages["prices.csv"]
    assert "not an RSS or Atom feed" in messages["catalog.xml"]


def test_records(more_formats_run):
    _, records, _ = more_formats_run
    by_file = {}
    for record in records:
        by_file.setdefault(Path(record["source_uri"]).name, []).append(record)
    counts = {name: len(found) for name, found in by_file.items()}
    assert counts == {"webhose.json": 6, "newsapi.json": 1, "export.csv": 1, "export.tsv": 1, "noext_table": 2,
                      "news.parquet": 1, "city.rss": 2, "port.atom": 2, "reuters.sgm": 1, "untitled.jsonl": 1}
    formats = {name: {r["source_format"] for r in found} for name, found in by_file.items()}
    assert formats["noext_table"] == {"csv"} and formats["port.atom"] == {"feed"} and formats["reuters.sgm"] == {"sgml"}
    webhose = sorted(by_file["webhose.json"], key=lambda r: r["source_position"])
    assert [(r["title"], str(r["published_date"]), r["date_source"]) for r in webhose[:2]] == [
        ("Story 0", "2021-03-01", "metadata"), ("Story 1", "2021-03-02", "metadata")]
    assert str(by_file["newsapi.json"][0]["published_date"]) == "2024-05-01"
    csv_record = by_file["export.csv"][0]
    assert (csv_record["title"], csv_record["body"], csv_record["source_position"]) == (
        "Council, again", 'The council met on Monday.\n\nIt voted "yes".', 1)
    reuters = by_file["reuters.sgm"][0]
    assert (reuters["title"], reuters["dateline"], str(reuters["published_date"])) == (
        "TEXACO <TX> RAISES CRUDE PRICES", "NEW YORK", "1987-03-05")
    rss = {r["title"]: r for r in by_file["city.rss"]}
    assert str(rss["Council approves transit budget"]["published_date"]) == "2020-01-14"
    untitled = by_file["untitled.jsonl"][0]
    assert untitled["title"] is None and untitled["dateline"] == "WASHINGTON"
    assert untitled["body"].startswith("The Senate passed the infrastructure bill on Tuesday")


def test_summary_balances_and_warns(more_formats_run):
    stdout, records, dead = more_formats_run
    assert f"read {len(records) + len(dead)} = written {len(records)} + dead-lettered {len(dead)}: OK" in stdout
    for fmt in ("json", "jsonl", "csv", "tsv", "parquet", "feed", "sgml", "text"):
        assert re.search(rf"^    {fmt}: +read \d+ = .*: OK$", stdout, re.M), stdout
    assert f"warning:                {FILES_WITHOUT_ARTICLES} input file(s) gave no article" in stdout


def test_bad_json_records_path_fails_fast(tmp_path):
    done = run_cli("--input", "seeds/", "--output", str(tmp_path / "out"), "--json_records_path", "hits[].")
    assert done.returncode == 2 and "--json_records_path 'hits[].'" in done.stderr and "Traceback" not in done.stderr

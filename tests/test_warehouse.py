"""The Avro output as a warehouse sees it: DuckDB (real avro extension) and the derived BigQuery schema."""
import json
import subprocess
import sys
from collections import Counter
from importlib import resources

import duckdb
import pytest

import schemas
from pipeline.evaluate.harness import read_avro_dir
from pipeline.run import run
from pipeline.schema import SchemaError, bigquery_schema
from tests.conftest import LOCAL_RUNNER, ROOT
from tests.test_schemas import NAME, RESERVED

RESERVED_PREFIXES = ("_TABLE_", "_FILE_", "_PARTITION", "_ROW_TIMESTAMP", "__ROOT__", "_COLIDENTIFIER")
TOP_SPEAKERS = """
    SELECT q.speaker, count(*) AS quotes
    FROM (SELECT unnest(quotes) AS q FROM read_avro($articles))
    WHERE q.speaker IS NOT NULL
    GROUP BY q.speaker ORDER BY quotes DESC, q.speaker
"""
QUOTES_PER_SECTION_PER_DAY = """
    SELECT section, published_date, count(*) AS quotes
    FROM (SELECT section, published_date, unnest(quotes) AS q FROM read_avro($articles))
    GROUP BY ALL ORDER BY ALL
"""
WHO_IS_QUOTED = """
    SELECT q.speaker, count(*) AS quotes, sum(len(q.fragments)) AS fragments
    FROM (SELECT unnest(quotes) AS q FROM read_avro($articles))
    WHERE q.category = 'speech' AND q.speaker IS NOT NULL
    GROUP BY q.speaker ORDER BY quotes DESC, q.speaker
"""
PEOPLE = """
    SELECT DISTINCT e.canonical
    FROM (SELECT unnest(entities) AS e FROM read_avro($articles))
    WHERE e.label = 'PERSON'
"""


def avro_extension() -> str:
    """The avro extension shipped in the duckdb-extension-avro wheel, for this duckdb version."""
    path = resources.files("duckdb_extension_avro") / "extensions" / f"v{duckdb.__version__}" / "avro.duckdb_extension"
    assert path.is_file(), f"{path} missing: install duckdb-extension-avro=={duckdb.__version__}"
    return str(path)


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    out = tmp_path_factory.mktemp("warehouse")
    summary = run(["--input", str(ROOT / "seeds"), "--output", str(out), "--runner", LOCAL_RUNNER])
    assert summary.balanced and summary.get("written") >= 3
    return out


@pytest.fixture
def con():
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"LOAD '{avro_extension()}'")
    yield con
    con.close()


def query(con, sql: str, output) -> list[tuple]:
    return con.execute(sql, {"articles": str(output / "articles" / "*.avro")}).fetchall()


def test_column_types(con, output):
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_avro(?))",
                             [str(output / "articles" / "*.avro")]).fetchall())
    assert types["published_date"] == "DATE"
    assert types["published_at"] == types["ingested_at"] == "TIMESTAMP"
    assert types["quotes"].startswith("STRUCT(") and types["quotes"].endswith("[]")
    assert types["word_count"] == "INTEGER" and types["source_position"] == "BIGINT"


def test_top_speakers_and_quotes_per_section_per_day(con, output):
    records = read_avro_dir(output / "articles")
    quotes = [(r, q) for r in records for q in r["quotes"]]
    speakers = Counter(q["speaker"] for _, q in quotes if q["speaker"])
    assert query(con, TOP_SPEAKERS, output) == sorted(speakers.items(), key=lambda item: (-item[1], item[0]))
    assert ("Mike Pence",) in [(name,) for name, _ in speakers.items()]
    per_day = Counter((r["section"], r["published_date"]) for r, _ in quotes)
    rows = query(con, QUOTES_PER_SECTION_PER_DAY, output)
    assert {(section, day): n for section, day, n in rows} == per_day
    assert any(str(day) == "2017-10-17" and section == "business" for section, day, _ in rows)


def test_who_is_quoted_keeps_speech_only(con, output):
    quotes = [q for r in read_avro_dir(output / "articles") for q in r["quotes"]]
    speech = Counter(q["speaker"] for q in quotes if q["category"] == "speech" and q["speaker"])
    rows = query(con, WHO_IS_QUOTED, output)
    assert [(name, n) for name, n, _ in rows] == sorted(speech.items(), key=lambda item: (-item[1], item[0]))
    assert all(fragments >= n for _, n, fragments in rows)  # every record has at least one fragment
    assert {q["category"] for q in quotes} <= {"speech", "topic", "belief"}


def test_entities_unnest(con, output):
    people = {name for (name,) in query(con, PEOPLE, output)}
    assert {"Mike Pence", "Taro Aso"} <= people


def walk(fields, path=""):
    for field in fields:
        yield path + field["name"], field
        yield from walk(field.get("fields", []), path + field["name"] + ".")


@pytest.mark.parametrize("name", ["article", "dead_letter"])
def test_bigquery_schema_follows_bigquery_rules(name):
    fields = bigquery_schema(schemas.load(name))
    for path, field in walk(fields):
        assert NAME.match(field["name"]) and len(field["name"]) <= 300, path
        assert field["name"].lower() not in RESERVED, f"{path} is a BigQuery reserved word"
        assert not field["name"].upper().startswith(RESERVED_PREFIXES), f"{path} uses a prefix BigQuery reserves"
        assert field["mode"] in ("NULLABLE", "REQUIRED", "REPEATED"), path
        assert field.get("description"), f"{path} has no description"
        assert (field["type"] == "RECORD") == ("fields" in field), path
        siblings = [f["name"].lower() for f in field.get("fields", [])]
        assert len(siblings) == len(set(siblings)), f"{path}: column names must be unique ignoring case"
    top = [f["name"].lower() for f in fields]
    assert len(top) == len(set(top))


def test_bigquery_types_use_avro_logical_types():
    fields = {path: field for path, field in walk(bigquery_schema(schemas.load("article")))}
    assert (fields["published_date"]["type"], fields["published_date"]["mode"]) == ("DATE", "NULLABLE")
    assert (fields["ingested_at"]["type"], fields["ingested_at"]["mode"]) == ("TIMESTAMP", "REQUIRED")
    assert (fields["quotes"]["type"], fields["quotes"]["mode"]) == ("RECORD", "REPEATED")
    assert (fields["authors"]["type"], fields["authors"]["mode"]) == ("STRING", "REPEATED")
    assert fields["quotes.speaker"]["mode"] == "NULLABLE" and fields["model.name"]["mode"] == "REQUIRED"


@pytest.mark.parametrize("kind, message", [
    (["null", "string", "int"], "only unions"),
    (["string", "null"], "only unions"),
    (["null", {"type": "array", "items": "string"}], "nullable array"),
    ({"type": "array", "items": {"type": "array", "items": "int"}}, "arrays of arrays"),
    ({"type": "map", "values": "string"}, "not supported"),
    ("newsbeam.Quote", "not supported"),
])
def test_bigquery_rejects_what_bigquery_cannot_load(kind, message):
    record = {"type": "record", "name": "Bad", "fields": [{"name": "f", "type": kind}]}
    with pytest.raises(SchemaError, match=f"Bad.f: .*{message}"):
        bigquery_schema(record)


def test_schema_command_prints_json():
    done = subprocess.run([sys.executable, "-m", "pipeline.schema", "bigquery", "dead_letter"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == bigquery_schema(schemas.load("dead_letter"))

"""Schema evolution: data written with every frozen schema version reads with the current schemas.

schemas/history/vN/ is a frozen copy of the .avsc files as released at version N (not package data).
To change a schema: add fields with a default, bump "version", and copy the new files to history/vN.
"""
import io
from datetime import date, datetime, timezone
from pathlib import Path

import fastavro
import pytest

import schemas
from pipeline.schema import added_without_default

HISTORY = Path(schemas.__file__).parent / "history"
VERSIONED = ["article", "dead_letter"]
VERSIONS = sorted(HISTORY.iterdir(), key=lambda path: int(path.name[1:]))


def sample(schema):
    """A valid value for ``schema`` with every optional part filled, so resolution sees real data."""
    if isinstance(schema, list):
        return sample(schema[1])
    if isinstance(schema, dict):
        logical = schema.get("logicalType")
        if logical == "date":
            return date(2017, 10, 17)
        if logical == "timestamp-micros":
            return datetime(2017, 10, 17, 12, 30, tzinfo=timezone.utc)
        if schema["type"] == "record":
            return {field["name"]: sample(field["type"]) for field in schema["fields"]}
        if schema["type"] == "array":
            return [sample(schema["items"]), sample(schema["items"])]
        return sample(schema["type"])
    return {"string": "x", "int": 7, "long": 7, "double": 0.5, "float": 0.5, "boolean": True, "bytes": b"x"}[schema]


def roundtrip(writer: dict, reader: dict, records: list[dict]) -> list[dict]:
    buffer = io.BytesIO()
    fastavro.writer(buffer, fastavro.parse_schema(writer), records)
    buffer.seek(0)
    return list(fastavro.reader(buffer, reader_schema=fastavro.parse_schema(reader)))


def as_read(schema, written):
    """What a reader with ``schema`` expects for an old value: the written values, and the
    default of every field added since, also inside nested records (``Quote.fragments``)."""
    if isinstance(schema, list):
        return None if written is None else as_read(schema[1], written)
    if isinstance(schema, dict) and schema["type"] == "record":
        return {field["name"]: as_read(field["type"], written[field["name"]]) if field["name"] in written else field["default"]
                for field in schema["fields"]}
    if isinstance(schema, dict) and schema["type"] == "array":
        return [as_read(schema["items"], item) for item in written]
    return written


@pytest.mark.parametrize("version", VERSIONS, ids=lambda path: path.name)
@pytest.mark.parametrize("name", VERSIONED)
def test_old_data_reads_with_the_current_schema(version, name):
    old, current = schemas.load_from(version, name), schemas.load(name)
    written = sample(old)
    (read,) = roundtrip(old, current, [written])
    expected = as_read(current, written)
    for field in current["fields"]:
        assert read[field["name"]] == expected[field["name"]], f"{name}.{field['name']} read from {version.name}"


def test_v1_quotes_read_with_empty_fragments_and_no_category():
    old = schemas.load_from(HISTORY / "v1", "article")
    (read,) = roundtrip(old, schemas.load("article"), [sample(old)])
    assert [(q["fragments"], q["category"]) for q in read["quotes"]] == [([], None), ([], None)]


@pytest.mark.parametrize("version", VERSIONS, ids=lambda path: path.name)
@pytest.mark.parametrize("name", VERSIONED)
def test_added_fields_have_defaults(version, name):
    problems = added_without_default(schemas.load_from(version, name), schemas.load(name))
    assert not problems, f"fields added since {version.name} need a default so old data stays readable: {problems}"


def without_docs(node):
    """The schema without its "doc" strings: rewording a doc needs no new version."""
    if isinstance(node, dict):
        return {key: without_docs(value) for key, value in node.items() if key != "doc"}
    if isinstance(node, list):
        return [without_docs(item) for item in node]
    return node


@pytest.mark.parametrize("name", VERSIONED)
def test_a_changed_schema_bumps_its_version(name):
    current = schemas.load(name)
    frozen = HISTORY / f"v{current['version']}"
    latest = int(VERSIONS[-1].name[1:])
    if frozen.is_dir():
        assert without_docs(schemas.load_from(frozen, name)) == without_docs(current), (
            f"schemas/{name}.avsc changed but its version is still {current['version']}: bump \"version\" "
            f"to {latest + 1} (and freeze it as schemas/history/v{latest + 1} when released)")
    else:
        assert current["version"] == latest + 1, f"{name}: the next version after v{latest} is {latest + 1}"


def test_the_check_catches_a_field_without_default():
    old = schemas.load("dead_letter")
    new = schemas.load("dead_letter")
    new["fields"].append({"name": "retry_count", "type": "int", "doc": "added without a default"})
    assert added_without_default(old, new) == ["DeadLetter.retry_count"]
    with pytest.raises(fastavro.read.SchemaResolutionError):
        roundtrip(old, new, [sample(old)])
    new["fields"][-1]["default"] = 0
    assert added_without_default(old, new) == []
    assert roundtrip(old, new, [sample(old)])[0]["retry_count"] == 0


def test_a_nested_field_without_default_is_caught():
    old, new = schemas.load("article"), schemas.load("article")
    quote = next(f for f in new["fields"] if f["name"] == "quotes")["type"]["items"]
    quote["fields"].append({"name": "confidence", "type": "double"})
    assert added_without_default(old, new) == ["Quote.confidence"]


def test_history_is_not_shipped():
    assert "history" not in schemas.names()
    assert set(VERSIONED) <= {path.stem for path in VERSIONS[0].glob("*.avsc")}

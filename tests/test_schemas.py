"""Every schema loads, is documented, and follows BigQuery's rules for Avro loads."""
import json
import re

import fastavro
import pytest

import schemas

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# BigQuery reserved keywords that could plausibly be field names.
RESERVED = {"all", "and", "any", "array", "as", "by", "case", "cast", "contains", "create", "cross", "current",
            "default", "define", "desc", "end", "enum", "escape", "except", "exists", "false", "fetch", "from",
            "full", "group", "hash", "having", "if", "in", "inner", "interval", "into", "is", "join", "lateral",
            "left", "like", "limit", "lookup", "merge", "natural", "new", "no", "not", "null", "nulls", "of", "on",
            "or", "order", "outer", "over", "partition", "range", "recursive", "respect", "right", "rollup", "rows",
            "select", "set", "some", "struct", "tablesample", "then", "to", "treat", "true", "union", "unnest",
            "using", "when", "where", "window", "with", "within"}
LOGICAL_TYPES = {"date", "timestamp-micros"}


def walk_fields(schema):
    """Yield (record name, field) for every field of every nested record."""
    if isinstance(schema, list):
        for branch in schema:
            yield from walk_fields(branch)
    elif isinstance(schema, dict):
        if schema.get("type") == "record":
            for field in schema["fields"]:
                yield schema["name"], field
                yield from walk_fields(field["type"])
        elif schema.get("type") == "array":
            yield from walk_fields(schema["items"])


@pytest.mark.parametrize("name", schemas.names())
def test_schema_parses_and_is_documented(name):
    schema = schemas.load(name)
    fastavro.parse_schema(schema)
    assert schema.get("doc")
    for record, field in walk_fields(schema):
        assert field.get("doc"), f"{record}.{field['name']} has no doc"


@pytest.mark.parametrize("name", schemas.names())
def test_schema_follows_bigquery_rules(name):
    for record, field in walk_fields(schemas.load(name)):
        assert NAME.match(field["name"]), f"{record}.{field['name']}"
        assert field["name"].lower() not in RESERVED, f"{record}.{field['name']} is a BigQuery reserved word"
        kind = field["type"]
        if isinstance(kind, list):
            assert len(kind) == 2 and kind[0] == "null", f"{record}.{field['name']}: unions must be [\"null\", T]"
            assert "default" in field and field["default"] is None
            kind = kind[1]
        if isinstance(kind, dict) and "logicalType" in kind:
            assert kind["logicalType"] in LOGICAL_TYPES


def test_every_named_type_has_its_own_file():
    names = set(schemas.names())
    for name in names:
        text = json.dumps(json.loads((schemas.resources.files("schemas") / f"{name}.avsc").read_text()))
        for reference in re.findall(r'"newsbeam\.(\w+)"', text):
            assert schemas._file_name(reference) in names


def test_offsets_are_named_consistently():
    fields = {field["name"] for _, field in walk_fields(schemas.load("article"))}
    assert {"start_char", "end_char", "speaker_start_char", "speaker_end_char"} <= fields
    assert not {"start", "end"} & fields

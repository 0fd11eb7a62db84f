"""Warehouse schemas derived from the .avsc files.

``python -m pipeline.schema bigquery article`` prints the BigQuery table schema (the JSON that
``bq mk --table`` / ``bq load --schema`` take) that a load with ``--use_avro_logical_types`` creates.
"""
import argparse
import json
import sys

import schemas

PRIMITIVES = {"string": "STRING", "bytes": "BYTES", "int": "INTEGER", "long": "INTEGER",
              "float": "FLOAT", "double": "FLOAT", "boolean": "BOOLEAN"}
# BigQuery's mapping with use_avro_logical_types; without it, date would load as INTEGER.
LOGICAL = {"date": "DATE", "timestamp-micros": "TIMESTAMP", "timestamp-millis": "TIMESTAMP",
           "time-micros": "TIME", "time-millis": "TIME", "decimal": "NUMERIC", "uuid": "STRING"}


class SchemaError(ValueError):
    """An Avro construct BigQuery cannot load."""


def bigquery_schema(avro: dict) -> list[dict]:
    """BigQuery fields (name, type, mode, description, fields) for an Avro record schema."""
    if avro.get("type") != "record":
        raise SchemaError(f"{avro.get('name', avro)}: a BigQuery table needs an Avro record at the top")
    return [_field(avro["name"], field) for field in avro["fields"]]


def _field(record: str, field: dict) -> dict:
    where = f"{record}.{field['name']}"
    kind, mode = field["type"], "REQUIRED"
    if isinstance(kind, list):
        if len(kind) != 2 or kind[0] != "null":
            raise SchemaError(f"{where}: BigQuery loads only unions [\"null\", T]; got {kind}")
        kind, mode = kind[1], "NULLABLE"
    if isinstance(kind, dict) and kind.get("type") == "array":
        if mode == "NULLABLE":
            raise SchemaError(f"{where}: a nullable array cannot be REPEATED; drop the null branch and default to []")
        kind, mode = kind["items"], "REPEATED"
        if isinstance(kind, list) or (isinstance(kind, dict) and kind.get("type") == "array"):
            raise SchemaError(f"{where}: BigQuery has no arrays of arrays or of nullable items")
    result = {"name": field["name"], "type": _type(where, kind), "mode": mode}
    if field.get("doc"):
        result["description"] = field["doc"]
    if isinstance(kind, dict) and kind.get("type") == "record":
        result["fields"] = [_field(kind["name"], child) for child in kind["fields"]]
    return result


def _type(where: str, kind) -> str:
    if isinstance(kind, str) and kind in PRIMITIVES:
        return PRIMITIVES[kind]
    if isinstance(kind, dict):
        if kind.get("logicalType") in LOGICAL:
            return LOGICAL[kind["logicalType"]]
        if kind.get("type") == "record":
            return "RECORD"
        if kind.get("type") in PRIMITIVES:
            return PRIMITIVES[kind["type"]]
    raise SchemaError(f"{where}: Avro type {kind!r} is not supported here; use a primitive, record, array, "
                      "date or timestamp-micros, and inline named types with schemas.load()")


def added_without_default(old: dict, new: dict) -> list[str]:
    """Fields of ``new`` missing from the same record in ``old`` that have no default (old data could not be read)."""
    before = _records(old)
    return [f"{name}.{field['name']}" for name, fields in _records(new).items() if name in before
            for field in fields if field["name"] not in {f["name"] for f in before[name]} and "default" not in field]


def _records(node, found=None) -> dict[str, list[dict]]:
    """Every record schema under ``node`` by name -> its fields."""
    found = {} if found is None else found
    if isinstance(node, list):
        for item in node:
            _records(item, found)
    elif isinstance(node, dict):
        if node.get("type") == "record":
            found[node["name"]] = node["fields"]
            for field in node["fields"]:
                _records(field["type"], found)
        elif node.get("type") == "array":
            _records(node["items"], found)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.schema", description=__doc__.split("\n\n")[1])
    commands = parser.add_subparsers(dest="command", required=True)
    bigquery = commands.add_parser("bigquery", help="print the BigQuery table schema JSON of an output table")
    bigquery.add_argument("name", nargs="?", default="article", choices=["article", "dead_letter"])
    args = parser.parse_args(argv)
    json.dump(bigquery_schema(schemas.load(args.name)), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

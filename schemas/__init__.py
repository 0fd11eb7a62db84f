"""Avro schemas of newsbeam, one documented ``.avsc`` file per named type.

``load("article")`` returns the schema as a plain JSON dict with every named type it
references inlined at its first use, ready for fastavro and Beam's ``WriteToAvro``.
"""
import functools
import json
from importlib import resources
from pathlib import Path

import fastavro

NAMESPACE = "newsbeam"


@functools.cache
def _read(name: str) -> dict:
    return json.loads(resources.files(__name__).joinpath(f"{name}.avsc").read_text("utf-8"))


def _file_name(full_name: str) -> str:
    """newsbeam.EntityMention -> entity_mention"""
    short = full_name.rsplit(".", 1)[-1]
    return "".join("_" + c.lower() if c.isupper() else c for c in short).lstrip("_")


def _inline(node, seen: set, read=_read):
    """Replace references to named types by their definitions, once each."""
    if isinstance(node, str):
        if node.startswith(NAMESPACE + ".") and node not in seen:
            seen.add(node)
            return _inline(read(_file_name(node)), seen, read)
        return node
    if isinstance(node, list):
        return [_inline(item, seen, read) for item in node]
    if isinstance(node, dict):
        if node.get("type") == "record":
            seen.add(f"{node.get('namespace', NAMESPACE)}.{node['name']}")
        return {key: _inline(value, seen, read) if key in ("type", "items", "fields") else value
                for key, value in node.items()}
    return node


@functools.cache
def _load(name: str) -> str:
    return json.dumps(_inline(_read(name), set()))


def load(name: str) -> dict:
    """The schema of ``schemas/<name>.avsc`` with referenced types inlined (a fresh copy)."""
    return json.loads(_load(name))


@functools.cache
def parsed(name: str) -> dict:
    """``load(name)`` parsed by fastavro, once per process (shared: do not modify)."""
    return fastavro.parse_schema(load(name))


def names() -> list[str]:
    """Names of all schema files shipped with the package."""
    return sorted(p.name[:-5] for p in resources.files(__name__).iterdir() if p.name.endswith(".avsc"))


def load_from(directory, name: str) -> dict:
    """Like ``load``, from the ``.avsc`` files of another directory (e.g. ``schemas/history/v1``)."""

    def read(file_name: str) -> dict:
        return json.loads((Path(directory) / f"{file_name}.avsc").read_text("utf-8"))

    return _inline(read(name), set(), read)

"""Helpers for the format tests: run a reader over bytes and split its items."""
import io

from transforms.formats import DEAD_LETTER, SKIPPED, SOURCE


def run(reader, data, uri: str = "dump", **kwargs) -> tuple[list, list, list]:
    """``(sources, dead_letters, skipped_reasons)`` of ``reader`` over ``data`` (bytes or a stream)."""
    stream = io.BufferedReader(io.BytesIO(data)) if isinstance(data, bytes) else data
    items = list(reader(stream, uri, **kwargs))
    assert {kind for kind, _ in items} <= {SOURCE, DEAD_LETTER, SKIPPED}
    pick = lambda kind: [payload for k, payload in items if k == kind]  # noqa: E731
    return pick(SOURCE), pick(DEAD_LETTER), pick(SKIPPED)

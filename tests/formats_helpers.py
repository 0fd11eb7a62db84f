"""Helpers for the format tests: run a reader over bytes and split its items; build a WARC."""
import io

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from transforms.formats import DEAD_LETTER, SKIPPED, SOURCE


def run(reader, data, uri: str = "dump", **kwargs) -> tuple[list, list, list]:
    """``(sources, dead_letters, skipped_reasons)`` of ``reader`` over ``data`` (bytes or a stream)."""
    stream = io.BufferedReader(io.BytesIO(data)) if isinstance(data, bytes) else data
    items = list(reader(stream, uri, **kwargs))
    assert {kind for kind, _ in items} <= {SOURCE, DEAD_LETTER, SKIPPED}
    pick = lambda kind: [payload for k, payload in items if k == kind]  # noqa: E731
    return pick(SOURCE), pick(DEAD_LETTER), pick(SKIPPED)


def warc(records, gzip=False) -> bytes:
    """A WARC file with ``(type, url, body, content_type, status)`` records (no HTTP headers without a status)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for rec_type, url, body, content_type, status in records:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1") if status else None
        writer.write_record(writer.create_warc_record(url, rec_type, payload=io.BytesIO(body), http_headers=headers))
    return out.getvalue()

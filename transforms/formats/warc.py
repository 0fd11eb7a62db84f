"""WARC archives: every HTML response record becomes a source carrying the page.

``source_uri`` of a record is ``<warc file>#<WARC-Target-URI>`` (e.g.
``gs://b/crawl.warc.gz#https://example.com/a.html``), ``source_position`` the record's byte
offset in the *decompressed* WARC stream, ``source_format`` is ``warc``. The caller decompresses
(``transforms.compression.open_capped``) because warcio's own gzip reading silently drops a
truncated last record. Requests, metadata, revisits, non-HTML and non-2xx responses are yielded
as ``("skipped", reason)`` with reasons ``warc-<record type>``, ``warc-non-html`` and
``warc-http-<status>``.
"""
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from transforms.compression import READ_ERRORS, explain_read_error
from transforms.formats import DEAD_LETTER, SKIPPED, SOURCE, MalformedInput
from transforms.formats.html import decode_html
from transforms.source import EmptyInput, InputError, TooLarge, dead_letter, source

MAX_RECORD_BYTES = 64 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_ARCHIVE_STARTS = (b"WARC/", b"filedesc://")  # a WARC record, an ARC file's version block
_RECORD_TYPES = {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation"}


def _skip_reason(record) -> str | None:
    if record.rec_type != "response":
        return f"warc-{record.rec_type}"
    if record.http_headers is None:
        return "warc-non-html"
    status = record.http_headers.get_statuscode() or ""
    if not status.startswith("2"):
        return f"warc-http-{status or 'unknown'}"
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    if not content_type.startswith(_HTML_TYPES):
        return "warc-non-html"
    return None


def _record_source(record, data: bytes, uri: str, offset: int, max_bytes: int):
    """An ``html`` source for one response record, or a dead letter."""
    target = record.rec_headers.get_header("WARC-Target-URI") or None
    stub = source(f"{uri}#{target or ''}", "warc", source_position=offset, url=target)
    where = f"{stub['source_uri']} (WARC offset {offset})"
    try:
        if len(data) > max_bytes:
            raise TooLarge("read", f"{where}: page larger than {max_bytes:,} bytes; "
                                   "raise --max_article_bytes if it is genuine")
        content_type = record.http_headers.get_header("Content-Type") or ""
        declared = content_type.partition("charset=")[2].strip(" \"';") or None
        return SOURCE, {**stub, "html": decode_html(data, where, declared)}
    except InputError as error:
        return DEAD_LETTER, dead_letter(stub, "read", error, raw=data, whole=len(data) <= max_bytes)


class _Watched:
    """A stream that remembers the error a read raised: warcio swallows some of them.

    Reads return what the stream has (``read1``), so the bytes before a truncation reach warcio
    before the error does.
    """

    def __init__(self, stream):
        self._stream, self.error = stream, None
        self._read = getattr(stream, "read1", stream.read)

    def read(self, size=-1):
        try:
            return self._read(size)
        except Exception as error:
            self.error = error
            raise


def read_warc(fileobj, uri: str, max_record_bytes: int = MAX_RECORD_BYTES):
    """``(kind, payload)`` items (see ``transforms.formats``) for an uncompressed WARC stream
    (a buffered reader: its start is peeked at to refuse a file that is no WARC).

    Sources carry the decoded page in ``html``; ``transforms.formats.html.extract_html`` turns
    it into text.
    """
    produced, offset = False, 0
    try:
        head = fileobj.peek(4096)[:4096]
        if head.strip() and not head.lstrip(b"\r\n").startswith(_ARCHIVE_STARTS):
            error = MalformedInput("read", f"{uri}: not a WARC archive (it does not start with 'WARC/'); "
                                           "check the file or pass the right --input_format")
            yield DEAD_LETTER, dead_letter(source(uri, "warc"), "read", error, raw=head, whole=False)
            return
        watched = _Watched(fileobj)
        records = ArchiveIterator(watched)
        for record in records:
            produced = True
            reason = _skip_reason(record) if record.rec_type in _RECORD_TYPES else None
            data = b"" if reason else record.content_stream().read(max_record_bytes + 1)
            offset = records.get_record_offset()  # reads the rest of the record
            if record.rec_type not in _RECORD_TYPES or getattr(record.raw_stream, "limit", 0):
                error = MalformedInput("read", f"{uri} (WARC offset {offset}): damaged or truncated WARC "
                                               "record; re-fetch the archive")
                yield DEAD_LETTER, dead_letter(source(uri, "warc", source_position=offset), "read", error, raw=data, whole=False)
            elif reason:
                yield SKIPPED, reason
            else:
                yield _record_source(record, data, uri, offset, max_record_bytes)
        if watched.error is not None:
            raise watched.error
    except ArchiveLoadFailed as error:
        produced = True
        error = MalformedInput("read", f"{uri} (after WARC offset {offset}): not a valid WARC record "
                                       f"({str(error).strip()[:200]}); check the file is a WARC archive")
        yield DEAD_LETTER, dead_letter(source(uri, "warc", source_position=offset), "read", error, raw=b"", whole=False)
    except (*READ_ERRORS, InputError) as error:  # damaged stream or the decompression cap
        produced = True
        yield DEAD_LETTER, dead_letter(source(uri, "warc", source_position=offset), "read",
                                       explain_read_error(uri, error), raw=b"", whole=False)
    if not produced:
        yield DEAD_LETTER, dead_letter(source(uri, "warc"), "read",
                                       EmptyInput("read", f"{uri}: holds no WARC records; check the input pattern"), raw=b"", whole=False)

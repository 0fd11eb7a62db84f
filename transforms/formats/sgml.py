"""Multi-document SGML news corpora: Reuters-21578 ``.sgm`` files and TREC-style ``<DOC>`` files.

Each ``<REUTERS>`` or ``<DOC>`` element is one article, numbered from 0 in file order and read
as a stream (one document in memory at a time, at most ``max_doc_bytes``):

- Reuters: ``NEWID`` (the id), ``<DATE>``, ``<TITLE>``, ``<DATELINE>`` and ``<BODY>``; an
  unprocessed story (``TYPE="UNPROC"``) has its headline as the first line of its ``<TEXT>``.
- TREC: ``<DOCNO>``, ``<HEADLINE>`` (or ``<HEAD>``, ``<HL>``), ``<DATE>`` (or ``<DD>``),
  ``<BYLINE>``, ``<DATELINE>`` and ``<TEXT>``, whose ``<P>`` elements are paragraphs.

Markup inside a field is dropped and SGML entities are decoded. A document without body text
(a Reuters ``BRIEF`` is a headline only) is a ``NoBody`` dead letter.
"""
import html
import re

from transforms.compression import READ_ERRORS, explain_read_error
from transforms.formats import DEAD_LETTER, SOURCE, MalformedInput
from transforms.source import EmptyInput, InputError, NoBody, TooLarge, dead_letter, source

_CHUNK = 1 << 16
_START = re.compile(rb"<(REUTERS|DOC)(\s[^>]*)?>", re.I)
_END = re.compile(rb"</(?:REUTERS|DOC)\s*>", re.I)
_NEWID = re.compile(r'\bNEWID="(\d+)"', re.I)
_TAG = re.compile(r"<[^>]*>")
_PARAGRAPH = re.compile(r"</?P\b[^>]*>", re.I)


def _field(doc: str, *names: str) -> str | None:
    """The text of the first element among ``names``, markup dropped and entities decoded."""
    for name in names:
        m = re.search(rf"<{name}(?:\s[^>]*)?>(.*?)</{name}\s*>", doc, re.I | re.S)
        if m:
            text = html.unescape(_TAG.sub(" ", _PARAGRAPH.sub("\n\n", m[1]))).strip()
            if text:
                return text
    return None


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # Reuters-21578 is ASCII/latin-1


def _document(raw: bytes, uri: str, index: int) -> dict:
    """The source dict of one ``<REUTERS>`` or ``<DOC>`` element; ``NoBody`` without body text."""
    doc = _decode(raw)
    start = _START.search(raw)
    reuters = start[1].upper() == b"REUTERS"
    newid = _NEWID.search(doc[:300]) if reuters else None
    doc_id = newid[1] if newid else _field(doc, "DOCNO")
    title, text = _field(doc, "TITLE", "HEADLINE", "HEAD", "HL"), _field(doc, "BODY" if reuters else "TEXT")
    dateline = _field(doc, "DATELINE")
    if reuters and text is None and title is None and re.search(r'<TEXT[^>]*TYPE="UNPROC"', doc, re.I):
        title, _, text = (_field(doc, "TEXT") or "").partition("\n")
    where = f"{uri} document {index}" + (f" ({'NEWID' if reuters else 'DOCNO'} {doc_id})" if doc_id else "")
    if not text or not text.strip():
        raise NoBody("read", f"{where}: has no body text ({'a headline only' if title else 'empty'}); "
                             "nothing to ingest, drop it from the corpus if that is expected")
    if dateline and not text.lstrip().startswith(dateline):
        text = f"{dateline} {text.lstrip()}"  # "BASLE, March 3 - Sandoz AG said ...": the layout reads it
    return source(uri, "sgml", source_position=index, source_id=doc_id, title=title, text=text,
                  date_raw=_field(doc, "DATE", "DD"), authors=[a for a in [_field(doc, "BYLINE")] if a])


def _documents(fileobj, uri: str, max_doc_bytes: int):
    """``(index, bytes | None)`` of each document; None for one over ``max_doc_bytes``."""
    buf, index, skipping, searched = b"", 0, False, 0
    while True:
        end = _END.search(buf, max(searched - 16, 0))
        if end:
            doc, buf, searched = buf[:end.end()], buf[end.end():], 0
            start = _START.search(doc)
            if start or skipping:
                yield index, None if skipping else doc[start.start():]
                index, skipping = index + 1, False
            continue
        searched = len(buf)
        if len(buf) > max_doc_bytes:  # an oversized document is skipped to its end, text outside one dropped
            skipping = skipping or bool(_START.search(buf))
            buf, searched = buf[-16:], 0
        data = fileobj.read(_CHUNK)
        if not data:
            if _START.search(buf) and not skipping:
                raise MalformedInput("read", f"{uri}: document {index} never ends (no closing tag); "
                                             "the file is probably truncated: re-fetch it")
            return
        buf += data


def read_sgml(fileobj, uri: str, max_doc_bytes: int):
    """``(kind, payload)`` items (see ``transforms.formats``) for an SGML corpus file."""
    index = -1
    try:
        for index, raw in _documents(fileobj, uri, max_doc_bytes):
            stub = source(uri, "sgml", source_position=index)
            try:
                if raw is None:
                    raise TooLarge("read", f"{uri} document {index}: larger than {max_doc_bytes:,} bytes; "
                                           "raise --max_article_bytes if it is genuine")
                yield SOURCE, _document(raw, uri, index)
            except InputError as error:
                yield DEAD_LETTER, dead_letter(stub, "read", error, raw=raw or b"", whole=raw is not None)
    except (*READ_ERRORS, InputError) as error:  # truncated file, damaged stream or the decompression cap
        yield DEAD_LETTER, dead_letter(source(uri, "sgml", source_position=index + 1), "read",
                                       explain_read_error(uri, error), raw=b"", whole=False)
        return
    if index < 0:
        yield DEAD_LETTER, dead_letter(source(uri, "sgml"), "read", EmptyInput(
            "read", f"{uri}: holds no <REUTERS> or <DOC> documents; check that it is a Reuters-21578 or "
                    "TREC-style SGML file, or pass the right --input_format"), raw=b"", whole=False)

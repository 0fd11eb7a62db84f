"""JSON dumps: a top-level array of articles, an API response wrapping them, or one article.

Arrays are decoded element by element from a sliding buffer, so a multi-GB dump never sits in
memory. The article array may sit inside the top-level object (``{"posts": [...]}``,
``{"response": {"docs": [...]}}``, see ``records_path``) or inside each element of a top-level
array of response pages. Records are numbered from 0 in file order, across pages too. An invalid
or oversized element becomes a dead letter and reading resumes after it; if an array itself is
broken beyond that, the rest of the file is one dead letter. A top-level object without an
article array is one article.
"""
import codecs
import json
import re

from transforms.compression import READ_ERRORS, explain_read_error
from transforms.formats import DEAD_LETTER, SOURCE, MalformedInput, MissingText
from transforms.formats.fields import has_text, record_to_source
from transforms.formats.records_path import describe, find_records, records_paths
from transforms.formats.jsonparse import MAX_DEPTH, MAX_RECORD_BYTES, check_depth, too_deep
from transforms.source import EmptyInput, InputError, TooLarge, UndecodableInput, dead_letter, source

_CHUNK = 1 << 16
_WS = re.compile(r"[\s\ufeff]*")
_IN_STRING = re.compile(r'["\\]')
_OUTSIDE = re.compile(r'["\[\]{},]')
_BAD_BYTES = re.compile("[\udc80-\udcff]")


class _Buffer:
    """Decoded text of a binary stream, filled on demand; consumed text is dropped."""

    def __init__(self, fileobj):
        self.fileobj, self.text, self.pos, self.eof = fileobj, "", 0, False
        self.dropped = 0  # characters dropped by compact(): positions before it are gone
        self.decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        self._read = getattr(fileobj, "read1", fileobj.read)  # what the stream has: see _Capped

    def fill(self, size=_CHUNK) -> bool:
        if self.eof:
            return False
        data = self._read(size)
        self.eof = not data
        self.text += self.decoder.decode(data, final=self.eof)
        return not self.eof

    def compact(self):
        """Drop the text before the current position."""
        if self.pos > _CHUNK:
            self.text, self.pos, self.dropped = self.text[self.pos:], 0, self.dropped + self.pos

    def skip_ws(self) -> str | None:
        """The next non-blank character (not consumed), or None at the end."""
        while True:
            self.pos = _WS.match(self.text, self.pos).end()
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.fill():
                return None

    def skip_value(self) -> bool:
        """Move past one JSON value however large, tracking only strings and brackets."""
        depth, in_string = 0, False
        while True:
            pattern = _IN_STRING if in_string else _OUTSIDE
            m = pattern.search(self.text, self.pos)
            if not m:
                self.pos = len(self.text)
                self.compact()
                if not self.fill():
                    return False
                continue
            char, self.pos = m.group(), m.end()
            if in_string:
                if char == "\\":
                    self.pos += 1
                else:
                    in_string = False
            elif char == '"':
                in_string = True
            elif char in "[{":
                depth += 1
            elif char in "]}":
                depth -= 1
                if depth < 0:
                    self.pos -= 1
                    return True
            elif char == "," and depth == 0:
                self.pos -= 1
                return True


def _decode_value(buf: _Buffer, max_bytes: int):
    """``(value, text, None)`` for the next complete value, or ``(None, None, reason)``."""
    decoder = json.JSONDecoder()
    want = _CHUNK
    while True:
        try:
            value, end = decoder.raw_decode(buf.text, buf.pos)
            if end < len(buf.text) or buf.eof:
                text = buf.text[buf.pos:end]
                buf.pos = end
                return value, text, None
        except RecursionError:
            return None, None, "too deep"
        except json.JSONDecodeError as error:
            near_end = error.pos >= len(buf.text) - 8 or error.msg.startswith("Unterminated string")
            if buf.eof or not near_end:
                return None, None, f"invalid JSON ({error.msg} at character {error.pos - buf.pos} of the element)"
        if len(buf.text) - buf.pos > max_bytes:
            return None, None, "too large"
        if not buf.fill(want):
            continue
        want = min(want * 2, max_bytes)


class _Records:
    """What array elements become, numbering the records of one file from 0 in file order."""

    def __init__(self, uri: str, field_map, paths, explicit: bool):
        self.uri, self.field_map, self.paths, self.explicit = uri, field_map, paths, explicit
        self.next = 0

    def take(self) -> int:
        self.next += 1
        return self.next - 1

    def article(self, value, position: int | None):
        """The source of one record; ``MissingText`` also says where articles were looked for."""
        try:
            return record_to_source(value, self.uri, "json", position, self.field_map)
        except MissingText as error:
            raise MissingText("read", f"{error}; if the file wraps its articles, no array of records was found "
                                      f"under {describe(self.paths)}: name it with --json_records_path") from None

    def element(self, value):
        """Items of an element of the top-level array: an article, or a page holding articles."""
        found = find_records(value, self.paths) if self.explicit or not has_text(value, self.field_map) else None
        if found is None:
            yield SOURCE, self.article(value, self.take())
            return
        path, values = found
        for record in values:
            position = self.take()
            try:
                yield SOURCE, self.article(path.unwrap(record), position)
            except InputError as error:
                stub = source(self.uri, "json", source_position=position)
                yield DEAD_LETTER, dead_letter(stub, "read", error, raw=json.dumps(record, ensure_ascii=False))

    def unwrapping(self, path):
        """What an element of the article array at ``path`` becomes: the article it holds."""
        return lambda value: [(SOURCE, self.article(path.unwrap(value), self.take()))]

    def array_at(self, keys: tuple):
        """The records path whose array is at ``keys`` of the top-level object, if any."""
        return next((path for path in self.paths if path.array == keys), None)

    def leads_to(self, keys: tuple) -> bool:
        return any(path.array[:len(keys)] == keys for path in self.paths)


def _elements(buf: _Buffer, uri: str, handle, records: _Records, max_bytes: int, max_depth: int):
    """Items of the array at ``buf.pos`` (just after its ``[``), each element through ``handle``;
    stops at its ``]``, which is not consumed."""
    index = 0
    while True:
        buf.compact()
        char = buf.skip_ws()
        if char == "]":
            return
        if char is None:
            raise MalformedInput("read", f"{uri}: the JSON array ends without ']' after element "
                                         f"{index - 1}; the file is probably truncated, re-fetch it")
        where = f"{uri} index {index}"
        position = records.next
        start, dropped, ended = buf.pos, buf.dropped, False
        value, text, problem = _decode_value(buf, max_bytes)
        excerpt = buf.text[start:start + 4000]
        try:
            if problem in ("too large", "too deep"):
                if not buf.skip_value():
                    raise MalformedInput("read", f"{where}: the element never ends; the file is truncated")
                ended = True
                if problem == "too deep":
                    raise too_deep(where, max_depth)
                raise TooLarge("read", f"{where}: element larger than {max_bytes:,} bytes; "
                                       "split it or raise --max_line_bytes")
            if problem:
                buf.pos = start
                if not buf.skip_value():
                    raise MalformedInput("read", f"{where}: {problem}; the file ends inside this element, "
                                                 "so it is probably truncated: re-fetch it")
                ended = True
                raise MalformedInput("read", f"{where}: {problem}; fix or drop the element")
            ended = True
            if _BAD_BYTES.search(text):
                raise UndecodableInput("read", f"{where}: not valid UTF-8; re-encode the dump as UTF-8")
            yield from handle(check_depth(value, where, max_depth))
        except InputError as error:
            stub = source(uri, "json", source_position=records.take() if records.next == position else position)
            yield DEAD_LETTER, _element_letter(stub, error, buf, (start, dropped, ended), excerpt)
            if isinstance(error, MalformedInput) and buf.eof and buf.pos >= len(buf.text):
                return
        index += 1
        char = buf.skip_ws()
        if char == ",":
            buf.pos += 1
        elif char != "]":
            raise MalformedInput("read", f"{uri}: expected ',' or ']' after element {index - 1}, "
                                         f"found {char!r}; the rest of the file cannot be read")


def _element_letter(stub, error, buf: _Buffer, span, excerpt: str) -> dict:
    """The dead letter of an array element: its whole text (so its size) while the element has
    ended and is still buffered, else only its start."""
    start, dropped, ended = span
    if ended and buf.dropped == dropped:
        return dead_letter(stub, "read", error, raw=buf.text[start:buf.pos])
    return dead_letter(stub, "read", error, raw=excerpt, whole=False)


def read_json(fileobj, uri: str, field_map: dict | None = None, max_record_bytes: int = MAX_RECORD_BYTES,
              max_depth: int = MAX_DEPTH, records_path: str | None = None):
    """``(kind, payload)`` items (see ``transforms.formats``) for a JSON file object; the
    article arrays are looked for under ``records_path`` if given, else the default paths."""
    buf = _Buffer(fileobj)
    records = _Records(uri, field_map, records_paths(records_path), bool(records_path))
    produced = False
    try:
        first = buf.skip_ws()
        if first == "[":
            buf.pos += 1
            for item in _elements(buf, uri, records.element, records, max_record_bytes, max_depth):
                produced = True
                yield item
        elif first == "{":
            produced = True
            yield from _top_object(buf, uri, records, max_record_bytes, max_depth)
        elif first is not None:
            produced = True
            raise MalformedInput("read", f"{uri}: starts with {first!r}, not a JSON array or object; "
                                         "pass --input_format if it is not JSON")
    except (*READ_ERRORS, InputError) as error:  # broken array, damaged stream or the decompression cap
        produced = True
        yield DEAD_LETTER, dead_letter(source(uri, "json", source_position=records.next if records.next else None),
                                       "read", explain_read_error(uri, error),
                                       raw=buf.text[buf.pos:buf.pos + 4000], whole=False)
    if not produced:
        yield DEAD_LETTER, dead_letter(source(uri, "json"), "read",
                                       EmptyInput("read", f"{uri}: holds no JSON articles; check the input pattern"), raw="", whole=False)


def _top_object(buf: _Buffer, uri: str, records: _Records, max_bytes: int, max_depth: int):
    """The top-level object: its article arrays streamed, else the object as one article
    (news-please writes one object per file; position None)."""
    start, room = buf.pos, [max_bytes]
    collected = {}
    streamed = yield from _members(buf, uri, (), collected, records, room, max_bytes, max_depth)
    if buf.skip_ws() is not None:
        hint = "" if streamed else "; if it holds one object per line, pass --input_format jsonl"
        raise MalformedInput("read", f"{uri}: more JSON after the top-level object (Extra data){hint}")
    if streamed:
        return
    text = buf.text[start:buf.pos]  # nothing was compacted away: no array was streamed
    try:
        yield SOURCE, records.article(check_depth(collected, uri, max_depth), None)
    except InputError as error:
        yield DEAD_LETTER, dead_letter(source(uri, "json"), "read", error, raw=text)


def _holds_objects(buf: _Buffer) -> bool:
    """Whether the array at ``buf.pos`` is empty or starts with an object (an article array, not
    an article's list of tags); moves past its ``[`` if so."""
    start = buf.pos
    buf.pos += 1
    if buf.skip_ws() in ("{", "]"):
        return True
    buf.pos = start
    return False


def _members(buf: _Buffer, uri: str, keys: tuple, into: dict, records: _Records, room: list,
             max_bytes: int, max_depth: int):
    """Read the object at ``buf.pos`` (its ``{``): arrays at a records path are streamed as
    articles, objects on the way to one are walked, other members are decoded into ``into``
    (``room[0]`` bytes at most in all; ``max_bytes`` per streamed element). Returns whether an
    array was streamed."""
    buf.pos += 1
    streamed, char = False, buf.skip_ws()
    while char != "}":
        key, _, problem = _decode_value(buf, room[0]) if char == '"' else (None, None, f"found {char!r}")
        if problem or buf.skip_ws() != ":":
            raise MalformedInput("read", f"{uri}: expected a key and ':' in the JSON object ({problem or 'no colon'}); "
                                         "the file is not valid JSON or is truncated: re-fetch it")
        buf.pos += 1
        path, char = keys + (key,), buf.skip_ws()
        target = records.array_at(path)
        if char == "[" and target and _holds_objects(buf):
            yield from _elements(buf, uri, records.unwrapping(target), records, max_bytes, max_depth)
            if buf.skip_ws() is None:  # the array broke off at the end of the file: already reported
                return True
            buf.pos += 1
            streamed = True
        elif char == "{" and records.leads_to(path):
            into[key] = {}
            streamed = (yield from _members(buf, uri, path, into[key], records, room, max_bytes, max_depth)) or streamed
        else:
            value, text, problem = _decode_value(buf, room[0])
            if problem == "too large":
                raise TooLarge("read", f"{uri}: JSON object larger than {room[0]:,} bytes outside its article "
                                       "arrays; raise --max_line_bytes if it is genuine")
            if problem == "too deep":
                raise too_deep(uri, max_depth)
            if problem:
                raise MalformedInput("read", f"{uri}: member {key!r}: {problem}; fix the file or re-fetch it")
            if _BAD_BYTES.search(text):
                raise UndecodableInput("read", f"{uri}: not valid UTF-8; re-encode the file as UTF-8")
            room[0] -= len(text)
            into[key] = value
        char = buf.skip_ws()
        if char == ",":
            buf.pos += 1
            char = buf.skip_ws()
        elif char != "}":
            raise MalformedInput("read", f"{uri}: expected ',' or '}}' in the JSON object, found {char!r}; "
                                         "the file is not valid JSON or is truncated: re-fetch it")
    buf.pos += 1
    return streamed

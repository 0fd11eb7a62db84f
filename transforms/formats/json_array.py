"""JSON dumps: a top-level array of article objects (read incrementally) or one object.

The array is decoded element by element from a sliding buffer, so a multi-GB dump never sits in
memory. Elements are numbered from 0. An invalid or oversized element becomes a dead letter and
reading resumes after it; if the array itself is broken beyond that, the rest of the file is
one dead letter.
"""
import codecs
import json
import re

from transforms.compression import READ_ERRORS, explain_read_error
from transforms.formats import DEAD_LETTER, SOURCE, MalformedInput
from transforms.formats.fields import record_to_source
from transforms.formats.jsonparse import MAX_DEPTH, MAX_RECORD_BYTES, check_depth, loads, too_deep
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


def _elements(buf: _Buffer, uri: str, field_map, max_bytes: int, max_depth: int):
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
        stub = source(uri, "json", source_position=index)
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
            yield SOURCE, record_to_source(check_depth(value, where, max_depth), uri, "json", index, field_map)
        except MalformedInput as error:
            yield DEAD_LETTER, _element_letter(stub, error, buf, (start, dropped, ended), excerpt)
            if buf.eof and buf.pos >= len(buf.text):
                return
        except InputError as error:
            yield DEAD_LETTER, _element_letter(stub, error, buf, (start, dropped, ended), excerpt)
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


def read_json(fileobj, uri: str, field_map: dict | None = None,
              max_record_bytes: int = MAX_RECORD_BYTES, max_depth: int = MAX_DEPTH):
    """``(kind, payload)`` items (see ``transforms.formats``) for a JSON file object."""
    buf = _Buffer(fileobj)
    produced = False
    try:
        first = buf.skip_ws()
        if first == "[":
            buf.pos += 1
            for item in _elements(buf, uri, field_map, max_record_bytes, max_depth):
                produced = True
                yield item
        elif first == "{":
            produced = True
            yield from _single_object(buf, uri, field_map, max_record_bytes, max_depth)
        elif first is not None:
            produced = True
            raise MalformedInput("read", f"{uri}: starts with {first!r}, not a JSON array or object; "
                                         "pass --input_format if it is not JSON")
    except (*READ_ERRORS, InputError) as error:  # broken array, damaged stream or the decompression cap
        produced = True
        yield DEAD_LETTER, dead_letter(source(uri, "json"), "read", explain_read_error(uri, error),
                                       raw=buf.text[buf.pos:buf.pos + 4000], whole=False)
    if not produced:
        yield DEAD_LETTER, dead_letter(source(uri, "json"), "read",
                                       EmptyInput("read", f"{uri}: holds no JSON articles; check the input pattern"), raw="", whole=False)


def _single_object(buf: _Buffer, uri, field_map, max_bytes, max_depth):
    """One object per file (news-please writes dumps like this); position is None."""
    while buf.fill(_CHUNK * 16):
        if len(buf.text) > max_bytes:
            raise TooLarge("read", f"{uri}: JSON object larger than {max_bytes:,} bytes; "
                                   "raise --max_line_bytes if it is genuine")
    text = buf.text[buf.pos:]
    stub = source(uri, "json")
    try:
        if _BAD_BYTES.search(text):
            raise UndecodableInput("read", f"{uri}: not valid UTF-8; re-encode the file as UTF-8")
        yield SOURCE, record_to_source(loads(text, uri, max_depth), uri, "json", None, field_map)
    except MalformedInput as error:
        hint = "; if it holds one object per line, pass --input_format jsonl" if "Extra data" in str(error) else ""
        yield DEAD_LETTER, dead_letter(stub, "read", MalformedInput("read", f"{error}{hint}"), raw=text)
    except InputError as error:
        yield DEAD_LETTER, dead_letter(stub, "read", error, raw=text)

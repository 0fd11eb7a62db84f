"""Decode raw bytes robustly and normalize text without changing a word or a quote mark."""
import re
import unicodedata

import ftfy

from transforms.source import BinaryInput, EmptyInput, UndecodableInput

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_TEXT_CONTROL_BYTES = {9, 10, 12, 13, 27}
_BINARY_SHARE = 0.10          # more control bytes than this in the sample: not text
_SAMPLE_BYTES = 8192
_NUL_SHARE = 0.01             # a few stray NULs are stripped; more mean binary
_UNDECODABLE_SHARE = 0.02     # cp1252 fallback refused when it yields many undefined characters

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")          # any whitespace run except newlines
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")


def decode(raw: bytes) -> str:
    """Bytes to text: UTF-8 (or a BOM's encoding) first, then cp1252 with mojibake repair.

    Raises EmptyInput, BinaryInput or UndecodableInput for inputs that are not text.
    """
    if not raw or not raw.strip():
        raise EmptyInput("decode", "the input is empty or only whitespace; nothing to ingest")
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as error:
                raise UndecodableInput("decode", f"the input starts with a {encoding} byte-order mark but is not valid {encoding}: {error}") from None
    _refuse_binary(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        if text.count("\ufffd") > _UNDECODABLE_SHARE * len(text):
            raise UndecodableInput("decode", "the input is neither UTF-8 nor cp1252/latin-1 text; re-encode it as UTF-8") from None
    return repair(text)


def repair(text: str) -> str:
    """Undo mojibake ("DonÃ¢Â€Â™t" read as the wrong encoding -> "Don’t"); quote marks stay as written."""
    return ftfy.fix_encoding(text)


def _refuse_binary(raw: bytes) -> None:
    sample = raw[:_SAMPLE_BYTES]
    nuls = sample.count(0)
    controls = sum(1 for byte in sample if byte < 32 and byte not in _TEXT_CONTROL_BYTES)
    if nuls > _NUL_SHARE * len(sample) or controls > _BINARY_SHARE * len(sample):
        raise BinaryInput("decode", f"the input looks binary ({controls} control bytes in the first {len(sample)}), not article text; check the file type or pass --input_format")


def normalize_text(text: str) -> str:
    """NFC, no control characters, '\\n' line ends, single spaces; leading indentation kept.

    Words and quotation marks are left exactly as written. Blank lines separate paragraphs;
    runs of blank lines become one.
    """
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text))
    text = _CONTROL.sub("", text)
    lines = []
    for line in text.split("\n"):
        stripped = line.lstrip()
        indent = " " * min(len(line) - len(stripped), 8) if stripped else ""
        lines.append(indent + _SPACES.sub(" ", stripped).rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")

"""Decode raw bytes robustly and normalize text without changing a word or a quote mark."""
import re
import unicodedata

import charset_normalizer
import ftfy

from transforms import language
from transforms.source import BinaryInput, DoubtfulEncoding, EmptyInput, UndecodableInput

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_TEXT_CONTROL_BYTES = {9, 10, 12, 13, 27}
_BINARY_SHARE = 0.10          # more control bytes than this in the sample: not text
_SAMPLE_BYTES = 8192
_NUL_SHARE = 0.01             # a few stray NULs are stripped; more mean binary
_UNDECODABLE_SHARE = 0.02     # cp1252 fallback refused when it yields many undefined characters
# Latin-2 letters read as cp1252 ("przyj³a", "mo¿e"): these symbols right after a letter
_MOJIBAKE_SYMBOLS = re.compile(r"(?<=[^\W\d_])[±³¶¹¼¾¿¦¬¯¥£¡µ]")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")          # any whitespace run except newlines
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")


def decode(raw: bytes) -> str:
    """Bytes to text: UTF-8 (or a BOM's encoding) first, then cp1252 or the encoding charset_normalizer
    guesses (``_legacy_decode``), with mojibake repair.

    Raises EmptyInput, BinaryInput, UndecodableInput or DoubtfulEncoding for inputs that are not text.
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
        text = _legacy_decode(raw)
    return repair(text)


def _legacy_decode(raw: bytes) -> str:
    """Text that is not UTF-8: cp1252, unless charset_normalizer's guess (KOI8-R, Latin-2, ...) gives
    a different text that reads clearly as a language and better than cp1252's; refused when doubtful."""
    western = raw.decode("cp1252", errors="replace")
    western_ok = western.count("\ufffd") <= _UNDECODABLE_SHARE * len(western)
    guess = charset_normalizer.from_bytes(raw).best()
    if guess is None or str(guess) == western:
        if western_ok:
            return western
        raise UndecodableInput("decode", "the input is neither UTF-8 nor cp1252/latin-1 text; re-encode it as UTF-8")
    other = str(guess)
    other_score = language.detect(other)[1] if guess.coherence > 0 else 0.0  # coherence: the guess reads as some language
    western_clean = western_ok and len(_MOJIBAKE_SYMBOLS.findall(western)) < 2
    western_score = language.detect(western)[1] if western_clean else 0.0
    if other_score >= language.MIN_CONFIDENCE and other_score > western_score:
        return other
    if western_clean and (western_score >= language.MIN_CONFIDENCE or len(western.split()) < language.MIN_WORDS_TO_DISAGREE):
        return western
    raise DoubtfulEncoding("decode", f"the input is not UTF-8, and neither cp1252 nor {guess.encoding} (charset_normalizer's "
                                     "guess) gives text that reads clearly as a language; re-encode it as UTF-8")


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

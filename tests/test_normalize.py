import pytest

from transforms.normalize import decode, normalize_text
from transforms.source import BinaryInput, EmptyInput, UndecodableInput


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"plain ascii", "plain ascii"),
        ("Trump’s “deal”".encode("utf-8"), "Trump’s “deal”"),
        (b"\xef\xbb\xbfwith a BOM", "with a BOM"),
        ("café «oui»".encode("cp1252"), "café «oui»"),                     # cp1252 fallback
        ("Trump’s".encode("utf-8").decode("cp1252").encode("utf-8"), "Trump’s"),  # mojibake repaired
        ("utf-16 text".encode("utf-16"), "utf-16 text"),
    ],
)
def test_decode(raw, expected):
    assert decode(raw) == expected


@pytest.mark.parametrize(
    "raw, error",
    [
        (b"", EmptyInput),
        (b"  \n\t \n", EmptyInput),
        (bytes(range(256)) * 4, BinaryInput),
        (b"\x00" * 50 + b"text", BinaryInput),
        (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" * 20, BinaryInput),
        (b"\x81\x8d\x8f\x90\x9d" * 40, UndecodableInput),
    ],
)
def test_decode_refuses(raw, error):
    with pytest.raises(error):
        decode(raw)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a\r\nb\rc", "a\nb\nc"),                                  # line endings unified
        ("e\u0301cole", "école"),                                   # NFC
        ("x\x00y\x07z\u200b!", "xyz!"),                             # control and zero-width characters
        ("one  two\u00a0\tthree  ", "one two three"),               # whitespace runs
        ("p1\n\n\n\n\np2", "p1\n\np2"),                             # paragraph breaks kept, once
        ("    indented wire line", "    indented wire line"),     # indentation kept for the layout
        ("\"straight\" “curly” ‘single’ «guillemets»", "\"straight\" “curly” ‘single’ «guillemets»"),
        ("\n\ntitle\n", "title"),
    ],
)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected

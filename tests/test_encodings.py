"""Legacy encodings beyond cp1252: charset_normalizer's guess, gated by a language check."""
import pytest

from tests.language_samples import SAMPLES
from transforms.normalize import decode
from transforms.source import DoubtfulEncoding


def _sample(code: str) -> str:
    title, body = SAMPLES[code]
    return f"{title}\n\n{body}"


@pytest.mark.parametrize("code, encoding", [
    ("ru", "koi8_r"), ("ru", "cp1251"), ("ru", "iso8859_5"), ("pl", "iso8859_2"), ("pl", "cp1250"), ("cs", "cp1250"),
    ("de", "cp1252"), ("fr", "cp1252"), ("es", "cp1252"), ("pt", "cp1252"), ("en", "cp1252"),
])
def test_legacy_encodings_decode_to_the_written_text(code, encoding):
    assert decode(_sample(code).encode(encoding)) == _sample(code)


@pytest.mark.parametrize("raw", ["café «oui»".encode("cp1252"), "très bien, voilà".encode("cp1252")])
def test_short_cp1252_texts_still_decode(raw):
    assert decode(raw) == raw.decode("cp1252")


def test_text_that_reads_as_no_language_in_any_encoding_is_refused():
    letters = " ".join("xq" + chr(code) for code in range(0xC0, 0xFF)).encode("latin-1")
    with pytest.raises(DoubtfulEncoding, match="neither cp1252 nor .* reads clearly as a language; re-encode it as UTF-8"):
        decode(letters)

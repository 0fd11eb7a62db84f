import datetime as dt
import gzip
import io

import pytest

from tests.formats_helpers import run, warc
from transforms.compression import open_capped
from transforms.formats.html import extract_html
from transforms.source import NoBody
from transforms.formats.warc import read_warc

CRAWL = dt.date(2021, 1, 1)
ARTICLE = ("<html><head><title>T</title><meta property='article:published_time' content='2017-10-17T10:00:00-04:00'>"
           "<meta property='article:section' content='Biz'></head><body><article><h1>T</h1>"
           + "".join(f"<p>Paragraph {i} of real article text about markets and trade talks.</p>" for i in range(5))
           + "</article></body></html>").encode()


MIXED = [
    ("response", "https://ex.com/business/2017/10/17/a.html", ARTICLE, "text/html; charset=utf-8", "200 OK"),
    ("request", "https://ex.com/a", b"GET / HTTP/1.1\r\n\r\n", "", None),
    ("response", "https://ex.com/logo.png", b"\x89PNG", "image/png", "200 OK"),
    ("response", "https://ex.com/gone", b"<html>gone</html>", "text/html", "404 Not Found"),
    ("response", "https://ex.com/nav", b"<html><body><nav>Home</nav></body></html>", "text/html", "200 OK"),
    ("response", "https://ex.com/bin", b"\x00\x01\x02" * 10, "text/html", "200 OK"),
    ("revisit", "https://ex.com/business/2017/10/17/a.html", b"", "", None),
]


def test_html_responses_become_sources_and_the_rest_is_counted():
    sources, dead, skipped = run(read_warc, warc(MIXED), "crawl.warc")
    assert [s["source_uri"] for s in sources] == ["crawl.warc#https://ex.com/business/2017/10/17/a.html",
                                                  "crawl.warc#https://ex.com/nav"]
    src = sources[0]
    assert (src["source_format"], src["source_position"], src["url"]) == (
        "warc", 0, "https://ex.com/business/2017/10/17/a.html")
    assert src["html"] == ARTICLE.decode() and src["text"] is None
    extracted = extract_html(src, CRAWL)
    assert (extracted["date_raw"], extracted["section_raw"]) == ("2017-10-17T10:00:00-04:00", "Biz")
    assert "Paragraph 4" in extracted["text"]
    with pytest.raises(NoBody, match="crawl.warc#https://ex.com/nav \\(WARC offset \\d+\\)"):
        extract_html(sources[1], CRAWL)
    assert sorted(skipped) == ["warc-http-404", "warc-non-html", "warc-request", "warc-revisit"]
    assert [(d["error_class"], d["source_uri"]) for d in dead] == [("BinaryInput", "crawl.warc#https://ex.com/bin")]
    assert dead[0]["source_position"] > 0 and "WARC offset" in dead[0]["message"]


def test_offsets_point_at_the_records():
    data = warc(MIXED[:1] * 3)
    sources, _, _ = run(read_warc, data, "c.warc")
    offsets = [s["source_position"] for s in sources]
    assert offsets[0] == 0 and all(data[o:o + 9] == b"WARC/1.0\r" for o in offsets) and len(set(offsets)) == 3


def test_oversized_record_is_dead_lettered():
    _, dead, _ = run(read_warc, warc(MIXED[:1]), "c.warc.gz", max_record_bytes=100)
    assert [d["error_class"] for d in dead] == ["TooLarge"] and "--max_article_bytes" in dead[0]["message"]


@pytest.mark.parametrize("cut", [200, 5])
def test_truncated_archive_keeps_complete_records(cut):
    data = warc(MIXED[:1] * 3)
    sources, dead, _ = run(read_warc, data[: len(data) - cut], "c.warc")
    assert len(sources) == 2
    assert [d["error_class"] for d in dead] == ["MalformedInput"] and "truncated" in dead[0]["message"]


@pytest.mark.parametrize("cut", [200, 5])
def test_truncated_gzip_archive(cut):
    data = gzip.compress(warc(MIXED[:1] * 3))
    stream = open_capped(io.BytesIO(data[: len(data) - cut]), "gzip", 1 << 30, "c.warc.gz")
    sources, dead, _ = run(read_warc, stream, "c.warc.gz")
    assert [d["error_class"] for d in dead] == ["CorruptInput"] and "re-download" in dead[0]["message"]


def test_truncated_small_warc_gz_keeps_the_complete_first_page():
    pages = [("response", f"https://ex.com/{n}", ARTICLE.replace(b"<h1>T", b"<h1>T%d" % (n * 7919)), "text/html", "200 OK")
             for n in range(2)]
    data = warc(pages, gzip=True)
    stream = open_capped(io.BytesIO(data[: len(data) * 8 // 10]), "gzip", 1 << 30, "c.warc.gz")
    sources, dead, _ = run(read_warc, stream, "c.warc.gz")
    assert [s["url"] for s in sources] == ["https://ex.com/0"]
    assert [d["error_class"] for d in dead] == ["CorruptInput"]


@pytest.mark.parametrize("data, error_class", [
    (b"", "EmptyInput"),
    (b"just some text\n" * 5, "MalformedInput"),
    (b"one line of plain text\n", "MalformedInput"),  # five words: warcio would take it for an ARC header
    (b"\n\nWARC/1.0\r\n", "MalformedInput"),
    (b"\x00" * 100, "MalformedInput"),
])
def test_not_a_warc(data, error_class):
    sources, dead, _ = run(read_warc, data, "c.warc")
    assert sources == [] and [d["error_class"] for d in dead] == [error_class]
    assert all("c.warc" in d["message"] for d in dead)


def test_record_compressed_warc_gz():
    """The usual .warc.gz (one gzip member per record), decompressed as one stream."""
    stream = open_capped(io.BytesIO(warc(MIXED, gzip=True)), "gzip", 1 << 30, "c.warc.gz")
    sources, dead, skipped = run(read_warc, stream, "c.warc.gz")
    assert (len(sources), len(dead), len(skipped)) == (2, 1, 4)

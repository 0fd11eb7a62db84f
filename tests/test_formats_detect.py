import csv

import pytest

from transforms.formats.detect import detect_format, sniff_format


@pytest.mark.parametrize("path, head, expected", [
    ("a.txt", b"{}", "text"),
    ("dir/a.jsonl.gz", b"", "jsonl"),
    ("gs://b/a.ndjson.zst", b"", "jsonl"),
    ("a.json.bz2", b"", "json"),
    ("x.json", b'{"title": "a", "text": "b"}\n{"title": "c", "text": "d"}\n', "jsonl"),  # JSON Lines named .json
    ("x.json.gz", b'\n{"title": "a"}\r\n\n{"title": "c"}', "jsonl"),
    ("x.json", b'{"title": "a", "text": "b"}\n', "json"),  # one object: a JSON file
    ("x.json", b'{\n  "title": "a"\n}\n{\n', "json"),
    ("x.json", b'[{"title": "a"},\n{"title": "c"}]\n', "json"),
    ("a.HTML", b"", "html"),
    ("a.htm", b"", "html"),
    ("crawl.warc.gz", b"", "warc"),
    ("noext", b"WARC/1.0\r\n", "warc"),
    ("noext.gz", b"\xef\xbb\xbf  <!DOCTYPE html><html>", "html"),
    ("dir.v2/noext", b"<html lang='en'>", "html"),
    ("noext", b'{"title": "a", "text": "b"}\n{"title": "c"}\n', "jsonl"),
    ("noext", b'{\n  "title": "a"\n}\n', "json"),
    ("noext", b'  [{"title": "a"}]', "json"),
    ("noext", b"WASHINGTON -- The president said", "text"),
    ("noext", b"", "text"),
    ("noext", b"\x00\x01\x02binary", "text"),
    ("a.csv", b"", "csv"),
    ("a.tsv.gz", b"", "tsv"),
    ("a.parquet", b"", "parquet"),
    ("noext", b"PAR1\x15\x04", "parquet"),
    ("feed.rss", b"", "feed"),
    ("feed.xml", b"", "feed"),
    ("noext", b'<?xml version="1.0"?>\n<rss version="2.0">', "feed"),
    ("noext", b'<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
    ("noext", b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', "html"),
    ("reut2-001.sgm", b"", "sgml"),
    ("noext", b'<!DOCTYPE lewis SYSTEM "lewis.dtd">\n<REUTERS TOPICS="NO">', "sgml"),
    ("trec.txt", b"<DOC>\n<DOCNO> AP880212-0001 </DOCNO>", "sgml"),  # markup named .txt: not one article
    ("page.txt", b"<!DOCTYPE html><html>", "html"),
    ("export.txt", b"id,title,text\n1,A,Body\n2,B,Body\n", "csv"),
    ("a.txt", b"Rates rise, stocks fall\n\nThe market fell, then rose, on Monday, traders said.\n", "text"),
    ("noext", b"id,title,text\n1,A,Body\n2,B,Body\n", "csv"),
    ("noext", b'title,text\n"A","' + b"long body " * 500, "csv"),  # one row longer than the head: header names known columns
    ("noext", b"date;price\n2020-01-01;3\n2020-01-02;4\n2020-01-03;5\n", "csv"),
    ("noext", b"Rates rise, stocks fall\n\nThe market fell, then rose, on Monday.\n", "text"),
])
def test_detect_format(path, head, expected):
    assert detect_format(path, head) == expected


def test_sniff_ignores_leading_blank_lines():
    assert sniff_format(b"\n\n  WARC/1.1\r\n") == "warc"


def test_table_sniffing_does_not_depend_on_the_csv_field_size_limit():
    """read_table sets csv's process-wide limit to --max_line_bytes; a long first row still sniffs as a table."""
    old = csv.field_size_limit(100)
    try:
        assert detect_format("noext", b'title,text\n"A","' + b"long body " * 500) == "csv"
    finally:
        csv.field_size_limit(old)

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
])
def test_detect_format(path, head, expected):
    assert detect_format(path, head) == expected


def test_sniff_ignores_leading_blank_lines():
    assert sniff_format(b"\n\n  WARC/1.1\r\n") == "warc"

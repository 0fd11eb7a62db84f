import json

import pytest

from transforms.formats import MissingText
from transforms.formats.fields import parse_field_map, record_to_source
from transforms.source import SOURCE_KEYS

WEBHOSE = {
    "uuid": "u-1", "url": "https://x.com/a", "author": "Jane Doe", "published": "2017-10-17T10:00:00.000+03:00",
    "title": "Headline", "text": "Body text.", "language": "english",
    "thread": {"url": "https://x.com/a", "section_title": "Business News", "site_full": "x.com"},
}


def test_news_please_sample(devdata):
    record = json.loads((devdata / "raw_formats/news-please/sample.json").read_text("utf-8"))
    src = record_to_source(record, "np.json", "json", None)
    assert set(src) == set(SOURCE_KEYS)
    assert src["title"].startswith("Moscow to Kiev")
    assert src["text"].startswith("Russia has called")
    assert src["date_raw"] == "2017-07-17 17:03:00"
    assert src["url"] == "https://www.rt.com/news/203203-ukraine-russia-troops-border/"
    assert src["language"] == "en" and src["authors"] == []


def test_webhose_record():
    src = record_to_source(WEBHOSE, "w.jsonl", "jsonl", 3)
    assert (src["source_id"], src["section_raw"], src["date_raw"], src["authors"], src["source_position"]) == (
        "u-1", "Business News", "2017-10-17T10:00:00.000+03:00", ["Jane Doe"], 3)


@pytest.mark.parametrize("record, key, value", [
    ({"body": "b", "category": ["Sports", "NFL"]}, "section_raw", "Sports"),
    ({"content": "b", "categories": []}, "section_raw", None),
    ({"maintext": "b", "authors": [{"name": "A B"}, "C D", 7]}, "authors", ["A B", "C D"]),
    ({"text": "b", "author": {"name": "A B"}}, "authors", ["A B"]),
    ({"text": "b", "id": 17}, "source_id", "17"),
    ({"text": "  ", "html": "<p>x</p>"}, "html", "<p>x</p>"),
    ({"text": "b", "title": {"nested": "dict"}}, "title", None),
    ({"text": "b", "date_publish": "2017-07-17 17:03:00", "date": ""}, "date_raw", "2017-07-17 17:03:00"),
])
def test_default_fields(record, key, value):
    assert record_to_source(record, "d.jsonl", "jsonl", 1)[key] == value


def test_field_map_overrides_defaults():
    mapping = parse_field_map("title=headline, text=story|body.main ,date=meta.when")
    record = {"title": "ignored", "headline": "H", "body": {"main": "Text"}, "meta": {"when": "2020-01-02"}}
    src = record_to_source(record, "d.jsonl", "jsonl", 1, mapping)
    assert (src["title"], src["text"], src["date_raw"]) == ("H", "Text", "2020-01-02")


@pytest.mark.parametrize("spec", ["title", "nosuch=x", "title=", "=x"])
def test_bad_field_map(spec):
    with pytest.raises(ValueError, match="--field_map"):
        parse_field_map(spec)


@pytest.mark.parametrize("record", [{"title": "only a title"}, {}, {"text": 5}, [1, 2], "text", None])
def test_record_without_text(record):
    with pytest.raises(MissingText) as caught:
        record_to_source(record, "d.jsonl", "jsonl", 4)
    assert "d.jsonl" in str(caught.value) and "line 4" in str(caught.value)

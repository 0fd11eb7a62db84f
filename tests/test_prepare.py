from datetime import date

import pytest

from tests.conftest import USER_SEED as SEED
from transforms.prepare import prepare
from transforms.source import BinaryInput, EmptyInput, NoBody, TooLarge, dead_letter, source

CRAWL = date(2026, 1, 1)


def text_source(raw: bytes, uri: str = "mem://a.txt") -> dict:
    return source(uri, "text", raw=raw)


def test_seed_fields():
    article = prepare(text_source(SEED.read_bytes(), str(SEED)), CRAWL)
    assert article["title"] == "U.S. pursues balanced trade as talks with Japan advance"
    assert (article["dateline"], article["dateline_place"]) == ("WASHINGTON", "Washington")
    assert (article["section"], article["section_raw"], article["section_source"]) == ("business", "Business", "footer")
    assert (article["published_date"], article["date_source"]) == (date(2017, 10, 17), "footer")
    assert article["body"].startswith("President Donald Trump's administration")
    assert "Business on 10/17/2017" not in article["body"] and "Upcoming Events" not in article["body"]
    assert article["body"].count('"') == 4  # every quotation mark kept


def test_ids_are_deterministic_and_content_based():
    first, again = (prepare(text_source(SEED.read_bytes(), "x.txt"), CRAWL) for _ in range(2))
    elsewhere = prepare(text_source(SEED.read_bytes(), "y.txt"), CRAWL)
    assert first["article_id"] == again["article_id"] != elsewhere["article_id"]
    assert first["content_hash"] == elsewhere["content_hash"]


def test_structured_source_keeps_given_title_and_metadata():
    src = source("dump.jsonl", "jsonl", source_position=3, text="WASHINGTON -- Body text here.",
                 title="Given title", date_raw="2017-10-16T22:00:00-04:00", section_raw="Economy")
    article = prepare(src, CRAWL)
    assert (article["title"], article["dateline"], article["body"]) == ("Given title", "WASHINGTON", "Body text here.")
    assert (article["published_date"], article["date_source"]) == (date(2017, 10, 16), "metadata")
    assert article["published_at"].isoformat() == "2017-10-17T02:00:00+00:00"
    assert article["section_source"] == "metadata"


def test_mojibake_in_structured_fields_is_repaired():
    src = source("dump.jsonl", "jsonl", source_position=1, title="Donâ€™t panic", text="Traders said: â€œwe are fine.â€")
    article = prepare(src, CRAWL)
    assert (article["title"], article["body"]) == ("Don’t panic", "Traders said: “we are fine.”")


def test_body_longer_than_the_nlp_stage_takes_is_refused():
    src = text_source(b"Title\n\n" + b"word " * 210_000)
    with pytest.raises(TooLarge) as caught:
        prepare(src, CRAWL, max_article_bytes=2_000_000)
    assert caught.value.stage == "layout" and "1,000,000" in str(caught.value)


def test_future_footer_date_is_refused():
    article = prepare(text_source(b"Title\n\nBody.\n\nBusiness on 10/17/2099"), CRAWL)
    assert article["published_date"] is None and article["date_source"] is None


@pytest.mark.parametrize(
    "raw, error, stage",
    [
        (b"", EmptyInput, "decode"),
        (b"\x00\x01\x02\x03" * 40, BinaryInput, "decode"),
        (b"Only a headline\n\nUpcoming Events", NoBody, "layout"),
        (b"x" * 201, TooLarge, "decode"),
    ],
)
def test_refused_inputs_name_their_stage(raw, error, stage):
    src = text_source(raw)
    with pytest.raises(error) as caught:
        prepare(src, CRAWL, max_article_bytes=200)
    letter = dead_letter(src, "prepare", caught.value)
    assert (letter["stage"], letter["error_class"], letter["source_uri"]) == (stage, error.__name__, "mem://a.txt")
    assert letter["raw_size"] == len(raw) and len(letter["raw_excerpt"]) <= 1000
    assert letter["message"].startswith("mem://a.txt: ")  # every message names its file


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "feed", "html"])
def test_untitled_record_keeps_its_lead(fmt):
    """Only the text layouts take the title from the text; an untitled record keeps every word."""
    lead = "WASHINGTON -- The Senate passed the bill on Tuesday after a long debate."
    src = source("dump", fmt, source_position=1, text=f"{lead}\n\nSenators then went home.")
    article = prepare(src, CRAWL)
    assert article["title"] is None and article["dateline"] == "WASHINGTON"
    assert article["body"] == "The Senate passed the bill on Tuesday after a long debate.\n\nSenators then went home."


def test_text_file_takes_its_title_from_the_first_line():
    article = prepare(text_source(b"Senate passes bill\n\nThe Senate passed the bill on Tuesday."), CRAWL)
    assert (article["title"], article["body"]) == ("Senate passes bill", "The Senate passed the bill on Tuesday.")

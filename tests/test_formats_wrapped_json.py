"""JSON files that wrap their articles: API responses (webhose, NewsAPI, NYT, Guardian) and exports."""
import json

import pytest

from tests.formats_helpers import run
from transforms.formats.json_array import read_json
from transforms.formats.records_path import parse_records_path


def webhose_post(n: int) -> dict:
    return {"thread": {"uuid": f"t{n}", "url": f"https://news.example/business/{n}", "site": "news.example",
                       "section_title": "Business", "published": f"2021-03-{n % 28 + 1:02d}T09:00:00.000+02:00"},
            "uuid": f"p{n}", "url": f"https://news.example/business/{n}", "author": "Jane Doe",
            "published": f"2021-03-{n % 28 + 1:02d}T09:00:00.000+02:00", "title": f"Story {n}",
            "text": f"Shares of company {n} rose on Monday, traders said.", "language": "english",
            "entities": {"persons": [], "organizations": []}, "crawled": "2021-03-29T10:00:00.000+03:00"}


def webhose_pages(pages: int = 4, per_page: int = 25) -> bytes:
    """A saved webhose.io API response: an array of pages, each holding its ``posts``."""
    return json.dumps([{"posts": [webhose_post(page * per_page + n) for n in range(per_page)],
                        "totalResults": pages * per_page, "moreResultsAvailable": pages - page - 1,
                        "next": f"/filterWebContent?token=x&from={(page + 1) * per_page}", "requestsLeft": 999}
                       for page in range(pages)], indent=1).encode()


def test_webhose_pages_give_every_post_with_its_date():
    sources, dead, _ = run(read_json, webhose_pages(), "webhose.json")
    assert dead == [] and len(sources) == 100
    assert [s["source_position"] for s in sources] == list(range(100))
    first = sources[0]
    assert (first["title"], first["date_raw"], first["source_id"], first["section_raw"]) == (
        "Story 0", "2021-03-01T09:00:00.000+02:00", "p0", "Business")


def test_newsapi_response():
    data = json.dumps({"status": "ok", "totalResults": 2, "articles": [
        {"source": {"id": None, "name": "Example Times"}, "author": "John Roe", "title": "Rates held",
         "description": "The central bank held rates.", "url": "https://times.example/a",
         "publishedAt": "2024-05-01T12:30:00Z", "content": "The central bank held rates on Wednesday… [+2100 chars]"},
        {"source": {"id": None, "name": "Example Times"}, "author": None, "title": "Only a description",
         "description": "Markets were calm.", "url": "https://times.example/b", "publishedAt": "2024-05-02T08:00:00Z",
         "content": None}]}).encode()
    sources, dead, _ = run(read_json, data, "newsapi.json")
    assert dead == [] and [(s["title"], s["date_raw"], s["source_position"]) for s in sources] == [
        ("Rates held", "2024-05-01T12:30:00Z", 0), ("Only a description", "2024-05-02T08:00:00Z", 1)]
    assert sources[0]["text"].startswith("The central bank held rates on") and sources[1]["text"] == "Markets were calm."
    assert sources[0]["authors"] == ["John Roe"]


def test_nyt_response_docs():
    data = json.dumps({"status": "OK", "copyright": "c", "response": {"meta": {"hits": 1}, "docs": [
        {"_id": "nyt://article/1", "web_url": "https://www.nytimes.com/2020/01/02/us/politics/x.html",
         "abstract": "Short.", "lead_paragraph": "WASHINGTON -- The House voted on Thursday.",
         "headline": {"main": "House votes", "kicker": None}, "pub_date": "2020-01-02T23:10:05+0000",
         "section_name": "U.S.", "byline": {"original": "By Jane Doe and John Roe", "person": []}}]}}).encode()
    sources, dead, _ = run(read_json, data, "nyt.json")
    assert dead == [] and len(sources) == 1
    src = sources[0]
    assert (src["title"], src["text"], src["date_raw"], src["url"], src["section_raw"], src["source_id"]) == (
        "House votes", "WASHINGTON -- The House voted on Thursday.", "2020-01-02T23:10:05+0000",
        "https://www.nytimes.com/2020/01/02/us/politics/x.html", "U.S.", "nyt://article/1")
    assert src["authors"] == ["By Jane Doe and John Roe"]


def test_elasticsearch_export_reads_each_hit_source():
    data = json.dumps({"took": 3, "hits": {"total": {"value": 2}, "hits": [
        {"_index": "news", "_id": "e1", "_source": {"headline": "One", "body": "First body.", "date": "2019-01-01"}},
        {"_index": "news", "_id": "e2", "_source": {"headline": "Two", "body": "Second body.", "date": "2019-01-02"}}]}}).encode()
    sources, dead, _ = run(read_json, data, "es.json")
    assert dead == [] and [(s["source_id"], s["title"], s["text"]) for s in sources] == [
        ("e1", "One", "First body."), ("e2", "Two", "Second body.")]


def test_explicit_records_path():
    data = json.dumps({"meta": {"n": 1}, "payload": {"stories": [{"title": "T", "text": "Body."}]}}).encode()
    sources, dead, _ = run(read_json, data, "x.json", records_path="payload.stories")
    assert dead == [] and [s["title"] for s in sources] == ["T"]


def test_array_after_other_members_and_bad_records_in_it():
    data = b'{"status": "ok", "articles": [{"title": "a", "text": "A."}, {"title": "no text"}, {bad}, {"text": "C."}], "n": 4}'
    sources, dead, _ = run(read_json, data, "x.json")
    assert [s["source_position"] for s in sources] == [0, 3]
    assert [(d["source_position"], d["error_class"]) for d in dead] == [(1, "MissingText"), (2, "MalformedInput")]


def test_object_without_an_article_array_says_where_it_looked():
    data = json.dumps({"status": "ok", "totalResults": 0, "stories": [{"title": "t", "text": "b"}]}).encode()
    sources, dead, _ = run(read_json, data, "x.json")
    assert sources == [] and [d["error_class"] for d in dead] == ["MissingText"]
    message = dead[0]["message"]
    assert "no array of records was found under posts, articles, data" in message and "--json_records_path" in message
    assert "x.json" in message


def test_page_without_posts_and_without_text_is_a_dead_letter():
    data = json.dumps([{"posts": [webhose_post(1)]}, {"status": "error", "message": "quota"}]).encode()
    sources, dead, _ = run(read_json, data, "x.json")
    assert len(sources) == 1 and [(d["source_position"], d["error_class"]) for d in dead] == [(1, "MissingText")]


def test_single_article_object_stays_one_article():
    data = json.dumps({"title": "T", "maintext": "Body.", "data": {"x": 1}, "items": ["a", "b"]}).encode()
    sources, dead, _ = run(read_json, data, "np.json")
    assert dead == [] and [(s["title"], s["source_position"]) for s in sources] == [("T", None)]


@pytest.mark.parametrize("spec", ["", "a..b", "a[]", "[].x", "a[].b[].c"])
def test_bad_records_path(spec):
    with pytest.raises(ValueError, match="--json_records_path"):
        parse_records_path(spec)


def test_records_path_round_trip():
    assert str(parse_records_path("hits.hits[]._source")) == "hits.hits[]._source"

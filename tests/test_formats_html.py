import datetime as dt
import json

import pytest

from transforms.formats import MalformedInput
from transforms.formats.html import decode_html, extract_html, extract_text, parse_page
from transforms.prepare import prepare
from transforms.source import BinaryInput, NoBody, source


def page_source(html, url=None, **given):
    return source("p.html", "html", html=html, url=url, **given)

PARAGRAPHS = "".join(f"<p>Paragraph {i} of the article tells readers about trade talks between the two nations.</p>"
                     for i in range(6))
PAGE = f"""<!DOCTYPE html><html lang="en-US"><head><title>Trade talks advance | Example News</title>
<meta property="article:published_time" content="2017-10-17T22:30:00-04:00">
<meta property="article:section" content="Economy &amp; Business">
<meta name="author" content="Jane Doe">
<script type="application/ld+json">{json.dumps({"@context": "https://schema.org", "@graph": [
    {"@type": "NewsArticle", "headline": "Trade talks advance", "datePublished": "2017-10-17T22:30:00-04:00",
     "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"}],
     "articleSection": "Business"},
    {"@type": "BreadcrumbList", "itemListElement": [{"name": "Home"}, {"item": {"name": "Business"}}]}]})}</script>
</head><body><nav><a href="/">Home</a><a href="/sport">Sport</a></nav>
<article><h1>Trade talks advance</h1><time datetime="2017-10-16">Oct 16</time>{PARAGRAPHS}</article>
<footer>Copyright Example News</footer></body></html>"""


def test_parse_page_metadata():
    page = parse_page(PAGE, "https://example.com/business/2017/10/15/trade-talks.html")
    assert "Paragraph 5 of the article" in page["text"] and "Copyright" not in page["text"]
    assert page["title"] == "Trade talks advance"
    assert page["authors"] == ["Jane Doe", "John Roe"]
    assert page["language"] == "en-us"
    assert page["date_candidates"][:2] == [("metadata", "2017-10-17T22:30:00-04:00")] * 2
    assert page["section_candidates"] == [("metadata", "Business"), ("metadata", "Economy & Business"),
                                          ("breadcrumb", "Home > Business")]


def test_extract_html_keeps_the_local_date_and_zone():
    src = extract_html(page_source(PAGE, "https://example.com/x"), dt.date(2020, 1, 1))
    assert (src["date_raw"], src["section_raw"], src["title"]) == ("2017-10-17T22:30:00-04:00", "Business", "Trade talks advance")
    assert src["authors"] == ["Jane Doe", "John Roe"] and "Paragraph 3" in src["text"]


def test_fields_the_input_gives_win_over_the_page():
    src = extract_html(page_source(PAGE, title="Given", date_raw="2017-01-01", authors=["A B"]), dt.date(2020, 1, 1))
    assert (src["title"], src["date_raw"], src["authors"], src["section_raw"]) == ("Given", "2017-01-01", ["A B"], "Business")


def test_metadata_dates_after_the_crawl_are_skipped():
    src = extract_html(page_source(PAGE), dt.date(2017, 10, 16))
    assert src["date_raw"] != "2017-10-17T22:30:00-04:00"
    assert src["date_raw"] is None  # every date on the page is after the crawl


def test_page_without_metadata():
    src = extract_html(page_source(f"<html><body><article>{PARAGRAPHS}</article></body></html>"), dt.date(2020, 1, 1))
    assert (src["title"], src["date_raw"], src["section_raw"], src["authors"]) == (None, None, None, [])


@pytest.mark.parametrize("html, error", [
    ("<html><body><nav><a href='/'>Home</a></nav></body></html>", NoBody),
    ("", MalformedInput),
    ("   ", MalformedInput),
])
def test_pages_without_article(html, error):
    with pytest.raises(error, match="^p.html: "):
        extract_html(page_source(html), dt.date(2020, 1, 1))


@pytest.mark.parametrize("data, declared, text", [
    ("<p>café</p>".encode(), None, "<p>café</p>"),
    ("<p>café</p>".encode("cp1252"), None, "<p>café</p>"),
    ('<meta charset="iso-8859-1"><p>café</p>'.encode("latin-1"), None, '<meta charset="iso-8859-1"><p>café</p>'),
    ("<p>café</p>".encode("latin-1"), "latin-1", "<p>café</p>"),
    ("<p>café</p>".encode(), "no-such-charset", "<p>café</p>"),
])
def test_decode_html(data, declared, text):
    assert decode_html(data, "p.html", declared) == text


def test_decode_html_rejects_binary():
    with pytest.raises(BinaryInput, match="p.html"):
        decode_html(b"\x89PNG\r\n\x1a\n\x00\x00", "p.html")


def test_htmldate_dev_pages(devdata):
    """The metadata > url > <time> order finds the gold day on the htmldate sample."""
    rows = [json.loads(line) for line in (devdata / "html/htmldate_dev.jsonl").open(encoding="utf-8")]
    hits = 0
    for row in rows[:10]:
        html = (devdata / row["html_file"]).read_text("utf-8", errors="replace")
        src = extract_html(page_source(html, row["url"]), dt.date(2021, 1, 1))
        hits += bool(src["date_raw"]) and src["date_raw"][:10] == row["date"]
    assert hits >= 9


def test_boilerplate_link_titles_and_teasers_are_dropped():
    extra = ("<p>Copyright ©2019 Example Inc. All Rights Reserved</p><p>Write to Jane Doe at jane@example.com</p>"
             "<p>Milan Design Week 2018 | FLOS pays tribute</p>"
             "<p>Another story starts here and goes on about something else entirely …</p>")
    text = extract_html(page_source(PAGE.replace("</article>", extra + "</article>")), dt.date(2020, 1, 1))["text"]
    assert "Paragraph 5" in text
    for gone in ("Copyright", "Write to Jane", "Milan Design Week", "Another story"):
        assert gone not in text


SINCE_2019 = "".join(f"<p>Mayor Carter has led the city since 2019 and backs plan {i} for more buses on every route.</p>"
                     for i in range(6))


@pytest.mark.parametrize("html, url, day, date_source", [
    (f"<html><body><article>{SINCE_2019}</article></body></html>", None, None, None),
    (f"<html><body><article>{SINCE_2019}</article></body></html>", "https://ex.com/2020/01/02/a.html", "2020-01-02", "url"),
    (f"<html><head><meta property='article:published_time' content='2018-03-04'></head><body><article>{SINCE_2019}"
     "</article></body></html>", "https://ex.com/2020/01/02/a.html", "2018-03-04", "metadata"),
    (f"<html><body><article><time datetime='2018-05-06T10:00:00Z'>May 6</time>{SINCE_2019}</article></body></html>",
     None, "2018-05-06", "metadata"),
])
def test_date_source_is_where_the_date_came_from(html, url, day, date_source):
    """A bare year in the text is no date; a date only the URL holds is labelled url."""
    article = prepare(extract_html(page_source(html, url), dt.date(2021, 1, 1)), dt.date(2021, 1, 1))
    assert (article["published_date"] and str(article["published_date"]), article["date_source"]) == (day, date_source)


@pytest.mark.parametrize("head, given, url", [
    ("<link rel='canonical' href='https://ex.com/business/2017/10/17/x.html'>", None, "https://ex.com/business/2017/10/17/x.html"),
    ("<meta property='og:url' content='https://ex.com/business/2017/10/17/x.html'>", None, "https://ex.com/business/2017/10/17/x.html"),
    ("<link rel='Canonical' href='https://ex.com/business/2017/10/17/x.html'><meta property='og:url' content='https://ex.com/o'>",
     None, "https://ex.com/business/2017/10/17/x.html"),
    ("<link rel='canonical' href='/business/2017/10/17/x.html'>", None, None),  # relative: not the page's URL
    ("<link rel='canonical' href='https://ex.com/sport/2016/01/02/y.html'>", "https://ex.com/business/2017/10/17/x.html",
     "https://ex.com/business/2017/10/17/x.html"),  # the input's URL wins
])
def test_page_url_from_canonical_or_og_url(head, given, url):
    html = f"<html><head>{head}</head><body><article>{PARAGRAPHS}</article></body></html>"
    article = prepare(extract_html(page_source(html, given), dt.date(2021, 1, 1)), dt.date(2021, 1, 1))
    assert article["url"] == url
    if url:
        assert (article["section"], article["section_source"]) == ("business", "url")
        assert (str(article["published_date"]), article["date_source"]) == ("2017-10-17", "url")


def _day_and_source(html, url=None):
    article = prepare(extract_html(page_source(html, url), dt.date(2021, 1, 1)), dt.date(2021, 1, 1))
    return article["published_date"] and str(article["published_date"]), article["date_source"]


def test_a_date_htmldate_reads_from_visible_text_is_labelled_text():
    html = (f"<html><body><article><h1>Plan</h1><p class='date'>Published March 4, 2018</p>{SINCE_2019}</article></body></html>")
    assert _day_and_source(html) == ("2018-03-04", "text")
    # with a date in the URL, the URL is trusted more than a date read from the text
    assert _day_and_source(html, "https://ex.com/2018/03/05/plan.html") == ("2018-03-05", "url")


@pytest.mark.parametrize("widget", [
    "<header class='site-header'><span class='date'>Friday, 8 January 2021</span></header>",
    "<div id='today-date'><span class='date'>January 8, 2021</span></div>",
    "<div class='calendar'><time datetime='2021-01-08'>Jan 8</time></div>",
])
def test_site_header_and_today_widgets_are_not_the_article_date(widget):
    html = (f"<html><body>{widget}<article><header><time datetime='2018-03-04T10:00:00+01:00'>4 March 2018</time></header>"
            f"{SINCE_2019}</article></body></html>")
    assert _day_and_source(html) == ("2018-03-04", "metadata")


def test_utc_labelled_json_ld_time_gives_way_to_a_meta_tag_with_its_offset():
    ld = json.dumps({"@type": "NewsArticle", "datePublished": "2020-03-06T03:30:00Z"})
    html = (f"<html><head><script type='application/ld+json'>{ld}</script>"
            "<meta property='article:published_time' content='2020-03-05T22:30:00-05:00'></head>"
            f"<body><article>{SINCE_2019}</article></body></html>")
    article = prepare(extract_html(page_source(html), dt.date(2021, 1, 1)), dt.date(2021, 1, 1))
    assert (str(article["published_date"]), article["published_at"].isoformat()) == ("2020-03-05", "2020-03-06T03:30:00+00:00")
    far = html.replace("2020-03-05T22:30:00-05:00", "2020-02-01T22:30:00-05:00")  # not the same time: JSON-LD stays
    assert _day_and_source(far) == ("2020-03-06", "metadata")


def test_table_rows_stay_in_the_body():
    html = ("<html><body><article><h1>League table</h1>"
            "<p>The home side won the derby on Saturday, moving up to second place in the league table after a hard-fought match.</p>"
            "<p>Here are the standings after the weekend games played across the country this week.</p>"
            "<table><tr><th>Team</th><th>Played</th><th>Points</th></tr><tr><td>Rovers</td><td>10</td><td>25</td></tr>"
            "<tr><td>United</td><td>10</td><td>22</td></tr></table>"
            "<p>The next round is played on Wednesday evening, with the leaders away from home.</p></article></body></html>")
    body = prepare(extract_html(page_source(html), dt.date(2021, 1, 1)), dt.date(2021, 1, 1))["body"]
    assert "Rovers \u2502 10 \u2502 25" in body and "United \u2502 10 \u2502 22" in body and "---" not in body
    link_titles = extract_text(f"<html><body><article>{SINCE_2019}<p>Milan Design Week 2018 | FLOS pays tribute</p></article></body></html>")
    assert "FLOS pays tribute" not in link_titles  # a list of link titles still leaves

"""RSS 2.0 and Atom feeds: one article per item or entry, parsed safely."""
import datetime

import pytest

from tests.formats_helpers import run
from transforms.formats.feeds import read_feed
from transforms.formats.html import extract_html
from transforms.prepare import prepare

CRAWL = datetime.date(2026, 1, 1)
PARAGRAPHS = ("<p>The city council approved the new transit budget on Tuesday after a long debate, officials said.</p>"
              "<p>&quot;We will act now,&quot; Mayor Michael Carter told reporters at City Hall.</p>")
RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>City News</title><link>https://city.example/</link><language>en-us</language>
  <item>
    <title>Council approves transit budget</title>
    <link>https://city.example/politics/2020/01/14/budget</link>
    <guid isPermaLink="false">city-1234</guid>
    <pubDate>Tue, 14 Jan 2020 18:30:00 -0500</pubDate>
    <category>Politics</category>
    <dc:creator>Jane Doe</dc:creator>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[{PARAGRAPHS}]]></content:encoded>
  </item>
  <item>
    <title>Second story</title>
    <link>https://city.example/b</link>
    <author>john@city.example (John Roe)</author>
    <pubDate>Wed, 15 Jan 2020 08:00:00 GMT</pubDate>
    <description>The harbor reopened to ships on Wednesday after two weeks of repairs, the port authority said.</description>
  </item>
  <item><title>No content at all</title><link>https://city.example/c</link></item>
</channel>
</rss>""".encode()
ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Port News</title><id>urn:port</id><updated>2021-06-02T10:00:00Z</updated>
  <entry>
    <title>Harbor reopens</title>
    <link rel="alternate" href="https://port.example/2021/06/01/harbor"/>
    <link rel="enclosure" href="https://port.example/photo.jpg"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <published>2021-06-01T23:30:00+02:00</published>
    <updated>2021-06-02T09:00:00Z</updated>
    <author><name>Ann Smith</name></author>
    <category term="business" label="Business"/>
    <summary>Teaser.</summary>
    <content type="html">{PARAGRAPHS.replace("&quot;", '"').replace("&", "&amp;").replace("<", "&lt;")}</content>
  </entry>
  <entry>
    <title>Inline markup</title><id>urn:2</id><updated>2021-06-02T09:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">{PARAGRAPHS.replace("&quot;", '"')}</div></content>
  </entry>
</feed>""".encode()


def test_rss_items():
    sources, dead, _ = run(read_feed, RSS, "city.rss")
    assert [s["source_position"] for s in sources] == [0, 1]
    first, second = sources
    assert (first["title"], first["url"], first["source_id"], first["date_raw"], first["section_raw"], first["authors"],
            first["language"], first["source_format"]) == (
        "Council approves transit budget", "https://city.example/politics/2020/01/14/budget", "city-1234",
        "Tue, 14 Jan 2020 18:30:00 -0500", "Politics", ["Jane Doe"], "en-us", "feed")
    assert first["html"] == PARAGRAPHS and first["text"] is None  # CDATA: the HTML as written
    assert second["text"].startswith("The harbor reopened") and second["authors"] == ["John Roe"]
    assert [(d["source_position"], d["error_class"]) for d in dead] == [(2, "MissingText")]
    assert "city.rss item 2" in dead[0]["message"]


def test_rss_item_becomes_an_article_through_html_extraction():
    src = run(read_feed, RSS, "city.rss")[0][0]
    article = prepare(extract_html(src, CRAWL), CRAWL)
    assert article["title"] == "Council approves transit budget"
    assert article["body"] == ("The city council approved the new transit budget on Tuesday after a long debate, officials said."
                               '\n\n"We will act now," Mayor Michael Carter told reporters at City Hall.')
    assert (str(article["published_date"]), article["date_source"], article["section"]) == ("2020-01-14", "metadata", "politics")
    assert article["published_at"].isoformat() == "2020-01-14T23:30:00+00:00"


def test_atom_entries():
    sources, dead, _ = run(read_feed, ATOM, "port.atom")
    assert dead == [] and len(sources) == 2
    first, second = sources
    assert (first["title"], first["url"], first["source_id"], first["date_raw"], first["section_raw"], first["authors"],
            first["language"]) == (
        "Harbor reopens", "https://port.example/2021/06/01/harbor", "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a",
        "2021-06-01T23:30:00+02:00", "Business", ["Ann Smith"], "en")
    assert first["html"] == PARAGRAPHS.replace("&quot;", '"')
    assert "Mayor Michael Carter" in second["html"] and second["date_raw"] == "2021-06-02T09:00:00Z"


def test_entities_and_external_references_are_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b"<rss><channel><item><title>&b;</title><description>x</description></item></channel></rss>")
    external = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "http://127.0.0.1:9/secret">]>'
                b"<rss><channel><item><title>&x;</title><description>x</description></item></channel></rss>")
    for data in (bomb, external):
        sources, dead, _ = run(read_feed, data, "evil.xml")
        assert sources == [] and [d["error_class"] for d in dead] == ["MalformedInput"]
        assert "not read for safety" in dead[0]["message"]


@pytest.mark.parametrize("data, error_class, words", [
    (b'<?xml version="1.0"?><catalog><book><title>T</title></book></catalog>', "MalformedInput", "not an RSS or Atom feed"),
    (b'<rss version="2.0"><channel><title>Empty</title></channel></rss>', "EmptyInput", "no <item> or <entry>"),
    (b'<rss><channel><item><title>A &nbsp; B</title></item></channel></rss>', "MalformedInput", "not well-formed XML"),
    (b"", "MalformedInput", "not well-formed XML"),
])
def test_files_that_are_no_usable_feed(data, error_class, words):
    sources, dead, _ = run(read_feed, data, "x.xml")
    assert sources == [] and [d["error_class"] for d in dead] == [error_class] and words in dead[0]["message"]
    assert "x.xml" in dead[0]["message"]

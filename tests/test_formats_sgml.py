"""Multi-document SGML corpora: the real Reuters-21578 file and small TREC and Reuters files."""
import datetime

import pytest

from tests.formats_helpers import run
from transforms.formats.sgml import read_sgml
from transforms.prepare import prepare

CRAWL = datetime.date(2026, 1, 1)
REUTERS = b"""<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" NEWID="7">
<DATE> 5-MAR-1987 10:02:11.04</DATE>
<TOPICS><D>crude</D></TOPICS>
<TEXT>&#2;
<TITLE>TEXACO &lt;TX> RAISES CRUDE PRICES</TITLE>
<DATELINE>    NEW YORK, March 5 - </DATELINE><BODY>Texaco Inc said it raised the
contract price it pays for crude oil by 50 cts a barrel.
    The company said the increase was effective today.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" NEWID="8">
<DATE> 5-MAR-1987 10:03:00.00</DATE>
<TEXT TYPE="BRIEF">&#2;
******<TITLE>U.S. STOCKS OPEN HIGHER
</TITLE>
&#3;
</TEXT>
</REUTERS>
"""
TREC = b"""<DOC>
<DOCNO> AP880212-0001 </DOCNO>
<FILEID>AP-NR-02-12-88 2344EST</FILEID>
<HEADLINE>Reports Say Ships Collide</HEADLINE>
<BYLINE>By JANE DOE</BYLINE>
<DATE>02/12/1988</DATE>
<TEXT>
<P>   The freighter and the tanker collided off the coast on Friday, officials said. </P>
<P>   No one was hurt, the coast guard said. </P>
</TEXT>
</DOC>
<DOC>
<DOCNO> AP880212-0002 </DOCNO>
<HEADLINE>Empty story</HEADLINE>
<TEXT>  </TEXT>
</DOC>
"""


def test_reuters_21578_file(devdata):
    data = (devdata / "raw_formats/reuters21578/reut2-001.sgm").read_bytes()
    sources, dead, _ = run(read_sgml, data, "reut2-001.sgm", max_doc_bytes=1_000_000)
    assert len(sources) + len(dead) == 987
    assert len(sources) == 923 and all(s["title"] and s["date_raw"] for s in sources)
    assert {d["error_class"] for d in dead} == {"NoBody"}  # the 64 BRIEF stories: a headline only
    assert all("headline only" in d["message"] and "NEWID" in d["message"] for d in dead)
    first = prepare(sources[0], CRAWL)
    assert (first["title"], first["dateline"], first["source_id"], str(first["published_date"])) == (
        "SANDOZ PLANS WEEDKILLER JOINT VENTURE IN USSR", "BASLE", "1001", "1987-03-03")
    assert first["body"].startswith("Sandoz AG said it planned a joint venture to produce herbicides")
    assert "Reuter" not in first["body"] and "<" not in first["body"]


def test_small_reuters_file():
    sources, dead, _ = run(read_sgml, REUTERS, "x.sgm", max_doc_bytes=100_000)
    assert [(s["source_position"], s["source_id"], s["title"]) for s in sources] == [(0, "7", "TEXACO <TX> RAISES CRUDE PRICES")]
    article = prepare(sources[0], CRAWL)
    assert (article["dateline"], str(article["published_date"])) == ("NEW YORK", "1987-03-05")
    assert article["body"] == ("Texaco Inc said it raised the contract price it pays for crude oil by 50 cts a barrel."
                               "\n\nThe company said the increase was effective today.")
    assert [(d["source_position"], d["error_class"]) for d in dead] == [(1, "NoBody")]
    assert "x.sgm document 1 (NEWID 8)" in dead[0]["message"]


def test_trec_file():
    sources, dead, _ = run(read_sgml, TREC, "ap880212.txt", max_doc_bytes=100_000)
    assert len(sources) == 1 and [(d["source_position"], d["error_class"]) for d in dead] == [(1, "NoBody")]
    article = prepare(sources[0], CRAWL)
    assert (article["source_id"], article["title"], article["authors"], str(article["published_date"])) == (
        "AP880212-0001", "Reports Say Ships Collide", ["JANE DOE"], "1988-02-12")
    assert article["body"] == ("The freighter and the tanker collided off the coast on Friday, officials said."
                               "\n\nNo one was hurt, the coast guard said.")


@pytest.mark.parametrize("data, error_class, words", [
    (b"", "EmptyInput", "no <REUTERS> or <DOC> documents"),
    (b"<html><body>not a corpus</body></html>", "EmptyInput", "no <REUTERS> or <DOC> documents"),
    (TREC[:120], "MalformedInput", "truncated"),
])
def test_files_without_documents(data, error_class, words):
    sources, dead, _ = run(read_sgml, data, "x.sgm", max_doc_bytes=100_000)
    assert sources == [] and [d["error_class"] for d in dead] == [error_class] and words in dead[0]["message"]


def test_oversized_document_is_skipped():
    big = b"<DOC><DOCNO>B</DOCNO><TEXT>" + b"word " * 50_000 + b"</TEXT></DOC>\n"
    sources, dead, _ = run(read_sgml, big + TREC, "x.sgm", max_doc_bytes=100_000)
    assert [s["source_id"] for s in sources] == ["AP880212-0001"]
    assert [(d["source_position"], d["error_class"]) for d in dead] == [(0, "TooLarge"), (2, "NoBody")]


def test_oversized_document_across_many_chunks_is_skipped_in_bounded_memory():
    big = b"<DOC><DOCNO>B</DOCNO><TEXT>" + b"word " * 400_000 + b"</TEXT></DOC>\n"
    sources, dead, _ = run(read_sgml, big + TREC, "x.sgm", max_doc_bytes=100_000)
    assert [s["source_id"] for s in sources] == ["AP880212-0001"]
    assert [(d["source_position"], d["error_class"]) for d in dead] == [(0, "TooLarge"), (2, "NoBody")]

"""CSV and TSV exports: one article per row (RFC 4180 quoting, BOM, sniffed delimiter)."""
import csv
import io

import pytest

from tests.formats_helpers import run
from transforms.formats.csv_table import read_table
from transforms.formats.fields import parse_field_map
from transforms.formats.reader import ReadSettings, read_items

# The shape of Kaggle's "All the news" export: a header row, quoted cells with commas, quotes and newlines.
ALL_THE_NEWS = (
    '\ufeff,id,title,publication,author,date,year,month,url,content\r\n'
    '0,17283,"House Republicans Fret About Winning Their Health Care Suit",New York Times,Carl Hulse,2016-12-31,2016.0,12.0,,'
    '"WASHINGTON — Congressional Republicans have a new fear, ""a win"" in court.\r\n\r\n'
    'The suit, filed in 2014, challenges payments.",\r\n'
    '1,17284,"Rift Between Officers and Residents",New York Times,"Benjamin Mueller, Al Baker",2017-06-19,2017.0,6.0,,'
    '"After the bullet shells get counted, the blood dries."\r\n'
)


def test_all_the_news_export():
    sources, dead, _ = run(read_table, ALL_THE_NEWS.encode(), "articles1.csv")
    assert dead == [] and [s["source_position"] for s in sources] == [1, 2]
    first = sources[0]
    assert (first["title"], first["source_id"], first["date_raw"], first["authors"], first["source_format"]) == (
        "House Republicans Fret About Winning Their Health Care Suit", "17283", "2016-12-31", ["Carl Hulse"], "csv")
    assert first["text"] == ('WASHINGTON — Congressional Republicans have a new fear, "a win" in court.\r\n\r\n'
                             "The suit, filed in 2014, challenges payments.")
    assert sources[1]["authors"] == ["Benjamin Mueller, Al Baker"]


def test_semicolon_delimiter_is_sniffed_and_cp1252_cells_repaired():
    data = "Titel;Text;Datum\nCafé;Der Stadtrat tagte am Montag;2020-03-02\n".encode("cp1252")
    sources, dead, _ = run(read_table, data, "export.csv", field_map=parse_field_map("title=Titel,text=Text,date=Datum"))
    assert dead == [] and [(s["title"], s["text"], s["date_raw"]) for s in sources] == [
        ("Café", "Der Stadtrat tagte am Montag", "2020-03-02")]


def test_tsv():
    data = b"headline\tbody\tcategory\nA, b\tText with, commas\tSports\n"
    sources, dead, _ = run(read_table, data, "x.tsv", fmt="tsv")
    assert dead == [] and [(s["title"], s["text"], s["section_raw"], s["source_format"]) for s in sources] == [
        ("A, b", "Text with, commas", "Sports", "tsv")]


def test_no_text_column_is_one_dead_letter_and_no_article():
    sources, dead, _ = run(read_table, b"date,price,volume\n2020-01-02,10.5,300\n2020-01-03,10.7,200\n", "prices.csv")
    assert sources == [] and [(d["error_class"], d["source_position"]) for d in dead] == [("MissingText", None)]
    assert "no text column among text, body" in dead[0]["message"] and "date, price, volume" in dead[0]["message"]
    assert "prices.csv" in dead[0]["message"]


def test_bad_rows_are_dead_letters_and_reading_goes_on():
    data = b"title,text\nA,Body A.\nB,\nC,Body C.,extra\n\nD,Body D.\n"
    sources, dead, _ = run(read_table, data, "x.csv")
    assert [(s["source_position"], s["title"]) for s in sources] == [(1, "A"), (4, "D")]
    assert [(d["source_position"], d["error_class"]) for d in dead] == [(2, "MissingText"), (3, "MalformedInput")]
    assert "x.csv row 3" in dead[1]["message"]


def test_huge_cell_or_unclosed_quote_ends_the_file_with_a_dead_letter():
    data = b'title,text\nA,Body A.\nB,"never closed\n' + b"word " * 1000 + b"\nC,Body C.\n"
    sources, dead, _ = run(read_table, data, "x.csv", max_cell_bytes=2000)
    assert [s["title"] for s in sources] == ["A"]
    assert [(d["source_position"], d["error_class"]) for d in dead] == [(2, "TooLarge")]
    assert "--max_line_bytes" in dead[0]["message"]


@pytest.mark.parametrize("data, error_class", [(b"", "EmptyInput"), (b"\n\n", "EmptyInput"), (b"title,text\x00\n", "BinaryInput")])
def test_unusable_tables(data, error_class):
    sources, dead, _ = run(read_table, data, "x.csv")
    assert sources == [] and [d["error_class"] for d in dead] == [error_class]


def test_a_table_larger_than_the_article_cap_is_read_row_by_row():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "text"])
    writer.writerows([f"Story {n}", "The council met on Monday. " * 20] for n in range(200))
    stream = io.BufferedReader(io.BytesIO(out.getvalue().encode()))
    items = list(read_items("csv", stream, "big.csv", ReadSettings(max_article_bytes=10_000)))
    assert len(items) == 200 and {kind for kind, _ in items} == {"source"}


def test_overlong_line_is_not_held_in_memory():
    data = b"title,text\nA,Body A.\nB," + b"x" * 5000 + b"\nC,Body C.\n"
    sources, dead, _ = run(read_table, data, "x.csv", max_cell_bytes=2000)
    assert [s["title"] for s in sources] == ["A"]
    assert [(d["source_position"], d["error_class"]) for d in dead] == [(2, "TooLarge")]

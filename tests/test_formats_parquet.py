"""Parquet tables: one article per row, row group by row group, columns matched like JSON keys."""
import datetime
import io

import pyarrow as pa
import pyarrow.parquet as pq

from tests.formats_helpers import run
from transforms.formats.fields import parse_field_map
from transforms.formats.parquet import read_parquet


def parquet(table: pa.Table, row_group_size: int = 2) -> bytes:
    out = io.BytesIO()
    pq.write_table(table, out, row_group_size=row_group_size)
    return out.getvalue()


def news_table(rows: int = 5) -> pa.Table:
    return pa.table({
        "Title": [f"Story {n}" for n in range(rows)],
        "content": [f"The council met on day {n}, officials said." if n != 3 else None for n in range(rows)],
        "published_at": pa.array([datetime.datetime(2020, 1, n + 1, 12, 0, tzinfo=datetime.timezone.utc) for n in range(rows)],
                                 pa.timestamp("us", tz="UTC")),
        "section": [b"Business"] * rows,
        "embedding": [[0.1] * 8] * rows,  # a column no field names: not read
    })


def test_rows_across_row_groups():
    sources, dead, _ = run(read_parquet, parquet(news_table()), "news.parquet")
    assert [s["source_position"] for s in sources] == [0, 1, 2, 4]
    assert [(d["source_position"], d["error_class"]) for d in dead] == [(3, "MissingText")]
    first = sources[0]
    assert (first["title"], first["text"], first["date_raw"], first["section_raw"], first["source_format"]) == (
        "Story 0", "The council met on day 0, officials said.", "2020-01-01 12:00:00+00:00", "Business", "parquet")


def test_field_map_names_columns():
    table = pa.table({"hed": ["H"], "story": ["Body text."]})
    sources, dead, _ = run(read_parquet, parquet(table), "x.parquet", field_map=parse_field_map("title=hed,text=story"))
    assert dead == [] and [(s["title"], s["text"]) for s in sources] == [("H", "Body text.")]


def test_no_text_column_is_one_dead_letter():
    sources, dead, _ = run(read_parquet, parquet(pa.table({"price": [1.0, 2.0], "date": ["2020-01-01", "2020-01-02"]})), "p.parquet")
    assert sources == [] and [(d["error_class"], d["source_position"]) for d in dead] == [("MissingText", None)]
    assert "no text column among" in dead[0]["message"] and "price, date" in dead[0]["message"]


def test_not_a_parquet_file():
    sources, dead, _ = run(read_parquet, b"PAR1 this is not really parquet", "x.parquet")
    assert sources == [] and [d["error_class"] for d in dead] == ["MalformedInput"]
    assert "not a readable Parquet file" in dead[0]["message"] and "x.parquet" in dead[0]["message"]

"""Near-duplicate groups: the pure parts, then GroupNearDuplicates on real Beam runners (1 and 2 workers)."""
import subprocess
import sys
from datetime import date

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.util import assert_that, equal_to

from pipeline.near_duplicates import GroupNearDuplicates
from tests.conftest import LOCAL_RUNNER, ROOT
from tests.language_samples import SAMPLES
from transforms import near_duplicates as nd

WIRE = (
    "WASHINGTON (AP) The Senate voted 61 to 38 on Thursday to pass a bill that would expand broadband access in "
    "rural counties, sending the measure to the House, where its prospects are uncertain. The bill sets aside "
    "twelve billion dollars over five years for grants to local providers and requires the Federal "
    "Communications Commission to publish new maps of areas without service. Supporters said the pandemic had "
    "shown how many families still lack a reliable connection for school and work. Opponents argued that the "
    "grants would duplicate existing programs and that private companies were already building networks in "
    "many of the counties named in the bill. The White House said the president would sign the measure if it "
    "reached his desk in its current form."
)
TRIMMED = WIRE.rsplit(" The White House", 1)[0]
EXTENDED = WIRE + " Local officials in Iowa and Kansas welcomed the vote and said they hoped the House would act before the summer recess."
OTHER = " ".join(SAMPLES["en"])


def test_a_worker_imports_datasketch_only_for_near_duplicates():
    """datasketch imports scipy (0.19 s): a worker that unpickles the pipeline's DoFns must not pay it."""
    check = "import sys, pipeline.stages, pipeline.near_duplicates; print('datasketch' in sys.modules)"
    imported = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True)
    assert imported.stdout.strip() == "False"
    nd.signature(WIRE, 5)
    assert "datasketch" in sys.modules


def record(article_id: str, body: str, published: date | None) -> dict:
    return {"article_id": article_id, "body": body, "published_date": published}


RECORDS = [
    record("a3", WIRE, date(2024, 3, 7)),
    record("a1", TRIMMED, date(2024, 3, 8)),
    record("a2", EXTENDED, date(2024, 3, 7)),
    record("b1", OTHER, date(2024, 3, 1)),
    record("c1", "Short note.", None),
]
EXPECTED = [("a1", "a2", False), ("a2", "a2", True), ("a3", "a2", False), ("b1", "b1", True), ("c1", "c1", True)]


def test_copies_are_similar_and_others_are_not():
    sig = {r["article_id"]: nd.signature(r["body"], nd.DEFAULT_SHINGLE_WORDS) for r in RECORDS}
    assert nd.similarity(sig["a3"], sig["a1"]) >= nd.DEFAULT_THRESHOLD
    assert nd.similarity(sig["a3"], sig["a2"]) >= nd.DEFAULT_THRESHOLD
    assert nd.similarity(sig["a3"], sig["b1"]) < 0.1
    assert sig["a3"] == nd.signature(WIRE, nd.DEFAULT_SHINGLE_WORDS)  # same text, same signature


def test_copies_share_a_band_key():
    keys = {r["article_id"]: set(nd.band_keys(nd.signature(r["body"], 5), 0.5)) for r in RECORDS}
    assert keys["a3"] & keys["a1"] and keys["a3"] & keys["a2"] and not keys["a3"] & keys["b1"]


@pytest.mark.parametrize("threshold, bands", [(0.5, (25, 5)), (0.8, (11, 11))])
def test_bands_for(threshold, bands):
    assert nd.bands_for(threshold) == bands


def test_groups_are_components_with_the_earliest_as_representative():
    pairs = [(("2024-03-08", "x"), ("2024-03-09", "y")), (("2024-03-09", "y"), ("9999-99-99", "z")),
             (("2024-01-01", "p"), ("2024-01-01", "q"))]
    assert nd.groups(pairs) == {"x": ("x", True), "y": ("x", False), "z": ("x", False),
                                "p": ("p", True), "q": ("p", False)}


@pytest.mark.parametrize("workers", [1, 2])
def test_groups_on_beam_are_the_same_with_one_or_two_workers(workers):
    options = PipelineOptions(direct_num_workers=workers, direct_running_mode="multi_processing" if workers > 1 else "in_memory")
    with beam.Pipeline(runner=LOCAL_RUNNER, options=options) as pipeline:
        grouped = pipeline | beam.Create(RECORDS, reshuffle=True) | GroupNearDuplicates()
        assert_that(grouped | beam.Map(lambda r: (r["article_id"], r["copy_group"], r["is_group_representative"])),
                    equal_to(EXPECTED))


# the README's DuckDB examples
QUOTES_PER_SPEAKER_ONCE_PER_GROUP = """
    SELECT q.speaker, count(*) AS quotes
    FROM (SELECT unnest(quotes) AS q FROM read_avro($articles) WHERE is_group_representative)
    WHERE q.speaker IS NOT NULL
    GROUP BY ALL ORDER BY quotes DESC, q.speaker
"""
ARTICLES_PER_LANGUAGE = """
    SELECT language, language_source, count(*) AS articles
    FROM read_avro($articles) GROUP BY ALL ORDER BY articles DESC, language
"""


def test_cli_writes_copy_groups_that_the_warehouse_examples_count_once(tmp_path):
    import duckdb
    import fastavro

    from tests.conftest import run_cli
    from tests.test_warehouse import avro_extension
    inputs = tmp_path / "in"
    inputs.mkdir()
    quoted = ' "We will not wait for the House," Senator Maria Lopez said.'
    for name, title, body in [("wire", "Senate passes broadband bill", WIRE + quoted),
                              ("copy", "Rural broadband bill clears Senate", TRIMMED + quoted),
                              ("other", *SAMPLES["en"]), ("german", *SAMPLES["de"])]:
        (inputs / f"{name}.txt").write_text(f"{title}\n\n{body}\n")
    run_cli("--input", str(inputs), "--output", str(tmp_path / "out"), "--near_duplicates", check=True)
    found = {}
    for path in (tmp_path / "out" / "articles").glob("*.avro"):
        with path.open("rb") as handle:
            found.update({r["source_uri"].rsplit("/", 1)[-1]: r for r in fastavro.reader(handle)})
    assert found["wire.txt"]["copy_group"] == found["copy.txt"]["copy_group"] != found["other.txt"]["copy_group"]
    assert sum(r["is_group_representative"] for r in found.values()) == 3
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"LOAD '{avro_extension()}'")
    articles = {"articles": str(tmp_path / "out" / "articles" / "*.avro")}
    speakers = dict(con.execute(QUOTES_PER_SPEAKER_ONCE_PER_GROUP, articles).fetchall())
    assert speakers.get("Maria Lopez") == 1  # quoted in two copies of one story: counted once
    assert con.execute(ARTICLES_PER_LANGUAGE, articles).fetchall() == [("en", "detected", 3), ("de", "detected", 1)]


def test_gold_closure():
    from pipeline.evaluate.near_duplicates import closure
    assert closure({("a", "b"), ("b", "c"), ("x", "y")}) == {("a", "b"), ("a", "c"), ("b", "c"), ("x", "y")}

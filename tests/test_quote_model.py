"""The trained attribution model: it ships with the package, adds cues no list holds, and
trains from the PolNeAR train compartment with one command (never from dev)."""

import numpy as np
import pytest

from tests.quote_stubs import StubModel
from transforms.nlp import annotate_doc, load_attribution_model
from transforms.quotes import train
from transforms.quotes.cues import model_category, model_cues
from transforms.quotes.marks import quote_spans
from transforms.quotes.model import MODEL_FILE, MODEL_VERSION, AttributionModel, span_columns, window
from transforms.reporting_verbs import CHARACTERIZING_VERBS, CUE_NOUNS, REPORTING_VERBS, SPEECH_WORDS

MAX_MODEL_BYTES = 2_000_000  # the repository's checks flag files over 2 MB


@pytest.fixture(scope="module")
def attribution():
    return load_attribution_model()


def _summary(nlp, text, attribution=None):
    return [(q["kind"], q["category"], q["text"], q["speaker"], q["cue"]) for q in annotate_doc(nlp(text), text, attribution=attribution)["quotes"]]


def test_the_model_finds_a_cue_no_list_holds(nlp, attribution):
    text = "Donald Trump bragged that he would win Ohio easily."
    assert _summary(nlp, text) == []
    assert _summary(nlp, text, attribution) == [("indirect", "speech", "that he would win Ohio easily", "Donald Trump", "bragged")]


def test_the_rules_keep_what_they_find(nlp, attribution):
    text = '"We will act soon on trade," Mike Pence said on Monday.'
    assert _summary(nlp, text, attribution) == _summary(nlp, text)


def test_a_rule_cue_without_content_takes_the_taggers(nlp):
    """``told`` is a reporting verb whose object the rules do not report; when the tagger takes
    it for a cue, its content becomes the record's (a topic: an object, no clause)."""
    text = "Donald Trump told his supporters on Monday."
    assert _summary(nlp, text) == []
    stub = StubModel(cues=[(2, 2, 0.9)], spans={(2, 2): ((0, 1), (3, 6))})
    assert _summary(nlp, text, stub) == [("indirect", "topic", "his supporters on Monday", "Donald Trump", "told")]


def test_a_content_the_parse_ends_early_takes_the_taggers_outer_bounds(nlp):
    text = "Ted Cruz vowed to repeal the law - every word of it - on his first day."
    assert [q["text"] for q in annotate_doc(nlp(text), text)["quotes"]] == ["to repeal the law"]
    stub = StubModel(spans={(2, 2): ((0, 1), (3, 16))})
    assert [q["text"] for q in annotate_doc(nlp(text), text, attribution=stub)["quotes"]] == [
        "to repeal the law - every word of it - on his first day"]


def test_a_content_reaching_its_sentence_end_is_not_asked_again(nlp):
    text = "Bernie Sanders said the economy is rigged against workers."
    stub = StubModel(spans={(2, 2): (None, (3, 4))})
    assert _summary(nlp, text, stub) == _summary(nlp, text)
    assert stub.asked == []


def test_a_model_cue_of_function_words_only_is_no_cue(nlp):
    text = "Donald Trump is sure that he will win Ohio."
    doc = nlp(text)
    on_is = StubModel(cues=[(2, 2, 0.9)], spans={(2, 2): ((0, 1), (4, 8))})
    assert list(model_cues(doc, text, [], on_is)) == []
    on_sure = StubModel(cues=[(3, 3, 0.9)], spans={(3, 3): ((0, 1), (4, 8))})
    assert [text[c["content"][0]:c["content"][1]] for c in model_cues(doc, text, [], on_sure)] == ["that he will win Ohio"]


def test_a_model_cue_without_tagged_source_takes_the_subject(nlp):
    text = "Donald Trump bragged that he would win Ohio easily."
    stub = StubModel(cues=[(2, 2, 0.9)], spans={(2, 2): (None, (3, 9))})
    assert _summary(nlp, text, stub) == [("indirect", "speech", "that he would win Ohio easily", "Donald Trump", "bragged")]


@pytest.mark.parametrize("text,cue,category", [
    # a word of speech with a clause: reported words
    ("Donald Trump bragged that he would win Ohio easily.", "bragged", "speech"),
    # a word of speech with an object: a speech act known by its topic
    ("Bernie Sanders touted his plan to raise the minimum wage.", "touted", "topic"),
    # a subject outside the content does not make the content a clause
    ("The senator's criticism of the bill drew attention.", "criticism", "topic"),
    # thought or evidence
    ("Most voters fear that taxes will rise.", "fear", "belief"),
    # an attributed intention or stance, no word of speech
    ("Donald Trump sought the nomination for months.", "sought", "belief"),
])
def test_the_category_of_a_model_cue(nlp, text, cue, category):
    doc = nlp(text)
    i = [t.text for t in doc].index(cue)
    assert model_category(doc[i:i + 1], doc, (doc[i + 1].idx, doc[-2].idx + len(doc[-2]))) == category


def test_the_model_categorys_speech_words_are_beyond_the_rules_lists():
    """SPEECH_WORDS adds to the rules' words for the category; it repeats none of them."""
    assert SPEECH_WORDS and not SPEECH_WORDS & (REPORTING_VERBS | CHARACTERIZING_VERBS | CUE_NOUNS)


def test_the_model_file_is_small_versioned_and_holds_its_word_lists():
    path = train.OUTPUT / MODEL_FILE
    assert f"-v{MODEL_VERSION}." in MODEL_FILE and path.stat().st_size < MAX_MODEL_BYTES
    with np.load(path) as arrays:
        assert {"words", "reporting", "nouns", "belief", "cue_threshold", "content_threshold", "span_threshold"} <= set(arrays)


def test_the_span_taggers_split_first_layer_is_the_same_function(nlp, attribution):
    """Per-token parts once per Doc give the probabilities of the network over span_columns."""
    text = 'Bernie Sanders, who spoke in Ohio, said the economy is "rigged against workers" and would not change.'
    doc = nlp(text)
    features = attribution.features(doc, list(quote_spans(text)))
    tokens = attribution.span_scorer.tokens(features)
    for cue in range(len(doc)):
        start, end = window(features, cue, cue)
        expected = attribution.spans_net.probabilities(*span_columns(features, cue, cue, start, end))
        assert np.allclose(attribution.span_scorer.probabilities(features, tokens, cue, cue, start, end), expected, atol=1e-4)


def test_token_vectors_of_another_width_leave_the_rules_alone(nlp, attribution):
    text = "Donald Trump bragged that he would win Ohio easily. Mike Pence said the talks would resume."
    doc = nlp(text)
    doc.tensor = np.zeros((len(doc), 64), dtype=np.float32)  # another spaCy model's tok2vec
    assert [q["cue"] for q in annotate_doc(doc, text, attribution=attribution)["quotes"]] == ["said"]


def test_train_writes_the_same_model_twice(devdata, tmp_path):
    gold = tmp_path / "gold.jsonl"
    with open(devdata / "quotes" / "polnear_train_quotes.jsonl", encoding="utf-8") as handle:
        gold.write_text("".join(next(handle) for _ in range(3)), encoding="utf-8")
    for name in ("a", "b"):
        assert train.main(["--gold", str(gold), "--output", str(tmp_path / name)]) == 0
    AttributionModel(tmp_path / "a")
    with np.load(tmp_path / "a" / MODEL_FILE) as a, np.load(tmp_path / "b" / MODEL_FILE) as b:
        assert set(a) == set(b) and all(np.array_equal(a[k], b[k]) for k in a)


def test_train_refuses_dev(devdata, tmp_path, capsys):
    gold = tmp_path / "dev.jsonl"
    with open(devdata / "quotes" / "polnear_dev_quotes.jsonl", encoding="utf-8") as handle:
        gold.write_text(next(handle), encoding="utf-8")
    assert train.main(["--gold", str(gold), "--output", str(tmp_path / "model")]) == 2
    assert "never trained on dev" in capsys.readouterr().err
    assert not (tmp_path / "model").exists()


def test_train_names_a_missing_file(tmp_path, capsys):
    assert train.main(["--gold", str(tmp_path / "missing.jsonl")]) == 2
    assert "missing.jsonl not found" in capsys.readouterr().err

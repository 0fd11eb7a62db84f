"""The trained attribution model: it ships with the package, adds cues no list holds, and
trains from the PolNeAR train compartment with one command (never from dev)."""

import pytest

from transforms.nlp import annotate_doc, load_attribution_model
from transforms.quotes import train
from transforms.quotes.model import MODEL_FILE, AttributionModel


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


def test_train_writes_a_model_that_loads(devdata, tmp_path):
    gold = tmp_path / "gold.jsonl"
    with open(devdata / "quotes" / "polnear_train_quotes.jsonl", encoding="utf-8") as handle:
        gold.write_text("".join(next(handle) for _ in range(3)), encoding="utf-8")
    assert train.main(["--gold", str(gold), "--output", str(tmp_path / "model")]) == 0
    assert (tmp_path / "model" / MODEL_FILE).is_file()
    AttributionModel(tmp_path / "model")


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

"""Body offsets of a pipeline record mapped back onto the gold text (pure functions)."""
import pytest

from pipeline.evaluate.align import body_to_gold, map_item, map_records, map_span

GOLD = "Title.\n\nWASHINGTON -- Pence  said\nit would  fail.\n\nSecond\u00a0one.\n\nFooter on 01/02/2016"
BODY = "Pence said it would fail.\n\nSecond one."


@pytest.mark.parametrize("body_span,gold_text", [
    ((0, 5), "Pence"),                           # after a removed dateline
    ((6, 10), "said"),
    ((11, 24), "it would  fail"),                 # across a joined line break and a double space
    ((0, 25), "Pence  said\nit would  fail."),
    ((27, 38), "Second\u00a0one."),               # the second paragraph, non-breaking space
])
def test_spans_map_onto_the_gold_text(body_span, gold_text):
    span = map_span(body_to_gold(BODY, GOLD), *body_span)
    assert GOLD[span[0]:span[1]] == gold_text


@pytest.mark.parametrize("body,gold,span", [
    ("Not there.\n\nFound.", "Found.", (0, 4)),     # a paragraph missing from the gold
    ("One.\n\nTwo.", "One. Two.", (4, 6)),          # starts on the blank line between paragraphs
    ("One.", "One.", (2, 9)),                       # outside the body
    ("One.", "One.", (2, 2)),                       # empty
])
def test_unalignable_spans_give_none(body, gold, span):
    assert map_span(body_to_gold(body, gold), *span) is None


def test_paragraphs_are_found_in_order():
    gold = "Same words.\n\nOther.\n\nSame words."
    positions = body_to_gold("Other.\n\nSame words.", gold)
    assert map_span(positions, 8, 12) == (21, 25)


def test_map_item_moves_every_span_and_counts_the_unmapped():
    positions = body_to_gold(BODY, GOLD)
    quote = {"start_char": 11, "end_char": 24, "speaker_start_char": 0, "speaker_end_char": 5,
             "cue_start_char": 25, "cue_end_char": 27}
    mapped, dropped = map_item(quote, positions, ("", "speaker_", "cue_"))
    assert (mapped["start_char"], mapped["speaker_start_char"], mapped["cue_start_char"], dropped) == (GOLD.index("it would"), GOLD.index("Pence"), None, 1)
    assert map_item(dict(quote, start_char=26), positions, ("", "speaker_")) == (None, 1)
    assert map_item(dict(quote, speaker_start_char=None), positions, ("", "speaker_"))[1] == 0


def test_characters_the_normalizer_drops_or_composes_are_skipped():
    gold = "A \u200bcombined FranA\u0303\x83\u00a7ois plan."
    span = map_span(body_to_gold("A combined Fran\u00c3\u00a7ois plan.", gold), 2, 20)
    assert gold[span[0]:span[1]] == "combined FranA\u0303\x83\u00a7ois"
    assert map_span(body_to_gold("Caf\u00e9", "Cafe\u0301"), 0, 4) == (0, 5)


def test_map_records_gives_dead_letters_no_items():
    docs = [{"id": "a", "text": GOLD}, {"id": "b", "text": "Dead."}]
    records = {"a": {"body": BODY, "entities": [{"start_char": 0, "end_char": 5}, {"start_char": 25, "end_char": 28}]}}
    predicted, unmapped = map_records(docs, records, "entities", ("",))
    assert predicted == [[{"start_char": GOLD.index("Pence"), "end_char": GOLD.index("Pence") + 5}], []] and unmapped == 1

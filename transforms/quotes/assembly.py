"""Records from quoted spans and cues: each quote takes its cue, each cue its content record, then speakers are filled in order."""

from transforms.quotes.content import SPEECH
from transforms.quotes.cues import cues, governing_cue, model_cues, transcript_turns
from transforms.quotes.marks import LINE_BREAK, WORD, bounds, index_of, inside, is_quotation, overlaps, paragraph_bounds, quote_spans
from transforms.quotes.speakers import attribute, dash_attribution, inherit, introducers, outside_quotes


def _outermost(candidates):
    """The cues that do not lie inside another cue's content (``Ditto said she expects ...``
    reports one attribution, Ditto's); two cues inside each other's content both stay."""
    def holds(outer, inner):
        return outer is not inner and outer["content"] is not None and outer["content"][0] <= inner["cue"][0] < outer["content"][1]
    return [c for c in candidates if not any(holds(o, c) and not holds(c, o) for o in candidates)]


def _cue_for_quote(text, sentences, lines, span, candidates):
    """The cue attributing a quoted span: in a sentence the quote overlaps, on the quote's
    line (or in the sentence before, when it ends with a colon), preferring the cue whose
    content holds the quote, then the nearest."""
    line = lines[index_of(lines, span[0])]
    near = [s for s in sentences if overlaps(s, (span[0] - 2, span[1] + 3))]
    found = [c for c in candidates
             if line[0] <= c["cue"][0] < line[1] and inside(c["cue"][0], near)]
    colon = span[0]
    while colon > 0 and text[colon - 1] in " \n\"'\u201c\u00ab":
        colon -= 1
    colon -= 1  # the last character before the spaces and marks that open the quote
    if colon >= 0 and text[colon] == ":":
        before = sentences[index_of(sentences, colon)]
        found += [c for c in candidates if before[0] <= c["cue"][0] <= colon]
    if not found:
        return None
    holding = [c for c in found if c["content"] and overlaps(c["content"], span)]
    distance = lambda c: max(span[0] - c["cue"][1], c["cue"][0] - span[1], 0)
    return min(holding or found, key=distance)


def _record(text, kind, span, cue):
    """A record of one contiguous span; quoted words (direct, mixed) are speech, an indirect
    record has its cue's category."""
    category = cue["category"] if kind == "indirect" else SPEECH
    record = {
        "text": text[span[0]:span[1]], "start_char": span[0], "end_char": span[1],
        "fragments": [{"start_char": span[0], "end_char": span[1]}], "kind": kind, "category": category,
        "speaker": None, "speaker_mention": None, "speaker_start_char": None,
        "speaker_end_char": None, "speaker_type": None,
        "cue": None, "cue_start_char": None, "cue_end_char": None,
    }
    if cue is not None:
        record.update(cue=text[cue["cue"][0]:cue["cue"][1]], cue_start_char=cue["cue"][0], cue_end_char=cue["cue"][1])
    return record


def _words_outside(text, content, spans):
    """Number of words of content that lie outside the quoted spans."""
    count = 0
    for word in WORD.finditer(text, *content):
        if not inside(word.start(), spans):
            count += 1
    return count


def extract_quotes(doc, text, mentions, model=None):
    """Quote dicts (schemas/quote.avsc) of a Doc whose text is text, given its linked
    entity mentions and, when given, the trained attribution model (``model.AttributionModel``),
    whose cues add to those of the rules."""
    paragraphs = paragraph_bounds(text)
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    lines = bounds(text, LINE_BREAK)
    subjects = {t.idx for t in doc if t.dep_ in ("nsubj", "nsubjpass")}
    turns = list(transcript_turns(text, paragraphs, mentions))
    spans = [s for s in quote_spans(text) if not any(overlaps(s, (t["speaker"][0], t["content"][1])) for t in turns)]
    found = list(cues(doc, text, spans))
    sourceless = [c for c in found if c["speaker"] is None]  # a model cue there comes first: it may have a source
    found = [c for c in found if c["speaker"] is not None]
    if model is not None:
        extra = list(model_cues(doc, text, spans, model, found + turns))  # may extend or fill the rules' contents
        found += [c for c in extra if not any(_same_attribution(c, rule) for rule in found + turns)]
    found += [c for c in sourceless if not any(_same_attribution(c, other) for other in found + turns)]
    candidates = _outermost(found + turns)
    pending = [(_record(text, "direct", turn["content"], turn), turn) for turn in turns]  # (record, cue or None)
    governing_cues = {}  # by cue span: a verb governing several fragments reports once
    for span in spans:
        cue = _cue_for_quote(text, sentences, lines, span, candidates)
        if cue is None:
            governing = governing_cue(doc, text, span, spans, mentions)
            if governing is not None and is_quotation(text, *span, cue=governing):
                pending.append((_record(text, "direct", span, governing), governing))
                if governing["content"] and overlaps(governing["content"], span):
                    governing_cues.setdefault(governing["cue"], governing)
                continue
        if is_quotation(text, *span, cue=cue):
            pending.append((_record(text, "direct", span, cue), cue))
    for cue in candidates + list(governing_cues.values()):
        content = cue["content"]
        if content is None or "name" in cue:  # no content, or a transcript turn (direct above)
            continue
        quoted = [s for s in spans if overlaps(s, content)]
        if not quoted:
            pending.append((_record(text, "indirect", content, cue), cue))
        elif _words_outside(text, content, quoted) >= 2:
            pending.append((_record(text, "mixed", content, cue), cue))
    mixed = [record for record, _cue in pending if record["kind"] == "mixed"]
    pending = [(record, cue) for record, cue in pending if not (record["kind"] == "direct" and _absorbed(record, mixed, text))]
    pending.sort(key=lambda item: (item[0]["start_char"], item[0]["end_char"]))
    speakers = outside_quotes(mentions, spans)
    introductions = introducers(doc, spans, speakers)
    records = []
    for record, cue in pending:
        if cue is not None:
            attribute(record, cue, records, speakers, paragraphs, subjects, text)
        elif not (dash_attribution(record, text, mentions)
                  or inherit(record, records, paragraphs, text, introductions, speakers, subjects)):
            continue
        records.append(record)
    return _one_per_quotation(records, text, paragraphs)


def _same_attribution(cue, other):
    """Whether a model cue repeats a rule cue: the cues overlap, or their contents do."""
    return overlaps(cue["cue"], other["cue"]) or (other["content"] is not None and overlaps(cue["content"], other["content"]))


def _absorbed(direct, mixed, text):
    """Whether a direct record is part of a mixed record: inside it, or starting inside one of
    the same cue, which then extends over it (content cut before the quotation's end)."""
    for record in mixed:
        if record["start_char"] <= direct["start_char"] and direct["end_char"] <= record["end_char"]:
            return True
        if record["cue_start_char"] == direct["cue_start_char"] and record["start_char"] <= direct["start_char"] < record["end_char"]:
            record["end_char"] = direct["end_char"]
            record["fragments"] = [{"start_char": record["start_char"], "end_char": direct["end_char"]}]
            record["text"] = text[record["start_char"]:direct["end_char"]]
            return True
    return False


def _continues(previous, record, text, paragraphs):
    """Whether a direct record continues the quotation (direct or mixed) before it, as one
    quotation: the same speaker phrase, and the same cue (``"We will," he said, "act soon."``) or none of its
    own (a follow-on sentence), in the same paragraph or in the next one when the quotation
    was left open at the end of its paragraph (a multi-paragraph quote)."""
    if previous["kind"] == "indirect" or record["kind"] != "direct" or previous["speaker_start_char"] is None:
        return False
    if previous["speaker_start_char"] != record["speaker_start_char"] or record["cue_start_char"] not in (None, previous["cue_start_char"]):
        return False
    distance = index_of(paragraphs, record["start_char"]) - index_of(paragraphs, previous["end_char"])
    left_open = not text[previous["end_char"]:paragraphs[index_of(paragraphs, previous["end_char"])][1]].strip()
    return distance == 0 or distance == 1 and left_open and record["cue_start_char"] is None


def _one_per_quotation(records, text, paragraphs):
    """Records as a reader counts quotations: a direct record that continues the one before
    becomes a fragment of it; ``start_char``/``end_char`` are the outer bounds and ``text``
    the fragments joined by one space."""
    joined = []
    for record in records:
        if joined and _continues(joined[-1], record, text, paragraphs):
            previous = joined[-1]
            previous["fragments"] += record["fragments"]
            previous["end_char"] = record["end_char"]
            previous["text"] = " ".join(text[f["start_char"]:f["end_char"]] for f in previous["fragments"])
        else:
            joined.append(record)
    return joined

"""Quotations and reported speech on a parsed spaCy Doc (rules in docs/quotes.md).

One module per step, each testable alone:

- ``marks``: text between quotation marks (straight, curly, guillemets, ''), paired within a
  line, a mark left open running to the end of its line; scare quotes and titles of works.
- ``cues``: reporting verbs with a subject (``X said``, ``said X``), reporting nouns
  (``Trump's claim that``), ``according to X``, verbs governing a quoted fragment (``likened
  the refugees to a "vicious snake"``), transcript turns (``PENCE: ...``), site lines that are
  no cues, and the cues of the trained model (``model_cues``), each with its category.
- ``content``: what a cue reports (clausal complement, interrupted clause, object of a stance
  verb), cut at a line break and outside the cue and speaker.
- ``speakers``: the entity under the cue's subject, pronouns (gender agreement when the text
  makes it clear), descriptions, dash attributions, inherited speakers.
- ``assembly``: each quote takes its cue, each cue its content record; then one record per
  quotation (an interrupted or continued quote is one record with fragments, a quote inside
  reported speech only its mixed record).
- ``model``: the cue and span taggers (numpy, over spaCy's token vectors); ``train``: ``python -m transforms.quotes.train``.
"""

from transforms.quotes.assembly import extract_quotes
from transforms.quotes.cues import transcript_turns
from transforms.quotes.marks import MARKS, WORD, paragraph_bounds, quote_spans

__all__ = ["MARKS", "WORD", "extract_quotes", "paragraph_bounds", "quote_spans", "transcript_turns"]

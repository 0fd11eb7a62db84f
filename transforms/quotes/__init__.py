"""Quotations and reported speech on a parsed spaCy Doc (rules in docs/quotes.md).

One module per step: ``marks`` (quoted spans, scare quotes, titles), ``cues`` (reporting
verbs, nouns, markers, transcript turns), ``content`` (what a cue reports), ``speakers``
(who a record is attributed to) and ``assembly`` (records from spans and cues).


- ``quote_spans``: text between quotation marks (straight, curly, guillemets, ''), paired within
  a line; a mark left open runs to the end of its line, which covers multi-paragraph quotes
  (one record per paragraph) and unbalanced marks.
- ``verb_cues``: a reporting verb with a subject (``X said``, ``said X``, ``X told reporters``);
  its content is the verb's clausal complement, the clause it interrupts (``The plan, he
  said, will fail``) or, for ``COMPLEMENT_VERBS`` (``criticized X``, ``talked about X``; ``call``
  only with the prepositions of ``PREPOSITION_VERBS``) or when it holds a quotation, its object, cut to
  the part outside the cue and the speaker (``which he said were ...`` -> ``were ...``).
  Not cues: ``add`` with a plain object (``add two sessions``); a verb whose only speaker
  candidate is a name inside what it reports (``criticizing Alicia Machado``).
  ``noun_cues``: ``Trump's claim that ...``; ``marker_cues``: ``according to X``.
- A direct quote takes, among the cues on its line in a sentence it overlaps (or in the
  sentence before, when a colon introduces it), the one whose content holds it, else the nearest. Without one it takes a dash attribution (``"..." ― Jane Doe``) or inherits the
  speaker of the previous attributed record (same paragraph, or a direct quote of the previous
  paragraph). An interrupted quote gives two direct records with the same cue and speaker.
- A cue whose content holds a quotation and two more words gives a ``mixed`` record (beside
  the direct one); content without quotation marks an ``indirect`` record.
- A quoted fragment with no cue whose head chain reaches a characterizing verb with a
  speaker-like subject (``Trump likened the refugees to a "vicious snake"``) takes that verb as
  cue (``_governing_cue``).
- A paragraph opening with a person's name and a colon (``PENCE: Well, ...``) is a transcript
  turn: one direct record of the rest of the paragraph, the person as speaker.
- Refused: scare quotes (under MIN_QUOTE_WORDS words unless right next to their cue or, with two
  words, inside what it reports), titles of works, quotes left without any attribution.
"""

from transforms.quotes.assembly import extract_quotes
from transforms.quotes.cues import transcript_turns
from transforms.quotes.marks import MARKS, WORD, paragraph_bounds, quote_spans

__all__ = ["MARKS", "WORD", "extract_quotes", "paragraph_bounds", "quote_spans", "transcript_turns"]

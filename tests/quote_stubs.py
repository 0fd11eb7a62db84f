"""A stand-in for the trained attribution model, for tests of what the rules make of its taggings."""


class StubModel:
    """Stands in for the trained model with fixed taggings (Doc token ranges), to test what the
    assembly makes of them; ``asked`` lists the cues whose spans were asked for."""

    def __init__(self, cues=(), spans=None):
        self._cues, self._spans, self.asked = list(cues), spans or {}, []

    def features(self, doc, spans):
        return None

    def cues(self, features):
        return self._cues

    def spans(self, features, first, last):
        self.asked.append((first, last))
        return self._spans.get((first, last), (None, None))


def one_cue(cue, content, source=None):
    """A model whose tagger finds one cue (first, last) with its source (None: none) and content."""
    return StubModel(cues=[(*cue, 0.9)], spans={tuple(cue): (source, content)})

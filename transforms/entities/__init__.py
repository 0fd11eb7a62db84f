"""Article-level named entities on a parsed spaCy Doc.

The bare model tags each span on its own; the article-level pass adds what one article
tells about itself, one module a step (``article_mentions`` runs them in this order):

1. ``mentions.model_mentions``: the model's named spans, trimmed (line breaks, leading "the",
   titles and honorifics on people, scores and a possessive ``'s`` at the edges).
2. ``glued.surname_spans``: a non-PERSON span ending in a known personal name is cut to it;
   ``glued.glued_words``: a PERSON span whose first word is no part of the name, likewise.
3. ``repeats.repeat_mentions``: an unlabelled repeat of a recognised name (or of a person's
   surname, also in capitals) gets that name's label.
4. ``linking.link_mentions``: each mention gets a canonical name (the full names of one person
   are one; a surname is the person first named with it, unless an honorific says another
   gender; a given name alone is the one person it starts the name of: ``names``, ``genders``)
   and every canonical entity gets one label by a vote over its mentions, so the same string
   always carries the same label.

``entity_list.canonical_entities`` then makes the article's list of entities. Everything
returns plain dicts with code-point offsets into the body (end-exclusive).
"""
from transforms.entities.entity_list import canonical_entities
from transforms.entities.genders import _pronoun_genders, honorific
from transforms.entities.glued import glued_words, surname_spans
from transforms.entities.linking import link_mentions
from transforms.entities.mentions import model_mentions
from transforms.entities.repeats import repeat_mentions

__all__ = ["article_mentions", "canonical_entities", "honorific", "link_mentions"]


def article_mentions(doc, text):
    """All article-level entity mentions of a Doc whose text is text (EntityMention dicts)."""
    mentions = glued_words(doc, surname_spans(list(model_mentions(doc, text))))
    mentions.extend(repeat_mentions(doc, text, mentions))
    return link_mentions(mentions, text, _pronoun_genders(doc, mentions))

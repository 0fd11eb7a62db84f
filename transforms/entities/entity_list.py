"""The article's canonical entities: the linked mentions grouped by canonical name, with their
count, salience and whether the title or the lead names them."""
from collections import defaultdict


def _is_word(char):
    return char.isalnum() or char == "_"  # what \w matches


def _named_in(name, text):
    """Whether name occurs in text with no word character right before or after it."""
    start = text.find(name) if text else -1
    while start >= 0:
        end = start + len(name)
        if not (start and _is_word(text[start - 1])) and not (end < len(text) and _is_word(text[end])):
            return True
        start = text.find(name, start + 1)
    return False


def canonical_entities(mentions, body, title=None):
    """Aggregate linked mentions into Entity dicts, ordered by first mention."""
    lead_end = body.find("\n\n")
    lead_end = len(body) if lead_end < 0 else lead_end
    groups = defaultdict(list)
    for m in mentions:
        groups[m["canonical"]].append(m)
    total = len(mentions)
    entities = []
    for canonical, members in groups.items():
        names = {canonical} | {m["text"] for m in members}
        entities.append({
            "canonical": canonical,
            "label": members[0]["label"],
            "mention_count": len(members),
            "first_start_char": min(m["start_char"] for m in members),
            "salience": len(members) / total,
            "in_title": any(_named_in(name, title) for name in names),
            "in_lead": any(m["start_char"] < lead_end for m in members),
        })
    return sorted(entities, key=lambda e: e["first_start_char"])

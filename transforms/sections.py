"""Section names normalized onto a small vocabulary (IPTC Media Topics top level)."""
import re

VOCABULARY = ("business", "politics", "sport", "technology", "entertainment", "science", "health", "world")

_VARIANTS = {
    "biz": "business", "markets": "business", "economy": "business", "finance": "business", "money": "business",
    "sports": "sport", "tech": "technology", "politic": "politics",
}


def normalize_section(raw: str | None) -> str | None:
    """'Business' -> 'business', 'Sports' -> 'sport'; unknown sections are lowercased as they are."""
    if not raw or not raw.strip():
        return None
    key = re.sub(r"\s+", " ", raw.strip().lower())
    return _VARIANTS.get(key, key)

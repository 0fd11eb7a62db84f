"""Language tags as inputs give them ("english", "en-US", "EN") -> ISO 639-1 codes ("en")."""
import re

_NAMES = {
    "english": "en", "german": "de", "deutsch": "de", "french": "fr", "français": "fr", "francais": "fr",
    "spanish": "es", "español": "es", "espanol": "es", "italian": "it", "portuguese": "pt", "dutch": "nl",
    "russian": "ru", "chinese": "zh", "japanese": "ja", "korean": "ko", "arabic": "ar", "hindi": "hi",
    "turkish": "tr", "polish": "pl", "swedish": "sv", "norwegian": "no", "danish": "da", "finnish": "fi",
    "greek": "el", "hebrew": "he", "indonesian": "id", "ukrainian": "uk", "czech": "cs", "romanian": "ro",
}
_TAG = re.compile(r"^(?P<code>[a-z]{2})(?:[-_][a-z0-9]{2,8})*$")


def normalize_language(raw) -> str | None:
    """The ISO 639-1 code of a language name or BCP 47 tag; None when unrecognized or absent."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    key = raw.strip().lower()
    if key in _NAMES:
        return _NAMES[key]
    tag = _TAG.match(key)
    return tag["code"] if tag else None

"""The article's language: the declared tag normalized with langcodes, else detected with py3langid.

py3langid was chosen by measurement (docs/languages.md): as accurate as lingua on news-length
texts in the languages measured, 4.5 MB instead of 96 MB, and 8x faster (5.5 ms per article).
"""
import functools
from collections.abc import Callable

import langcodes

DETECT_CHARS = 3000        # the detector reads the title and this much of the body
MIN_CONFIDENCE = 0.9       # a guess below this is recorded but not used as the article's language
MIN_WORDS_TO_DISAGREE = 20  # shorter texts never overrule a declared language, even for the counter


def normalize_declared(raw) -> str | None:
    """The shortest ISO 639 code of a declared language tag or name ("eng", "en_US", "Englisch" -> "en",
    "fil" -> "fil"); None when absent or unrecognized."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    value = raw.strip().replace("_", "-")
    try:
        language = langcodes.Language.get(value)
        if not language.is_valid() or language.language in (None, "und"):
            raise langcodes.LanguageTagError(value)
    except (langcodes.LanguageTagError, ValueError):
        try:
            language = langcodes.find(value)
        except LookupError:
            return None
    return language.language


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence 0..1) of ``text``; (None, 0.0) when it has no letters."""
    sample = text[:DETECT_CHARS]
    if not any(char.isalpha() for char in sample):
        return None, 0.0
    code, confidence = _identifier().classify(sample)
    return code, float(confidence)


def resolve(declared_raw, title: str | None, body: str) -> dict:
    """The language fields of schemas/article.avsc: the declared language when there is one, else
    the detected one when the detector is confident; the detector's guess is recorded either way."""
    declared = normalize_declared(declared_raw)
    detected, confidence = detect(f"{title}\n\n{body}" if title else body)
    if declared:
        language, source = declared, "input"
    elif detected and confidence >= MIN_CONFIDENCE:
        language, source = detected, "detected"
    else:
        language, source = None, None
    return {"language": language, "language_source": source,
            "language_detected": detected, "language_confidence": round(confidence, 4) if detected else None}


def disagrees(article: dict) -> bool:
    """The input declares a language that the text, long and clear enough, contradicts."""
    return (article["language_source"] == "input" and article["language_detected"] is not None
            and article["language_detected"] != article["language"]
            and article["language_confidence"] >= MIN_CONFIDENCE and article["word_count"] >= MIN_WORDS_TO_DISAGREE)


NOT_SELECTED = "language_not_selected"
NO_MODEL = "no_model_for_language"


def parse_models(values: list[str] | None, default: str,
                 language_of: Callable[[str], str | None] = lambda model: None) -> dict[str, str]:
    """``--model`` values (``de=de_core_news_sm``, or a bare package named ``<lang>_...`` or whose
    own ``language_of`` is known) -> {language: model}, in the order given; {"en": default} when
    none. Raises ValueError."""
    models: dict[str, str] = {}
    for value in values or [default]:
        code, sep, model = value.partition("=")
        if not sep:
            prefix, model = value.split("_", 1)[0], value
            code = prefix if len(prefix) <= 3 and normalize_declared(prefix) else language_of(model) or ""
        code = normalize_declared(code) if len(code) <= 3 else None
        if not code or not model:
            raise ValueError(f"--model {value!r}: give LANG=PACKAGE (e.g. de=de_core_news_sm), or a package whose "
                             "name starts with its language code (en_core_web_sm)")
        if code in models:
            raise ValueError(f"--model names two models for language {code!r}; give one per language")
        models[code] = model
    return models


def parse_languages(value: str) -> frozenset[str]:
    """``--languages en,de`` -> {"en", "de"} (empty: every language). Raises ValueError."""
    codes = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [code for code in codes if normalize_declared(code) is None]
    if unknown:
        raise ValueError(f"--languages: {', '.join(unknown)} is not a language code; give ISO 639 codes such as en,de")
    return frozenset(normalize_declared(code) for code in codes)


def route(code: str | None, models: dict[str, str], languages: frozenset, keep_other: bool) -> tuple[str, str | None]:
    """Where an article in language ``code`` goes: ("model", language of the model to run),
    ("skip", nlp_skipped_reason) to be written without NLP, or ("drop", None).

    An article of unknown language (too short or unclear to detect) is never filtered and goes
    to the first model, as before language detection existed."""
    if code is None:
        return "model", next(iter(models))
    if languages and code not in languages:
        return ("skip", NOT_SELECTED) if keep_other else ("drop", None)
    return ("model", code) if code in models else ("skip", NO_MODEL)

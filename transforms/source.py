"""What a reader hands to the article stages, and how a failed input is reported.

Readers (``pipeline.io``) turn every input into a plain ``dict`` with the keys of
``SOURCE_KEYS``; the stages in ``transforms.prepare`` turn it into an article.
A stage that cannot go on raises ``InputError``; the pipeline turns it into a dead letter
with ``dead_letter()``.
"""

SOURCE_KEYS = (
    "source_uri",       # str: the file the input came from
    "source_format",    # str: text | jsonl | json | html | warc | csv | tsv | parquet | feed | sgml
    "source_position",  # int | None: 1-based line or table row; 0-based array index, Parquet row,
                        # feed item or SGML document; WARC byte offset
    "raw",              # bytes | None: undecoded article text (text files)
    "text",             # str | None: article text given by a structured input
    "html",             # str | None: HTML to extract the text from
    "title",            # str | None
    "url",              # str | None
    "source_id",        # str | None
    "date_raw",         # str | None: publication date/time as the input gives it
    "date_source",      # str | None: where a page found date_raw (transforms.dates.TRUST_ORDER); None: metadata
    "section_raw",      # str | None
    "authors",          # list[str]: as given (may still hold "By A and B")
    "language",         # str | None
)

RAW_EXCERPT_CHARS = 1000


def source(source_uri: str, source_format: str, **fields) -> dict:
    """A source dict with every key of SOURCE_KEYS present."""
    unknown = set(fields) - set(SOURCE_KEYS)
    if unknown:
        raise TypeError(f"unknown source keys: {sorted(unknown)}")
    record = {key: None for key in SOURCE_KEYS}
    record.update(source_uri=source_uri, source_format=source_format, authors=[])
    record.update(fields)
    return record


class InputError(Exception):
    """An input that cannot become an article; ``stage`` names the step that refused it."""

    def __init__(self, stage: str, message: str):
        super().__init__(message)
        self.stage = stage


class EmptyInput(InputError):
    """The input holds no text at all."""


class BinaryInput(InputError):
    """The input is not text (NUL bytes or mostly control bytes)."""


class UndecodableInput(InputError):
    """The bytes decode as no text encoding we can repair."""


class DoubtfulEncoding(UndecodableInput):
    """Not UTF-8, and no legacy encoding gives text that reads as a language."""


class NoBody(InputError):
    """The input has text but no article body once title, footer and boilerplate are gone."""


class CorruptInput(InputError):
    """A compressed stream is truncated or damaged."""


class VanishedInput(InputError):
    """A matched file was gone when it was read."""


class TooLarge(InputError):
    """The input exceeds a configured size cap."""


def excerpt(raw) -> str:
    """A bounded, printable excerpt of raw input: bytes are decoded with escapes."""
    if raw is None:
        return ""
    if isinstance(raw, (bytes, bytearray, memoryview)):
        raw = bytes(raw[: RAW_EXCERPT_CHARS * 4]).decode("utf-8", "backslashreplace")
    return str(raw)[:RAW_EXCERPT_CHARS]


def _byte_size(raw) -> int | None:
    """Bytes in ``raw``; str counts as UTF-8 with escaped undecodable bytes as one byte each."""
    if isinstance(raw, (bytes, bytearray)):
        return len(raw)
    if isinstance(raw, str):
        try:
            return len(raw.encode("utf-8", "surrogateescape"))
        except UnicodeEncodeError:
            return len(raw.encode("utf-8", "surrogatepass"))
    return None


def dead_letter(src: dict, stage: str, error: BaseException, raw=None, whole: bool = True,
                size: int | None = None) -> dict:
    """A dead-letter dict (schemas/dead_letter.avsc, without the run fields) for ``src``.

    ``raw`` is the input (default: the source's raw, text or html); with ``whole=False`` it is
    only its first bytes (or b"" when none were read) and ``size`` the input's size in bytes,
    None when unknown.
    """
    if raw is None:
        raw = next((src[key] for key in ("raw", "text", "html") if src.get(key) is not None), None)
    if whole:
        size = _byte_size(raw)
    return {
        "source_uri": src["source_uri"],
        "source_format": src.get("source_format"),
        "source_position": src.get("source_position"),
        "stage": getattr(error, "stage", stage),
        "error_class": type(error).__name__,
        "message": _naming(src, str(error) or type(error).__name__),
        "raw_excerpt": excerpt(raw),
        "raw_size": size,
    }


def _naming(src: dict, message: str) -> str:
    """The message, led by the file (and record position) it is about unless it names them."""
    where = src["source_uri"] if src.get("source_position") is None else f"{src['source_uri']} record {src['source_position']}"
    return message if src["source_uri"] in message else f"{where}: {message}"

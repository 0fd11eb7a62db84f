"""From a reader's source dict to an article ready for NLP: text, layout, date, section, ids."""
from datetime import date

from transforms import dates, language, records, sections
from transforms.authors import parse_authors
from transforms.layout import normalize_place, parse_layout
from transforms.normalize import decode, normalize_text, repair
from transforms.source import EmptyInput, TooLarge

DEFAULT_MAX_ARTICLE_BYTES = 5_000_000
TEXT_LAYOUT_FORMATS = ("text",)  # the formats whose first line is the title by definition
MAX_BODY_CHARS = 1_000_000  # spaCy's default nlp.max_length: the most the NLP stage takes in one piece


def article_text(src: dict, max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES) -> str:
    """The article's text, decoded and normalized; refuses inputs over the size cap."""
    payload = src["text"] if src["text"] is not None else src["raw"]
    if payload is None:
        raise EmptyInput("decode", "the input carries no article text")
    size = len(payload.encode("utf-8", "surrogatepass") if isinstance(payload, str) else payload)
    if size > max_article_bytes:
        raise TooLarge("decode", f"the article is {size:,} bytes, over --max_article_bytes={max_article_bytes:,}; raise the cap if it is a real article")
    text = repair(payload) if isinstance(payload, str) else decode(payload)
    return normalize_text(text)


def prepare(src: dict, crawl_date: date, max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES) -> dict:
    """Article fields (everything but the NLP annotations) for one source dict."""
    given_title = normalize_text(repair(src["title"])) if src["title"] else None
    layout = parse_layout(article_text(src, max_article_bytes), title=given_title,
                          take_title=src["source_format"] in TEXT_LAYOUT_FORMATS)
    if len(layout.body) > MAX_BODY_CHARS:
        raise TooLarge("layout", f"the body has {len(layout.body):,} characters, more than the {MAX_BODY_CHARS:,} the NLP "
                                 "stage takes in one piece; split the article, or lower --max_article_bytes to refuse such inputs when read")
    published_date, published_at, date_source = dates.resolve_date(
        [(src["date_source"] or "metadata", src["date_raw"]), ("footer", layout.footer_date), ("url", src["url"]),
         ("dateline", layout.dateline_date)],
        crawl_date,
    )
    section, section_raw, section_source = sections.choose_section(
        [("metadata", src["section_raw"]), ("footer", layout.footer_section), ("url", sections.url_section(src["url"]))])
    content_hash = records.content_hash(layout.title, layout.body)
    return {
        "article_id": records.article_id(src["source_uri"], src["source_position"], content_hash),
        "content_hash": content_hash,
        "source_uri": src["source_uri"],
        "source_format": src["source_format"],
        "source_position": src["source_position"],
        "source_id": src["source_id"],
        "url": src["url"],
        "title": layout.title,
        "dateline": layout.dateline,
        "dateline_place": normalize_place(layout.dateline),
        "body": layout.body,
        "word_count": len(layout.body.split()),
        "section": section,
        "section_raw": section_raw,
        "section_source": section_source,
        "published_date": published_date,
        "published_at": published_at,
        "date_source": date_source,
        "authors": parse_authors(src["authors"]),
        **language.resolve(src["language"], layout.title, layout.body),
    }


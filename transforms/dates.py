"""Publication dates: parse the forms inputs give, and pick the most trusted one."""
import re
from datetime import date, datetime, timezone

TRUST_ORDER = ("metadata", "footer", "url", "dateline", "text")
EARLIEST = date(1900, 1, 1)

_US_DATE = re.compile(r"^(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})$")


def parse_date(raw: str) -> tuple[date | None, datetime | None]:
    """(local date, UTC instant or None) of ``raw``: ISO 8601 or US MM/DD/YYYY."""
    raw = raw.strip()
    us = _US_DATE.match(raw)
    if us:
        try:
            return date(int(us["year"]), int(us["month"]), int(us["day"])), None
        except ValueError:
            return None, None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None, None
    instant = parsed.astimezone(timezone.utc) if parsed.tzinfo else None
    return parsed.date(), instant


def resolve_date(candidates: list[tuple[str, str | None]], crawl_date: date):
    """(published_date, published_at, date_source) from (source, raw) candidates.

    The most trusted source with a plausible date wins (TRUST_ORDER); a date after the
    crawl or before 1900 is never plausible.
    """
    ranked = sorted((c for c in candidates if c[1]), key=lambda c: TRUST_ORDER.index(c[0]))
    for source_name, raw in ranked:
        day, instant = parse_date(raw)
        if day and EARLIEST <= day <= crawl_date:
            return day, instant, source_name
    return None, None, None

import datetime as dt

import pytest

from transforms.dates import parse_date, parse_url_date, resolve_date

UTC = dt.timezone.utc
CRAWL = dt.date(2020, 6, 1)


@pytest.mark.parametrize("text, day, moment", [
    ("2017-07-17", dt.date(2017, 7, 17), None),
    ("2017-07-17 17:03:00", dt.date(2017, 7, 17), None),
    ("2017-07-17T17:03:00Z", dt.date(2017, 7, 17), dt.datetime(2017, 7, 17, 17, 3, tzinfo=UTC)),
    ("2017-10-17T22:30:00-04:00", dt.date(2017, 10, 17), dt.datetime(2017, 10, 18, 2, 30, tzinfo=UTC)),
    ("2020-10-02T18:16:21+05:30", dt.date(2020, 10, 2), dt.datetime(2020, 10, 2, 12, 46, 21, tzinfo=UTC)),
    ("2019-01-05T08:00:00.000+0000", dt.date(2019, 1, 5), dt.datetime(2019, 1, 5, 8, tzinfo=UTC)),
    ("Mon, 13 Jan 2020 13:42:09 GMT", dt.date(2020, 1, 13), dt.datetime(2020, 1, 13, 13, 42, 9, tzinfo=UTC)),
    ("Tue, 14 Jan 2020 01:00:00 +0100", dt.date(2020, 1, 14), dt.datetime(2020, 1, 14, 0, 0, tzinfo=UTC)),
    ("10/17/2017", dt.date(2017, 10, 17), None),
    ("Business on 10/17/2017", dt.date(2017, 10, 17), None),
    ("3/4/87", dt.date(1987, 3, 4), None),
    ("March 3, 1987", dt.date(1987, 3, 3), None),
    ("Sept. 5, 2016", dt.date(2016, 9, 5), None),
    ("5 September 2016", dt.date(2016, 9, 5), None),
    ("3-MAR-1987 09:18:21.26", dt.date(1987, 3, 3), None),
    ("1508248800", dt.date(2017, 10, 17), dt.datetime(2017, 10, 17, 14, 0, tzinfo=UTC)),
    ("1508248800000", dt.date(2017, 10, 17), dt.datetime(2017, 10, 17, 14, 0, tzinfo=UTC)),
])
def test_parse_date(text, day, moment):
    assert parse_date(text) == (day, moment)


@pytest.mark.parametrize("text", ["", None, "no date here", "2017-13-45", "99/99/2017", "February 30, 2017", 17])
def test_parse_date_rejects(text):
    assert parse_date(text) is None


def test_month_day_without_year_is_refused():
    assert parse_date("DALLAS, March 3 -") is None


@pytest.mark.parametrize("url, day", [
    ("https://x.com/2017/10/17/trade-talks.html", dt.date(2017, 10, 17)),
    ("https://x.com/news/2017-10-17/trade", dt.date(2017, 10, 17)),
    ("https://x.com/a/20171017/b", dt.date(2017, 10, 17)),
    ("https://x.com/news/harbor-reopens-20171017.html", dt.date(2017, 10, 17)),
    ("https://x.com/news/harbor_reopens_20171017", dt.date(2017, 10, 17)),
    ("https://x.com/news/item-201710171234.html", None),  # more digits: an id, not a day
    ("https://x.com/story/123456789", None),
    ("https://x.com/2017/13/45/x", None),
    ("", None),
])
def test_parse_url_date(url, day):
    assert parse_url_date(url) == day


@pytest.mark.parametrize("candidates, expected", [
    ([], (None, None, None)),
    ([("text", "March 1, 2020"), ("metadata", "2020-01-02")], (dt.date(2020, 1, 2), None, "metadata")),
    ([("url", "https://x.com/2019/05/06/a"), ("footer", "10/17/2017")], (dt.date(2017, 10, 17), None, "footer")),
    ([("dateline", "March 3"), ("url", "https://x.com/2019/05/06/a")], (dt.date(2019, 5, 6), None, "url")),
    ([("dateline", "DALLAS, March 3 -")], (None, None, None)),  # no year: refused, not guessed
    ([("dateline", "DALLAS, March 3, 2019 -")], (dt.date(2019, 3, 3), None, "dateline")),
    ([("metadata", "2030-01-01"), ("footer", "01/02/2020")], (dt.date(2020, 1, 2), None, "footer")),
    ([("metadata", "1850-01-01")], (None, None, None)),
    ([("metadata", "garbage"), ("metadata", "2020-01-03T23:30:00-05:00")],
     (dt.date(2020, 1, 3), dt.datetime(2020, 1, 4, 4, 30, tzinfo=UTC), "metadata")),
    ([("metadata", None), ("text", "on 5 May 2020")], (dt.date(2020, 5, 5), None, "text")),
])
def test_resolve_date(candidates, expected):
    assert resolve_date(candidates, CRAWL) == expected


def test_crawl_date_itself_is_allowed():
    assert resolve_date([("metadata", "2020-06-01")], CRAWL)[0] == CRAWL

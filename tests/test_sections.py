import pytest

from transforms.sections import VOCABULARY, choose_section, normalize_section, url_section


@pytest.mark.parametrize("raw, section", [
    ("Business", "business"), ("Biz", "business"), ("Markets", "business"),
    ("Economy & Business", "business"), ("Business and Economy", "business"), ("business_economy", "business"),
    ("Sports", "sport"), ("sport", "sport"), ("Sport/Football", "sport"), ("NFL", "sport"),
    ("Tech", "technology"), ("Technology", "technology"), ("Sci/Tech", "technology"),
    ("Politics", "politics"), ("U.S. Politics", "politics"),
    ("Entertainment", "entertainment"), ("Arts & Culture", "entertainment"), ("Movies", "entertainment"),
    ("Health", "health"), ("Science", "science"), ("World", "world"), ("World News", "world"),
    ("Opinion", "opinion"), ("News > Business", "business"), ("Home › Sport › Tennis", "sport"),
    ("  BUSINESS  ", "business"), ("Travel", "lifestyle"),
])
def test_normalize_section(raw, section):
    assert normalize_section(raw) == section


@pytest.mark.parametrize("raw", [None, "", "   ", "Misc", "12345", ["Business"], "x" * 10_000])
def test_unknown_sections(raw):
    assert normalize_section(raw) is None


def test_results_are_in_the_vocabulary():
    for raw in ("Biz", "NBA", "Climate", "Courts", "Weather", "Faith", "Schools", "Metro"):
        assert normalize_section(raw) in VOCABULARY


@pytest.mark.parametrize("url, section", [
    ("https://x.com/business/2017/10/17/a.html", "business"),
    ("https://x.com/news/world/europe/a-story", "world"),
    ("https://x.com/2017/10/17/a-story", None),
    ("https://x.com/business", None),  # the last segment is the page itself
    (None, None),
])
def test_url_section(url, section):
    assert url_section(url) == section


@pytest.mark.parametrize("candidates, expected", [
    ([], (None, None, None)),
    ([("metadata", "Business"), ("url", "sport")], ("business", "Business", "metadata")),
    ([("metadata", "Misc"), ("footer", None), ("url", "business")], ("business", "business", "url")),
    ([("metadata", "  Misc "), ("url", None)], (None, "Misc", "metadata")),
])
def test_choose_section(candidates, expected):
    assert choose_section(candidates) == expected

import pytest

from transforms.authors import parse_authors


@pytest.mark.parametrize("value, names", [
    ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    ("Jane Doe, John Roe", ["Jane Doe", "John Roe"]),
    ("BY JANE DOE", ["JANE DOE"]),
    ("By Jane Doe, Associated Press", ["Jane Doe"]),
    ("Jane Doe | Staff Writer", ["Jane Doe"]),
    ("Jane Doe jane@example.com", ["Jane Doe"]),
    ("Jane Doe, John Roe and Ann Poe", ["Jane Doe", "John Roe", "Ann Poe"]),
    ("Jane Doe & John Roe", ["Jane Doe", "John Roe"]),
    (["Jane Doe", "By John Roe"], ["Jane Doe", "John Roe"]),
    (["Jane Doe", "jane doe"], ["Jane Doe"]),
    ([{"name": "Jane Doe"}, 5, None], ["Jane Doe"]),
    ("Reuters", []),
    ("", []),
    (None, []),
    ("By ", []),
    ("---", []),
])
def test_parse_authors(value, names):
    assert parse_authors(value) == names

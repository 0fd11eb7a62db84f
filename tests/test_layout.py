import pytest

from transforms.layout import normalize_place, parse_layout
from transforms.source import NoBody

WEB = """Markets rally as rates hold

NEW YORK (Reuters) - Stocks rose on Wednesday.

"We are relieved," one trader said.

Business on 03/09/2016

Upcoming Events"""

PLAIN = """Library reopens after flood repairs

The central library reopened on Monday.

Staff said the children's room comes back in June."""

WIRE = """HARBOR EXPORTS RISE
    CHICAGO, March 12 - Grain shipments rose 14 pct
in February, the association said.
    Wheat shipments totaled 412,000 tonnes.
 Reuter"""


@pytest.mark.parametrize(
    "text, title, dateline, footer, sign_off, body_start, body_end",
    [
        (WEB, "Markets rally as rates hold", "NEW YORK", ("Business", "03/09/2016"), None,
         "Stocks rose on Wednesday.", "one trader said."),
        (PLAIN, "Library reopens after flood repairs", None, (None, None), None,
         "The central library reopened", "comes back in June."),
        (WIRE, "HARBOR EXPORTS RISE", "CHICAGO", (None, None), "Reuter",
         "Grain shipments rose 14 pct in February, the association said.", "412,000 tonnes."),
    ],
)
def test_layouts(text, title, dateline, footer, sign_off, body_start, body_end):
    layout = parse_layout(text)
    assert layout.title == title
    assert layout.dateline == dateline
    assert (layout.footer_section, layout.footer_date) == footer
    assert layout.sign_off == sign_off
    assert layout.body.startswith(body_start)
    assert layout.body.endswith(body_end)


def test_wire_paragraphs_are_unwrapped():
    assert parse_layout(WIRE).body.split("\n\n") == [
        "Grain shipments rose 14 pct in February, the association said.",
        "Wheat shipments totaled 412,000 tonnes.",
    ]


def test_one_paragraph_per_line_is_not_joined():
    lines = [
        "Donald Trump's obsession with the birth certificate is an insult, top lawmakers said on Friday afternoon.",
        '"This is a disgusting day," said Rep. G.K. Butterfield.',
        "Members of the caucus held a press conference shortly after Trump spoke about the matter in Washington.",
    ]
    assert parse_layout("\n".join(lines), title="T").body.split("\n\n") == lines


@pytest.mark.parametrize(
    "first_paragraph, dateline, date, rest",
    [
        ("WASHINGTON -- President Trump spoke.", "WASHINGTON", None, "President Trump spoke."),
        ("LONDON (AP) — Rain fell.", "LONDON", None, "Rain fell."),
        ("WASHINGTON, Feb 26 - The Fed said.", "WASHINGTON", "Feb 26", "The Fed said."),
        ("KIEL, West Germany, March 5 - Output rose.", "KIEL", "March 5", "Output rose."),
        ("Oklahoma City, March 3 - Shares fell.", "Oklahoma City", "March 3", "Shares fell."),
        ("BEIJING/SHANGHAI (Reuters) - Prices fell.", "BEIJING/SHANGHAI", None, "Prices fell."),
        ("WASHINGTON (CNN)The House voted.", "WASHINGTON", None, "The House voted."),
        ("Washington (CNN) -- The House voted.", "Washington", None, "The House voted."),
        ("Senator Smith (Republican) said no.", None, None, "Senator Smith (Republican) said no."),
        ("Trump - the candidate - spoke.", None, None, "Trump - the candidate - spoke."),
        ("The U.S. -- and Japan -- agreed.", None, None, "The U.S. -- and Japan -- agreed."),
    ],
)
def test_datelines(first_paragraph, dateline, date, rest):
    layout = parse_layout("Title\n\n" + first_paragraph)
    assert (layout.dateline, layout.dateline_date, layout.body) == (dateline, date, rest)


def test_given_title_keeps_first_line_in_body():
    layout = parse_layout("First line of the body.\n\nSecond paragraph.", title="Headline")
    assert layout.title == "Headline"
    assert layout.body == "First line of the body.\n\nSecond paragraph."


def test_headline_repeated_in_the_text_leaves_the_body():
    layout = parse_layout("Library Extends Hours\n\nSPRINGFIELD — The library will open longer.", title="Library extends hours")
    assert (layout.dateline, layout.body) == ("SPRINGFIELD", "The library will open longer.")


def test_boilerplate_only_has_no_body():
    with pytest.raises(NoBody):
        parse_layout("Headline\n\nAdvertisement\n\nBusiness on 10/17/2017\n\nUpcoming Events")


@pytest.mark.parametrize("raw, place", [("WASHINGTON", "Washington"), ("NEW YORK", "New York"),
                                         ("WILKES-BARRE", "Wilkes-Barre"), ("ST. LOUIS", "St. Louis"), (None, None)])
def test_normalize_place(raw, place):
    assert normalize_place(raw) == place

"""Progress lines from the workers and the end summary's new parts."""
import pytest

from pipeline import progress
from pipeline.io import REASON
from pipeline.progress import ProgressSettings
from pipeline.summary import Summary, shorten


@pytest.mark.parametrize("args, expected", [
    ((10, 8, 4000, 20.0, 0, None), "10 inputs read, 8 articles written, 4,000 words, 200 words/s, 20 s"),
    ((10, 8, 4000, 20.0, 250, 1000), "about 25% of its input, ETA 1m00s"),  # 750 bytes left at 12.5 bytes/s
    ((10, 8, 4000, 20.0, 1, 10_000_000), "ETA 55555h33m"),
    ((10, 8, 4000, 20.0, 1000, 1000), "20 s"),  # all read: no ETA (the NLP may still be busy)
    ((0, 0, 0, 0.0, 0, 1000), "0 words/s"),
])
def test_progress_line(args, expected):
    line = progress.progress_line("worker 7", *args)
    assert line.startswith("newsbeam progress (worker 7): ") and expected in line
    if args[4] >= (args[5] or 0):
        assert "ETA" not in line


def test_report_every_15_seconds_unless_quiet(capsys, monkeypatch):
    monkeypatch.setattr(progress._TALLY, "reported", progress._TALLY.reported - 16)
    ProgressSettings(quiet=True).report()
    assert capsys.readouterr().err == ""
    ProgressSettings(quiet=False).report()
    assert "newsbeam progress" in capsys.readouterr().err
    ProgressSettings(quiet=False).report()  # the next line waits 15 s
    assert capsys.readouterr().err == ""


def test_shorten_cuts_strings_and_lists():
    record = {"body": "x" * 1000, "entities": [{"text": "A"}, {"text": "B"}, {"text": "C"}], "n": 3}
    assert shorten(record) == {"body": "x" * 200 + "... (1,000 characters)",
                               "entities": [{"text": "A"}, {"text": "B"}, "... 1 more"], "n": 3}


def test_summary_shows_reasons_words_per_second_and_files():
    counters = {"read": 3, "written": 1, "dead_lettered": 2, REASON + "MalformedInput": 2, "words": 500}
    files = [(f"articles/part-{i}.avro", 10) for i in range(7)]
    text = Summary(counters, 2.0, {"body": "y" * 5000}, "out", files=files).render()
    assert "MalformedInput:       2" in text and "500 (250 words/s)" in text
    assert "output files:           7, 70 bytes" in text and "... and 2 more" in text
    assert "y" * 201 not in text and len(text.splitlines()) < 40

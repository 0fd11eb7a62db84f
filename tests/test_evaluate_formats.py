"""The html, dates and sections evaluations run the real pipeline on a few gold rows."""
import argparse
import json
import subprocess
import sys

import pytest

from pipeline.evaluate import dates, html, sections
from pipeline.evaluate.pages import token_prf
from tests.conftest import ROOT


def _subset(devdata, tmp_path, gold: str, folders: list[str], rows: int):
    """The first ``rows`` of a gold file, laid out like the devdata folder (links to its files)."""
    source = devdata / gold
    target = tmp_path / "data" / gold
    target.parent.mkdir(parents=True)
    for folder in folders:
        (tmp_path / "data" / folder).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "data" / folder).symlink_to(devdata / folder)
    target.write_text("".join(source.read_text("utf-8").splitlines(True)[:rows]), "utf-8")
    return argparse.Namespace(gold=str(target), workdir=str(tmp_path / "work"), baseline=True)


def test_token_prf():
    assert token_prf("the cat sat", "The cat sat down") == (1.0, 0.75, pytest.approx(6 / 7))
    assert token_prf(None, "gold") == (0.0, 0.0, 0.0)


def test_html_evaluation(devdata, tmp_path):
    result = html.run(_subset(devdata, tmp_path, "html/scrapinghub_dev.jsonl", ["html/scrapinghub"], 3))
    assert result["pages"] == 3 and result["records"] == 3 and result["f1"] > 0.8
    assert set(result["baseline_trafilatura"]) == {"precision", "recall", "f1"}
    assert 0 < result["baseline_trafilatura"]["f1"] <= 1


def test_dates_evaluation(devdata, tmp_path):
    result = dates.run(_subset(devdata, tmp_path, "html/htmldate_dev.jsonl", ["html/htmldate"], 3))
    assert result["pages"] == 3 and result["correct"] >= 2


def test_sections_evaluation(devdata, tmp_path):
    args = _subset(devdata, tmp_path, "sections/bbc_sections_dev.jsonl", ["sections/bbc_raw"], 4)
    result = sections.run(args)
    assert result["metadata"]["records"] == 4 and result["url"]["records"] == 4 and result["none"]["records"] == 4
    gold = [json.loads(line) for line in open(args.gold, encoding="utf-8")]
    assert result["metadata"]["correct"] == sum(row["section"] in sections.MAPPING.values() for row in gold)


@pytest.mark.parametrize("task", ["dates", "html", "sections"])
def test_missing_gold_is_a_clear_error(task, tmp_path):
    missing = tmp_path / "nowhere" / "gold.jsonl"
    done = subprocess.run([sys.executable, "-m", "pipeline.evaluate", task, "--gold", str(missing)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and str(missing) in done.stderr and "Traceback" not in done.stderr

"""Smoke test of the benchmark harness: ``python -m benchmarks --quick`` runs every measurement
on a tiny corpus and writes valid JSON. No timing is asserted here (see docs/performance.md)."""
import json
import subprocess
import sys

import pytest

from benchmarks.__main__ import RUNS, met
from tests.conftest import ROOT


def test_quick_benchmark_writes_json(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--output", str(tmp_path), "--workdir", str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "latest.json").read_text())
    assert report["quick"] is True and report["machine"]["cpu_count"] >= 1
    assert set(report["runs"]) == set(RUNS)
    streaming = report["runs"].pop("streaming")
    assert streaming["latency"][0]["latency_max_s"] > 0 and streaming["catch_up"]["batch_articles_per_s"] > 0
    assert report["runs"]["language_detection"]["detect_ms_per_article"] > 0
    for name, run in report["runs"].items():
        assert run["peak_rss_mb"] > 0, name
        if name.startswith(("newsbeam", "dump")):
            assert run["accounted"] and run["written"] > 0, name
    assert report["large_corpus"]["words"] > report["corpus"]["words"]
    ratios = ("newsbeam_2w_over_baseline", "newsbeam_2w_over_baseline_numpy", "newsbeam_2w_over_1w", "rss_growth_4x",
              "newsbeam_dask_2w_over_2w", "dump_2w_over_1w", "dump_gz_2w_over_1w", "dump_2w_over_baseline",
              "dump_worker_rss_growth_4x", "near_duplicates_wall_over_2w", "language_detection_share_of_1w_cpu")
    assert all(report["ratios"][k] is not None for k in ratios)
    assert report["runs"]["baseline"]["spacy"]["pipeline"] == report["runs"]["baseline_numpy"]["spacy"]["pipeline"]
    assert "words/s" in done.stdout and "cpu count" in done.stdout
    assert None not in report["targets_met"].values() and "not measured by these runs: none" in done.stdout
    assert not (tmp_path / "work").exists()  # corpora and outputs are removed


@pytest.mark.parametrize("value,target,at_most,expected", [
    (1.8, 1.8, False, True),
    (1.79, 1.8, False, False),
    (0.1, 0.1, True, True),
    (0.11, 0.1, True, False),
    (None, 1.8, False, None),  # no run measured it (--single_dump, --runs): neither met nor missed
])
def test_met(value, target, at_most, expected):
    assert met(value, target, at_most) is expected

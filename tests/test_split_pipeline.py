"""One dump, every split: the same records and dead letters whatever the parts, workers or hash seed."""
import gzip
import json
import os

import pytest

from pipeline.evaluate.harness import read_avro_dir
from pipeline.run import run
from tests.conftest import SEED_TEXTS, run_cli

RUN_FIELDS = ("ingested_at", "failed_at")


def dump_lines() -> list[bytes]:
    """Seed articles as JSONL, with a bad line, a blank line and a record without text among them."""
    articles = [json.dumps({"title": f"Story {i}", "text": path.read_text()}).encode()
                for i, path in enumerate(SEED_TEXTS * 3)]
    return articles[:4] + [b"{not json", b"", b'{"title": "no text"}'] + articles[4:]


def write_dump(directory, name: str, newline: bytes = b"\n", final_newline: bool = False) -> str:
    data = newline.join(dump_lines()) + (newline if final_newline else b"")
    path = directory / name
    path.write_bytes(gzip.compress(data, mtime=0) if name.endswith(".gz") else data)
    return str(path)


def outputs(output, drop=RUN_FIELDS) -> tuple[list, list]:
    """Articles and dead letters of a run, without the run's own fields, in a stable order."""
    def clean(records):
        cleaned = [{k: v for k, v in record.items() if k not in drop} for record in records]
        return sorted(cleaned, key=lambda r: (r["source_position"] or 0, json.dumps(r, sort_keys=True, default=str)))
    return clean(read_avro_dir(output / "articles")), clean(read_avro_dir(output / "dead_letter"))


def run_in_process(path: str, output, *flags: str):
    summary = run(["--input", path, "--output", str(output), *flags])
    assert summary.balanced, summary.render()
    return outputs(output)


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    """The dump read as one part (the split size over its size), one worker."""
    directory = tmp_path_factory.mktemp("dump")
    path = write_dump(directory, "dump.jsonl")
    return directory, path, run_in_process(path, directory / "whole", "--split_bytes", "100000000")


@pytest.mark.parametrize("name, kind", [("dump.jsonl", "bytes"), ("dump.jsonl.gz", "share")])
def test_a_dump_over_the_split_size_is_read_in_parts(tmp_path, name, kind):
    """The equality tests below hold trivially if a dump is read whole; this one fails then."""
    path = write_dump(tmp_path, name)
    summary = run(["--input", path, "--output", str(tmp_path / "out"), "--split_bytes", "2500"])
    assert summary.get(f"parts_{kind}") > 1 and summary.get("parts_file") == 0, summary.counters


@pytest.mark.parametrize("split_bytes", ["1", "700", "2500"])
def test_byte_ranges_give_the_records_of_a_whole_read(whole, split_bytes):
    directory, path, expected = whole
    articles, dead = run_in_process(path, directory / f"split-{split_bytes}", "--split_bytes", split_bytes)
    assert len(articles) == len(dump_lines()) - 3 and len(dead) == 2
    assert (articles, dead) == expected


@pytest.mark.parametrize("newline, final_newline", [(b"\r\n", True), (b"\n", True), (b"\r\n", False)])
def test_crlf_and_final_newline_split_as_whole(tmp_path, newline, final_newline):
    path = write_dump(tmp_path, "dump.jsonl", newline, final_newline)
    assert run_in_process(path, tmp_path / "split", "--split_bytes", "500") == \
        run_in_process(path, tmp_path / "whole", "--split_bytes", "100000000")


def test_gzip_shares_give_the_records_of_a_whole_read(whole, tmp_path):
    _, _, expected = whole
    path = write_dump(tmp_path, "dump.jsonl.gz")
    shared = run_in_process(path, tmp_path / "shares", "--split_bytes", "200")  # 6 KB gzip -> many shares
    assert shared == run_in_process(path, tmp_path / "one", "--split_bytes", "100000000")
    without_uri = lambda records: [{k: v for k, v in r.items() if k not in ("source_uri", "article_id", "message")}  # noqa: E731
                                   for r in records]
    assert [without_uri(records) for records in shared] == [without_uri(records) for records in expected]


def test_two_workers_and_two_hash_seeds_give_the_same_records(whole, tmp_path):
    """A subprocess per run: 1 worker and PYTHONHASHSEED=1, whole, against 2 worker processes,
    PYTHONHASHSEED=2 and ranges that cut records."""
    _, path, _ = whole
    runs = {}
    for seed, flags in (("1", ["--split_bytes", "100000000"]),
                        ("2", ["--split_bytes", "700", "--direct_num_workers", "2", "--direct_running_mode", "multi_processing"])):
        output = tmp_path / f"seed-{seed}"
        run_cli("--input", path, "--output", str(output), "--quiet", *flags,
                env=dict(os.environ, PYTHONHASHSEED=seed), check=True)
        runs[seed] = outputs(output)
    assert runs["1"] == runs["2"]
    assert len(runs["1"][0]) == len(dump_lines()) - 3

"""The pipeline's file reader on cases a CLI run cannot stage, and garbage mixed into dumps."""
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.io import DEAD_LETTER, ReadSettings, _ReadPart, match_largest_first
from pipeline.run import run
from pipeline.summary import Summary
from tests.formats_helpers import run as run_reader
from transforms.formats.detect import FORMATS, detect_format
from transforms.formats.json_array import read_json
from transforms.formats.ranges import Part
from transforms.formats.jsonl import read_jsonl

GOOD = {"title": "Council votes", "text": "Mayor Michael Carter backed the plan on Monday, officials said."}


def test_file_that_vanished_after_matching(tmp_path):
    gone = tmp_path / "gone.jsonl"
    (output,) = list(_ReadPart(ReadSettings()).process(Part(str(gone), "file", "auto", 0, 10)))
    assert output.tag == DEAD_LETTER
    letter = output.value
    assert (letter["source_uri"], letter["source_format"], letter["stage"], letter["error_class"]) == (
        str(gone), "jsonl", "read", "VanishedInput")
    assert "disappeared" in letter["message"]


def test_a_whole_file_is_read_through_open_so_a_subclass_reads_its_own_bytes(tmp_path):
    """Streaming's ReadGenerations overrides ``_open`` to read one object generation."""
    class FromMemory(_ReadPart):
        @staticmethod
        def _open(uri):
            return io.BytesIO(json.dumps(GOOD).encode() + b"\n")

    missing = str(tmp_path / "not-on-disk.jsonl")
    (record,) = list(FromMemory(ReadSettings()).process(Part(missing, "file", "auto", 0, 10)))
    assert (record["source_uri"], record["title"]) == (missing, GOOD["title"])


def test_dangling_symlink_is_matched_and_dead_lettered(tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nBody.")
    (tmp_path / "b.txt").symlink_to(tmp_path / "missing.txt")
    matched = match_largest_first(f"{tmp_path}/**")
    assert [m.path for m in matched] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    (output,) = list(_ReadPart(ReadSettings()).process(Part(matched[1].path, "file", "auto", 0, 0)))
    assert (output.tag, output.value["error_class"], output.value["source_uri"]) == (DEAD_LETTER, "VanishedInput", str(tmp_path / "b.txt"))


def test_summary_warns_about_files_without_articles():
    assert "2 input file(s) gave no article" in Summary({"read": 2, "dead_lettered": 2, "files_without_articles": 2}, 1.0).render()
    assert "warning" not in Summary({"read": 1, "written": 1}, 1.0).render()


garbage_line = st.one_of(
    st.binary(max_size=200).filter(lambda b: b"\n" not in b),
    st.text(max_size=100).map(lambda t: t.replace("\n", " ").encode()),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                 max_leaves=10).map(lambda v: json.dumps(v).encode()),
)
dump_lines = st.lists(st.one_of(st.just(json.dumps(GOOD).encode()), garbage_line), min_size=1, max_size=30)


@given(dump_lines)
@settings(max_examples=300, deadline=None)
def test_every_jsonl_line_is_a_source_or_a_dead_letter(lines):
    sources, dead, _ = run_reader(read_jsonl, b"\n".join(lines) + b"\n")
    numbered = [number for number, line in enumerate(lines, 1) if line.strip()]
    if not numbered:
        assert sources == [] and [d["error_class"] for d in dead] == ["EmptyInput"]
        return
    assert sorted(s["source_position"] for s in sources + dead) == numbered
    assert {s["source_position"] for s in sources} >= {n for n, line in enumerate(lines, 1) if line == json.dumps(GOOD).encode()}


@given(dump_lines)
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_pipeline_accounts_for_garbage_in_dumps(tmp_path, lines):
    """Valid articles and garbage in one JSONL dump: read = written + dead-lettered, per format."""
    run_dir = tmp_path / str(abs(hash(tuple(lines))))
    run_dir.mkdir()
    (run_dir / "dump.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    summary = run(["--input", str(run_dir / "dump.jsonl"), "--output", str(run_dir / "out")])
    assert summary.balanced
    nonblank = sum(1 for line in lines if line.strip())
    assert summary.get("read_jsonl") == max(nonblank, 1)
    assert summary.get("written") >= sum(1 for line in lines if line == json.dumps(GOOD).encode())


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10)


@given(st.lists(st.one_of(st.just(GOOD), json_values), max_size=20))
@settings(max_examples=300, deadline=None)
def test_every_json_array_element_is_a_source_or_a_dead_letter(values):
    sources, dead, _ = run_reader(read_json, json.dumps(values).encode())
    if not values:
        assert [d["error_class"] for d in dead] == ["EmptyInput"]
        return
    assert sorted(s["source_position"] for s in sources + dead) == list(range(len(values)))
    assert {s["source_position"] for s in sources} >= {i for i, v in enumerate(values) if v == GOOD}


@given(st.binary(max_size=3000), st.sampled_from([read_jsonl, read_json]))
@settings(max_examples=300, deadline=None)
def test_readers_never_raise_on_garbage(data, reader):
    sources, dead, _ = run_reader(reader, data)
    assert sources or dead
    assert all(d["message"] and d["stage"] == "read" for d in dead)


@given(st.text(max_size=30), st.binary(max_size=300))
def test_detection_never_raises(path, head):
    assert detect_format(path, head) in FORMATS

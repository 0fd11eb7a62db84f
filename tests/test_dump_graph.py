"""How the batch graph spreads one dump: a fusion break after the split, no Flatten on the
dead letters, and the same on Dataflow (built offline, nothing submitted)."""
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.portability import common_urns

from pipeline import options as flags
from pipeline.run import build
from tests.conftest import ROOT
from tests.test_dataflow import dataflow_argv


def proto_of(argv: list[str]):
    options = flags.parse(argv)
    pipeline = beam.Pipeline(options=options)
    nb = options.view_as(flags.NewsbeamOptions)
    build(pipeline, nb, nb.input, datetime.now(timezone.utc))
    return pipeline, pipeline.to_runner_api()


def transform(proto, suffix: str):
    (found,) = [t for t in proto.components.transforms.values() if t.unique_name.endswith(suffix)]
    return found


def assert_fusion_break_after_split(proto) -> None:
    """Number -> Reshuffle (a GroupByKey inside) -> ReadParts: only descriptors cross it."""
    spread, number, read = (transform(proto, name) for name in ("/SpreadParts", "/Number", "/ReadParts"))
    assert list(spread.inputs.values()) == list(number.outputs.values())
    assert list(read.inputs.values()) == list(spread.outputs.values())
    inside = [proto.components.transforms[t] for t in _below(proto, spread)]
    assert any(t.spec.urn == common_urns.primitives.GROUP_BY_KEY.urn for t in inside)


def _below(proto, composite):
    for sub in composite.subtransforms:
        yield sub
        yield from _below(proto, proto.components.transforms[sub])


def test_local_graph_breaks_fusion_after_the_split_and_never_flattens_dead_letters(tmp_path):
    (tmp_path / "dump.jsonl").write_text("{}\n")
    _, proto = proto_of(["--input", str(tmp_path / "dump.jsonl"), "--output", str(tmp_path / "out")])
    assert_fusion_break_after_split(proto)
    flattens = [t.unique_name for t in proto.components.transforms.values()
                if t.spec.urn == common_urns.primitives.FLATTEN.urn and len(t.inputs) > 1]
    assert flattens == []  # the local runner holds the whole input of a Flatten in memory


def test_dataflow_graph_breaks_fusion_after_the_split(gcs, monkeypatch):
    monkeypatch.chdir(ROOT)
    pipeline, _ = proto_of(dataflow_argv(gcs, "--input", gcs.uri("in/dump.jsonl")))
    result = pipeline.run()
    assert result.state == "DONE" and gcs.names() == []  # dry run: nothing staged or submitted
    assert_fusion_break_after_split(pipeline.runner.proto_pipeline)

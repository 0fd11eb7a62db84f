"""--streaming: GCS notifications over event time (TestStream on BundleBasedDirectRunner), objects on the emulator."""
import collections
import gzip
import json
import re
from datetime import datetime, timezone

import apache_beam as beam
import fastavro
import pytest
from apache_beam.io.filesystems import FileSystems
from apache_beam.io.gcp.pubsub import PubsubMessage
from apache_beam.testing import test_stream
from apache_beam.transforms.window import TimestampedValue

from pipeline import io as nbio
from pipeline import options as flags
from pipeline.streaming_progress import STOP_GRACE_SECONDS, Progress, should_stop
from pipeline.streaming import FINALIZE, BadNotification, ReadGenerations, build_streaming, parse_notification
from tests.conftest import SEEDS

T0 = 1_800_000_000  # 2027-01-15T08:00:00Z, a window boundary for 60 s windows
WINDOW = 60
SEED_FILES = sorted(SEEDS.iterdir())


def at_generation(bucket: str, name: str, generation: int, event: str = FINALIZE) -> PubsubMessage:
    """A GCS notification as Pub/Sub delivers it (payload format JSON_API_V1)."""
    payload = {"kind": "storage#object", "bucket": bucket, "name": name, "generation": str(generation)}
    attributes = {"eventType": event, "bucketId": bucket, "objectId": name, "objectGeneration": str(generation),
                  "payloadFormat": "JSON_API_V1"}
    return PubsubMessage(json.dumps(payload).encode(), attributes, message_id=f"{name}-{generation}-{event}")


def at(seconds: int, message: PubsubMessage) -> TimestampedValue:
    return TimestampedValue(message, T0 + seconds)


def window_name(start: int, pane: int) -> str:
    def stamp(offset):
        return datetime.fromtimestamp(T0 + offset, timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"part-{stamp(start)}-{stamp(start + WINDOW)}-{pane}-00000-of-00001.avro"


@pytest.fixture(params=["local", "gcs"])
def streamed(request, gcs, tmp_path):
    """The streaming pipeline's output over notifications for objects A..E (+ duplicates, a late one, junk)."""
    output = str(tmp_path / "out") if request.param == "local" else gcs.uri("out")
    return output, run_stream(gcs, output)


def run_stream(gcs, output: str, *flags_after: str) -> dict[str, str]:
    """Run the streaming pipeline into ``output``; returns {key: uri} of the objects A..E."""
    names = {}
    for key, seed in zip("ABC", SEED_FILES):
        names[key] = f"in/{key}_{seed.name}"
        gcs.upload(names[key], seed.read_bytes())
    names["D"] = "in/D_late.txt.gz"
    gcs.upload(names["D"], gzip.compress(SEED_FILES[0].read_bytes()))
    names["E"] = "in/E_truncated.txt.gz"
    gcs.upload(names["E"], gzip.compress(SEED_FILES[1].read_bytes())[:100])
    bucket = gcs.name
    generation = {key: gcs.generation(name) for key, name in names.items()}

    def notification(key, event=FINALIZE):
        return at_generation(bucket, names[key], generation[key], event)

    stream = (
        test_stream.TestStream()
        .advance_watermark_to(T0)
        .add_elements([at(10, notification("A")), at(20, notification("B")),
                       at(25, notification("C", event="OBJECT_DELETE")),
                       at(30, notification("A")),  # duplicate
                       at(40, PubsubMessage(b"not json", {"eventType": FINALIZE}, message_id="junk"))])
        .advance_watermark_to(T0 + 70)
        .add_elements([at(75, notification("C")), at(80, notification("A")),  # duplicate, later window
                       at(85, notification("E")),
                       at(90, at_generation(bucket, "elsewhere/ignored.json", 1))])  # outside --input
        .advance_watermark_to(T0 + 130)
        .add_elements([at(50, notification("D")),  # late, within the allowed lateness
                       at(55, notification("B"))])  # late duplicate
        .advance_watermark_to(T0 + 200)
        .advance_watermark_to_infinity()
    )
    options = flags.parse(["--streaming", "--subscription", "projects/test-project/subscriptions/unused",
                           "--runner", "BundleBasedDirectRunner", "--input", gcs.uri("in/*"),
                           "--output", output, "--window_seconds", str(WINDOW), "--allowed_lateness_seconds", "600",
                           *flags_after])
    pipeline = beam.Pipeline(options=options)
    build_streaming(pipeline | stream, options.view_as(flags.NewsbeamOptions), datetime.now(timezone.utc))
    pipeline.run().wait_until_finish()
    return {key: gcs.uri(name) for key, name in names.items()}


def read_files(output: str, directory: str) -> dict[str, list[dict]]:
    """{file name: records} of the Avro files in ``output/directory`` (local or gs://)."""
    files = {}
    for match in FileSystems.match([FileSystems.join(output, directory, "*.avro")])[0].metadata_list:
        with FileSystems.open(match.path) as handle:
            files[match.path.rsplit("/", 1)[1]] = list(fastavro.reader(handle))
    return files


def without_digest(name: str) -> str:
    """A window file's name without its content digest (the 12 hex digits before the shard)."""
    return re.sub(r"-[0-9a-f]{12}(-\d{5}-of-\d{5}\.avro)$", r"\1", name)


def uris_by_file(output: str, directory: str) -> dict[str, list[str]]:
    return {without_digest(name): sorted(r["source_uri"] for r in records) for name, records in read_files(output, directory).items()}


def test_one_set_of_files_per_window(streamed):
    output, uri = streamed
    assert uris_by_file(output, "articles") == {
        window_name(0, 0): sorted([uri["A"], uri["B"]]),  # on time; the duplicate of A dropped
        window_name(0, 1): [uri["D"]],                    # late pane of the first window
        window_name(60, 0): [uri["C"]],                   # A's later duplicate dropped too
    }
    letters = {without_digest(name): [(r["stage"], r["error_class"]) for r in records]
               for name, records in read_files(output, "dead_letter").items()}
    assert letters == {window_name(0, 0): [("notification", "BadNotification")],
                       window_name(60, 0): [("read", "CorruptInput")]}
    everything = FileSystems.match([FileSystems.join(output, "*", "*")])[0].metadata_list
    assert len(everything) == 5, [m.path for m in everything]  # no temporary files left


def test_num_shards_applies_to_articles_and_dead_letters(gcs, tmp_path):
    output = str(tmp_path / "out")
    run_stream(gcs, output, "--num_shards", "2")
    for directory in ("articles", "dead_letter"):
        names = read_files(output, directory)
        assert names and all(name.endswith("-of-00002.avro") for name in names), (directory, sorted(names))


def test_records_are_complete(streamed):
    output, _ = streamed
    records = [r for records in read_files(output, "articles").values() for r in records]
    assert len({r["article_id"] for r in records}) == len(records) == 4
    assert all(r["entities"] and r["title"] for r in records)


@pytest.mark.parametrize("data, attributes, expected", [
    (b'{"bucket": "b", "name": "x/y.txt", "generation": "7"}', {"eventType": FINALIZE}, {"uri": "gs://b/x/y.txt", "generation": "7"}),
    (b"", {"eventType": FINALIZE, "bucketId": "b", "objectId": "y.txt", "objectGeneration": "3"}, {"uri": "gs://b/y.txt", "generation": "3"}),
    (b'{"bucket": "b", "name": "y.txt"}', {"eventType": "OBJECT_DELETE"}, None),
    (b'{"bucket": "b", "name": "y.txt"}', {}, None),
])
def test_parse_notification(data, attributes, expected):
    assert parse_notification(data, attributes) == expected


@pytest.mark.parametrize("data", [b"not json", b'{"kind": "storage#object"}'])
def test_bad_notifications_say_what_to_do(data):
    with pytest.raises(BadNotification, match="JSON_API_V1"):
        parse_notification(data, {"eventType": FINALIZE})


@pytest.mark.parametrize("args, message", [
    (["--streaming", "--output", "out"], "--streaming needs --subscription"),
    (["--streaming", "--subscription", "projects/p/subscriptions/s", "--output", "out", "--incremental"], "--incremental is for batch"),
    (["--streaming", "--subscription", "projects/p/subscriptions/s", "--output", "out", "--max_messages", "-1"], "--max_messages"),
    (["--streaming", "--subscription", "projects/p/subscriptions/s", "--output", "out", "--near_duplicates"], "run it in batch"),
])
def test_streaming_flags_fail_fast(args, message):
    with pytest.raises(flags.ConfigError, match=message):
        flags.parse(args)


def test_a_restarted_job_never_replaces_an_earlier_jobs_file(gcs, tmp_path):
    """Pane indexes start again at 0 in a new job: the same window and pane must not overwrite the first job's file."""
    output = str(tmp_path / "out")
    for key, seed in zip("AB", SEED_FILES):
        name = f"in/{key}_{seed.name}"
        gcs.upload(name, seed.read_bytes())
        stream = (test_stream.TestStream().advance_watermark_to(T0)
                  .add_elements([at(10, at_generation(gcs.name, name, gcs.generation(name)))])
                  .advance_watermark_to_infinity())
        options = flags.parse(["--streaming", "--subscription", "projects/test-project/subscriptions/unused",
                               "--runner", "BundleBasedDirectRunner", "--output", output, "--window_seconds", str(WINDOW)])
        pipeline = beam.Pipeline(options=options)
        build_streaming(pipeline | stream, options.view_as(flags.NewsbeamOptions), datetime.now(timezone.utc))
        pipeline.run().wait_until_finish()
    files = uris_by_file(output, "articles")
    assert len(read_files(output, "articles")) == 2 and list(files) == [window_name(0, 0)]


@pytest.mark.parametrize("counters, in_flight", [
    ({}, False),
    ({"messages": 1}, True),                                                                           # not yet parsed
    ({"messages": 3, "notifications_bad": 1, "notifications_ignored": 1, "notifications": 1}, True),  # not yet deduplicated
    ({"messages": 2, "notifications": 2, "notifications_duplicate": 1, "objects": 1}, True),          # not yet read
    ({"messages": 1, "notifications": 1, "objects": 1, "objects_read": 1, "read": 2, "written": 1}, True),  # one in NLP
    ({"messages": 1, "notifications": 1, "objects": 1, "objects_read": 1, "read": 1, "written": 1}, True),  # not in a file
    ({"messages": 2, "notifications": 2, "notifications_duplicate": 1, "objects": 1, "objects_read": 1, "read": 1,
      "written": 1, "filed_article": 1}, False),
    ({"messages": 1, "notifications": 1, "objects": 1, "objects_gone": 1, "read": 1, "dead_lettered": 1,
      "filed_dead_letter": 1}, False),
])
def test_in_flight(counters, in_flight):
    assert Progress(counters).in_flight is in_flight


@pytest.mark.parametrize("messages, busy, elapsed, expected", [
    (4, False, 1, False),   # below --max_messages 5
    (5, True, 1, False),    # reached, but still in flight
    (5, False, 1, True),
    (0, False, 30, True),   # --max_seconds 30
    (0, True, 30, False),
    (0, True, 30 + 10 + STOP_GRACE_SECONDS, True),  # in flight too long after --max_seconds
])
def test_should_stop(messages, busy, elapsed, expected):
    counters = {"messages": messages, "notifications_ignored": messages - busy}
    assert should_stop(Progress(counters), elapsed, max_messages=5, max_seconds=30, window_seconds=10) is expected


def test_an_object_is_in_flight_until_its_inputs_are_read(gcs, monkeypatch):
    """objects_read is counted once the object's inputs are: a job stopped by --max_messages while
    the object downloads must not see its work as done (the live restart test lost a file so)."""
    name = "in/slow.txt"
    gcs.upload(name, SEED_FILES[0].read_bytes())
    seen_while_reading = []

    class Watched(ReadGenerations):
        def _open(self, uri):
            seen_while_reading.append(Progress(dict(nbio.LOCAL_COUNTS)).in_flight)
            return super()._open(uri)

    monkeypatch.setattr(nbio, "LOCAL_COUNTS", collections.Counter(messages=1, notifications=1, objects=1))
    reader = Watched(nbio.ReadSettings())
    reader.setup()
    outputs = list(reader.process({"uri": gcs.uri(name), "generation": str(gcs.generation(name))}))
    assert len(outputs) == 1 and seen_while_reading == [True]
    assert nbio.LOCAL_COUNTS["objects_read"] == 1 and nbio.LOCAL_COUNTS["read"] == 1

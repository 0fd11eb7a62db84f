"""--streaming: GCS notifications over event time (TestStream on BundleBasedDirectRunner), objects on the emulator."""
import gzip
import json
from datetime import datetime, timezone

import apache_beam as beam
import fastavro
import pytest
from apache_beam.io.filesystems import FileSystems
from apache_beam.io.gcp.pubsub import PubsubMessage
from apache_beam.testing import test_stream
from apache_beam.transforms.window import TimestampedValue

from pipeline import options as flags
from pipeline.streaming import FINALIZE, BadNotification, build_streaming, parse_notification
from tests.conftest import SEEDS

T0 = 1_800_000_000  # 2027-01-15T08:00:00Z, a window boundary for 60 s windows
WINDOW = 60
SEED_FILES = sorted(SEEDS.iterdir())


def notification(bucket: str, name: str, generation: int = 1, event: str = FINALIZE) -> PubsubMessage:
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
    stream = (
        test_stream.TestStream()
        .advance_watermark_to(T0)
        .add_elements([at(10, notification(bucket, names["A"])), at(20, notification(bucket, names["B"])),
                       at(25, notification(bucket, names["C"], event="OBJECT_DELETE")),
                       at(30, notification(bucket, names["A"])),  # duplicate
                       at(40, PubsubMessage(b"not json", {"eventType": FINALIZE}, message_id="junk"))])
        .advance_watermark_to(T0 + 70)
        .add_elements([at(75, notification(bucket, names["C"])), at(80, notification(bucket, names["A"])),  # duplicate, later window
                       at(85, notification(bucket, names["E"])),
                       at(90, notification(bucket, "elsewhere/ignored.json"))])  # outside --input
        .advance_watermark_to(T0 + 130)
        .add_elements([at(50, notification(bucket, names["D"])),  # late, within the allowed lateness
                       at(55, notification(bucket, names["B"]))])  # late duplicate
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


def uris_by_file(output: str, directory: str) -> dict[str, list[str]]:
    return {name: sorted(r["source_uri"] for r in records) for name, records in read_files(output, directory).items()}


def test_one_set_of_files_per_window(streamed):
    output, uri = streamed
    assert uris_by_file(output, "articles") == {
        window_name(0, 0): sorted([uri["A"], uri["B"]]),  # on time; the duplicate of A dropped
        window_name(0, 1): [uri["D"]],                    # late pane of the first window
        window_name(60, 0): [uri["C"]],                   # A's later duplicate dropped too
    }
    letters = {name: [(r["stage"], r["error_class"]) for r in records] for name, records in read_files(output, "dead_letter").items()}
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
    (["--streaming", "--subscription", "projects/p/subscriptions/s", "--output", "out", "--near_duplicates"], "run it in batch"),
])
def test_streaming_flags_fail_fast(args, message):
    with pytest.raises(flags.ConfigError, match=message):
        flags.parse(args)

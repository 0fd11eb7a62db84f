"""``--streaming``: GCS object notifications from Pub/Sub -> articles in windowed Avro files.

Each ``OBJECT_FINALIZE`` notification (JSON API payload with ``bucket``, ``name``, ``generation``)
names a new object; it is read, ingested like a batch input and written to the window of the
notification's event time (its Pub/Sub publish time). Other event types are ignored.
Duplicates (same object and generation, e.g. Pub/Sub redelivery or a repeated notification) are
dropped for ``DEDUPE_HOURS`` of event time; late notifications within ``--allowed_lateness_seconds``
add a late pane (its own file) to their window, later ones are dropped by Beam.
"""
import fnmatch
import json
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.transforms import trigger, window
from apache_beam.transforms.deduplicate import DeduplicatePerKey
from apache_beam.utils.timestamp import Duration

from pipeline import io as nbio
from pipeline.io import ARTICLES_DIR, DEAD_LETTER, DEAD_LETTER_DIR, count
from pipeline.options import NewsbeamOptions
from pipeline.partition import partition_of
from pipeline.stages import IngestArticles, stamp_dead_letter
from pipeline.summary import Summary
from pipeline.windowed import WriteWindowedAvro
from transforms.source import InputError, source

FINALIZE = "OBJECT_FINALIZE"
DEDUPE_HOURS = 24


class BadNotification(InputError):
    """A Pub/Sub message that is not a usable GCS object notification."""


def parse_notification(data: bytes, attributes: dict) -> dict | None:
    """``{"uri", "generation"}`` of a finalized object, None for other event types; raises BadNotification."""
    if (attributes or {}).get("eventType") != FINALIZE:
        return None
    try:
        payload = json.loads(data) if data else {}
    except ValueError as error:
        raise BadNotification("notification", f"payload is not JSON ({error}); configure the bucket notification "
                                              "with payload format JSON_API_V1") from None
    bucket = payload.get("bucket") or attributes.get("bucketId")
    name = payload.get("name") or attributes.get("objectId")
    if not bucket or not name:
        raise BadNotification("notification", "payload has no bucket and name (nor bucketId/objectId attributes); "
                                              "configure the bucket notification with payload format JSON_API_V1")
    generation = str(payload.get("generation") or attributes.get("objectGeneration") or "")
    return {"uri": f"gs://{bucket}/{name}", "generation": generation}


class ParseNotifications(beam.DoFn):
    """PubsubMessage -> (uri#generation, uri) for finalized objects matching ``patterns``; bad ones -> dead letters."""

    def __init__(self, patterns: list[str] | None):
        self._patterns = patterns or []

    def process(self, message):
        try:
            notification = parse_notification(message.data, message.attributes)
        except BadNotification as error:
            uri = f"pubsub:{getattr(message, 'message_id', None) or 'unknown-message'}"
            yield nbio.dead_letter_output(source(uri, "notification"), "notification", error, raw=message.data)
            return
        if notification is None or not self._wanted(notification["uri"]):
            count("notifications_ignored")
            return
        count("notifications")
        yield f"{notification['uri']}#{notification['generation']}", notification["uri"]

    def _wanted(self, uri: str) -> bool:
        return not self._patterns or any(fnmatch.fnmatchcase(uri, pattern) for pattern in self._patterns)


class ReadNotifiedSources(beam.PTransform):
    """PubsubMessages -> new objects' source dicts, deduplicated and windowed (+ dead letters)."""

    def __init__(self, patterns, window_seconds: int, allowed_lateness_seconds: int, settings: nbio.ReadSettings):
        super().__init__()
        self._patterns = patterns
        self._window_seconds = window_seconds
        self._allowed_lateness = allowed_lateness_seconds
        self._settings = settings

    def _windowing(self) -> beam.WindowInto:
        """Fixed windows that fire when the watermark passes, then once per late element."""
        return beam.WindowInto(
            window.FixedWindows(self._window_seconds),
            trigger=trigger.AfterWatermark(late=trigger.AfterCount(1)),
            allowed_lateness=Duration(seconds=self._allowed_lateness),
            accumulation_mode=trigger.AccumulationMode.DISCARDING,
        )

    def expand(self, messages):
        parsed = messages | "Parse" >> beam.ParDo(ParseNotifications(self._patterns)).with_outputs(DEAD_LETTER, main="objects")
        uris = (
            parsed.objects
            | "Deduplicate" >> DeduplicatePerKey(event_time_duration=Duration(seconds=DEDUPE_HOURS * 3600))
            | "Uris" >> beam.Values()
            | "Window" >> self._windowing()
        )
        read = uris | "Read" >> nbio.ReadMatchedFiles(self._settings, split_bytes=None)
        notification_letters = parsed[DEAD_LETTER] | "WindowBadNotifications" >> self._windowing()
        return read.sources, (read[DEAD_LETTER], notification_letters) | "ReadDeadLetters" >> beam.Flatten()


def build_streaming(messages, nb, run_started: datetime) -> None:
    """Notifications -> read -> ingest -> windowed Avro for articles and dead letters."""
    sources, read_letters = messages | "Notifications" >> ReadNotifiedSources(
        nb.input, nb.window_seconds, nb.allowed_lateness_seconds, nbio.ReadSettings.from_options(nb))
    records, dead_letters = sources | "Ingest" >> IngestArticles.from_options(nb, run_started)
    records | "WriteArticles" >> WriteWindowedAvro(
        nb.output, ARTICLES_DIR, "article", nb.avro_codec, "article_id", nb.num_shards,
        partition_of if nb.partition_by_date else None)
    (
        (read_letters, dead_letters)
        | "AllDeadLetters" >> beam.Flatten()
        | "Stamp" >> beam.Map(stamp_dead_letter, run_started)
        | "WriteDeadLetters" >> WriteWindowedAvro(
            nb.output, DEAD_LETTER_DIR, "dead_letter", nb.avro_codec, "source_uri", nb.num_shards)
    )


def streaming_pipeline(options) -> beam.Pipeline:
    """The streaming pipeline on --subscription, built and not started."""
    nb = options.view_as(NewsbeamOptions)
    pipeline = beam.Pipeline(options=options)
    messages = pipeline | "ReadNotifications" >> beam.io.ReadFromPubSub(subscription=nb.subscription, with_attributes=True)
    build_streaming(messages, nb, datetime.now(timezone.utc))
    return pipeline


def run_streaming(options) -> Summary:
    """Start the streaming job and wait (on Dataflow, Ctrl-C leaves the job running)."""
    nb = options.view_as(NewsbeamOptions)
    result = streaming_pipeline(options).run()
    result.wait_until_finish()
    return Summary({}, 0.0, output=nb.output, notes=[f"streaming job ended in state {result.state}"])

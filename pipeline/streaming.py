"""``--streaming``: GCS object notifications from Pub/Sub -> articles in windowed Avro files.

Each ``OBJECT_FINALIZE`` notification (JSON API payload with ``bucket``, ``name``, ``generation``)
names one generation of an object. That generation is read (not whatever the name holds later),
ingested like a batch input and written to the window of the notification's event time (its
Pub/Sub publish time). Other event types are ignored. Every notification ends as exactly one of:
ignored, duplicate, dead letter (malformed message; generation deleted or overwritten before it
was read) or the records of its object:

- duplicates (same object and generation: Pub/Sub redelivery, or GCS notifying twice) are
  dropped for ``DEDUPE_HOURS`` of event time by state per ``gs://bucket/name#generation``;
- late notifications within ``--allowed_lateness_seconds`` add a late pane (its own file) to
  their window, later ones are dropped by Beam.

``run_streaming`` logs progress from the job's counters and stops on ``--max_messages`` /
``--max_seconds`` (see docs/cloud.md for what each runner guarantees across restarts).
"""
import fnmatch
import json
import logging
import threading
import time
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.coders import BooleanCoder
from apache_beam.options.pipeline_options import StandardOptions
from apache_beam.transforms import trigger, window
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import ReadModifyWriteStateSpec, TimerSpec, on_timer
from apache_beam.utils.timestamp import Duration

from pipeline import io as nbio
from pipeline.io import ARTICLES_DIR, DEAD_LETTER, DEAD_LETTER_DIR, count
from pipeline.options import LOCAL_STREAMING_RUNNER, NewsbeamOptions
from pipeline.partition import partition_of
from pipeline.streaming_progress import Progress, progress_of, should_stop
from pipeline.stages import IngestArticles, stamp_dead_letter
from pipeline.summary import Summary
from pipeline.windowed import WriteWindowedAvro
from transforms.formats.detect import detect_format
from transforms.formats.ranges import Part
from transforms.source import InputError, VanishedInput, source

FINALIZE = "OBJECT_FINALIZE"
DEDUPE_HOURS = 24
POLL_SECONDS = 1
REMOTE_POLL_SECONDS = 30  # a runner's metrics API (Dataflow's) is asked at most this often
PROGRESS_SECONDS = 5  # a progress line at most this often when something changed,
IDLE_PROGRESS_SECONDS = 60  # and this often when nothing did
log = logging.getLogger("newsbeam.streaming")


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
    if not isinstance(payload, dict):
        raise BadNotification("notification", "payload is not a JSON object; configure the bucket notification "
                                              "with payload format JSON_API_V1")
    bucket = payload.get("bucket") or attributes.get("bucketId")
    name = payload.get("name") or attributes.get("objectId")
    if not bucket or not name:
        raise BadNotification("notification", "payload has no bucket and name (nor bucketId/objectId attributes); "
                                              "configure the bucket notification with payload format JSON_API_V1")
    generation = str(payload.get("generation") or attributes.get("objectGeneration") or "")
    if generation and not generation.isdigit():
        raise BadNotification("notification", f"generation {generation!r} of gs://{bucket}/{name} is not a number; "
                                              "send the notification GCS sends (payload format JSON_API_V1)")
    return {"uri": f"gs://{bucket}/{name}", "generation": generation}


def _failed(letter_source: dict, error: InputError, raw=None) -> beam.pvalue.TaggedOutput:
    """A notification that yields no input: counted as read, so read = written + dead-lettered holds."""
    count("read")
    count(f"read_{letter_source['source_format']}")
    return nbio.dead_letter_output(letter_source, error.stage, error, raw=raw)


class ParseNotifications(beam.DoFn):
    """PubsubMessage -> (uri#generation, notification) for finalized objects matching ``patterns``;
    bad ones -> dead letters (so the message is acked, never retried forever)."""

    def __init__(self, patterns: list[str] | None):
        self._patterns = patterns or []

    def process(self, message):
        count("messages")
        try:
            notification = parse_notification(message.data, message.attributes)
        except BadNotification as error:
            uri = f"pubsub:{getattr(message, 'message_id', None) or 'unknown-message'}"
            count("notifications_bad")
            yield _failed(source(uri, "notification"), error, raw=message.data)
            return
        if notification is None or not self._wanted(notification["uri"]):
            count("notifications_ignored")
            return
        count("notifications")
        yield f"{notification['uri']}#{notification['generation']}", notification

    def _wanted(self, uri: str) -> bool:
        return not self._patterns or any(fnmatch.fnmatchcase(uri, pattern) for pattern in self._patterns)


class FirstPerKey(beam.DoFn):
    """Keep the first value per key for ``hours`` of event time (state per key); count the others as duplicates.

    Beam's DeduplicatePerKey, with the counts that tell progress what is still in flight."""

    SEEN = ReadModifyWriteStateSpec("seen", BooleanCoder())
    EXPIRY = TimerSpec("expiry", TimeDomain.WATERMARK)

    def __init__(self, hours: int = DEDUPE_HOURS):
        self._duration = Duration(seconds=hours * 3600)

    def process(self, element, timestamp=beam.DoFn.TimestampParam,
                seen=beam.DoFn.StateParam(SEEN), expiry=beam.DoFn.TimerParam(EXPIRY)):
        if seen.read():
            count("notifications_duplicate")
            return
        seen.write(True)
        expiry.set(timestamp + self._duration)
        count("objects")
        yield element[1]

    @on_timer(EXPIRY)
    def _forget(self, seen=beam.DoFn.StateParam(SEEN)):
        seen.clear()


class ReadGenerations(nbio._ReadPart):  # pylint: disable=protected-access
    """Notification -> the source dicts of its object generation; gone (deleted or overwritten) -> a dead letter."""

    def setup(self):
        from apache_beam.io.gcp.gcsio import GcsIO
        self._client = GcsIO().client

    def process(self, notification):
        uri, generation = notification["uri"], notification["generation"]
        bucket, name = uri[len("gs://"):].split("/", 1)
        blob = self._client.bucket(bucket).get_blob(name, generation=int(generation) if generation else None)
        if blob is None or (generation and str(blob.generation) != generation):
            count("objects_gone")
            yield _failed(source(uri, detect_format(uri, b"")), VanishedInput(
                "read", f"{uri} generation {generation or '(latest)'} no longer exists: the object was deleted or "
                        "overwritten before newsbeam read it; upload it again to ingest it"))
            return
        self._blob = blob
        yield from super().process(Part(uri, "file", self._settings.input_format, 0, blob.size or 0, size=blob.size or 0))
        count("objects_read")  # only now: until its inputs are counted as read, the object is in flight

    def _open(self, uri: str):
        """Exactly the notified generation (``process`` fetched its blob)."""
        from apache_beam.io.gcp.gcsio import BeamBlobReader
        return BeamBlobReader(self._blob)


class ReadNotifiedSources(beam.PTransform):
    """PubsubMessages -> new object generations' source dicts, deduplicated and windowed (+ dead letters)."""

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
        read = (
            parsed.objects
            | "Deduplicate" >> beam.ParDo(FirstPerKey()).with_input_types(tuple[str, dict])  # a deterministic key coder
            | "Window" >> self._windowing()
            | "Read" >> beam.ParDo(ReadGenerations(self._settings)).with_outputs(DEAD_LETTER, main="sources")
        )
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
    """Start the streaming job, log its progress and stop it on --max_messages /
    --max_seconds; without them, wait (on Dataflow, Ctrl-C leaves the job running)."""
    nb = options.view_as(NewsbeamOptions)
    log.setLevel(logging.INFO)
    local = options.view_as(StandardOptions).runner == LOCAL_STREAMING_RUNNER
    nbio.LOCAL_COUNTS.clear()
    nbio.LOCAL_GAUGES.clear()
    clock = time.monotonic()
    result = streaming_pipeline(options).run()
    failure = []
    waiter = threading.Thread(target=_wait, args=(result, failure), daemon=True)
    waiter.start()
    progress, logged, stopped = Progress({}), (0.0, None), False
    while waiter.is_alive():
        waiter.join(POLL_SECONDS if local else REMOTE_POLL_SECONDS)
        progress, elapsed = progress_of(result, local), time.monotonic() - clock
        since = elapsed - logged[0]
        if (since >= PROGRESS_SECONDS and progress.counters != logged[1]) or since >= IDLE_PROGRESS_SECONDS:
            log.info(progress.line(time.time()))
            logged = (elapsed, progress.counters)
        if should_stop(progress, elapsed, nb.max_messages, nb.max_seconds, nb.window_seconds):
            stopped = True
            # the local runner's cancel waits for its Pub/Sub pull in progress (up to 30 s): not waited for
            threading.Thread(target=result.cancel, daemon=True).start() if local else result.cancel()
            break
    if failure:
        raise failure[0]
    notes = [f"streaming job ended in state {result.state}"]
    if stopped:
        progress = progress_of(result, local)
        log.info(progress.line(time.time()))
        notes = [f"stopped by --max_messages/--max_seconds after {progress.get('messages')} messages"
                 + (" with work still in flight" if progress.in_flight else "")]
    return Summary(progress.counters, time.monotonic() - clock, output=nb.output, notes=notes)


def _wait(result, failure: list) -> None:
    try:
        result.wait_until_finish()
    except Exception as error:  # re-raised in the launching thread
        failure.append(error)

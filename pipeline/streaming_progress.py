"""A running streaming job's progress from its newsbeam counters, and when ``--max_messages`` /
``--max_seconds`` stop it.

Every message is accounted for at each stage, so "nothing in flight" is a set of equalities
between counters: each message was parsed (a notification, malformed or ignored), each wanted
notification is a duplicate or an object, each object was read to its end or is gone, each input
read ended as an article, a dead letter or a ``--dedupe`` duplicate, and each article and dead
letter is in a finished file.
"""
from dataclasses import dataclass

from apache_beam.metrics.metric import MetricsFilter

from pipeline.io import LOCAL_COUNTS, LOCAL_GAUGES, NAMESPACE
from pipeline.summary import counters

STOP_GRACE_SECONDS = 60  # after --max_seconds, how long to wait (beyond one window) for in-flight work


@dataclass(frozen=True)
class Progress:
    counters: dict
    watermark: float | None = None  # end of the latest window written (Unix seconds), if any

    def get(self, name: str) -> int:
        return self.counters.get(name, 0)

    @property
    def in_flight(self) -> bool:
        """Received but not yet in a finished file (or dropped as a duplicate)."""
        produced = self.get("written") + self.get("dead_lettered")
        classified = self.get("notifications") + self.get("notifications_bad") + self.get("notifications_ignored")
        return (self.get("messages") != classified
                or self.get("notifications") != self.get("notifications_duplicate") + self.get("objects")
                or self.get("objects") != self.get("objects_read") + self.get("objects_gone")
                or self.get("read") != produced + self.get("duplicates")
                or produced != self.get("filed_article") + self.get("filed_dead_letter"))

    def line(self, now: float) -> str:
        lag = f"{now - self.watermark:.1f} s" if self.watermark else "- (no window written yet)"
        return (f"streaming: {self.get('messages')} messages received ({self.get('notifications_duplicate')} duplicate, "
                f"{self.get('notifications_bad')} malformed, {self.get('notifications_ignored')} ignored), "
                f"{self.get('filed_article')} articles and {self.get('filed_dead_letter')} dead letters in files, "
                f"watermark lag {lag}{', work in flight' if self.in_flight else ''}")


def should_stop(progress: Progress, elapsed: float, max_messages: int, max_seconds: int, window_seconds: int) -> bool:
    """True once a limit is reached and nothing is in flight, or ``window_seconds`` + STOP_GRACE_SECONDS past --max_seconds."""
    if max_seconds and elapsed >= max_seconds + window_seconds + STOP_GRACE_SECONDS:
        return True
    reached = ((max_messages and progress.get("messages") >= max_messages)
               or (max_seconds and elapsed >= max_seconds))
    return bool(reached) and not progress.in_flight


def progress_of(result, local: bool) -> Progress:
    """The newsbeam counters and the output watermark gauge of a running job: from this process on
    the in-process local runner (``local``), whose Beam metrics stop moving, else from Beam's metrics."""
    if local:
        return Progress(dict(LOCAL_COUNTS), LOCAL_GAUGES.get("filed_window_end"))
    gauges = result.metrics().query(MetricsFilter().with_namespace(NAMESPACE).with_name("filed_window_end"))["gauges"]
    ends = [gauge.committed.value for gauge in gauges if gauge.committed is not None]
    return Progress(counters(result), max(ends) if ends else None)

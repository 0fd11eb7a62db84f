"""Progress lines on stderr, printed by each worker process at most every 15 s (--quiet: none).

On the local runner the DoFns run in worker processes (or in the launcher with one worker)
and Beam's metrics arrive only at the end, so each worker reports its own share: the articles
and words it has written, its words/s and, when the run's input bytes and worker count are
known, an ETA from the input bytes its finished parts held. On Dataflow the same lines go to
the workers' logs; the job page shows the job's progress.
"""
import os
import sys
import time
from dataclasses import dataclass

import apache_beam as beam

INTERVAL_SECONDS = 15.0


class _Tally:
    """What this worker process has done so far (one per process, shared by its DoFns)."""

    def __init__(self):
        self.started = time.monotonic()
        self.reported = self.started
        self.inputs = self.articles = self.words = self.bytes_done = 0


_TALLY = _Tally()


def part_done(size: int) -> None:
    """A part of ``size`` input bytes was read to its end by this worker."""
    _TALLY.bytes_done += size


def input_read() -> None:
    _TALLY.inputs += 1


def progress_line(worker: str, inputs: int, articles: int, words: int, seconds: float,
                  bytes_done: int, bytes_share: int | None) -> str:
    """One progress line; the ETA assumes the worker does ``bytes_share`` input bytes at its rate so far."""
    rate = words / seconds if seconds > 0 else 0.0
    line = (f"newsbeam progress ({worker}): {inputs:,} inputs read, {articles:,} articles written, "
            f"{words:,} words, {rate:,.0f} words/s, {seconds:,.0f} s")
    if bytes_share and 0 < bytes_done < bytes_share:
        left = max(bytes_share - bytes_done, 0) * seconds / bytes_done
        line += f", about {min(bytes_done / bytes_share, 1):.0%} of its input, ETA {_duration(left)}"
    return line


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


@dataclass(frozen=True)
class ProgressSettings:
    """Whether workers report (``quiet``: no) and the input bytes each is expected to read
    (``bytes_share``; None: unknown, no ETA)."""

    quiet: bool = True
    bytes_share: int | None = None

    def report(self) -> None:
        """Print this worker's progress line if the last one is 15 s old."""
        now = time.monotonic()
        if self.quiet or now - _TALLY.reported < INTERVAL_SECONDS:
            return
        _TALLY.reported = now
        print(progress_line(f"worker {os.getpid()}", _TALLY.inputs, _TALLY.articles, _TALLY.words,
                            now - _TALLY.started, _TALLY.bytes_done, self.bytes_share), file=sys.stderr, flush=True)


class ReportProgress(beam.DoFn):
    """Article records pass through unchanged; counts them and reports (``ProgressSettings``)."""

    def __init__(self, settings: ProgressSettings):
        self._settings = settings

    def process(self, record: dict):
        _TALLY.articles += 1
        _TALLY.words += record.get("word_count") or 0
        self._settings.report()
        yield record

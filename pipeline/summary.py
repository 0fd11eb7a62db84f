"""What a run did: counters from Beam metrics and one record read back from the output."""
import json
from dataclasses import dataclass, field

import fastavro
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics.metric import MetricsFilter

from pipeline.io import ARTICLES_DIR, DEAD_LETTER_DIR, NAMESPACE, REASON

FILES_SHOWN = 5


@dataclass
class Summary:
    counters: dict[str, int]
    elapsed_seconds: float
    sample_record: dict | None = None
    output: str = ""
    notes: list[str] = field(default_factory=list)
    files: list[tuple[str, int]] = field(default_factory=list)  # (path under output, bytes)

    def get(self, name: str) -> int:
        return self.counters.get(name, 0)

    def balanced_for(self, suffix: str = "") -> bool:
        """Read = written + dead-lettered (+ duplicates), overall or for one ``_<format>`` suffix."""
        return self.get("read" + suffix) == sum(
            self.get(name + suffix) for name in ("written", "dead_lettered", "duplicates", "language_filtered"))

    @property
    def balanced(self) -> bool:
        """Every input is accounted for, overall and per input format."""
        return self.balanced_for() and all(self.balanced_for("_" + fmt) for fmt in self.formats)

    @property
    def formats(self) -> list[str]:
        return sorted(name[len("read_"):] for name in self.counters if name.startswith("read_"))

    def _equation(self, suffix: str = "") -> str:
        read, written, dead = (self.get(name + suffix) for name in ("read", "written", "dead_lettered"))
        duplicates = self.get("duplicates" + suffix)
        return (f"read {read} = written {written} + dead-lettered {dead}"
                + (f" + duplicates {duplicates}" if duplicates else "")
                + (f" + other languages {filtered}" if (filtered := self.get("language_filtered" + suffix)) else "")
                + (": OK" if self.balanced_for(suffix) else ": MISMATCH"))

    def render(self) -> str:
        lines = [
            f"newsbeam wrote to {self.output}",
            f"  articles read:          {self.get('read')}",
            f"  articles written:       {self.get('written')}",
            f"  dead-lettered:          {self.get('dead_lettered')}",
        ]
        reasons = sorted((name[len(REASON):], self.get(name)) for name in self.counters if name.startswith(REASON))
        lines += [f"    {reason + ':':<22}{number}" for reason, number in reasons]
        if self.get("duplicates"):
            lines.append(f"  duplicates dropped:     {self.get('duplicates')}")
        lines.append(f"  accounting:             {self._equation()}")
        lines += [f"    {fmt + ':':<22}{self._equation('_' + fmt)}" for fmt in self.formats]
        languages = sorted(name[len("lang_"):] for name in self.counters if name.startswith("lang_"))
        if languages:
            lines.append("  languages:              " + ", ".join(f"{code} {self.get('lang_' + code)}" for code in languages))
        skipped = sorted(name for name in self.counters if name.startswith("skipped_"))
        lines += [f"  not articles, skipped:  {name[len('skipped_'):]} {self.get(name)}" for name in skipped]
        if self.get("files_without_articles"):
            lines.append(f"  warning:                {self.get('files_without_articles')} input file(s) gave no article; "
                         "their dead letters say why")
        words_per_second = self.get("words") / self.elapsed_seconds if self.elapsed_seconds else 0
        lines += [
            f"  entities:               {self.get('entities')}",
            f"  quotes:                 {self.get('quotes')}",
            f"  words:                  {self.get('words')} ({words_per_second:,.0f} words/s)",
            f"  elapsed:                {self.elapsed_seconds:.1f} s",
        ]
        lines += [f"  note:                   {note}" for note in self.notes]
        lines += self._file_lines()
        if self.sample_record is not None:
            lines += ["  one record (shortened):", json.dumps(shorten(self.sample_record), indent=2, ensure_ascii=False, default=str)]
        return "\n".join(lines)

    def _file_lines(self) -> list[str]:
        if not self.files:
            return []
        lines = [f"  output files:           {len(self.files)}, {sum(size for _, size in self.files):,} bytes"]
        lines += [f"    {path} ({size:,} bytes)" for path, size in self.files[:FILES_SHOWN]]
        if len(self.files) > FILES_SHOWN:
            lines.append(f"    ... and {len(self.files) - FILES_SHOWN} more")
        return lines


def shorten(value, text_chars: int = 200, items: int = 2):
    """``value`` with strings cut to ``text_chars`` and lists to ``items`` (saying how many more)."""
    if isinstance(value, dict):
        return {key: shorten(item, text_chars, items) for key, item in value.items()}
    if isinstance(value, list):
        kept = [shorten(item, text_chars, items) for item in value[:items]]
        return kept + ([f"... {len(value) - items} more"] if len(value) > items else [])
    if isinstance(value, str) and len(value) > text_chars:
        return f"{value[:text_chars]}... ({len(value):,} characters)"
    return value


def counters(result) -> dict[str, int]:
    """newsbeam:* counters of a finished pipeline result."""
    query = result.metrics().query(MetricsFilter().with_namespace(NAMESPACE))
    totals: dict[str, int] = {}
    for counter in query["counters"]:
        value = counter.committed if counter.committed is not None else counter.attempted
        totals[counter.key.metric.name] = totals.get(counter.key.metric.name, 0) + (value or 0)
    return totals


def first_record(output: str) -> dict | None:
    """The first article record in ``<output>/articles`` (or a partition of it), or None."""
    patterns = [FileSystems.join(output, ARTICLES_DIR, "*.avro"), FileSystems.join(output, ARTICLES_DIR, "*", "*.avro")]
    for match in (m for result in FileSystems.match(patterns) for m in result.metadata_list):
        with FileSystems.open(match.path) as handle:
            for record in fastavro.reader(handle):
                return record
    return None


def output_files(output: str) -> list[tuple[str, int]]:
    """(path relative to ``output``, bytes) of every Avro file in its articles and dead_letter."""
    patterns = [FileSystems.join(output, directory, *stars, "*.avro")
                for directory, stars in ((ARTICLES_DIR, ()), (ARTICLES_DIR, ("*",)), (DEAD_LETTER_DIR, ()))]
    found = {m.path: m.size_in_bytes for result in FileSystems.match(patterns) for m in result.metadata_list}
    return [(path[len(output):].lstrip("/"), found[path]) for path in sorted(found)]


def summarize(result, output: str, elapsed_seconds: float) -> Summary:
    return Summary(counters(result), elapsed_seconds, first_record(output), output, files=output_files(output))

"""What a run did: counters from Beam metrics and one record read back from the output."""
import json
from dataclasses import dataclass, field

import fastavro
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics.metric import MetricsFilter

from pipeline.io import ARTICLES_DIR, NAMESPACE


@dataclass
class Summary:
    counters: dict[str, int]
    elapsed_seconds: float
    sample_record: dict | None = None
    output: str = ""
    notes: list[str] = field(default_factory=list)

    def get(self, name: str) -> int:
        return self.counters.get(name, 0)

    @property
    def balanced(self) -> bool:
        """Read = written + dead-lettered."""
        return self.get("read") == self.get("written") + self.get("dead_lettered")

    def render(self) -> str:
        read, written, dead = self.get("read"), self.get("written"), self.get("dead_lettered")
        lines = [
            f"newsbeam wrote to {self.output}",
            f"  articles read:          {read}",
            f"  articles written:       {written}",
            f"  dead-lettered:          {dead}",
            f"  accounting:             read {read} = written {written} + dead-lettered {dead}: "
            + ("OK" if self.balanced else "MISMATCH"),
        ]
        formats = sorted(name[len("read_"):] for name in self.counters if name.startswith("read_"))
        for fmt in formats:
            lines.append(f"    {fmt + ':':<22}read {self.get('read_' + fmt)}, dead-lettered {self.get('dead_lettered_' + fmt)}")
        lines += [
            f"  entities:               {self.get('entities')}",
            f"  quotes:                 {self.get('quotes')}",
            f"  elapsed:                {self.elapsed_seconds:.1f} s",
        ]
        if self.sample_record is not None:
            lines += ["  one record:", json.dumps(self.sample_record, indent=2, ensure_ascii=False, default=str)]
        return "\n".join(lines)


def counters(result) -> dict[str, int]:
    """newsbeam:* counters of a finished pipeline result."""
    query = result.metrics().query(MetricsFilter().with_namespace(NAMESPACE))
    totals: dict[str, int] = {}
    for counter in query["counters"]:
        value = counter.committed if counter.committed is not None else counter.attempted
        totals[counter.key.metric.name] = totals.get(counter.key.metric.name, 0) + (value or 0)
    return totals


def first_record(output: str) -> dict | None:
    """The first article record in ``<output>/articles``, or None."""
    for match in FileSystems.match([FileSystems.join(output, ARTICLES_DIR, "*.avro")])[0].metadata_list:
        with FileSystems.open(match.path) as handle:
            for record in fastavro.reader(handle):
                return record
    return None


def summarize(result, output: str, elapsed_seconds: float) -> Summary:
    return Summary(counters(result), elapsed_seconds, first_record(output), output)

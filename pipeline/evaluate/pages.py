"""Gold HTML pages of the development data as a WARC file, and scoring helpers."""
import io
import re
from collections import Counter
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.evaluate.scoring import prf

DEVDATA = Path(__file__).resolve().parents[2].parent / "shared" / "devdata"


def write_warc(rows: list[dict], root: Path, target: Path) -> Path:
    """A WARC with one 200 text/html response per row (``url``, ``html_file`` under ``root``)."""
    with open(target, "wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        for row in rows:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            payload = io.BytesIO((root / row["html_file"]).read_bytes())
            writer.write_record(writer.create_warc_record(row["url"], "response", payload=payload, http_headers=headers))
    return target


def by_target_uri(records: list[dict]) -> dict[str, dict]:
    """Records (or dead letters) of a WARC run keyed by the record's target URI."""
    return {record["source_uri"].partition("#")[2]: record for record in records}


def tokens(text: str | None) -> Counter:
    """Lower-cased word tokens with multiplicity."""
    return Counter(re.findall(r"\w+", (text or "").lower()))


def token_prf(predicted: str | None, gold: str) -> tuple[float, float, float]:
    """Token-level (precision, recall, F1) of ``predicted`` against ``gold``, bags with multiplicity."""
    pred, ref = tokens(predicted), tokens(gold)
    scores = prf(sum((pred & ref).values()), sum(pred.values()), sum(ref.values()))
    return scores["p"], scores["r"], scores["f1"]

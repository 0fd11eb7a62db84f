"""A reproducible benchmark corpus: one article per UTF-8 text file, written to a temp directory.

A corpus is ``scale`` blocks. Each block holds every real article of ``../shared/devdata``
(PolNeAR ``text``, BBC and Reuters raw files, CoNLL documents) and then seeded synthetic
articles, built by recombining real paragraphs under real headlines, until the block has at
least ``BLOCK_ARTICLES`` articles and ``BLOCK_WORDS`` words. Block ``b`` uses seed
``SEED + b``, so the 4x corpus starts with the 1x corpus and has the same mix of texts.

Without devdata, ``generated_pool`` builds the paragraph pool from templates (same seed), so
the benchmark still runs; its numbers are then less representative and the JSON says so.
"""
import gzip
import json
import random
from dataclasses import dataclass, asdict
from pathlib import Path

SEED = 20260128
BLOCK_ARTICLES = 2000
BLOCK_WORDS = 1_000_000
DEVDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "devdata"


@dataclass
class CorpusStats:
    directory: str
    source: str          # "devdata" or "generator"
    scale: int
    articles: int
    real_articles: int
    words: int           # whitespace-separated words of the files, as the baseline sees them
    bytes: int


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def devdata_articles(devdata: Path) -> list[tuple[str, str]]:
    """(name, text) of every real article, in a fixed order."""
    articles = []
    for path in sorted((devdata / "quotes").glob("*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                articles.append((record["id"], record["text"]))
    for path in sorted((devdata / "sections" / "bbc_raw").glob("*/*.txt")):
        articles.append((f"bbc-{path.parent.name}-{path.stem}", path.read_bytes().decode("utf-8", "replace")))
    for path in sorted((devdata / "sections" / "reuters_raw").glob("*.txt")):
        articles.append((f"reuters-{path.stem}", path.read_bytes().decode("utf-8", "replace")))
    with open(devdata / "ner" / "conll2003_dev_docs.jsonl", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            lines = record["text"].split("\n")
            body = ["\n".join(lines[i:i + 4]).replace("\n", " ") for i in range(1, len(lines), 4)]
            articles.append((record["id"], lines[0] + "\n\n" + "\n\n".join(body)))
    return articles


def paragraph_pool(articles: list[tuple[str, str]]) -> tuple[list[str], list[str], list[int]]:
    """(titles, body paragraphs, article lengths in words) taken from real articles.

    Reuters wire texts keep their own layout and give only titles; their hard-wrapped lines
    are not paragraphs.
    """
    titles, paragraphs, lengths = [], [], []
    for name, text in articles:
        parts = _paragraphs(text)
        if not parts:
            continue
        titles.append(parts[0].split("\n")[0])
        if not name.startswith("reuters-"):
            paragraphs.extend(p for p in parts[1:] if len(p.split()) >= 5)
            lengths.append(len(text.split()))
    return titles, paragraphs, lengths


_FIRST = "Maria James Wei Amina Carlos Sofia Daniel Priya Olga Samuel Hannah Kenji Fatima Luis Grace".split()
_LAST = "Alvarez Chen Okafor Novak Schmidt Haddad Tanaka Brennan Silva Kowalski Dubois Mensah Rossi Park".split()
_ORGS = ["the Treasury", "Acme Corp", "the city council", "the European Commission", "Northwind Bank",
         "the Senate", "the World Health Organization", "Globex", "the Ministry of Finance"]
_PLACES = "London Washington Paris Nairobi Tokyo Berlin Chicago Mumbai Toronto Madrid".split()
_VERBS = "said told added warned argued noted explained insisted".split()


def generated_pool(rng: random.Random, paragraphs: int = 3000) -> tuple[list[str], list[str], list[int]]:
    """A template paragraph pool for checkouts without devdata."""
    def person():
        return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"

    def sentence():
        kind = rng.random()
        if kind < 0.3:
            return f"\u201cWe will {rng.choice(['act', 'wait', 'invest', 'vote'])} on this {rng.choice(['soon', 'next week', 'in March'])},\u201d {person()} {rng.choice(_VERBS)}."
        if kind < 0.5:
            return f"{person()} of {rng.choice(_ORGS)} {rng.choice(_VERBS)} that {rng.choice(_PLACES)} would {rng.choice(['raise', 'cut', 'hold'])} spending by {rng.randint(2, 90)} percent."
        return (f"{rng.choice(_ORGS).capitalize()} met officials in {rng.choice(_PLACES)} on "
                f"{rng.choice(['Monday', 'Tuesday', 'Friday'])} to discuss {rng.choice(['trade', 'budgets', 'transport', 'health care'])} "
                f"and {rng.randint(3, 400)} {rng.choice(['jobs', 'projects', 'contracts'])}.")

    pool = [" ".join(sentence() for _ in range(rng.randint(2, 5))) for _ in range(paragraphs)]
    titles = [f"{rng.choice(_ORGS).capitalize()} weighs {rng.choice(['trade', 'budget', 'transit'])} plan in {rng.choice(_PLACES)}" for _ in range(500)]
    return titles, pool, [rng.randint(250, 900) for _ in range(500)]


def build(directory: str | Path, scale: int = 1, block_articles: int = BLOCK_ARTICLES,
          block_words: int = BLOCK_WORDS, devdata: Path | None = DEVDATA, seed: int = SEED,
          real_limit: int | None = None) -> CorpusStats:
    """Write the corpus into ``directory`` (created; must be empty) and return its statistics."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise ValueError(f"{directory} is not empty; the corpus needs a fresh directory")
    if devdata is not None and devdata.is_dir():
        real = devdata_articles(devdata)
        titles, pool, lengths = paragraph_pool(real)
        if real_limit is not None:  # --quick: a few real articles of each kind
            real = real[::max(1, len(real) // real_limit)][:real_limit]
        source = "devdata"
    else:
        real = []
        titles, pool, lengths = generated_pool(random.Random(seed))
        source = "generator"
    stats = CorpusStats(str(directory), source, scale, 0, 0, 0, 0)
    for block in range(scale):
        rng = random.Random(seed + block)
        articles = words = 0

        def write(name: str, text: str) -> None:
            nonlocal articles, words
            data = text.encode("utf-8")
            (directory / f"b{block}-{articles:05d}-{name[:40]}.txt").write_bytes(data)
            articles += 1
            words += len(text.split())
            stats.bytes += len(data)

        for name, text in real:
            write(name, text)
        stats.real_articles += len(real)
        while articles < block_articles or words < block_words:
            target = rng.choice(lengths)
            body, size = [], 0
            while size < target:
                paragraph = rng.choice(pool)
                body.append(paragraph)
                size += len(paragraph.split())
            write("synthetic", rng.choice(titles) + "\n\n" + "\n\n".join(body) + "\n")
        stats.articles += articles
        stats.words += words
    return stats


def write_dump(directory: str | Path, path: str | Path) -> Path:
    """The corpus in ``directory`` as one JSONL dump (gzipped if ``path`` ends in .gz), one
    ``{"text": ...}`` line per file in file-name order: the texts the baseline reads."""
    path = Path(path)
    opener = (lambda: gzip.open(path, "wt", encoding="utf-8", compresslevel=6)) if path.suffix == ".gz" \
        else (lambda: open(path, "w", encoding="utf-8"))
    with opener() as handle:
        for text in texts(directory):
            handle.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    return path


def texts(directory: str | Path):
    """Yield the corpus texts one file at a time, in file-name order (for the baseline)."""
    for path in sorted(Path(directory).iterdir()):
        yield path.read_bytes().decode("utf-8")


if __name__ == "__main__":
    import sys
    print(json.dumps(asdict(build(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1)), indent=1))

"""Does importing Apache Beam slow spaCy down in the same process?

``python -m benchmarks.import_cost [--articles 40] [--rounds 2]`` parses the same PolNeAR dev
articles with ``load_nlp`` in fresh processes, alternately with and without ``import
apache_beam`` first, and prints each process's best main-thread CPU time of three passes.
"""
import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

GOLD = Path(__file__).resolve().parent.parent.parent / "shared/devdata/quotes/polnear_dev_quotes.jsonl"


def measure(import_beam: bool, articles: int) -> float:
    """Best main-thread CPU seconds of three ``nlp.pipe`` passes (runs in a child process)."""
    if import_beam:
        import apache_beam  # noqa: F401
    from transforms.nlp import load_nlp

    texts = [json.loads(line)["text"] for line in GOLD.open(encoding="utf-8")][:articles]
    nlp = load_nlp()
    list(nlp.pipe(texts[:3]))
    best = float("inf")
    for _ in range(3):
        start = time.thread_time()
        list(nlp.pipe(texts, batch_size=16))
        best = min(best, time.thread_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_cost", description=__doc__)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", choices=("bare", "beam"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(measure(args.child == "beam", args.articles))
        return
    if not GOLD.is_file():
        sys.exit(f"{GOLD} not found: this measurement needs ../shared/devdata")
    for _ in range(args.rounds):
        for variant in ("bare", "beam"):
            done = subprocess.run([sys.executable, "-m", "benchmarks.import_cost", "--child", variant,
                                   "--articles", str(args.articles)], capture_output=True, text=True, check=True)
            print(f"{variant:5} main-thread CPU {float(done.stdout):.2f} s")


if __name__ == "__main__":
    main()

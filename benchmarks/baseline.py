"""Baseline, run in its own process: stock ``spacy.load(model)`` (the full default pipeline) and
``nlp.pipe(texts, n_process=2, batch_size=16)`` over the corpus files; prints one JSON line.

``--matmul numpy`` loads the same pipeline on the matrix-product library newsbeam uses by
default (``transforms.nlp.matmul_ops``); the stock default is blis."""
import argparse
import json
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--n_process", type=int, default=2)
    parser.add_argument("--batch_size", type=int, default=16)
    parser.add_argument("--matmul", default="blis", choices=("blis", "numpy"))
    args = parser.parse_args()
    started = time.monotonic()
    import spacy

    from benchmarks.corpus import texts
    from transforms.nlp import matmul_ops
    with matmul_ops(args.matmul):
        nlp = spacy.load(args.model)
    loaded = time.monotonic()
    docs = tokens = 0
    for doc in nlp.pipe(texts(args.corpus), n_process=args.n_process, batch_size=args.batch_size):
        docs += 1
        tokens += len(doc)
    done = time.monotonic()
    print(json.dumps({"pipeline": nlp.pipe_names, "docs": docs, "tokens": tokens,
                      "load_seconds": round(loaded - started, 2), "pipe_seconds": round(done - loaded, 2)}))


if __name__ == "__main__":
    main()

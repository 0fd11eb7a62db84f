"""``python -m benchmarks.language_cost CORPUS_DIR``: the language detector's cost per article.

Times ``transforms.language.detect`` on each text file's title and body (as the pipeline does),
after loading the model once; prints one JSON line."""
import json
import sys
import time
from pathlib import Path

from transforms.language import detect


def main(corpus: str) -> dict:
    texts = [path.read_text(encoding="utf-8") for path in sorted(Path(corpus).glob("*.txt"))]
    started = time.perf_counter()
    detect("load the model")
    load_seconds = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    detected = [detect(text)[0] for text in texts]
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"articles": len(texts), "model_load_seconds": round(load_seconds, 2),
            "detect_ms_per_article": round(1000 * wall / len(texts), 3),
            "detect_cpu_ms_per_article": round(1000 * cpu / len(texts), 3),
            "languages": {code: detected.count(code) for code in sorted(set(detected), key=str)}}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))

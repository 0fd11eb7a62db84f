"""--runner DaskRunner on a real dask.distributed cluster: a scheduler and two single-thread
workers on 127.0.0.1, started for the session and stopped by process id."""
import collections
import gzip
import os
import signal
import subprocess
import time

import pytest

from pipeline.evaluate.harness import read_avro_dir
from tests import format_fixtures as fx
from tests.conftest import ROOT, SEEDS, run_cli
from tests.gcs import _free_port, require_emulator
from tests.test_runners import comparable

distributed = pytest.importorskip("distributed")
from benchmarks.dask import Cluster  # noqa: E402  (needs distributed)

ANNOTATE_TASK = "Ingest_Annotate_"  # the prefix pipeline.dask gives the tasks of the Annotate ParDo


def dask_cli(cluster: Cluster, *args, **kwargs) -> subprocess.CompletedProcess:
    """``python -m pipeline --runner DaskRunner --dask_client_address <cluster> *args``, finished."""
    return run_cli("--runner", "DaskRunner", "--dask_client_address", cluster.address, *args, **kwargs)


@pytest.fixture(scope="session")
def cluster(tmp_path_factory, gcs_server):
    """The cluster; its workers reach gs:// only on the local GCS emulator (tests/gcs.py)."""
    running = Cluster(tmp_path_factory.mktemp("dask"), env=gcs_server)
    yield running
    running.stop()


def annotate_seconds_per_worker(task_stream) -> dict[str, float]:
    """Compute seconds each worker spent in Annotate tasks (spaCy and the extractors)."""
    seconds = collections.Counter()
    for task in task_stream:
        key = task["key"][0] if isinstance(task["key"], tuple) else task["key"]
        if key.startswith(ANNOTATE_TASK):
            seconds[task["worker"]] += sum(s["stop"] - s["start"] for s in task["startstops"] if s["action"] == "compute")
    return dict(seconds)


def summary_counts(stdout: str) -> list[str]:
    """The summary's count and accounting lines, not its list of output files (runners shard differently)."""
    return [line for line in stdout.splitlines()
            if not line.endswith(" bytes)") and line.strip().startswith(("articles", "dead-lettered", "duplicates", "accounting", "not articles", "entities", "quotes"))
            or "read " in line and "=" in line]


@pytest.fixture(scope="module")
def seed_copies(tmp_path_factory):
    """Four copies of every seed (gzipped), an empty file and a broken JSON line: 32 files."""
    inputs = tmp_path_factory.mktemp("seed-copies")
    for copy in range(4):
        for seed in SEEDS.iterdir():
            (inputs / f"{copy}_{seed.name}.gz").write_bytes(gzip.compress(seed.read_bytes()))
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "broken.jsonl").write_bytes(b'{"title": "ok", "text": "fine"}\n{not json\n')
    return inputs


def test_records_and_summary_equal_the_direct_runners_and_both_workers_annotate(cluster, seed_copies, tmp_path):
    direct = run_cli("--input", str(seed_copies), "--output", str(tmp_path / "direct"), check=True)
    with distributed.get_task_stream(cluster.client) as stream:
        dask = dask_cli(cluster, "--input", str(seed_copies), "--output", str(tmp_path / "dask"), check=True)
    for directory in ("articles", "dead_letter"):
        assert comparable(tmp_path / "dask" / directory) == comparable(tmp_path / "direct" / directory), directory
    assert len(read_avro_dir(tmp_path / "dask" / "articles")) == len(read_avro_dir(tmp_path / "direct" / "articles"))
    assert summary_counts(dask.stdout) == summary_counts(direct.stdout)
    assert "read 27 = written 25 + dead-lettered 2: OK" in dask.stdout
    seconds = annotate_seconds_per_worker(stream.data)
    assert len(seconds) == 2, seconds  # both workers ran the NLP
    assert min(seconds.values()) > 0.2 * sum(seconds.values()), seconds


def test_every_format_and_bad_input_partitions_and_dedupe(cluster, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    fx.build(inputs)
    flags = ("--input", f"{inputs}/", "--dedupe", "--partition_by_date", *fx.FLAGS)
    direct = run_cli(*flags, "--output", str(tmp_path / "direct"), timeout=900, check=True)
    dask = dask_cli(cluster, *flags, "--output", str(tmp_path / "dask"), timeout=900, check=True)
    assert summary_counts(dask.stdout) == summary_counts(direct.stdout)  # duplicates and skipped records too
    assert "duplicates 2: OK" in dask.stdout and "not articles, skipped:  warc-revisit 1" in dask.stdout
    def partitions(output):
        return sorted(path.name for path in (output / "articles").iterdir() if not path.name.startswith("."))  # fileio's .temp dir

    assert partitions(tmp_path / "dask") == partitions(tmp_path / "direct")
    assert len(partitions(tmp_path / "dask")) >= 2
    for partition in partitions(tmp_path / "direct"):
        assert comparable(tmp_path / "dask" / "articles" / partition) == comparable(tmp_path / "direct" / "articles" / partition)
    assert comparable(tmp_path / "dask" / "dead_letter") == comparable(tmp_path / "direct" / "dead_letter")


def test_incremental_adds_only_new_files(cluster, tmp_path):
    inputs, output = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    seeds = sorted(SEEDS.iterdir())
    for seed in seeds[:3]:
        (inputs / seed.name).write_bytes(seed.read_bytes())
    dask_cli(cluster, "--input", str(inputs), "--output", str(output), "--incremental", check=True)
    for seed in seeds[3:]:
        (inputs / seed.name).write_bytes(seed.read_bytes())
    dask_cli(cluster, "--input", str(inputs), "--output", str(output), "--incremental", check=True)
    again = dask_cli(cluster, "--input", str(inputs), "--output", str(output), "--incremental", check=True)
    assert "nothing new" in again.stdout
    run_cli("--input", str(inputs), "--output", str(tmp_path / "direct"), check=True)
    assert comparable(output / "articles") == comparable(tmp_path / "direct" / "articles")
    assert len(read_avro_dir(output / "articles")) == len(read_avro_dir(tmp_path / "direct" / "articles"))


def test_gcs_inputs_and_output(cluster, gcs):
    require_emulator(gcs.env)
    for seed in SEEDS.iterdir():
        gcs.upload(f"in/{seed.name}.gz", gzip.compress(seed.read_bytes()))
    direct = run_cli("--input", gcs.uri("in/"), "--output", gcs.uri("direct"), env=gcs.env, check=True)
    dask = dask_cli(cluster, "--input", gcs.uri("in/"), "--output", gcs.uri("dask"), env=gcs.env, check=True)
    assert summary_counts(dask.stdout) == summary_counts(direct.stdout)

    def records(prefix):
        return sorted((r["article_id"], r["title"], len(r["entities"]), len(r["quotes"])) for r in gcs.read_avro(prefix))

    assert records("dask/articles/") == records("direct/articles/") and len(records("dask/articles/")) == 6
    assert not [name for name in gcs.names("dask/") if not name.endswith(".avro") or "/." in name], "temporary files left"


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(cluster, seed_copies, tmp_path):
    """SIGKILL one worker while the Annotate tasks run: its nanny restarts it, the scheduler reruns
    the tasks it held, and each Avro shard is written whole under a hidden name, then renamed."""
    run_cli("--input", str(seed_copies), "--output", str(tmp_path / "direct"), check=True)
    victim = cluster.worker_pids()
    command = ["--input", str(seed_copies), "--output", str(tmp_path / "dask")]
    process = subprocess.Popen(cluster.pipeline_command(*command), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    address, pid = _wait_for_annotate_task(cluster, victim)
    os.kill(pid, signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr[-3000:]
    assert cluster.worker_pids().get(address) != pid  # the worker really died
    for directory in ("articles", "dead_letter"):
        assert comparable(tmp_path / "dask" / directory) == comparable(tmp_path / "direct" / directory), directory
    assert len(read_avro_dir(tmp_path / "dask" / "articles")) == len(read_avro_dir(tmp_path / "direct" / "articles"))
    assert "read 27 = written 25 + dead-lettered 2: OK" in stdout
    cluster.client.wait_for_workers(2, timeout=60)


def _wait_for_annotate_task(cluster, pids: dict[str, int], seconds: float = 120) -> tuple[str, int]:
    """(address, pid) of a worker that is processing an Annotate task."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        processing = cluster.client.processing()
        for address, keys in processing.items():
            if any(str(key).lstrip("('").startswith(ANNOTATE_TASK) for key in keys):
                return address, pids[address]
        time.sleep(0.02)
    raise AssertionError("no Annotate task ran within the time allowed")


def test_reshuffle_spreads_one_partition_over_both_workers(cluster):
    """What splitting one big dump relies on: elements made in one partition, then a Reshuffle."""
    import apache_beam as beam
    from apache_beam.metrics.metric import MetricsFilter
    from apache_beam.options.pipeline_options import PipelineOptions

    def on_this_worker(element):
        time.sleep(0.05)  # long enough that the scheduler keeps both workers busy
        beam.metrics.Metrics.counter("test", f"pid_{os.getpid()}").inc()
        return element

    pipeline = beam.Pipeline(runner="pipeline.dask.DaskRunner",
                             options=PipelineOptions(["--dask_client_address", cluster.address]))
    _ = pipeline | beam.Create(["all"]) | beam.FlatMap(lambda _: range(64)) | beam.Reshuffle() | beam.Map(on_this_worker)
    result = pipeline.run()
    result.wait_until_finish()
    per_pid = collections.Counter()
    for counter in result.metrics().query(MetricsFilter().with_namespace("test"))["counters"]:
        per_pid[counter.key.metric.name] += counter.committed
    assert sum(per_pid.values()) == 64
    assert set(per_pid) == {f"pid_{pid}" for pid in cluster.worker_pids().values()}, per_pid
    assert min(per_pid.values()) >= 8, per_pid


def test_unknown_runner_is_one_line_with_exit_2():
    done = run_cli("--input", "seeds/", "--output", "/tmp/unused-newsbeam-out", "--runner", "SparkRunnr")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "unknown --runner 'SparkRunnr'" in done.stderr and "DaskRunner" in done.stderr and "DataflowRunner" in done.stderr


def test_streaming_on_dask_stops_before_the_run(tmp_path):
    done = run_cli("--runner", "DaskRunner", "--streaming", "--subscription", "projects/p/subscriptions/s",
                   "--output", str(tmp_path))
    assert done.returncode == 2 and "--streaming does not run on DaskRunner" in done.stderr


def test_unreachable_scheduler_stops_before_the_run(tmp_path):
    done = run_cli("--runner", "DaskRunner", "--dask_client_address", f"127.0.0.1:{_free_port()}",
                   "--dask_connection_timeout", "2", "--input", "seeds/", "--output", str(tmp_path / "out"))
    assert done.returncode == 2, done.stderr[-2000:]
    assert "cannot reach the Dask scheduler" in done.stderr and "Traceback" not in done.stderr

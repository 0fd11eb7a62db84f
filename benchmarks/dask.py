"""``python -m benchmarks.dask --workers N PIPELINE_ARGS...``: newsbeam on a real local Dask cluster.

Starts ``dask scheduler`` and N ``dask worker --nthreads 1`` processes on 127.0.0.1 (a free port,
as children of this process, so the benchmark's process-tree monitor sees their memory and CPU),
runs ``python -m pipeline --runner DaskRunner --dask_client_address ...`` on them, prints its
output and the cluster's start-up time, and stops the cluster by process id. ``Cluster`` is also
the test suite's cluster (tests/test_dask.py).
"""
import os
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parent.parent
DASK_CLI = [sys.executable, "-m", "dask"]


class Cluster:
    """A scheduler and ``workers`` single-thread workers on 127.0.0.1; working files in ``directory``;
    ``env``: extra environment variables for them (e.g. a local GCS emulator's)."""

    def __init__(self, directory: Path, workers: int = 2, timeout: float = 60, env: dict | None = None):
        import distributed

        self._env = dict(os.environ, **(env or {}), PYTHONPATH=str(ROOT))  # the workers import newsbeam from this checkout
        self.scheduler_file = directory / "scheduler.json"
        self._log = open(directory / "cluster.log", "w")
        self._processes = [self._start("scheduler", "--host", "127.0.0.1", "--port", "0",
                                       "--scheduler-file", str(self.scheduler_file), "--no-dashboard")]
        self._wait_for_scheduler_file(timeout)
        self.client = distributed.Client(scheduler_file=str(self.scheduler_file), timeout=timeout)
        self.address = self.client.scheduler.address.removeprefix("tcp://")
        for index in range(workers):
            self._processes.append(self._start("worker", "--scheduler-file", str(self.scheduler_file), "--host", "127.0.0.1",
                                               "--nthreads", "1", "--name", f"w{index + 1}", "--no-dashboard",
                                               "--local-directory", str(directory / f"w{index + 1}")))
        self.client.wait_for_workers(workers, timeout=timeout)

    def _start(self, *args) -> subprocess.Popen:
        return subprocess.Popen([*DASK_CLI, *args], cwd=ROOT, env=self._env, stdout=self._log, stderr=subprocess.STDOUT)

    def _wait_for_scheduler_file(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.scheduler_file.exists():
            if time.monotonic() > deadline or self._processes[0].poll() is not None:
                raise RuntimeError(f"dask scheduler did not start; see {self._log.name}")
            time.sleep(0.1)

    def worker_pids(self) -> dict[str, int]:
        """Worker address -> pid of the worker process (the nanny's child)."""
        return self.client.run(os.getpid)

    def pipeline_command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "pipeline", "--runner", "DaskRunner", "--dask_client_address", self.address, *args]

    def stop(self) -> None:
        """Close the client, then stop the workers and the scheduler by process id."""
        self.client.close()
        for process in reversed(self._processes):
            process.terminate()
        for process in self._processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._log.close()


def main(argv: list[str]) -> int:
    workers = 2
    if argv[:1] == ["--workers"]:
        workers, argv = int(argv[1]), argv[2:]
    with TemporaryDirectory(prefix="newsbeam-dask-") as directory:
        started = time.monotonic()
        cluster = Cluster(Path(directory), workers)
        print(f"dask cluster started in {time.monotonic() - started:.1f} s", flush=True)
        try:
            done = subprocess.run(cluster.pipeline_command(*argv), cwd=ROOT)
        finally:
            cluster.stop()
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

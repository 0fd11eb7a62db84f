"""Peak memory and CPU of a process tree, sampled by a background thread (psutil)."""
import threading

import psutil


class TreeMonitor:
    """Poll a process and all its descendants every ``interval`` seconds.

    ``peak_rss`` is the largest sum of RSS over the tree seen in one sample (shared pages
    are counted once per process, so it over- rather than under-states); ``peak_process_rss``
    the largest single process; ``cpu_seconds`` user+system time per process, from its last
    sample.
    """

    def __init__(self, pid: int, interval: float = 0.1):
        self._root = psutil.Process(pid)
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.peak_rss = 0
        self.peak_process_rss = 0
        self.max_processes = 0
        self.cpu_seconds: dict[int, float] = {}
        self.rss_peaks: dict[int, int] = {}
        self.names: dict[int, str] = {}

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self._interval)

    def sample(self):
        try:
            processes = [self._root] + self._root.children(recursive=True)
        except psutil.Error:
            return
        total = 0
        for process in processes:
            try:
                with process.oneshot():
                    rss = process.memory_info().rss
                    cpu = process.cpu_times()
                    if process.pid not in self.names:
                        self.names[process.pid] = " ".join(process.cmdline()[1:4])[:80]
            except psutil.Error:
                continue
            total += rss
            self.peak_process_rss = max(self.peak_process_rss, rss)
            self.cpu_seconds[process.pid] = cpu.user + cpu.system
            self.rss_peaks[process.pid] = max(rss, self.rss_peaks.get(process.pid, 0))
        self.peak_rss = max(self.peak_rss, total)
        self.max_processes = max(self.max_processes, len(processes))

    @property
    def total_cpu_seconds(self) -> float:
        return sum(self.cpu_seconds.values())

    def busiest(self, n: int = 4) -> list[tuple[str, float]]:
        """(command, cpu seconds) of the n processes that used the most CPU."""
        top = sorted(self.cpu_seconds.items(), key=lambda item: -item[1])[:n]
        return [(self.names.get(pid, str(pid)), round(seconds, 1)) for pid, seconds in top]


    def largest(self, n: int = 4) -> list[tuple[str, int]]:
        """(command, peak RSS in MB) of the n processes with the largest peak RSS."""
        top = sorted(self.rss_peaks.items(), key=lambda item: -item[1])[:n]
        return [(self.names.get(pid, str(pid)), round(rss / 1024 / 1024)) for pid, rss in top]


def load() -> list[float]:
    """1, 5 and 15 minute load averages."""
    return [round(x, 2) for x in psutil.getloadavg()]

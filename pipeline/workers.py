"""Dataflow workers that never reach PyPI: the locked wheels and the model, staged with the job.

``python -m pipeline.workers DIR`` (``make worker-wheels``) downloads, hash-checked, the wheel of every pin
of deploy/requirements.lock for Beam's Python 3.11 container (x86-64 Linux), builds the sdist-only pins and
newsbeam itself into wheels, and writes DIR/requirements.txt with the pins. ``--worker_wheels DIR`` stages
all of it with a Dataflow job; the workers install it with ``pip --no-index``."""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from apache_beam.options.pipeline_options import PipelineOptions, SetupOptions, StandardOptions
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

from pipeline import __version__, lockfile
from pipeline.environment import DATAFLOW_RUNNERS
from pipeline.errors import ConfigError

REQUIREMENTS = "requirements.txt"
# Beam's SDK container apache/beam_python3.11_sdk (Debian bookworm, glibc 2.36) on Dataflow's x86-64 VMs.
MARKERS = {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64", "os_name": "posix",
           "python_version": "3.11", "python_full_version": "3.11.0",
           "implementation_name": "cpython", "platform_python_implementation": "CPython"}
PLATFORMS = [f"manylinux_2_{minor}_x86_64" for minor in range(36, 16, -1)] + ["manylinux2014_x86_64", "linux_x86_64"]
IN_CONTAINER = "apache-beam"  # the SDK container has it; staging it would reinstall Beam on every worker
SOURCES = ("setup.py", "README.md", "pipeline", "transforms", "schemas")  # what the wheel is built from
REMAKE = "run `make worker-wheels WORKER_WHEELS={}`"


def pins(lock: Path = lockfile.WORKER_LOCK) -> list[lockfile.Pin]:
    """The pins of deploy/requirements.lock that a worker installs."""
    return [pin for pin in lockfile.read(lock) if pin.applies(MARKERS)]


def requirements_text(lock: Path = lockfile.WORKER_LOCK) -> str:
    """DIR/requirements.txt: one ``name==version`` per pin (the hashes were checked when downloading)."""
    lines = [f"{pin.name}=={pin.version}" for pin in pins(lock)]
    return "# the pins of deploy/requirements.lock for the workers; written by `make worker-wheels`\n" + "\n".join(lines) + "\n"


def prepare(directory: Path) -> None:
    """Fill ``directory`` with the workers' wheels, newsbeam's wheel and requirements.txt."""
    directory.mkdir(parents=True, exist_ok=True)
    wanted = [pin for pin in pins() if pin.name != IN_CONTAINER]
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as hashed:
        hashed.write("".join(f"{pin.name}=={pin.version} {' '.join('--hash=' + h for h in pin.hashes)}\n" for pin in wanted))
        hashed.flush()
        platforms = [flag for platform in PLATFORMS for flag in ("--platform", platform)]
        _pip("download", "--require-hashes", "--no-deps", *platforms, "--python-version", "3.11",
             "--implementation", "cp", "--abi", "cp311", "--dest", str(directory), "-r", hashed.name)
    for sdist in [*directory.glob("*.tar.gz"), *directory.glob("*.zip")]:
        _pip("wheel", "--no-deps", "--wheel-dir", str(directory), str(sdist))
        sdist.unlink()
    with tempfile.TemporaryDirectory() as source:  # a copy, so that setuptools leaves no build/ in the checkout
        for name in SOURCES:
            if (lockfile.ROOT / name).is_dir():
                shutil.copytree(lockfile.ROOT / name, Path(source) / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(lockfile.ROOT / name, Path(source) / name)
        _pip("wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(directory.resolve()), source)
    (directory / REQUIREMENTS).write_text(requirements_text())


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--quiet", *args], check=True)


def stage(options: PipelineOptions, directory: str) -> None:
    """Point Beam's staging at ``directory``: requirements.txt, every wheel, and newsbeam as the extra package."""
    folder = Path(directory)
    remake = REMAKE.format(directory)
    if not _on_dataflow(options):
        raise ConfigError("--worker_wheels is for --runner DataflowRunner: it stages the wheels with the Dataflow job")
    if not (folder / REQUIREMENTS).is_file():
        raise ConfigError(f"--worker_wheels {directory!r} holds no {REQUIREMENTS}; {remake}")
    if (folder / REQUIREMENTS).read_text() != requirements_text():
        raise ConfigError(f"--worker_wheels {directory!r} was made from another deploy/requirements.lock; {remake}")
    wheels = {}
    for path in sorted(folder.glob("*.whl")):
        name, version, _, _ = parse_wheel_filename(path.name)
        wheels[(name, version)] = str(path)
    wanted = [(canonicalize_name(pin.name), Version(pin.version)) for pin in pins() if pin.name != IN_CONTAINER]
    missing = [f"{name}=={version}" for name, version in wanted + [("newsbeam", Version(__version__))] if (name, version) not in wheels]
    if missing:
        raise ConfigError(f"--worker_wheels {directory!r} has no wheel of {', '.join(missing[:5])}; {remake}")
    setup = options.view_as(SetupOptions)
    if setup.setup_file or setup.requirements_file:
        raise ConfigError("--worker_wheels stages newsbeam and its locked requirements itself; "
                          "drop --setup_file and --requirements_file")
    setup.requirements_file = str(folder / REQUIREMENTS)
    setup.requirements_cache = "skip"  # the wheels are staged as files, not downloaded again by Beam
    setup.files_to_stage = (setup.files_to_stage or []) + [wheels[key] for key in wanted]
    setup.extra_packages = (setup.extra_packages or []) + [wheels[("newsbeam", Version(__version__))]]


def pin_setup_file(options: PipelineOptions) -> None:
    """A Dataflow job with --setup_file (and no requirements file) installs the lock's versions on the workers:
    Beam downloads the pinned wheels at submission, stages them, and the workers install them before newsbeam."""
    setup = options.view_as(SetupOptions)
    if setup.setup_file and not setup.requirements_file and _on_dataflow(options):
        if not Path(setup.setup_file).is_file():
            raise ConfigError(f"--setup_file {setup.setup_file!r} does not exist; pass newsbeam's setup.py, e.g. ./setup.py")
        lock = Path(setup.setup_file).resolve().parent / lockfile.WORKER_LOCK.relative_to(lockfile.ROOT)
        if not lock.is_file():
            raise ConfigError(f"--setup_file {setup.setup_file!r} has no {lock.name} beside it in deploy/; "
                              "run `make lock` in that checkout, or pass --worker_wheels or --sdk_container_image")
        pinned = Path(tempfile.mkdtemp(prefix="newsbeam-")) / REQUIREMENTS
        pinned.write_text(requirements_text(lock))
        setup.requirements_file = str(pinned)


def _on_dataflow(options: PipelineOptions) -> bool:
    return (options.view_as(StandardOptions).runner or "").lower() in DATAFLOW_RUNNERS


if __name__ == "__main__":
    prepare(Path(sys.argv[1] if len(sys.argv) > 1 else "build/worker-wheels"))

"""``--incremental``: process only inputs not seen before, and commit each run atomically.

Layout under ``--output``::

    articles/, dead_letter/              committed output; file names start with the run id
    _newsbeam/staging/<run id>/          where a run writes; deleted after commit or by the next run
    _newsbeam/ledger/<run id>.json       one manifest per committed run: inputs (uri, size, mtime)
                                         and the staged -> final file moves

A run lists its inputs, drops those whose (uri, size, mtime) a manifest already holds, runs the
pipeline into its staging directory, then writes its manifest (the commit point, one atomic
object or rename) and moves the staged files into place. At start, every run finishes the moves
of committed manifests (a run killed after its commit point) and deletes uncommitted staging
directories (a run killed before it), so a killed run leaves neither duplicates nor partial files.
"""
import json
import logging
import posixpath
import uuid
from datetime import datetime, timezone

from apache_beam.io.filesystems import FileSystems

from pipeline.io import ARTICLES_DIR, DEAD_LETTER_DIR, make_dirs
from pipeline.options import ConfigError, NewsbeamOptions
from pipeline.summary import Summary

STATE_DIR = "_newsbeam"
LEDGER_DIR = "ledger"
STAGING_DIR = "staging"
RUNNING_MARKER = "RUNNING"
STAGED_PATTERNS = (f"{ARTICLES_DIR}/*.avro", f"{ARTICLES_DIR}/*/*.avro", f"{DEAD_LETTER_DIR}/*.avro")

_LOGGER = logging.getLogger(__name__)


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique: ``20261128T003800Z-1a2b3c``."""
    now = now or datetime.now(timezone.utc)
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


class Ledger:
    """The committed runs of one output directory."""

    def __init__(self, output: str):
        self.output = output
        self.ledger_dir = FileSystems.join(output, STATE_DIR, LEDGER_DIR)
        self.staging_root = FileSystems.join(output, STATE_DIR, STAGING_DIR)

    def staging(self, run_id: str) -> str:
        return FileSystems.join(self.staging_root, run_id)

    def manifests(self) -> list[dict]:
        """Every committed manifest, oldest first."""
        paths = sorted(m.path for m in _match(FileSystems.join(self.ledger_dir, "*.json")))
        manifests = []
        for path in paths:
            with FileSystems.open(path) as handle:
                try:
                    manifests.append(json.load(handle))
                except ValueError as error:
                    raise ConfigError(f"ledger manifest {path} is not valid JSON ({error}); "
                                     "restore it from the bucket's object versions or delete it to reprocess its inputs") from None
        return manifests

    def recover(self, manifests: list[dict]) -> None:
        """Finish the moves of committed runs (``manifests``), then delete what uncommitted runs
        left in staging. Lists staging once, whatever the number of past runs."""
        staged_runs = {path[len(self.staging_root):].lstrip("/").split("/", 1)[0]
                       for path in _paths_under(self.staging_root)}
        for manifest in manifests:
            if manifest["run_id"] in staged_runs:  # killed between its commit point and its moves
                _move(manifest["files"])
        if staged_runs:
            _LOGGER.warning("newsbeam: removing %s, left by a run that did not finish", self.staging_root)
        _delete_tree(self.staging_root)

    def commit(self, run_id: str, inputs: list[dict]) -> list[str]:
        """Write the manifest of ``run_id`` (atomically), move its staged files into place; returns the final paths."""
        staging = self.staging(run_id)
        moves = [[path, _final_path(self.output, staging, path, run_id)] for path in _staged_files(staging)]
        manifest = {"run_id": run_id, "committed_at": datetime.now(timezone.utc).isoformat(),
                    "inputs": inputs, "files": moves}
        target = FileSystems.join(self.ledger_dir, f"{run_id}.json")
        temporary = FileSystems.join(self.ledger_dir, f".{run_id}.json.tmp")
        make_dirs(self.ledger_dir)
        with FileSystems.create(temporary) as handle:
            handle.write(json.dumps(manifest, indent=1).encode("utf-8"))
        FileSystems.rename([temporary], [target])  # the commit point
        _move(moves)
        _delete_tree(staging)
        return [final for _, final in moves]


def input_entries(globs: list[str]) -> list[dict]:
    """The files the globs match now, as ledger entries (uri, size, mtime), sorted by uri."""
    entries = {}
    for glob in globs:
        for metadata in _match(glob):
            if not metadata.path.endswith("/"):
                entries[metadata.path] = {"uri": metadata.path, "size": metadata.size_in_bytes,
                                          "mtime": metadata.last_updated_in_seconds}
    return [entries[uri] for uri in sorted(entries)]


def seen_inputs(manifests: list[dict]) -> set[tuple]:
    """(uri, size, mtime) of every input a committed run processed."""
    return {_key(entry) for manifest in manifests for entry in manifest["inputs"]}


def _key(entry: dict) -> tuple:
    return entry["uri"], entry["size"], entry["mtime"]


def new_inputs(entries: list[dict], seen: set[tuple]) -> list[dict]:
    """Entries that no committed run processed with this size and mtime (new or changed files)."""
    return [entry for entry in entries if _key(entry) not in seen]


def mark_running(staging: str) -> None:
    """Create the run's staging directory with a marker, so a killed run is visible."""
    make_dirs(staging)
    with FileSystems.create(FileSystems.join(staging, RUNNING_MARKER)) as handle:
        handle.write(datetime.now(timezone.utc).isoformat().encode())


def _staged_files(staging: str) -> list[str]:
    found = {m.path for pattern in STAGED_PATTERNS for m in _match(FileSystems.join(staging, pattern))}
    return sorted(path for path in found if "/." not in path[len(staging):])  # skip Beam's .temp* directories


def _final_path(output: str, staging: str, staged: str, run_id: str) -> str:
    """``<staging>/articles/x/part-0.avro`` -> ``<output>/articles/x/<run id>-part-0.avro``."""
    relative = staged[len(staging):].lstrip("/")
    directory, name = posixpath.split(relative)
    return FileSystems.join(output, directory, f"{run_id}-{name}")


def _move(moves: list[list[str]]) -> None:
    """Rename staged -> final; a move already done (staged gone, final there) is skipped."""
    pending = [(staged, final) for staged, final in moves if FileSystems.exists(staged)]
    for staged, final in pending:
        make_dirs(posixpath.dirname(final))
        FileSystems.rename([staged], [final])
    missing = [final for _, final in moves if not FileSystems.exists(final)]
    if missing:
        raise ConfigError(f"committed output files are missing: {missing[:3]}...; "
                           "restore them or delete their ledger manifest to reprocess those inputs")


def _match(pattern: str):
    return FileSystems.match([pattern])[0].metadata_list


def _paths_under(directory: str) -> list[str]:
    """Every file at any depth below ``directory`` (object stores list no directories)."""
    return [m.path for m in _match(FileSystems.join(directory, "**"))]


def _delete_tree(directory: str) -> None:
    """Delete ``directory`` and everything in it (on object stores: every object under the prefix)."""
    if FileSystems.get_filesystem(directory).has_dirs():
        if FileSystems.exists(directory):
            FileSystems.delete([directory])
    elif _paths_under(directory):
        FileSystems.delete([directory.rstrip("/") + "/"])


def run_incremental(options, globs: list[str], execute) -> Summary:
    """Recover, pick the new inputs, ``execute(options, globs, staging, only=new files)``, commit;
    returns the run's summary."""
    output = options.view_as(NewsbeamOptions).output
    ledger = Ledger(output)
    manifests = ledger.manifests()
    ledger.recover(manifests)
    todo = new_inputs(input_entries(globs), seen_inputs(manifests))
    if not todo:
        return Summary({}, 0.0, output=output, notes=["nothing new: every input is in the ledger"])
    run_id = new_run_id()
    staging = ledger.staging(run_id)
    mark_running(staging)
    # the same globs, keeping only the new files: one listing per glob, not one per file, and a
    # name holding [, * or ? is never read as a pattern
    summary = execute(options, globs, staging, only=frozenset(entry["uri"] for entry in todo))
    committed = ledger.commit(run_id, todo)
    summary.output = output
    summary.files = [(m.path[len(output):].lstrip("/"), m.size_in_bytes) for result in FileSystems.match(committed)
                     for m in result.metadata_list]
    summary.notes.append(f"run {run_id}: {len(todo)} new or changed input(s), committed {len(committed)} file(s)")
    return summary

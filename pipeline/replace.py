"""A batch run that is not ``--incremental``: write into staging, swap into place on success.

The run writes under ``DIR/_newsbeam/staging/<run id>/`` (see ``pipeline.incremental``). Only
when the pipeline has finished are the earlier run's files (``--overwrite``) deleted and the
new ones renamed into ``DIR/articles`` and ``DIR/dead_letter``. A run that fails or is killed
before that leaves the earlier output as it was, plus its staging directory, which the next
run into DIR deletes.
"""
import os
import posixpath

from apache_beam.io.filesystems import FileSystems

from pipeline.incremental import Ledger, _delete_tree, _move, _staged_files, mark_running, new_run_id
from pipeline.options import NewsbeamOptions, earlier_output
from pipeline.summary import Summary, output_files


def run_replacing(options, globs: list[str], execute) -> Summary:
    """Clear stale staging, ``execute(options, globs, staging)``, then swap; returns the summary."""
    output = options.view_as(NewsbeamOptions).output
    ledger = Ledger(output)
    ledger.recover(ledger.manifests())  # also finishes what an --incremental run into DIR left
    staging = ledger.staging(new_run_id())
    mark_running(staging)
    summary = execute(options, globs, staging)
    moves = [[path, FileSystems.join(output, path[len(staging):].lstrip("/"))] for path in _staged_files(staging)]
    old = earlier_output(output)
    if old:
        FileSystems.delete(old)
    _move(moves)
    _delete_tree(staging)
    _remove_if_empty(ledger.staging_root, posixpath.dirname(ledger.staging_root))
    summary.output, summary.files = output, output_files(output)
    return summary


def _remove_if_empty(*directories: str) -> None:
    """Remove these directories, in order, where the filesystem has directories and they are empty."""
    for directory in directories:
        if os.path.isdir(directory) and not os.listdir(directory):
            os.rmdir(directory)

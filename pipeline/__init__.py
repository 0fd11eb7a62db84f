"""newsbeam's Apache Beam pipeline: readers, DoFns around ``transforms``, writers and the CLI."""

__version__ = "0.1.0"

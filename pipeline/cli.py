"""``python -m pipeline`` / ``newsbeam``: run the pipeline and print its summary."""
import logging
import sys

from pipeline.options import ConfigError, help_parser
from pipeline.run import run


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or "-h" in argv or "--help" in argv:
        help_parser().print_help()
        return 0 if argv else 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        summary = run(argv)
    except ConfigError as error:
        print(f"newsbeam: error: {error}", file=sys.stderr)
        return 2
    print(summary.render())
    return 0 if summary.balanced else 1

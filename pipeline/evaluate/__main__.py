"""Dispatch ``python -m pipeline.evaluate <task>`` to the task's module.

Each task module exposes ``add_arguments(parser)`` and ``run(args) -> dict`` (it prints its table).
"""
import argparse
import importlib
import json
import sys

TASKS = {
    "quotes": "quotes and speakers against PolNeAR (GenderGapTracker-style overlap scoring)",
    "ner": "exact-span NER against CoNLL-2003, pipeline vs bare model",
    "html": "token P/R/F1 of the body extracted from HTML pages",
    "dates": "exact-day accuracy of published_date",
    "sections": "accuracy of the normalized section",
    "near_duplicates": "precision and recall of --near_duplicates copy groups on PolNeAR",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.evaluate", description=__doc__)
    parser.add_argument("--json", metavar="FILE", help="also write the scores as JSON to FILE")
    commands = parser.add_subparsers(dest="task", required=True, metavar="TASK")
    for task, description in TASKS.items():
        module = importlib.import_module(f"pipeline.evaluate.{task}")
        sub = commands.add_parser(task, help=description, description=description)
        module.add_arguments(sub)
        sub.set_defaults(module=module)
    args = parser.parse_args(argv)
    try:
        scores = args.module.run(args)
    except FileNotFoundError as error:  # the development data is not checked out
        print(f"python -m pipeline.evaluate {args.task}: {error.filename} not found; get the development "
              "data into ../shared/devdata or pass --gold", file=sys.stderr)
        return 2
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(scores, handle, indent=2)
    return 0


sys.exit(main())

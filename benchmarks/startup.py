"""Startup cost, run in its own process: import + model load (what each worker pays in
``AnnotateArticles.setup``) and pipeline construction (options, graph); prints one JSON line."""
import json
import sys
import time


def main() -> None:
    model, corpus, output = sys.argv[1:4]
    started = time.monotonic()
    from transforms.nlp import load_nlp
    imported = time.monotonic()
    nlp = load_nlp(model)
    loaded = time.monotonic()
    from datetime import datetime, timezone

    import apache_beam as beam

    from pipeline import options as flags
    from pipeline.run import build
    options = flags.parse(["--input", corpus, "--output", output, "--model", model])
    nb = options.view_as(flags.NewsbeamOptions)
    globs = flags.expand_inputs(nb.input)
    beam_imported = time.monotonic()
    pipeline = beam.Pipeline(options=options)
    build(pipeline, nb, globs, datetime.now(timezone.utc))
    pipeline.to_runner_api()  # what run() submits
    built = time.monotonic()
    print(json.dumps({
        "import_nlp_seconds": round(imported - started, 2),
        "model_load_seconds": round(loaded - imported, 2),
        "import_beam_seconds": round(beam_imported - loaded, 2),
        "pipeline_construction_seconds": round(built - beam_imported, 2),
        "startup_seconds": round(built - started, 2),
        "components": nlp.pipe_names,
    }))


if __name__ == "__main__":
    main()

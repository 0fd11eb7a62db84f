"""``python -m pipeline.evaluate <task> --gold FILE``: run the real pipeline on gold data and score it."""

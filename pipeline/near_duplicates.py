"""--near_duplicates: copy groups by MinHash + LSH inside the pipeline; only signatures, band keys and
the ids of articles with copies are shuffled, never texts."""
import apache_beam as beam

from pipeline.io import count
from transforms import near_duplicates as nd


class GroupNearDuplicates(beam.PTransform):
    """Records -> the same records with ``copy_group`` and ``is_group_representative``.

    The copy pairs' connected components are computed on one worker, which holds the ids of the
    articles that have copies (not their texts, not the articles without copies)."""

    def __init__(self, threshold: float = nd.DEFAULT_THRESHOLD, shingle_words: int = nd.DEFAULT_SHINGLE_WORDS):
        super().__init__()
        self._threshold = threshold
        self._shingle_words = shingle_words

    def expand(self, records):
        threshold, size = self._threshold, self._shingle_words
        assignments = (
            records
            | "Sign" >> beam.Map(lambda r: (nd.order_key(r), nd.signature(r["body"], size)))
            | "BandKeys" >> beam.FlatMap(lambda signed: [(key, signed) for key in nd.band_keys(signed[1], threshold)])
            | "ByBand" >> beam.GroupByKey()
            | "Pairs" >> beam.FlatMap(lambda band: nd.copy_pairs(list(band[1]), threshold))
            | "DistinctPairs" >> beam.Distinct()
            | "AllPairs" >> beam.combiners.ToList()
            | "Components" >> beam.FlatMap(lambda pairs: sorted(nd.groups(pairs).items()))
        )
        return records | "Assign" >> beam.Map(_assign, beam.pvalue.AsDict(assignments))


def _assign(record: dict, assignments: dict) -> dict:
    group, representative = assignments.get(record["article_id"], (record["article_id"], True))
    if not representative:
        count("near_duplicate_copies")
    return {**record, "copy_group": group, "is_group_representative": representative}

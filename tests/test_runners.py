"""Runner-agnostic: two worker processes give exactly the records one in-process worker gives."""
import gzip

from pipeline.evaluate.harness import read_avro_dir
from tests.conftest import SEEDS, run_cli, seed_article_count


def comparable(directory) -> set:
    """Records without the per-run timestamp, hashable."""
    def freeze(value):
        if isinstance(value, dict):
            return tuple(sorted((key, freeze(item)) for key, item in value.items() if key not in ("ingested_at", "failed_at")))
        if isinstance(value, list):
            return tuple(freeze(item) for item in value)
        return value

    return {freeze(record) for record in read_avro_dir(directory)}


def test_multi_processing_gives_the_same_records(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for copy in range(3):
        for seed in SEEDS.iterdir():
            (inputs / f"{copy}_{seed.name}.gz").write_bytes(gzip.compress(seed.read_bytes()))
    (inputs / "empty.txt").write_bytes(b"")
    one, two = tmp_path / "one", tmp_path / "two"
    run_cli("--input", str(inputs), "--output", str(one), check=True)
    run_cli("--input", str(inputs), "--output", str(two),
            "--direct_num_workers=2", "--direct_running_mode=multi_processing", "--num_shards=2", check=True)
    for directory in ("articles", "dead_letter"):
        assert comparable(one / directory) == comparable(two / directory), directory
    assert len(comparable(one / "articles")) == 3 * seed_article_count()
    assert len(read_avro_dir(two / "articles")) == len(read_avro_dir(one / "articles"))  # no record written twice
    assert len(list((two / "articles").glob("*.avro"))) == 2

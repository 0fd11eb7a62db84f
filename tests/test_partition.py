"""--partition_by_date: Hive-style article directories, locally and on the GCS emulator."""
import io

import fastavro

from pipeline.partition import UNKNOWN_DATE, partition_of
from tests.conftest import SEEDS, SEED_TEXTS, run_cli
from tests.gcs import require_emulator


def check_partitions(files: dict[str, bytes]) -> dict[str, list[str]]:
    """{partition: [titles]} after checking that each record sits in its own date's partition."""
    partitions: dict[str, list[str]] = {}
    for name, data in files.items():
        partition, file_name = name.split("/")[-2:]
        assert file_name.startswith("part-") and file_name.endswith(".avro"), name
        for record in fastavro.reader(io.BytesIO(data)):
            assert partition_of(record) == partition, f"{record['title']} is in {partition}"
            partitions.setdefault(partition, []).append(record["title"])
    return partitions


def test_local_partitions(tmp_path):
    done = run_cli("--input", str(SEEDS / "*.txt"), "--output", str(tmp_path), "--partition_by_date", check=True)
    files = {str(path.relative_to(tmp_path)): path.read_bytes() for path in (tmp_path / "articles").glob("*/*.avro")}
    partitions = check_partitions(files)
    assert set(partitions) == {"published_date=2017-10-17", f"published_date={UNKNOWN_DATE}"}
    assert sum(map(len, partitions.values())) == len(SEED_TEXTS)
    assert not list((tmp_path / "articles").glob("*.avro"))
    assert '"article_id"' in done.stdout  # the summary finds a record inside a partition


def test_gcs_partitions(gcs):
    for seed in SEED_TEXTS:
        gcs.upload(f"in/{seed.name}", seed.read_bytes())
    require_emulator(gcs.env)
    run_cli("--input", gcs.uri("in/"), "--output", gcs.uri("out"), "--partition_by_date", env=gcs.env, check=True)
    names = gcs.names("out/articles/")
    partitions = check_partitions({name: gcs.read(name) for name in names})
    assert set(partitions) == {"published_date=2017-10-17", f"published_date={UNKNOWN_DATE}"}
    assert all(name.count("/") == 3 for name in names), names  # nothing outside the partitions

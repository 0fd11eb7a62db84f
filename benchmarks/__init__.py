"""newsbeam benchmarks: the whole pipeline against bare spaCy on the same texts (``python -m benchmarks``)."""

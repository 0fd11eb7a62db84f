"""Near-duplicate (syndicated) copies: MinHash signatures of word shingles and LSH band keys (datasketch).

Two articles whose bodies share a band key are candidates; they are copies when their
signatures estimate a Jaccard similarity of at least the threshold. Groups are the connected
components of the copy pairs; the representative is the earliest published, ties by article_id.
"""
import functools
import hashlib
import re

NUM_PERM = 128
DEFAULT_THRESHOLD = 0.5     # measured on PolNeAR (docs/near_duplicates.md)
DEFAULT_SHINGLE_WORDS = 5
_WORD = re.compile(r"\w+")


def shingles(body: str, size: int) -> set[bytes]:
    """The set of ``size``-word shingles of ``body`` (lowercased words, punctuation ignored)."""
    words = _WORD.findall(body.lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@functools.cache
def _template():
    """A seeded MinHash whose permutations every signature reuses. datasketch is imported on first
    use, not with this module: it imports scipy (0.19 s at every worker start) and only
    ``--near_duplicates`` needs it."""
    from datasketch import MinHash
    return MinHash(num_perm=NUM_PERM, seed=1)


def signature(body: str, size: int) -> tuple[int, ...]:
    """The MinHash signature of ``body``'s shingles: NUM_PERM integers, the same on every worker."""
    template = _template()
    minhash = type(template)(num_perm=NUM_PERM, seed=1, permutations=template.permutations, scheme=template.scheme)
    minhash.update_batch(shingles(body, size))
    return tuple(int(value) for value in minhash.hashvalues)


@functools.cache
def bands_for(threshold: float) -> tuple[int, int]:
    """(bands, rows) with bands * rows <= NUM_PERM whose S-curve (1/bands)^(1/rows) is nearest ``threshold``."""
    pairs = [(bands, NUM_PERM // bands) for bands in range(1, NUM_PERM + 1)]
    return min(pairs, key=lambda pair: (abs((1 / pair[0]) ** (1 / pair[1]) - threshold), -pair[0]))


def band_keys(sig: tuple[int, ...], threshold: float) -> list[str]:
    """One key per LSH band: articles that share one are candidate copies."""
    bands, rows = bands_for(threshold)
    return [f"{band}:" + hashlib.sha1(repr(sig[band * rows:(band + 1) * rows]).encode()).hexdigest()[:16]
            for band in range(bands)]


def similarity(sig_a, sig_b) -> float:
    """Jaccard similarity estimated from two signatures."""
    return sum(a == b for a, b in zip(sig_a, sig_b)) / len(sig_a)


def copy_pairs(members: list[tuple], threshold: float) -> list[tuple[tuple, tuple]]:
    """Pairs (a, b), a < b, of ``members`` [(order_key, signature)] at or over ``threshold``."""
    members = sorted(members)
    return [(a[0], b[0]) for i, a in enumerate(members) for b in members[i + 1:] if similarity(a[1], b[1]) >= threshold]


def order_key(record: dict) -> tuple[str, str]:
    """Representative order: earliest published_date first (undated last), then article_id."""
    published = record.get("published_date")
    return (published.isoformat() if published else "9999-99-99", record["article_id"])


def groups(pairs) -> dict[str, tuple[str, bool]]:
    """{article_id: (copy_group, is_group_representative)} for every article in ``pairs`` of order
    keys; a group's id is the article_id of its representative, its smallest order key."""
    parent: dict[tuple, tuple] = {}

    def find(key):
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in pairs:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    return {key[1]: (find(key)[1], find(key) == key) for key in list(parent)}

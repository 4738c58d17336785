"""MinHash signatures and LSH band keys of shingle sets (datasketch's MinHash, vectorized).

The permutations are datasketch's (``MinHash(num_perm=NUM_PERM, seed=SEED)``), and ``signatures``
computes exactly ``MinHash.update_batch``'s hash values for many sets at once (one numpy pass per
chunk instead of one MinHash object per quote; tests compare the two). The bands follow
``MinHashLSH``: ``BANDS`` bands of ``ROWS`` hash values; two quotes are candidates when one band is
equal. With 20 bands of 2 rows, a pair of Jaccard similarity 0.45 (half of a quote against the whole)
is a candidate with probability 1 - (1 - 0.45²)²⁰ ≈ 0.99; candidates are then checked exactly
(``text.fingerprint.same_quote``), so the bands only decide what is compared.

A band key is the band's two 32-bit hash values side by side in 64 bits (no collision within a band),
mixed with the band number, as a signed 64-bit integer (a ``BigIntegerField``).
"""

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from datasketch import MinHash

NUM_PERM = 40
BANDS = 20
ROWS = 2
SEED = 17
assert BANDS * ROWS == NUM_PERM

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_BAND_SALT = (np.arange(BANDS, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)).astype(np.uint64)
_CHUNK_SHINGLES = 200_000


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's permutations for ``NUM_PERM`` and ``SEED``, made on first use: datasketch imports
    SciPy, 400 ms and about 100 MB that every process (web workers, commands) paid at start-up for
    the few that place or rebuild clusters."""
    from datasketch import MinHash

    a, b = MinHash(num_perm=NUM_PERM, seed=SEED).permutations
    return a, b


def minhash(shingle_set: frozenset[int]) -> "MinHash":
    """datasketch's own MinHash of one shingle set (the reference ``signatures`` must equal)."""
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int, permutations=_permutations())
    m.update_batch(sorted(shingle_set))
    return m


def signatures(shingle_sets: Sequence[frozenset[int]]) -> np.ndarray:
    """An ``len(shingle_sets) × NUM_PERM`` array of MinHash values; every set must be non-empty."""
    out = np.empty((len(shingle_sets), NUM_PERM), dtype=np.uint64)
    perm_a, perm_b = _permutations()
    start = 0
    while start < len(shingle_sets):
        stop, total = start, 0
        while stop < len(shingle_sets) and (total < _CHUNK_SHINGLES or stop == start):
            total += len(shingle_sets[stop])
            stop += 1
        chunk = shingle_sets[start:stop]
        lengths = np.fromiter((len(s) for s in chunk), dtype=np.int64, count=len(chunk))
        flat = np.fromiter((h for s in chunk for h in s), dtype=np.uint64, count=int(lengths.sum()))
        with np.errstate(over="ignore"):
            values = np.bitwise_and((np.outer(flat, perm_a) + perm_b) % _MERSENNE, _MAX_HASH)
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        out[start:stop] = np.minimum.reduceat(values, offsets, axis=0)
        start = stop
    return out


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """An ``n × BANDS`` array of signed 64-bit band keys."""
    pairs = sigs.reshape(len(sigs), BANDS, ROWS)
    combined = (pairs[:, :, 0] << np.uint64(32)) | pairs[:, :, 1]
    return (combined ^ _BAND_SALT).view(np.int64)

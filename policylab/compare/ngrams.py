"""Character n-grams of clauses, hashed and weighted by rarity (TF-IDF), with numpy.

The comparisons share these features: near duplicates and containment score
them, the clusterer's char block counts them over content words.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ._common import _bar, _flat

# Char n-grams hash into 2**20 buckets (see _ngram_counts): no vocabulary to hold
# for 100k clauses, and collisions among ~10^6 distinct n-grams barely move a cosine.
_NGRAMS = (3, 5)

# Hashing constants (any odd 64-bit numbers do): a polynomial rolling hash of the
# code points, salted by the n-gram length and scrambled by a Fibonacci multiply
# whose top bits index the 2**20 buckets. Deterministic on every machine, unlike
# Python's salted hash().
_ROLL = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_HASH_BITS = 20


def _ngram_counts(flat_texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, hashed columns and counts of the char_wb n-grams of some texts.

    An n-gram is a window of 3-5 characters of " text " that has a space at
    most at its ends: the n-grams of each word padded with spaces, as
    scikit-learn's ``char_wb``, computed with numpy over all texts at once (the
    pure-Python analyzer takes most of the time at 100k clauses).
    """
    padded = [f" {t} " for t in flat_texts]
    joined = "\x00".join(padded)  # "\x00" never occurs in flattened text
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(p) + 1 for p in padded), dtype=np.int64, count=len(padded))
    row_of = np.repeat(np.arange(len(padded), dtype=np.int64), lengths)[: codes.size]
    spaces = np.concatenate([[0], np.cumsum(codes == 32)])
    breaks = np.concatenate([[0], np.cumsum(codes == 0)])
    keys = []
    for n in range(_NGRAMS[0], _NGRAMS[1] + 1):
        m = codes.size - n + 1
        if m <= 0:
            continue
        h = np.zeros(m, dtype=np.uint64)
        for k in range(n):
            h = h * _ROLL + codes[k : k + m]
        start = np.arange(m)
        inside = (spaces[start + n - 1] - spaces[start + 1] == 0) & (breaks[start + n] - breaks[start] == 0)
        h = (h[inside] ^ np.uint64(n)) * _MIX
        column = (h >> np.uint64(64 - _HASH_BITS)).astype(np.int64)
        keys.append((row_of[start[inside]] << _HASH_BITS) | column)
    if not keys:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    unique, counts = np.unique(np.concatenate(keys), return_counts=True)
    return unique >> _HASH_BITS, unique & ((1 << _HASH_BITS) - 1), counts


def _ngram_weights(texts, *, show: bool = False) -> sp.csr_matrix:
    """Sublinear TF-IDF of char_wb 3-5-grams, hashed into 2**20 columns.

    Rows are NOT normalised. Columns are renumbered rarest first (by document
    frequency), with sorted indices: the order prefix filtering needs. TF-IDF
    as scikit-learn's ``TfidfTransformer(sublinear_tf=True)``:
    (1 + ln tf) * (ln((1 + n) / (1 + df)) + 1).
    """
    texts = [_flat(str(t)) for t in texts]
    n = len(texts)
    width = 1 << _HASH_BITS
    chunks = []
    blocks = range(0, n, 5_000)
    for s in _bar(blocks, total=len(blocks), desc="n-grams", show=show):
        r, c, k = _ngram_counts(texts[s : s + 5_000])
        chunks.append((r.astype(np.int32), c.astype(np.int32), k.astype(np.int32)))
    if n == 0:
        return sp.csr_matrix((n, width))
    df = np.zeros(width, dtype=np.int64)
    for _, c, _ in chunks:
        df += np.bincount(c, minlength=width)
    idf = np.log((1 + n) / (1 + df)) + 1
    rank = np.empty(width, dtype=np.int32)
    rank[np.argsort(df, kind="stable")] = np.arange(width, dtype=np.int32)
    # Sort each chunk (its rows are contiguous) by (row, rank): rarest n-gram first.
    data, indices, lengths = [], [], []
    for r, c, k in chunks:
        order = np.argsort((r.astype(np.int64) << _HASH_BITS) | rank[c])
        data.append((1 + np.log(k[order])) * idf[c[order]])
        indices.append(rank[c[order]])
        lengths.append(np.bincount(r, minlength=r.max() + 1 if r.size else 0))
    counts_per_row = np.zeros(n, dtype=np.int64)
    for (s, lengths_of_chunk) in zip(blocks, lengths):
        counts_per_row[s : s + lengths_of_chunk.size] = lengths_of_chunk
    indptr = np.concatenate([[0], np.cumsum(counts_per_row)])
    weights = sp.csr_matrix((np.concatenate(data), np.concatenate(indices), indptr), shape=(n, width))
    weights.has_sorted_indices = True
    return weights


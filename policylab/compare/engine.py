"""The all-pairs engine: pairs of rows of a sparse matrix that reach a threshold, without n x n.

Prefix filtering (Bayardo, Ma & Srikant 2007, "Scaling up all pairs similarity
search", WWW): a pair can only reach the threshold if the two rows share one of
their rarest columns, so sparse products over those few columns give the
candidates; upper bounds (Cauchy-Schwarz per band of column rarity) drop most
of them, and the rest are scored exactly by :func:`pairs`. The result is the
same as comparing every pair. Near duplicates (cosine), containment and MinHash
candidates all go through :func:`pairs`.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from ._common import _bar, _flat

__all__ = ["pairs"]

# Rows per sparse product: bounds the memory of one block of candidate pairs.
_ROW_BLOCK = 1_000
# Rank buckets of the tight pruning bounds (two n x 128 float32 tables each).
_BUCKETS = 128
# The containment prefix is cut at this share of the threshold: a longer prefix
# makes a dearer product but a bound that prunes ~30x more candidate pairs.
_CONTAINMENT_SLACK = 0.9

def _chunks(ranked: sp.csr_matrix, step: int = 20_000):
    """Row blocks of a CSR matrix: (first row, end row, first entry, end entry, row of each entry)."""
    n = ranked.shape[0]
    for s in range(0, n, step):
        e = min(s + step, n)
        lo, hi = int(ranked.indptr[s]), int(ranked.indptr[e])
        yield s, e, lo, hi, np.repeat(np.arange(e - s), np.diff(ranked.indptr[s : e + 1]))


def _prefix(ranked: sp.csr_matrix, mass_of, need: float):
    """Split each row into a prefix (rarest entries) and a suffix of mass < need.

    ``mass_of(s, e, lo, hi, row)`` gives the stored entries' shares of their
    row's total (squared weight for cosine, weight for containment) for one
    block of rows; the prefix is the shortest run of rarest entries after which
    the remaining mass falls below ``need``. Works block by block, so the
    temporaries stay small. Returns the prefix matrix (same values), the suffix
    mass per row and the rank of each row's last prefix entry (-1 if none).
    """
    n = ranked.shape[0]
    keep_parts = []
    kept = np.zeros(n, dtype=np.int64)
    rest = np.zeros(n, dtype=np.float64)
    for s, e, lo, hi, row in _chunks(ranked):
        mass = mass_of(s, e, lo, hi, row)
        # Suffix sums inside each row from a reversed cumulative sum of the block.
        tail = np.concatenate([np.cumsum(mass[::-1])[::-1], [0.0]])
        suffix = tail[:-1] - tail[ranked.indptr[s + 1 : e + 1] - lo][row]
        keep = suffix >= need * (1 - 1e-9) - 1e-12
        keep_parts.append(keep)
        kept[s:e] = np.bincount(row, weights=keep, minlength=e - s)
        total = np.bincount(row, weights=mass, minlength=e - s)
        rest[s:e] = np.maximum(total - np.bincount(row, weights=np.where(keep, mass, 0.0), minlength=e - s), 0.0)
    keep = np.concatenate(keep_parts) if keep_parts else np.zeros(0, dtype=bool)
    prefix = sp.csr_matrix(
        (ranked.data[keep], ranked.indices[keep], np.concatenate([[0], np.cumsum(kept)])), shape=ranked.shape
    )
    last = np.full(n, -1, dtype=np.int64)
    has = kept > 0
    last[has] = ranked.indices[ranked.indptr[:-1][has] + kept[has] - 1]
    return prefix, rest, last


def _pair_sums(matrix: sp.csr_matrix, i: np.ndarray, j: np.ndarray, how: str) -> np.ndarray:
    """Sum over columns of ``matrix[i] * matrix[j]`` (``"dot"``) or their minimum.

    Row i is scattered into a dense buffer once, then the rows j paired with it
    are gathered and looked up in one numpy pass: far cheaper than slicing two
    sparse matrices per block of pairs.
    """
    out = np.zeros(i.size, dtype=np.float64)
    if i.size == 0:
        return out
    order = np.argsort(i, kind="stable")
    i_sorted, j_sorted = i[order], j[order]
    starts = np.concatenate([[0], np.flatnonzero(np.diff(i_sorted)) + 1, [i.size]])
    dense = np.zeros(matrix.shape[1], dtype=np.float64)
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    for a, b in zip(starts[:-1], starts[1:]):
        x = i_sorted[a]
        own = slice(indptr[x], indptr[x + 1])
        dense[indices[own]] = data[own]
        others = j_sorted[a:b]
        first, lengths = indptr[others], indptr[others + 1] - indptr[others]
        offsets = np.cumsum(lengths) - lengths
        entries = np.repeat(first - offsets, lengths) + np.arange(lengths.sum())
        values, looked_up = data[entries], dense[indices[entries]]
        combined = values * looked_up if how == "dot" else np.minimum(values, looked_up)
        out[order[a:b]] = np.bincount(np.repeat(np.arange(b - a), lengths), weights=combined, minlength=b - a)
        dense[indices[own]] = 0.0
    return out


def _bucket_sums(ranked: sp.csr_matrix, values_of, edges: np.ndarray) -> np.ndarray:
    """Per row, the sum of ``values_of(s, e, lo, hi, row)`` in each rank bucket (float32)."""
    n, width = ranked.shape[0], edges.size + 1
    table = np.zeros((n, width), dtype=np.float32)
    for s, e, lo, hi, row in _chunks(ranked):
        bucket = np.searchsorted(edges, ranked.indices[lo:hi], side="right")
        table[s:e] = np.bincount(row * width + bucket, weights=values_of(s, e, lo, hi, row),
                                 minlength=(e - s) * width).reshape(-1, width)
    return table


def _rank_buckets(ranked: sp.csr_matrix) -> np.ndarray:
    """Edges of :data:`_BUCKETS` rank buckets holding equal shares of the entries."""
    if ranked.nnz == 0:
        return np.zeros(0, dtype=np.int64)
    quantiles = np.quantile(ranked.indices, np.linspace(0, 1, _BUCKETS + 1)[1:-1])
    return np.unique(quantiles.astype(np.int64))


def _join(left: sp.csr_matrix, right: sp.csr_matrix, keep_pair, *, show: bool, desc: str,
          right_start=lambda start: start):
    """Pairs (i, j) where ``left[i] . right[j] > 0`` and ``keep_pair`` agrees.

    Rows of ``left`` go in blocks of :data:`_ROW_BLOCK`; each block meets the rows
    of ``right`` from ``right_start(first row of the block)`` on, so a symmetric
    join does about half the work. ``right`` is transposed once, in segments of
    rows, because scipy would otherwise transpose it again for every product.
    ``keep_pair(i, j, product)`` returns a mask.
    """
    n, m = left.shape[0], right.shape[0]
    segment = 8 * _ROW_BLOCK
    bounds = list(range(0, m, segment)) + [m]
    transposed = [right[a:b].T.tocsr() for a, b in zip(bounds[:-1], bounds[1:])]
    found_i, found_j = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    blocks = range(0, n, _ROW_BLOCK)
    for start in _bar(blocks, total=len(blocks), desc=desc, show=show):
        rows = left[start : start + _ROW_BLOCK]
        first = right_start(start)
        for k in range(first // segment, len(transposed)):
            product = (rows @ transposed[k]).tocoo()
            # int32 ids halve the memory traffic of the filters (n < 2**31).
            i = product.row.astype(np.int32) + np.int32(start)
            j = product.col.astype(np.int32) + np.int32(bounds[k])
            if bounds[k] < first:
                keep = j >= first
                i, j, product.data = i[keep], j[keep], product.data[keep]
            mask = keep_pair(i, j, product.data)
            found_i.append(i[mask].astype(np.int64))
            found_j.append(j[mask].astype(np.int64))
    return np.concatenate(found_i), np.concatenate(found_j)


def _cosine_pairs(unit: sp.csr_matrix, threshold: float, same_doc_ok, *, show: bool):
    """Candidate pairs i < j that may reach cosine ``threshold`` (rows L2-normal).

    Prefix filtering: with columns rarest first, let x be the row whose prefix
    ends first; then x.y = x_P.y_P + x_S.y, so rows whose prefixes share nothing
    stay below the threshold. The others are pruned by two upper bounds of x_S.y:
    |x_S| |y beyond x's prefix| (cheap), then the same Cauchy-Schwarz bound taken
    rank bucket by rank bucket (tight). Survivors are scored exactly later.
    """
    n = unit.shape[0]

    def squared(s, e, lo, hi, row):
        return unit.data[lo:hi] ** 2

    prefix, rest, last = _prefix(unit, squared, threshold**2)

    def squared_suffix(s, e, lo, hi, row):
        return np.where(unit.indices[lo:hi] <= last[s:e][row], 0.0, unit.data[lo:hi] ** 2)

    rest_norm = np.sqrt(rest).astype(np.float32)
    edges = _rank_buckets(unit)
    norms = np.sqrt(_bucket_sums(unit, squared, edges))
    width = norms.shape[1]
    tails = np.sqrt(np.cumsum((norms.astype(np.float64) ** 2)[:, ::-1], axis=1)[:, ::-1]).astype(np.float32).ravel()
    suffix_norms = np.sqrt(_bucket_sums(unit, squared_suffix, edges))
    tail_start = (np.arange(n, dtype=np.int64) * width)  # row offsets into the flat tails table
    bucket_of_last = np.searchsorted(edges, np.maximum(last, 0), side="right").astype(np.int64)
    last = last.astype(np.int32)
    slack = threshold - 1e-6  # float32 tables: keep borderline pairs for the exact score

    def keep(i, j, partial):
        # The cheap bound first: it removes almost every pair, so the other
        # tests run on few.
        first = last[i] <= last[j]
        x, y = np.where(first, i, j), np.where(first, j, i)
        idx = np.flatnonzero(partial + rest_norm[x] * tails[tail_start[y] + bucket_of_last[x]] >= slack)
        i, j, x, y, partial = i[idx], j[idx], x[idx], y[idx], partial[idx]
        ok = (j > i) & same_doc_ok(i, j)
        ok &= partial + np.einsum("ij,ij->i", suffix_norms[x], norms[y], dtype=np.float64) >= slack
        mask = np.zeros(first.size, dtype=bool)
        mask[idx[ok]] = True
        return mask

    return _join(prefix, prefix, keep, show=show, desc="near duplicates")


def _containment_pairs(weights: sp.csr_matrix, n_words: np.ndarray, threshold: float, min_words: int,
                       same_doc_ok, *, show: bool):
    """Candidate pairs (x, y): x (>= min_words words, not longer than y) may lie in y.

    Containment of x in y is sum(min(x_f, y_f)) / sum(x_f). If y has none of the
    n-grams of x's prefix, it is at most x's suffix mass. The prefix is cut at
    ``_CONTAINMENT_SLACK`` of the threshold, so that (prefix mass y has) +
    (suffix mass) prunes most pairs that share a rare n-gram by chance; then
    sum over rank buckets of min(x's suffix mass, y's mass) prunes again.
    """
    total = np.asarray(weights.sum(axis=1)).ravel()
    safe_total = np.where(total > 0, total, 1.0)

    def share(s, e, lo, hi, row):
        return weights.data[lo:hi] / safe_total[s:e][row]

    prefix, rest, last = _prefix(weights, share, _CONTAINMENT_SLACK * threshold)

    def weight(s, e, lo, hi, row):
        return weights.data[lo:hi]

    def weight_suffix(s, e, lo, hi, row):
        return np.where(weights.indices[lo:hi] <= last[s:e][row], 0.0, weights.data[lo:hi])

    edges = _rank_buckets(weights)
    masses = _bucket_sums(weights, weight, edges)
    suffix_masses = _bucket_sums(weights, weight_suffix, edges)
    # Rows by length, so that "y is not shorter than x" is "y comes later".
    by_length = np.argsort(n_words, kind="stable")
    words_sorted = n_words[by_length]
    long_enough = sp.diags((words_sorted >= min_words).astype(np.float64))  # x must be; y need not
    probe = (long_enough @ prefix[by_length]).tocsr()
    probe.eliminate_zeros()
    # y's side only says which n-grams it has (float32 ones: half the memory).
    present = sp.csr_matrix((np.ones(weights.nnz, dtype=np.float32), weights.indices, weights.indptr),
                            shape=weights.shape)[by_length]
    slack = threshold - 1e-6

    def keep(i, j, partial):
        x, y = by_length[i], by_length[j]
        mask = (i != j) & (words_sorted[i] <= words_sorted[j]) & same_doc_ok(x, y)
        mask &= partial / safe_total[x] + rest[x] >= slack
        idx = np.flatnonzero(mask)
        x, y, partial = x[idx], y[idx], partial[idx]
        suffix_bound = np.minimum(suffix_masses[x], masses[y]).sum(axis=1, dtype=np.float64)
        mask[idx[(partial + suffix_bound) / safe_total[x] < slack]] = False
        return mask

    i, j = _join(probe, present, keep, show=show, desc="contained clauses",
                 right_start=lambda start: int(np.searchsorted(words_sorted, words_sorted[start])))
    return by_length[i], by_length[j]


def _minhash_pairs(texts, threshold: float, same_doc_ok, *, random_state: int, show: bool):
    """Candidate pairs from MinHash LSH on char 5-gram sets (approximate recall)."""
    try:
        from datasketch import MinHash, MinHashLSH  # only needed for method="minhash"
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError('method="minhash" needs datasketch: pip install "policylab[minhash]"') from exc

    shingles = []
    for text in texts:
        flat = _flat(text)
        shingles.append({flat[k : k + 5].encode("utf-8") for k in range(max(len(flat) - 4, 1))})
    hashes = MinHash.bulk(shingles, num_perm=128, seed=random_state)
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    for k, h in enumerate(_bar(hashes, total=len(hashes), desc="minhash index", show=show)):
        lsh.insert(k, h)
    pairs = set()
    for k, h in enumerate(_bar(hashes, total=len(hashes), desc="minhash query", show=show)):
        pairs.update((k, other) for other in lsh.query(h) if other > k)
    if not pairs:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    i, j = np.array(sorted(pairs), dtype=np.int64).T
    mask = same_doc_ok(i, j)
    return i[mask], j[mask]



# --------------------------------------------------------------------------- exact scores


def cosine_scores(unit: sp.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Cosine of rows ``i`` and ``j`` of a row-normalised matrix, clipped to [0, 1]."""
    return np.clip(_pair_sums(unit, i, j, "dot"), 0.0, 1.0)


def containment_scores(weights: sp.csr_matrix, i: np.ndarray, j: np.ndarray, n_words: np.ndarray) -> np.ndarray:
    """Share of the shorter row's weight (sum of minimum over sum) found in the other.

    The shorter row is the one of fewer words; on a tie, the better direction.
    """
    total = np.asarray(weights.sum(axis=1)).ravel()
    overlap = _pair_sums(weights, i, j, "min")
    in_j = overlap / np.where(total[i] > 0, total[i], 1.0)
    in_i = overlap / np.where(total[j] > 0, total[j], 1.0)
    containment = np.where(
        n_words[i] < n_words[j], in_j, np.where(n_words[j] < n_words[i], in_i, np.maximum(in_i, in_j))
    )
    return np.clip(containment, 0.0, 1.0)


def pairs(
    weights: sp.csr_matrix,
    *,
    measure: str = "cosine",
    threshold: float = 0.8,
    groups: np.ndarray | None = None,
    n_words: np.ndarray | None = None,
    min_words: int = 0,
    texts=None,
    random_state: int = 0,
    show: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs of rows of ``weights`` whose score reaches ``threshold``, without n x n.

    Parameters
    ----------
    weights : csr_matrix
        Non-negative row weights with columns numbered rarest first and sorted
        indices (as :func:`policylab.compare.ngrams._ngram_weights` makes them).
    measure : {"cosine", "containment", "minhash"}
        ``"cosine"``: cosine of the rows (exact). ``"containment"``: share of the
        shorter row (by ``n_words``, at least ``min_words``) found in the longer
        one (exact). ``"minhash"``: cosine, with candidates from MinHash LSH on
        char 5-gram sets of ``texts`` at Jaccard ``threshold`` (approximate
        recall; the score returned is the exact cosine, not thresholded).
    threshold : float
        Least score of a pair returned.
    groups : array of int or None
        Rows of one group are never paired (e.g. clauses of one notice).
    n_words, min_words
        Lengths of the rows (containment only).
    texts : sequence of str
        The rows' texts (minhash only).
    random_state : int
        Seed of the MinHash permutations.
    show : bool
        Progress bars.

    Returns
    -------
    (i, j, score)
        Row indices with ``i < j`` and the pair's score, in no fixed order.

    Examples
    --------
    >>> from policylab.compare.ngrams import _ngram_weights
    >>> w = _ngram_weights(["Vi lagrer data i to år.", "Vi lagrer data i tre år.", "Klag til Datatilsynet."])
    >>> i, j, s = pairs(w, threshold=0.5)
    >>> list(zip(i.tolist(), j.tolist()))
    [(0, 1)]
    """
    n = weights.shape[0]
    if groups is None:
        def same_doc_ok(i, j):
            return np.ones(i.shape, dtype=bool)
    else:
        groups = np.asarray(groups)

        def same_doc_ok(i, j):
            return groups[i] != groups[j]

    empty = np.zeros(0, dtype=np.int64)
    if n < 2:
        return empty, empty, np.zeros(0)
    if measure == "containment":
        if n_words is None:
            raise ValueError('measure="containment" needs n_words')
        n_words = np.asarray(n_words, dtype=np.int64)
        xi, xj = _containment_pairs(weights, n_words, threshold, min_words, same_doc_ok, show=show)
        i, j = np.minimum(xi, xj), np.maximum(xi, xj)
        codes = np.unique(i * n + j)
        i, j = codes // n, codes % n
        score = containment_scores(weights, i, j, n_words)
        keep = (score >= threshold) & (np.minimum(n_words[i], n_words[j]) >= min_words)
        return i[keep], j[keep], score[keep]
    unit = normalize(weights)  # keeps sorted indices and the column order
    if measure == "cosine":
        i, j = _cosine_pairs(unit, threshold, same_doc_ok, show=show)
    elif measure == "minhash":
        if texts is None:
            raise ValueError('measure="minhash" needs texts')
        i, j = _minhash_pairs(texts, threshold, same_doc_ok, random_state=random_state, show=show)
    else:
        raise ValueError(f"measure must be 'cosine', 'containment' or 'minhash', not {measure!r}")
    codes = np.unique(i * n + j)
    i, j = codes // n, codes % n
    score = cosine_scores(unit, i, j)
    if measure == "cosine":
        keep = score >= threshold
        i, j, score = i[keep], j[keep], score[keep]
    return i, j, score

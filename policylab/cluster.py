"""Similar clauses across notices: near duplicates, clusters and neighbours.

Privacy notices copy from each other and from templates (Datatilsynet's model
texts, web agencies' boilerplate). This module finds that reuse and groups
clauses that say the same kind of thing, on any ``clauses`` table (see
``tables.md``).

- :func:`near_duplicates` -- pairs of clauses whose wording is nearly the same
  (character n-gram TF-IDF cosine, exact, without an n x n matrix), plus pairs
  where a clause of 20+ words reappears inside a longer one.
- :func:`cluster_clauses` / :class:`ClauseClusterer` -- clusters of clauses on a
  TF-IDF + SVD embedding, with a label of top terms and 2-D map coordinates.
- :func:`similar_clauses` -- the clauses closest to a text or a clause id.
- :func:`cluster_summary`, :func:`document_similarity` -- tidy summaries of both.

Headings and boilerplate are left out unless ``include_kinds`` asks for them:
headings such as "Innsyn" recur in every notice without being copied text.

Scale. Nothing here builds a dense n x n matrix. Near duplicates use prefix
filtering (Bayardo, Ma & Srikant 2007, "Scaling up all pairs similarity
search", WWW): a pair can only reach the threshold if the two clauses share one
of their rarest n-grams, so sparse products over those few n-grams give the
candidates; upper bounds (Cauchy-Schwarz per band of n-gram rarity) drop most
of them, and the rest are scored exactly. The result is the same as comparing
every pair. Clustering is agglomerative up to :data:`AGGLOMERATIVE_MAX` clauses
(its condensed distance matrix holds n(n-1)/2 floats, 100 MB at 5,000) and
MiniBatchKMeans above. ``benchmarks/bench_cluster.py`` prints time and memory
for 10k and 100k clauses (about 1.5 minutes and 2-3 GB each at 100k).

Examples
--------
>>> clauses = pd.DataFrame({
...     "clause_id": ["a:1", "b:1", "b:2"], "doc_id": ["a", "b", "b"],
...     "text": ["Vi lagrer opplysningene dine i to år etter siste kjøp.",
...              "Vi lagrer opplysningene dine i tre år etter siste kjøp.",
...              "Du kan klage til Datatilsynet om du mener vi bryter loven."]})
>>> near_duplicates(clauses)[["clause_a", "clause_b"]].values.tolist()
[['a:1', 'b:1']]
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections import Counter

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from tqdm.auto import tqdm

from .stopwords import stop_words
from .tokenize import stem, words

__all__ = [
    "AGGLOMERATIVE_MAX",
    "CLUSTER_COLUMNS",
    "DEFAULT_KINDS",
    "DOCUMENT_SIMILARITY_COLUMNS",
    "NEAR_DUPLICATE_COLUMNS",
    "SIMILAR_COLUMNS",
    "SUMMARY_COLUMNS",
    "ClauseClusterer",
    "cluster_clauses",
    "cluster_summary",
    "document_similarity",
    "near_duplicates",
    "similar_clauses",
]

#: Clause kinds compared by default: the body of a notice.
DEFAULT_KINDS = ("paragraph", "list_item", "table_row")
#: Largest number of clauses clustered agglomeratively (its condensed distance
#: matrix of n(n-1)/2 float64 is 100 MB at 5,000); above it, MiniBatchKMeans.
AGGLOMERATIVE_MAX = 5_000
#: With ``progress=None``, bars show only for inputs larger than this.
PROGRESS_MIN = 5_000
#: Label of the cluster ``-1``: clauses that are alone in their cluster.
NOISE_LABEL = "(singletons)"

NEAR_DUPLICATE_COLUMNS = ["clause_a", "clause_b", "doc_a", "doc_b", "similarity", "containment", "match"]
CLUSTER_COLUMNS = ["clause_id", "doc_id", "cluster", "cluster_label", "x", "y"]
SIMILAR_COLUMNS = ["clause_id", "doc_id", "similarity", "text"]
SUMMARY_COLUMNS = [
    "cluster", "cluster_label", "n_clauses", "n_documents", "n_sectors", "companies", "dominant_topic",
]
DOCUMENT_SIMILARITY_COLUMNS = ["doc_a", "doc_b", "shared_clauses", "share_a", "share_b"]

_NON_WORD = re.compile(r"[\W_]+")
# Char n-grams hash into 2**20 buckets (see _ngram_counts): no vocabulary to hold
# for 100k clauses, and collisions among ~10^6 distinct n-grams barely move a cosine.
_NGRAMS = (3, 5)
# Rows per sparse product: bounds the memory of one block of candidate pairs.
_ROW_BLOCK = 1_000
# Rank buckets of the tight pruning bounds (two n x 128 float32 tables each).
_BUCKETS = 128
# The containment prefix is cut at this share of the threshold: a longer prefix
# makes a dearer product but a bound that prunes ~30x more candidate pairs.
_CONTAINMENT_SLACK = 0.9


# --------------------------------------------------------------------------- helpers


def _show(progress: bool | None, n: int) -> bool:
    return bool(progress) if progress is not None else n > PROGRESS_MIN


def _bar(iterable, *, total: int, desc: str, show: bool):
    return tqdm(iterable, total=total, desc=desc, file=sys.stderr, disable=not show, leave=False)


def _empty(columns: list[str], dtypes: dict[str, str] | None = None) -> pd.DataFrame:
    dtypes = dtypes or {}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "object")) for c in columns})


def _eligible(clauses: pd.DataFrame | None, include_kinds, min_words: int) -> pd.DataFrame:
    """The clauses to compare: ``clause_id, doc_id, text, n_words`` (fresh index)."""
    columns = ["clause_id", "doc_id", "text", "n_words"]
    if clauses is None or len(clauses) == 0:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "n_words" else "object") for c in columns})
    frame = clauses
    if include_kinds is not None and "kind" in frame.columns:
        frame = frame[frame["kind"].isin(list(include_kinds))]
    text = frame["text"].fillna("").astype(str)
    if "n_words" in frame.columns:
        n_words = frame["n_words"].fillna(0).astype("int64")
    else:
        n_words = text.map(lambda t: len(words(t))).astype("int64")
    doc_id = frame["doc_id"].astype(str) if "doc_id" in frame.columns else pd.Series("", index=frame.index)
    out = pd.DataFrame(
        {"clause_id": frame["clause_id"].astype(str), "doc_id": doc_id, "text": text, "n_words": n_words}
    )
    return out[out["n_words"] >= min_words].reset_index(drop=True)


def _as_clauses(clauses) -> pd.DataFrame:
    """Accept a clauses table or, for estimator use, a plain sequence of texts."""
    if isinstance(clauses, pd.DataFrame):
        return clauses
    texts = [str(t) for t in (clauses if clauses is not None else [])]
    return pd.DataFrame({"clause_id": [str(i) for i in range(len(texts))], "doc_id": "", "text": texts})


def _flat(text: str) -> str:
    # Lower case, letters and digits only: punctuation, bullets and quote styles
    # differ between copies of one text without changing what it says.
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


# --------------------------------------------------------------------------- n-gram weights

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


# --------------------------------------------------------------------------- pair search


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


# --------------------------------------------------------------------------- near duplicates


def near_duplicates(
    clauses: pd.DataFrame,
    *,
    threshold: float = 0.8,
    across_documents: bool = True,
    min_words: int = 5,
    include_kinds=DEFAULT_KINDS,
    containment_threshold: float | None = 0.85,
    min_contained_words: int = 20,
    method: str = "tfidf",
    minhash_threshold: float = 0.5,
    random_state: int = 0,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Pairs of clauses whose text is nearly the same.

    Each clause becomes a vector of character n-grams (``char_wb`` 3-5-grams of
    the lower-cased text with punctuation removed, sublinear TF-IDF over the
    clauses compared). A pair is reported when

    - its cosine ``similarity`` is at least ``threshold`` (match
      ``"near_duplicate"``), or
    - the shorter clause (fewer words, at least ``min_contained_words``) is
      nearly contained in the longer: ``containment``, the share of the shorter
      clause's n-gram weight (sum of min over sum) found in the other, is at
      least ``containment_threshold`` (match ``"contained"``). This catches a
      copied paragraph that one notice merged with another: Resultat24 has
      ØkoRåd's two cookie paragraphs as one (cosine 0.67, containment 0.87).

    Why 0.8. On the bundled corpus (560 paragraphs, list items and table rows of
    5+ words) the cosine of a clause with its best match in another notice has
    median 0.32, 90th percentile 0.55, 99th percentile 0.81. The 6 pairs at 0.80
    and above are template text ("Vi behandler følgende kategorier av
    personopplysninger:", Datatilsynet's sentence on the right to object, the
    definition of «behandling»); the 5 pairs in 0.70-0.80 are mostly a copied
    sentence inside a longer clause (which containment catches) or a
    rewording; below 0.70 (19 more pairs down to 0.60) come paraphrases such as
    "Dersom du mener behandlingen er i strid med regelverket ...". Containment
    at 0.85 with 20 words keeps the three copied passages of the corpus; at 15
    words a nynorsk paraphrase gets in (Turnus-Hjelp's portability sentence in
    Motkraft's, 0.85), and shorter clauses are generic ("En informasjonskapsel
    (cookie) er en liten tekstfil ...", 12 words, lies at 0.99 in ØkoRåd's
    longer definition).

    Both tests are exact (the same pairs as comparing every pair) and need no
    n x n matrix (see the module docstring). ``method="minhash"`` instead takes
    cosine candidates from MinHash LSH on char 5-gram sets at Jaccard
    ``minhash_threshold`` (datasketch) and scores them exactly; it can miss
    pairs (on the 100k benchmark it takes about as long as the default, uses
    more memory and finds a third of the pairs), so it is there for comparison.

    Parameters
    ----------
    clauses : DataFrame
        A clauses table: ``clause_id, doc_id, text`` (``kind`` and ``n_words``
        are used when present).
    threshold : float
        Least cosine similarity of a ``near_duplicate`` pair.
    across_documents : bool
        Only pairs from two different notices (``False`` adds pairs inside one).
    min_words : int
        Clauses with fewer words are not compared.
    include_kinds : sequence of str or None
        Clause kinds compared (``None``: all).
    containment_threshold : float or None
        Least containment of a ``contained`` pair; ``None`` turns the test off.
    min_contained_words : int
        Least words of the shorter clause of a ``contained`` pair.
    method : {"tfidf", "minhash"}
        How cosine candidates are found (see above).
    minhash_threshold : float
        Jaccard threshold of the LSH index (``method="minhash"`` only).
    random_state : int
        Seed of the MinHash permutations (``method="minhash"`` only).
    progress : bool or None
        Progress bars on stderr; ``None`` shows them above 5,000 clauses.

    Returns
    -------
    DataFrame
        ``clause_a, clause_b, doc_a, doc_b, similarity, containment, match``,
        one row per pair with ``clause_a < clause_b``, sorted by similarity
        (highest first), then ids. ``similarity`` and ``containment`` lie in [0, 1].

    Examples
    --------
    >>> clauses = pd.DataFrame({
    ...     "clause_id": ["a:1", "b:1"], "doc_id": ["a", "b"],
    ...     "text": ["Vi deler ikke opplysningene dine med andre.",
    ...              "Vi deler ikke opplysningene dine med andre!"]})
    >>> near_duplicates(clauses)[["doc_a", "doc_b", "similarity", "match"]].values.tolist()
    [['a', 'b', 1.0, 'near_duplicate']]
    """
    if method not in ("tfidf", "minhash"):
        raise ValueError(f"method must be 'tfidf' or 'minhash', not {method!r}")
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must lie in (0, 1], not {threshold!r}")
    frame = _eligible(clauses, include_kinds, min_words)
    columns = NEAR_DUPLICATE_COLUMNS
    dtypes = {"similarity": "float64", "containment": "float64"}
    if len(frame) < 2:
        return _empty(columns, dtypes)
    show = _show(progress, len(frame))
    docs = pd.factorize(frame["doc_id"])[0]
    n_words = frame["n_words"].to_numpy(dtype=np.int64)

    def same_doc_ok(i, j):
        return docs[i] != docs[j] if across_documents else np.ones(i.shape, dtype=bool)

    weights = _ngram_weights(frame["text"].tolist(), show=show)
    unit = normalize(weights)  # keeps sorted indices and the column order

    if method == "tfidf":
        ci, cj = _cosine_pairs(unit, threshold, same_doc_ok, show=show)
    else:
        ci, cj = _minhash_pairs(frame["text"].tolist(), minhash_threshold, same_doc_ok,
                                random_state=random_state, show=show)
    pairs = [np.stack([ci, cj], axis=1)]
    if containment_threshold is not None:
        xi, xj = _containment_pairs(weights, n_words, containment_threshold, min_contained_words,
                                    same_doc_ok, show=show)
        pairs.append(np.stack([np.minimum(xi, xj), np.maximum(xi, xj)], axis=1))
    pairs = np.concatenate(pairs)
    codes = np.unique(pairs[:, 0] * len(frame) + pairs[:, 1])
    if codes.size == 0:
        return _empty(columns, dtypes)
    i, j = codes // len(frame), codes % len(frame)

    similarity = np.clip(_pair_sums(unit, i, j, "dot"), 0.0, 1.0)
    total = np.asarray(weights.sum(axis=1)).ravel()
    overlap = _pair_sums(weights, i, j, "min")
    # The shorter clause (fewer words; on a tie, the better direction) is the contained one.
    in_j = overlap / np.where(total[i] > 0, total[i], 1.0)
    in_i = overlap / np.where(total[j] > 0, total[j], 1.0)
    containment = np.where(
        n_words[i] < n_words[j], in_j, np.where(n_words[j] < n_words[i], in_i, np.maximum(in_i, in_j))
    )
    containment = np.clip(containment, 0.0, 1.0)
    near = similarity >= threshold
    contained = np.zeros_like(near)
    if containment_threshold is not None:
        contained = (containment >= containment_threshold) & (np.minimum(n_words[i], n_words[j]) >= min_contained_words)
    keep = near | contained
    i, j = i[keep], j[keep]

    ids = frame["clause_id"].to_numpy(dtype=object)
    doc_ids = frame["doc_id"].to_numpy(dtype=object)
    swap = ids[i] > ids[j]
    a, b = np.where(swap, j, i), np.where(swap, i, j)
    out = pd.DataFrame({
        "clause_a": ids[a], "clause_b": ids[b], "doc_a": doc_ids[a], "doc_b": doc_ids[b],
        "similarity": similarity[keep], "containment": containment[keep],
        "match": np.where(near[keep], "near_duplicate", "contained"),
    })
    out = out.sort_values(["similarity", "clause_a", "clause_b"], ascending=[False, True, True], kind="mergesort")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- clustering


class _StemAnalyzer:
    """Callable analyzer for TfidfVectorizer: content words -> Snowball stems."""

    def __init__(self, language: str = "all"):
        self.language = language

    def content_words(self, text: str) -> list[str]:
        stops = stop_words(self.language)
        return [w for w in words(text.lower()) if len(w) > 1 and w not in stops]

    def __call__(self, text: str) -> list[str]:
        return [stem(w) for w in self.content_words(text)]


class _CharNgrams:
    """TF-IDF of hashed char_wb 3-5-grams of a clause's content words.

    The n-grams are those of :func:`near_duplicates` (numpy, hashed into 2**20
    columns), taken over the content words only; a clause of stop words only
    falls back to its whole text. ``fit`` keeps the ``max_features`` columns of
    highest document frequency among those in at least ``min_df`` clauses,
    so the SVD works on a bounded width.
    """

    def __init__(self, *, min_df: int = 1, max_features: int | None = None):
        self.min_df = min_df
        self.max_features = max_features
        self.analyzer = _StemAnalyzer()

    def _counts(self, texts: list[str]) -> sp.csr_matrix:
        inputs = []
        for text in texts:
            content = " ".join(self.analyzer.content_words(text))
            inputs.append(content if content else _flat(text))
        n, width = len(inputs), 1 << _HASH_BITS
        rows, cols, counts = [], [], []
        for s in range(0, n, 5_000):
            r, c, k = _ngram_counts(inputs[s : s + 5_000])
            rows.append(r + s)
            cols.append(c)
            counts.append(k)
        if not rows:
            return sp.csr_matrix((n, width))
        return sp.csr_matrix(
            (np.concatenate(counts).astype(np.float64), (np.concatenate(rows), np.concatenate(cols))), shape=(n, width)
        )

    def fit_transform(self, texts: list[str]) -> sp.csr_matrix:
        counts = self._counts(texts)
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        columns = np.flatnonzero(df >= max(self.min_df, 1))
        if self.max_features is not None and columns.size > self.max_features:
            # Most frequent first, ties by column id: the same columns on every run.
            columns = np.sort(columns[np.lexsort((columns, -df[columns]))[: self.max_features]])
        if columns.size == 0:
            raise ValueError("no character n-grams to compare")
        self.lookup_ = np.full(counts.shape[1], -1, dtype=np.int64)
        self.lookup_[columns] = np.arange(columns.size)
        self.idf_ = np.log((1 + counts.shape[0]) / (1 + df[columns])) + 1
        return self._weigh(counts)

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        return self._weigh(self._counts(texts))

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        coo = counts.tocoo()
        column = self.lookup_[coo.col]
        keep = column >= 0
        data = (1 + np.log(coo.data[keep])) * self.idf_[column[keep]]
        return sp.csr_matrix((data, (coo.row[keep], column[keep])), shape=(counts.shape[0], self.idf_.size))


class _Featurizer:
    """Sparse clause features: stemmed content words + char n-grams, rows unit norm.

    Two TF-IDF blocks, each L2-normalised and weighted ``word_weight`` :
    ``1 - word_weight`` (square roots, so a row's norm stays 1). A block that
    finds nothing to count (clauses of stop words only) is dropped.
    """

    def __init__(self, *, word_weight: float = 0.5, min_df: int = 1, max_features: int | None = None):
        self.word_weight = word_weight
        self.min_df = min_df
        self.max_features = max_features

    def fit_transform(self, texts: list[str]) -> sp.csr_matrix:
        """Learn both vocabularies and return the features of ``texts``.

        The word block of the texts is kept as ``word_matrix`` (cluster labels
        read it).
        """
        self.word = TfidfVectorizer(analyzer=_StemAnalyzer(), sublinear_tf=True, dtype=np.float64)
        try:
            word = normalize(self.word.fit_transform(texts))
        except ValueError:  # no content word in any clause
            self.word, word = None, None
        self.char = _CharNgrams(min_df=self.min_df, max_features=self.max_features)
        try:
            char = normalize(self.char.fit_transform(texts))
        except ValueError:
            self.char, char = None, None
        if self.char is None and self.word is None:
            raise ValueError("the clauses hold no letters or digits to compare")
        self.word_matrix = word
        return self._combine(word, char)

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        word = normalize(self.word.transform(texts)) if self.word is not None else None
        char = normalize(self.char.transform(texts)) if self.char is not None else None
        return self._combine(word, char)

    def _combine(self, word, char) -> sp.csr_matrix:
        if word is None or char is None:
            return sp.csr_matrix(word if char is None else char)
        w = self.word_weight
        return sp.hstack([math.sqrt(w) * word, math.sqrt(1 - w) * char], format="csr")


class ClauseClusterer(TransformerMixin, BaseEstimator):
    """Cluster clauses on a TF-IDF + SVD embedding (scikit-learn estimator).

    Embedding: TF-IDF over Snowball-stemmed content words (stop words from
    ``lexicons/stopwords.csv``; negations are not stop words) and TF-IDF over
    char_wb 3-5-grams of the content words, each L2-normalised and weighted
    ``word_weight`` : ``1 - word_weight``, reduced by a seeded TruncatedSVD to
    ``n_components`` dimensions and L2-normalised, so Euclidean geometry is
    cosine geometry.

    Clustering: up to ``agglomerative_max`` clauses, average-linkage
    agglomerative clustering on cosine distance, cut at ``distance_threshold``
    (or into ``n_clusters``); above it, MiniBatchKMeans with ``n_clusters`` or,
    if None, the k of best silhouette on a seeded sample of 5,000 clauses, tried
    on a geometric grid of six values from sqrt(n)/4 to 4 sqrt(n) (at most
    1,000). A clause alone in its cluster gets cluster ``-1`` (noise: it shares
    its wording with no other clause, and a cluster of one says nothing about
    reuse); the others are numbered 0, 1, ... by size, largest first. A clause
    with no content word and no letter n-gram has no direction and is noise too.

    ``cluster_label`` names a cluster by its three heaviest stems in the mean
    word TF-IDF of its clauses, each shown as its most frequent surface form
    in the corpus. ``x, y`` are the first two principal components of the
    embedding (``layout="pca"``) or a seeded t-SNE (``layout="tsne"``, only up
    to ``agglomerative_max`` clauses).

    Parameters
    ----------
    random_state : int
        Seed of the SVD, k-means, the silhouette sample and the layout.
    n_clusters : int or None
        Number of clusters; None lets the threshold (or silhouette) decide.
    distance_threshold : float
        Average-linkage cosine distance at which agglomerative merging stops.
    n_components : int
        SVD dimensions (fewer if the data has fewer).
    word_weight : float
        Weight of the stemmed-word block against the char n-gram block.
    include_kinds : sequence of str or None
        Clause kinds clustered by :meth:`fit` (None: all).
    min_words : int
        Clauses with fewer words are left out by :meth:`fit`.
    agglomerative_max : int
        Largest n clustered agglomeratively.
    layout : {"pca", "tsne"}
        Map coordinates.
    progress : bool or None
        Progress bars on stderr; None shows them above 5,000 clauses.

    Attributes
    ----------
    clusters_ : DataFrame
        ``clause_id, doc_id, cluster, cluster_label, x, y`` of the fitted clauses.
    labels_ : ndarray of int
        Cluster of each fitted clause (``-1`` = singleton).
    embedding_ : ndarray of shape (n, n_components_)
    cluster_labels_ : dict of int to str
    n_clusters_ : int
        Clusters found, noise not counted.
    method_ : str
        ``"agglomerative"``, ``"kmeans"`` or ``"none"`` (fewer than two clauses).
    silhouette_ : dict of int to float
        Silhouette of each k tried, when k-means chose k itself.

    Examples
    --------
    >>> texts = ["Vi lagrer opplysningene i to år.", "Vi lagrer opplysningene i tre år.",
    ...          "Du kan klage til Datatilsynet.", "Du kan også klage til Datatilsynet."]
    >>> model = ClauseClusterer(min_words=1).fit(texts)
    >>> model.labels_.tolist(), model.transform(texts[:1]).shape == (1, model.n_components_)
    ([0, 0, 1, 1], True)
    """

    def __init__(
        self,
        *,
        random_state: int = 0,
        n_clusters: int | None = None,
        distance_threshold: float = 0.6,
        n_components: int = 100,
        word_weight: float = 0.5,
        include_kinds=DEFAULT_KINDS,
        min_words: int = 3,
        agglomerative_max: int = AGGLOMERATIVE_MAX,
        layout: str = "pca",
        progress: bool | None = None,
    ):
        self.random_state = random_state
        self.n_clusters = n_clusters
        self.distance_threshold = distance_threshold
        self.n_components = n_components
        self.word_weight = word_weight
        self.include_kinds = include_kinds
        self.min_words = min_words
        self.agglomerative_max = agglomerative_max
        self.layout = layout
        self.progress = progress

    def fit(self, X, y=None):
        """Learn the embedding and the clusters of the clauses in ``X``.

        ``X`` is a clauses table (or a sequence of texts). Returns ``self``.
        """
        if self.layout not in ("pca", "tsne"):
            raise ValueError(f"layout must be 'pca' or 'tsne', not {self.layout!r}")
        frame = _eligible(_as_clauses(X), self.include_kinds, self.min_words)
        n = len(frame)
        if n < 2:
            return self._fit_empty(frame)
        show = _show(self.progress, n)
        texts = frame["text"].tolist()
        # Rare char n-grams cannot link clauses; dropping them (and capping the
        # vocabulary) bounds the SVD's memory at 100k clauses.
        self.featurizer_ = _Featurizer(word_weight=self.word_weight, min_df=2 if n >= 1_000 else 1, max_features=2**16)
        features = self.featurizer_.fit_transform(texts)
        k = max(1, min(self.n_components, features.shape[1] - 1, n - 1))
        self.svd_ = TruncatedSVD(n_components=k, algorithm="randomized", n_iter=3, random_state=self.random_state)
        with np.errstate(invalid="ignore", divide="ignore"):  # identical rows: explained variance 0/0
            embedding = normalize(self.svd_.fit_transform(features))
        self.n_components_ = k
        self.embedding_ = embedding

        self.labels_ = _renumber(self._cluster(embedding, show=show))
        self.n_clusters_ = int(self.labels_.max() + 1) if (self.labels_ >= 0).any() else 0
        self.cluster_labels_ = self._name_clusters(texts, self.labels_)
        xy = self._layout(embedding)
        self.clusters_ = pd.DataFrame({
            "clause_id": frame["clause_id"].to_numpy(dtype=object),
            "doc_id": frame["doc_id"].to_numpy(dtype=object),
            "cluster": self.labels_.astype("int64"),
            "cluster_label": [self.cluster_labels_[c] for c in self.labels_],
            "x": xy[:, 0], "y": xy[:, 1],
        })
        return self

    def _fit_empty(self, frame: pd.DataFrame):
        self.featurizer_ = None
        self.svd_ = None
        self.n_components_ = 0
        self.embedding_ = np.zeros((len(frame), 0))
        self.labels_ = np.full(len(frame), -1, dtype=np.int64)
        self.n_clusters_ = 0
        self.cluster_labels_ = {}
        self.method_ = "none"
        self.clusters_ = _empty(CLUSTER_COLUMNS, {"cluster": "int64", "x": "float64", "y": "float64"})
        return self

    def transform(self, X) -> np.ndarray:
        """Embed clauses with the fitted vectorizers and SVD (no refitting).

        Every row of ``X`` is embedded, whatever its kind or length, so that
        rows stay aligned with the input.
        """
        if not hasattr(self, "svd_"):
            raise AttributeError("ClauseClusterer is not fitted yet; call fit first")
        texts = _as_clauses(X)["text"].fillna("").astype(str).tolist()
        if self.svd_ is None:
            return np.zeros((len(texts), 0))
        if not texts:
            return np.zeros((0, self.n_components_))
        return normalize(self.svd_.transform(self.featurizer_.transform(texts)))

    # -- clustering

    def _cluster(self, embedding: np.ndarray, *, show: bool) -> np.ndarray:
        # A clause of stop words and digits only embeds as the zero vector: it
        # has no direction, so it stays alone (cluster -1) and out of the fit.
        nonzero = np.linalg.norm(embedding, axis=1) > 1e-12
        raw = -1 - np.arange(embedding.shape[0])
        self.method_ = "none"
        if nonzero.sum() >= 2:
            raw[nonzero] = self._cluster_rows(embedding[nonzero], show=show)
        return raw

    def _cluster_rows(self, embedding: np.ndarray, *, show: bool) -> np.ndarray:
        n = embedding.shape[0]
        if n <= self.agglomerative_max:
            self.method_ = "agglomerative"
            if self.n_clusters is not None:
                model = AgglomerativeClustering(
                    n_clusters=min(self.n_clusters, n), metric="cosine", linkage="average"
                )
            else:
                model = AgglomerativeClustering(
                    n_clusters=None, distance_threshold=self.distance_threshold, metric="cosine", linkage="average"
                )
            return model.fit_predict(embedding)
        self.method_ = "kmeans"
        k = min(self.n_clusters, n) if self.n_clusters is not None else self._choose_k(embedding, show=show)
        # One k-means++ start on 3k points: its cost grows with k x init_size.
        model = MiniBatchKMeans(
            n_clusters=k, random_state=self.random_state, n_init=1, init_size=min(n, max(3 * k, 4096)),
            batch_size=4096, max_iter=100,
        )
        return model.fit_predict(embedding)

    def _choose_k(self, embedding: np.ndarray, *, show: bool) -> int:
        """k with the best silhouette on a seeded sample, over a geometric grid."""
        n = embedding.shape[0]
        rng = np.random.default_rng(self.random_state)
        sample = embedding[np.sort(rng.choice(n, size=min(n, 5_000), replace=False))]
        root = math.sqrt(n)
        grid = np.unique(np.geomspace(max(2, root / 4), min(4 * root, len(sample) / 5), 6).round().astype(int))
        scores = {}
        for k in _bar(grid, total=len(grid), desc="choosing k", show=show):
            labels = MiniBatchKMeans(
                n_clusters=int(k), random_state=self.random_state, n_init=1, batch_size=4096
            ).fit_predict(sample)
            if len(np.unique(labels)) > 1:
                scores[int(k)] = silhouette_score(sample, labels, metric="euclidean")
        self.silhouette_ = scores
        return max(scores, key=lambda k: (scores[k], -k)) if scores else int(grid[0])

    def _name_clusters(self, texts: list[str], labels: np.ndarray) -> dict[int, str]:
        names = {-1: NOISE_LABEL}
        word_vectorizer, word = self.featurizer_.word, self.featurizer_.word_matrix
        if self.n_clusters_ == 0 or word_vectorizer is None:
            return names | {c: "" for c in range(self.n_clusters_)}
        members = labels >= 0
        indicator = sp.csr_matrix(
            (np.ones(members.sum()), (labels[members], np.flatnonzero(members))),
            shape=(self.n_clusters_, len(texts)),
        )
        centroids = (indicator @ word).tocsr()  # sparse: k x vocabulary can be large
        vocabulary = np.array(word_vectorizer.get_feature_names_out(), dtype=object)
        surface = _surface_forms(word_vectorizer.analyzer, texts)
        for c in range(self.n_clusters_):
            cells = slice(centroids.indptr[c], centroids.indptr[c + 1])
            weight = dict(zip(centroids.indices[cells], centroids.data[cells]))
            # Heaviest first, ties by the stem itself so that names are stable.
            top = sorted(weight, key=lambda f: (-weight[f], vocabulary[f]))[:3]
            names[c] = ", ".join(surface.get(vocabulary[f], vocabulary[f]) for f in top)
        return names

    def _layout(self, embedding: np.ndarray) -> np.ndarray:
        n, d = embedding.shape
        xy = np.zeros((n, 2))
        if self.layout == "tsne":
            if n > self.agglomerative_max:
                raise ValueError(f"layout='tsne' is for up to {self.agglomerative_max} clauses; use 'pca'")
            from sklearn.manifold import TSNE

            if n > 3:
                xy[:] = TSNE(
                    n_components=2, random_state=self.random_state, init="pca", metric="cosine",
                    perplexity=min(30.0, (n - 1) / 3),
                ).fit_transform(embedding)
            return xy
        k = min(2, n, d)
        # Identical points have no principal axis (PCA would divide by zero).
        if k >= 1 and embedding.var(axis=0).sum() > 1e-12:
            xy[:, :k] = PCA(n_components=k, random_state=self.random_state).fit_transform(embedding)
        return xy


def _surface_forms(analyzer: _StemAnalyzer, texts: list[str]) -> dict[str, str]:
    """Most frequent surface form of each stem in ``texts`` (ties: alphabetical)."""
    counts: Counter = Counter()
    for text in texts:
        counts.update(analyzer.content_words(text))
    best: dict[str, tuple[int, str]] = {}
    for form, count in counts.items():
        root, key = stem(form), (-count, form)
        if root not in best or key < best[root]:
            best[root] = key
    return {root: key[1] for root, key in best.items()}


def _renumber(raw: np.ndarray) -> np.ndarray:
    """Singletons -> -1; other clusters 0.. by size (largest first), then first row."""
    values, first, sizes = np.unique(np.asarray(raw), return_index=True, return_inverse=False, return_counts=True)
    shared = [(-int(size), int(row), value) for value, row, size in zip(values, first, sizes) if size > 1]
    mapping = {value: k for k, (_, _, value) in enumerate(sorted(shared))}
    return np.array([mapping.get(v, -1) for v in np.asarray(raw)], dtype=np.int64)


def cluster_clauses(
    clauses: pd.DataFrame,
    *,
    random_state: int = 0,
    n_clusters: int | None = None,
    distance_threshold: float = 0.6,
    include_kinds=DEFAULT_KINDS,
    min_words: int = 3,
    labels: pd.DataFrame | None = None,
    layout: str = "pca",
    progress: bool | None = None,
) -> pd.DataFrame:
    """Group clauses that say the same kind of thing.

    A thin wrapper over :class:`ClauseClusterer` (see there for the embedding,
    the clustering, the singleton cluster ``-1``, the labels and the map).

    Parameters
    ----------
    clauses : DataFrame
        A clauses table (``clause_id, doc_id, text``; ``kind``, ``n_words`` used
        when present).
    random_state : int
        Seed; equal seeds give equal frames.
    n_clusters : int or None
        Number of clusters (None: cut at ``distance_threshold``, or the best
        silhouette above 5,000 clauses).
    distance_threshold : float
        Cosine distance (average linkage) at which merging stops. On the
        bundled corpus (611 clauses of 3+ words) the default 0.6 gives 145
        clusters (median size 3, largest 13: the complaint-to-Datatilsynet
        clauses of 12 notices) and 23 singletons; it joins every copied pair
        and keeps a controller's address apart from a cookie's lifetime. At 0.5
        92 clauses stay alone; at 0.7 and 0.8 topics merge into clusters of up
        to 18 and 31 clauses.
    include_kinds : sequence of str or None
        Kinds clustered (headings and boilerplate are left out by default).
    min_words : int
        Shorter clauses are left out.
    labels : DataFrame or None
        A labels table; when given, a column ``topic`` lists each clause's topic
        labels (``;``-joined, sorted), handy for colouring the map.
    layout : {"pca", "tsne"}
        How ``x, y`` are computed.
    progress : bool or None
        Progress bars on stderr; None shows them above 5,000 clauses.

    Returns
    -------
    DataFrame
        ``clause_id, doc_id, cluster, cluster_label, x, y`` (+ ``topic``), one
        row per clustered clause, in input order.

    Examples
    --------
    >>> clauses = pd.DataFrame({"clause_id": list("abcd"), "doc_id": ["d1", "d2", "d1", "d2"],
    ...     "text": ["Vi lagrer opplysningene i to år.", "Vi lagrer opplysningene i tre år.",
    ...              "Du kan klage til Datatilsynet.", "Du kan også klage til Datatilsynet."]})
    >>> cluster_clauses(clauses)[["clause_id", "cluster", "cluster_label"]].values.tolist()
    [['a', 0, 'lagrer, opplysningene, år'], ['b', 0, 'lagrer, opplysningene, år'], ['c', 1, 'datatilsynet, klage'], ['d', 1, 'datatilsynet, klage']]
    """
    model = ClauseClusterer(
        random_state=random_state, n_clusters=n_clusters, distance_threshold=distance_threshold,
        include_kinds=include_kinds, min_words=min_words, layout=layout, progress=progress,
    ).fit(clauses)
    out = model.clusters_.copy()
    if labels is not None:
        out["topic"] = _topics_of(out["clause_id"], labels)
    return out


def _topics_of(clause_ids: pd.Series, labels: pd.DataFrame) -> pd.Series:
    if labels is None or len(labels) == 0 or "dimension" not in labels.columns:
        return pd.Series("", index=clause_ids.index, dtype=object)
    topics = labels[labels["dimension"] == "topic"]
    joined = topics.groupby(topics["clause_id"].astype(str))["label"].agg(lambda s: ";".join(sorted(set(map(str, s)))))
    return clause_ids.map(joined).fillna("").astype(object)


# --------------------------------------------------------------------------- neighbours


def similar_clauses(
    clauses: pd.DataFrame,
    query: str,
    *,
    k: int = 10,
    include_kinds=DEFAULT_KINDS,
    min_words: int = 1,
) -> pd.DataFrame:
    """The ``k`` clauses closest to a text, or to a clause given by its id.

    Closeness is the cosine of the sparse features of :class:`ClauseClusterer`
    (stemmed content words + char n-grams, TF-IDF fitted on the candidate
    clauses), exact and without SVD. If ``query`` is a ``clause_id`` of
    ``clauses``, that clause's text is the query and the clause itself is left
    out. Clauses of similarity 0 are never returned.

    Parameters
    ----------
    clauses : DataFrame
        A clauses table.
    query : str
        A piece of text or a clause id.
    k : int
        Number of clauses returned (at most).
    include_kinds : sequence of str or None
        Kinds searched.
    min_words : int
        Shorter clauses are not searched.

    Returns
    -------
    DataFrame
        ``clause_id, doc_id, similarity, text``, most similar first (ties by id).

    Examples
    --------
    >>> clauses = pd.DataFrame({"clause_id": ["a:1", "b:1", "b:2"], "doc_id": ["a", "b", "b"],
    ...     "text": ["Vi lagrer opplysningene i to år.", "Vi lagrer opplysningene i tre år.",
    ...              "Du kan klage til Datatilsynet."]})
    >>> similar_clauses(clauses, "a:1", k=1)["clause_id"].tolist()
    ['b:1']
    """
    dtypes = {"similarity": "float64"}
    if clauses is None or len(clauses) == 0 or k <= 0:
        return _empty(SIMILAR_COLUMNS, dtypes)
    ids = clauses["clause_id"].astype(str)
    is_id = isinstance(query, str) and bool((ids == query).any())
    text = str(clauses.loc[(ids == query).to_numpy(), "text"].iloc[0]) if is_id else str(query)
    frame = _eligible(clauses, include_kinds, min_words)
    if is_id:
        frame = frame[frame["clause_id"] != query].reset_index(drop=True)
    if len(frame) == 0:
        return _empty(SIMILAR_COLUMNS, dtypes)
    texts = frame["text"].tolist()
    featurizer = _Featurizer()
    try:
        features = featurizer.fit_transform(texts)
    except ValueError:  # nothing to compare but punctuation
        return _empty(SIMILAR_COLUMNS, dtypes)
    similarity = np.clip((features @ featurizer.transform([text]).T).toarray().ravel(), 0.0, 1.0)
    out = frame.assign(similarity=similarity)[SIMILAR_COLUMNS]
    out = out[out["similarity"] > 0]
    out = out.sort_values(["similarity", "clause_id"], ascending=[False, True], kind="mergesort").head(k)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- summaries


def cluster_summary(
    clusters: pd.DataFrame,
    clauses: pd.DataFrame,
    documents: pd.DataFrame,
    labels: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per cluster: size, spread over notices and sectors, main topic.

    Parameters
    ----------
    clusters : DataFrame
        Output of :func:`cluster_clauses`.
    clauses : DataFrame
        The clauses table (for ``doc_id`` of clauses missing it in ``clusters``).
    documents : DataFrame
        The documents table (``doc_id, company, sector``).
    labels : DataFrame or None
        The labels table; ``dominant_topic`` is the most frequent ``topic``
        label of the cluster's clauses (ties alphabetical), "" without labels.

    Returns
    -------
    DataFrame
        ``cluster, cluster_label, n_clauses, n_documents, n_sectors, companies,
        dominant_topic`` (``companies`` ``; ``-joined, sorted), sorted by
        ``n_documents`` and ``n_clauses`` (largest first); cluster ``-1``
        (singletons) comes last.

    Examples
    --------
    >>> clusters = pd.DataFrame({"clause_id": ["a:1", "b:1"], "doc_id": ["a", "b"],
    ...     "cluster": [0, 0], "cluster_label": ["lagrer, år", "lagrer, år"], "x": 0.0, "y": 0.0})
    >>> documents = pd.DataFrame({"doc_id": ["a", "b"], "company": ["A AS", "B AS"], "sector": ["Retail", "Health"]})
    >>> cluster_summary(clusters, clusters, documents)[["cluster", "n_documents", "n_sectors", "companies"]].values.tolist()
    [[0, 2, 2, 'A AS; B AS']]
    """
    dtypes = {"cluster": "int64", "n_clauses": "int64", "n_documents": "int64", "n_sectors": "int64"}
    if clusters is None or len(clusters) == 0:
        return _empty(SUMMARY_COLUMNS, dtypes)
    frame = clusters[["clause_id", "cluster", "cluster_label"]].copy()
    frame["clause_id"] = frame["clause_id"].astype(str)
    doc_of = pd.Series(clauses["doc_id"].astype(str).to_numpy(), index=clauses["clause_id"].astype(str))
    doc_of = doc_of[~doc_of.index.duplicated()]
    if "doc_id" in clusters.columns:
        frame["doc_id"] = clusters["doc_id"].astype(str).to_numpy()
    else:
        frame["doc_id"] = frame["clause_id"].map(doc_of)
    meta = documents.drop_duplicates("doc_id")
    meta = meta.set_index(meta["doc_id"].astype(str))
    frame["company"] = frame["doc_id"].map(meta["company"]) if "company" in meta.columns else None
    frame["sector"] = frame["doc_id"].map(meta["sector"]) if "sector" in meta.columns else None
    frame["topic"] = _topics_of(frame["clause_id"], labels) if labels is not None else ""

    rows = []
    for cluster, group in frame.groupby("cluster", sort=True):
        topics = Counter(t for cell in group["topic"] for t in str(cell).split(";") if t)
        dominant = min(topics, key=lambda t: (-topics[t], t)) if topics else ""
        companies = sorted({str(c) for c in group["company"].dropna()})
        rows.append({
            "cluster": int(cluster),
            "cluster_label": str(group["cluster_label"].iloc[0]),
            "n_clauses": len(group),
            "n_documents": group["doc_id"].nunique(),
            "n_sectors": group["sector"].dropna().nunique(),
            "companies": "; ".join(companies),
            "dominant_topic": dominant,
        })
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS).astype(dtypes)
    out["_noise"] = out["cluster"] < 0
    out = out.sort_values(["_noise", "n_documents", "n_clauses", "cluster"], ascending=[True, False, False, True])
    return out.drop(columns="_noise").reset_index(drop=True)


def document_similarity(
    clauses: pd.DataFrame,
    *,
    threshold: float = 0.8,
    include_kinds=DEFAULT_KINDS,
    min_words: int = 5,
    containment_threshold: float | None = 0.85,
    progress: bool | None = None,
) -> pd.DataFrame:
    """How much text two notices share, from :func:`near_duplicates`.

    Each ordered pair of notices that shares at least one near-duplicate (or
    contained) clause gets a row: ``shared_clauses`` counts the pairs linking
    them, ``share_a`` is the share of ``doc_a``'s compared clauses (same kinds
    and ``min_words``) that have a twin in ``doc_b``, ``share_b`` the reverse.
    Both orders are present, so ``pivot(index="doc_a", columns="doc_b",
    values="share_a")`` gives the notice-by-notice matrix (row notice's share).

    Parameters
    ----------
    clauses : DataFrame
        A clauses table.
    threshold, include_kinds, min_words, containment_threshold, progress
        As in :func:`near_duplicates`.

    Returns
    -------
    DataFrame
        ``doc_a, doc_b, shared_clauses, share_a, share_b``, sorted by ``share_a``
        (highest first), then ids.

    Examples
    --------
    >>> clauses = pd.DataFrame({"clause_id": ["a:1", "a:2", "b:1"], "doc_id": ["a", "a", "b"],
    ...     "text": ["Vi deler ikke opplysningene dine med andre.", "Du kan klage til Datatilsynet om noe er galt.",
    ...              "Vi deler ikke opplysningene dine med andre!"]})
    >>> document_similarity(clauses).values.tolist()
    [['b', 'a', 1, 1.0, 0.5], ['a', 'b', 1, 0.5, 1.0]]
    """
    dtypes = {"shared_clauses": "int64", "share_a": "float64", "share_b": "float64"}
    pairs = near_duplicates(
        clauses, threshold=threshold, include_kinds=include_kinds, min_words=min_words,
        containment_threshold=containment_threshold, progress=progress,
    )
    if len(pairs) == 0:
        return _empty(DOCUMENT_SIMILARITY_COLUMNS, dtypes)
    sizes = _eligible(clauses, include_kinds, min_words).groupby("doc_id").size()
    both = pd.concat([
        pairs.rename(columns={"clause_a": "mine", "clause_b": "theirs", "doc_a": "doc_a", "doc_b": "doc_b"}),
        pairs.rename(columns={"clause_b": "mine", "clause_a": "theirs", "doc_b": "doc_a", "doc_a": "doc_b"}),
    ], ignore_index=True)
    grouped = both.groupby(["doc_a", "doc_b"], sort=True)
    out = pd.DataFrame({
        "shared_clauses": grouped.size(),
        "mine": grouped["mine"].nunique(),
        "theirs": grouped["theirs"].nunique(),
    }).reset_index()
    out["share_a"] = out["mine"] / out["doc_a"].map(sizes).to_numpy()
    out["share_b"] = out["theirs"] / out["doc_b"].map(sizes).to_numpy()
    out = out[DOCUMENT_SIMILARITY_COLUMNS].astype(dtypes)
    out = out.sort_values(["share_a", "doc_a", "doc_b"], ascending=[False, True, True], kind="mergesort")
    return out.reset_index(drop=True)

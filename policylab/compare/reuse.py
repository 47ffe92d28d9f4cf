"""Text reuse: passages that two notices share, aligned word by word, with offsets.

Privacy notices are copied from templates and from each other and then edited:
a company name swapped, a sentence dropped, words reordered. Clause-level near
duplicates miss a copied run of words inside clauses that were reworded
around it. :func:`text_reuse` finds such passages in the way of passim and R's
textreuse:

1. **Candidates from an n-gram index.** Every notice's word 4-grams (with at
   least two content words) are hashed; notices that hold the same n-gram are
   paired through its posting list, never by comparing all pairs of notices.
   An n-gram held by more than ``max_df_share`` of the notices (the legal
   formulas every notice uses) seeds nothing, and a posting list pairs each
   notice with at most ``neighbours`` others (the nearest before it in date,
   then id, order): a template copied 500 times links its copies in a chain
   of short hops instead of 125,000 pairs, so the work grows linearly.
2. **Rarity weights.** Each shared n-gram weighs ``log(N / df)``, N notices and
   df the notices holding it, but no more than the sum of ``log(N / df)`` of
   its content words: in a small corpus a formula made of words every notice
   uses ("er behandlingsansvarlig for personopplysninger som behandles i
   forbindelse med") is held by two notices by chance, and its words say so.
   A passage's ``weight`` is the sum over its seeds. Stop words and
   boilerplate weigh little, so they do not make a passage alone
   (``min_weight``), unless the aligned passage is long (``min_score``: a
   copy of many common words is still a copy).
3. **Chaining.** Seeds on one diagonal form exact runs; runs of one pair in
   the same order on both sides, less than ``max_gap`` words apart, form one
   passage: a swapped name, reordered words or a dropped sentence between
   two runs leave one passage, not two.
4. **Local alignment.** Each passage of several runs is aligned word by word
   with Smith-Waterman (:mod:`.align`: Biopython's C aligner when installed,
   else numpy; match +2, mismatch -1, gap -0.5 a word); an exact run is extended word
   by word. Offsets are the first and last aligned words' characters.
5. **Pair evidence.** Words inside stock phrases (the GDPR's wording and
   the formulas every notice uses, ``lexicons/stock_phrases.toml``) are no
   evidence of copying, nor are equal words scattered through a rewritten
   paragraph: evidence is the equal words aligned outside stock phrases
   that come in runs of ``evidence_run`` (3) or more, next to each other on
   both sides. A pair of notices is reported only when its passages hold
   ``min_pair_words`` such words; a pair that does keeps its lighter
   passages too (a copy's shorter pieces, reported with it).

Words are compared by their Snowball stem (``stems=True``): inflections and
the bokmål/nynorsk endings of one word are equal (``opplysninger`` /
``opplysningar``, ``behandlingen`` / ``behandlinga``), so a copy that
changed the inflection or the written standard still aligns; the offsets and
texts are those of the words as written.

The same passages come from the serial and the dask engine (tested): the
dask engine runs steps 3-5 for blocks of notices in parallel tasks.

Examples
--------
>>> text_a = "Vi bruker informasjonskapsler som husker passord til steder du logger deg inn på."
>>> text_b = "Firma AS bruker informasjonskapsler som husker passord til steder du logger deg inn på hos oss."
>>> clauses = pd.DataFrame({"clause_id": ["a:0000", "b:0000"], "doc_id": ["a", "b"],
...     "start": 0, "end": [len(text_a), len(text_b)], "text": [text_a, text_b]})
>>> r = text_reuse(clauses, min_words=8, min_weight=0, min_pair_words=0)
>>> r[["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "matching_words"]].values.tolist()
[['a', 'b', 3, 80, 9, 86, 12]]
>>> r.text_a[0]
'bruker informasjonskapsler som husker passord til steder du logger deg inn på'
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ._common import _bar, _empty, _show
from .align import MATCH, align_words
from .stock import stock_mask
from .words import CorpusWords, corpus_words, shingles

__all__ = ["REUSE_COLUMNS", "REUSE_KINDS", "text_reuse"]

REUSE_COLUMNS = [
    "doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "text_a", "text_b",
    "words_a", "words_b", "matching_words", "score", "weight", "clauses_a", "clauses_b",
]
_DTYPES = {c: "int64" for c in ("start_a", "end_a", "start_b", "end_b", "words_a", "words_b", "matching_words")}
_DTYPES |= {"score": "float64", "weight": "float64"}
#: Clause kinds read by default: the notice's text (site navigation and cookie
#: banners, kind ``boilerplate``, are not part of it).
REUSE_KINDS = ("heading", "paragraph", "list_item", "table_row")
# Hits per block of notices (bounds the memory of one block; about 0.3 GB).
_BLOCK_HITS = 4_000_000
# An exact run is extended word by word at most this far on each side.
_EXTEND = 64


# --------------------------------------------------------------------------- candidates


def _order(doc_ids: np.ndarray, documents: pd.DataFrame | None) -> np.ndarray:
    """Rank of each document: dated ones first (earliest first), then by id."""
    dates = pd.Series(pd.NaT, index=range(len(doc_ids)), dtype="datetime64[ns]")
    if documents is not None and "date_stated" in documents.columns:
        by_id = pd.to_datetime(documents.set_index(documents["doc_id"].astype(str))["date_stated"],
                               errors="coerce", format="mixed")
        by_id = by_id[~by_id.index.duplicated()]
        dates = pd.Series(pd.Index(doc_ids).map(by_id), dtype="datetime64[ns]")
    frame = pd.DataFrame({"undated": dates.isna().to_numpy(), "date": dates.to_numpy(), "id": doc_ids})
    order = frame.sort_values(["undated", "date", "id"], kind="mergesort").index.to_numpy()
    rank = np.empty(len(doc_ids), dtype=np.int64)
    rank[order] = np.arange(len(doc_ids))
    return rank


def _word_rarity(words: CorpusWords, n: int) -> np.ndarray:
    """Sum of ``log(N / df)`` over the content words of the n-gram starting at each word.

    ``df`` counts the notices holding the word; stop words count 0.
    """
    n_docs = len(words.doc_ids)
    doc = words.doc_of
    order = np.lexsort((doc, words.word))
    w, d = words.word[order], doc[order]
    new_word = np.ones(w.size, dtype=bool)
    new_word[1:] = w[1:] != w[:-1]
    new_doc = new_word.copy()
    new_doc[1:] |= d[1:] != d[:-1]
    group = np.cumsum(new_word) - 1
    df = np.bincount(group, weights=new_doc)[group] if w.size else np.zeros(0)
    idf = np.zeros(w.size)
    idf[order] = np.log(n_docs / np.maximum(df, 1))
    idf[~words.content] = 0.0
    total = np.concatenate([[0.0], np.cumsum(idf)])
    m = max(w.size - n + 1, 0)
    return total[n : n + m] - total[:m]


class _Index:
    """Posting lists of the seeding n-grams: one posting per (n-gram, document)."""

    def __init__(self, words: CorpusWords, rank: np.ndarray, *, n: int, max_df_share: float, neighbours,
                 stock: np.ndarray | None = None):
        self.n = n
        n_docs = len(words.doc_ids)
        # Words of stock phrases (lexicons/stock_phrases.toml): they still seed
        # (a copied rights list interleaves them with copied sentences) but do
        # not count as a pair's evidence (:func:`_pair_evidence`).
        self.stock = stock
        h, pos = shingles(words, n)
        doc = words.doc_of[pos]
        # One posting per (n-gram, document): its first occurrence.
        order = np.lexsort((pos, rank[doc], h))
        h, pos, doc = h[order], pos[order], doc[order]
        first = np.ones(h.size, dtype=bool)
        first[1:] = (h[1:] != h[:-1]) | (doc[1:] != doc[:-1])
        h, pos, doc = h[first], pos[first], doc[first]
        new = np.ones(h.size, dtype=bool)
        new[1:] = h[1:] != h[:-1]
        group = np.cumsum(new) - 1
        df = np.bincount(group)[group] if h.size else np.zeros(0, dtype=np.int64)
        max_df = max(2, math.floor(max_df_share * n_docs))
        keep = (df >= 2) & (df <= max_df)
        self.hash, self.pos, self.doc, self.df = h[keep], pos[keep], doc[keep], df[keep]
        self.weight = np.log(n_docs / np.maximum(self.df, 1))
        # An n-gram of words every notice uses (a formula) is shared by few
        # notices of a small corpus by chance: it weighs no more than its
        # content words' own rarity.
        self.weight = np.minimum(self.weight, _word_rarity(words, n)[self.pos])
        self.group = group[keep]
        self.k = int(self.df.max()) - 1 if self.df.size else 0
        if neighbours is not None:
            self.k = min(self.k, int(neighbours))
        self.n_docs = n_docs

    def split(self, blocks: list[np.ndarray]) -> list[np.ndarray]:
        """The postings of each block of documents, found in one pass (not one search per block)."""
        block_of = np.full(self.n_docs, -1, dtype=np.int64)
        for k, docs in enumerate(blocks):
            block_of[docs] = k
        of_posting = block_of[self.doc]
        order = np.argsort(of_posting, kind="stable")
        bounds = np.searchsorted(of_posting[order], np.arange(len(blocks) + 1))
        return [order[bounds[k] : bounds[k + 1]] for k in range(len(blocks))]

    def hits(self, docs: np.ndarray, mine: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
        """Seed pairs whose later posting (in date, then id, order) belongs to ``docs``.

        ``mine``: those postings' indices, ascending, when known (:meth:`split`).
        """
        if mine is None:
            mine = np.flatnonzero(np.isin(self.doc, docs))
        parts = []
        for k in range(1, self.k + 1):
            prev = mine - k
            ok = prev >= 0
            ok[ok] = self.group[prev[ok]] == self.group[mine[ok]]
            if not ok.any():
                continue
            parts.append((prev[ok], mine[ok]))
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty, empty, np.zeros(0)
        earlier = np.concatenate([p for p, _ in parts])
        later = np.concatenate([q for _, q in parts])
        return self.doc[earlier], self.doc[later], self.pos[earlier], self.pos[later], self.weight[later]


def _passages(words: CorpusWords, index: _Index, da, db, pa, pb, w, *, max_gap: int) -> pd.DataFrame:
    """Chain seed hits into candidate passages (word spans of each side, seed weight, runs)."""
    n = index.n
    if da.size == 0:
        return pd.DataFrame(columns=["da", "db", "sa", "ea", "sb", "eb", "weight", "runs"])
    # Runs: one pair, one diagonal, seeds overlapping or touching.
    diag = pb - pa
    order = np.lexsort((pa, diag, db, da))
    da, db, pa, pb, w, diag = da[order], db[order], pa[order], pb[order], w[order], diag[order]
    brk = np.ones(da.size, dtype=bool)
    brk[1:] = (da[1:] != da[:-1]) | (db[1:] != db[:-1]) | (diag[1:] != diag[:-1]) | (pa[1:] - pa[:-1] > n)
    run = np.cumsum(brk) - 1
    starts = np.flatnonzero(brk)
    ends = np.concatenate([starts[1:], [da.size]]) - 1
    runs = pd.DataFrame({
        "da": da[starts], "db": db[starts], "sa": pa[starts], "ea": pa[ends] + n,
        "sb": pb[starts], "eb": pb[ends] + n, "weight": np.bincount(run, weights=w),
    })
    # Passages: runs of one pair in the same order on both sides, close together.
    runs = runs.sort_values(["da", "db", "sa", "sb"], kind="mergesort").reset_index(drop=True)
    sa, ea, sb, eb = (runs[c].to_numpy() for c in ("sa", "ea", "sb", "eb"))
    same = np.zeros(len(runs), dtype=bool)
    if len(runs) > 1:
        # Each run is compared with the one before it in the first notice: a
        # stray seed elsewhere in the second notice then breaks one link only.
        gap_a = sa[1:] - ea[:-1]
        gap_b = sb[1:] - eb[:-1]
        same[1:] = ((runs["da"].to_numpy()[1:] == runs["da"].to_numpy()[:-1])
                    & (runs["db"].to_numpy()[1:] == runs["db"].to_numpy()[:-1])
                    & (gap_a >= -n) & (gap_a <= max_gap) & (gap_b >= -n) & (gap_b <= max_gap))
    runs["passage"] = np.cumsum(~same) - 1
    grouped = runs.groupby("passage", sort=True)
    out = grouped.agg(da=("da", "first"), db=("db", "first"), sa=("sa", "min"), ea=("ea", "max"),
                      sb=("sb", "min"), eb=("eb", "max"), weight=("weight", "sum"), runs=("sa", "size"))
    return out.reset_index(drop=True)


def _extend(words: CorpusWords, da, db, sa, ea, sb, eb):
    """Grow exact runs word by word while both sides keep agreeing (vectorised)."""
    lo_a, hi_a = words.indptr[da], words.indptr[da + 1]
    lo_b, hi_b = words.indptr[db], words.indptr[db + 1]
    sa, ea, sb, eb = sa.copy(), ea.copy(), sb.copy(), eb.copy()
    active = np.ones(sa.size, dtype=bool)
    for _ in range(_EXTEND):
        active &= (sa > lo_a) & (sb > lo_b)
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        agree = words.word[sa[idx] - 1] == words.word[sb[idx] - 1]
        sa[idx[agree]] -= 1
        sb[idx[agree]] -= 1
        active[idx[~agree]] = False
    active = np.ones(sa.size, dtype=bool)
    for _ in range(_EXTEND):
        active &= (ea < hi_a) & (eb < hi_b)
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        agree = words.word[ea[idx]] == words.word[eb[idx]]
        ea[idx[agree]] += 1
        eb[idx[agree]] += 1
        active[idx[~agree]] = False
    return sa, ea, sb, eb


def _run_words(row: np.ndarray, pos_a: np.ndarray, pos_b: np.ndarray, free: np.ndarray, run: int,
               n_rows: int) -> np.ndarray:
    """Per row, the equal words aligned that lie in runs of ``run`` or more consecutive own words.

    ``row, pos_a, pos_b``: the equal words aligned (their passage, and positions in the corpus),
    in order. A word is own when neither side lies in a stock phrase (``free``); a run is
    own words next to each other on both sides. Single equal words scattered through a
    rewritten paragraph ("du", "opplysninger", "regelmessig") are no evidence of copying.
    """
    if row.size == 0:
        return np.zeros(n_rows, dtype=np.int64)
    own = free[pos_a] & free[pos_b]
    link = np.zeros(row.size, dtype=bool)
    link[1:] = (row[1:] == row[:-1]) & (pos_a[1:] == pos_a[:-1] + 1) & (pos_b[1:] == pos_b[:-1] + 1) & own[:-1]
    link &= own
    start = own & ~link
    label = np.cumsum(start) - 1
    label[~own] = -1
    length = np.bincount(label[own], minlength=int(start.sum()))
    counted = own.copy()
    counted[own] = length[label[own]] >= run
    return np.bincount(row, weights=counted, minlength=n_rows).astype(np.int64)


def _align(words: CorpusWords, cands: pd.DataFrame, *, n: int, min_words: int, min_weight: float,
           min_score: float | None, aligner: str | None, light: bool = False,
           stock: np.ndarray | None = None, evidence_run: int = 1) -> pd.DataFrame:
    """Align the candidate passages; keep those with enough matching words and weight or score.

    ``light``: also keep the passages with enough matching words but too little weight and
    score, of pairs that have a heavy candidate, flagged ``strong == False`` (see
    :func:`_pair_evidence`).
    """
    cols = ["da", "db", "sa", "ea", "sb", "eb", "matches", "score", "weight", "own"]
    if len(cands) == 0:
        return pd.DataFrame(columns=cols + ["strong"])
    free = np.ones(words.word.size, dtype=bool) if stock is None else ~stock
    span = np.minimum(cands["ea"] - cands["sa"], cands["eb"] - cands["sb"])
    heavy = cands["weight"].to_numpy() >= min_weight
    if min_score is not None:
        # A light candidate is aligned when its seeded span (first to last seeding n-gram, the
        # shorter side) alone could score ``min_score``: words reached only by extending a run
        # or by the alignment's margins (a boilerplate paragraph held by most notices, which
        # seeds nothing) do not make a light passage long.
        heavy |= span.to_numpy() * MATCH >= min_score
    wanted = heavy
    if light:
        # The light candidates of a pair that has a heavy one: aligned too, judged with the pair.
        pair = cands["da"].to_numpy(dtype=np.int64) * (1 << 32) + cands["db"].to_numpy(dtype=np.int64)
        wanted = heavy | np.isin(pair, pair[heavy])
    cands = cands[wanted & (span >= min(min_words, n)).to_numpy()]
    da, db = cands["da"].to_numpy(), cands["db"].to_numpy()
    sa, ea, sb, eb = (cands[c].to_numpy() for c in ("sa", "ea", "sb", "eb"))
    single = cands["runs"].to_numpy() == 1
    # Several runs on one diagonal with equal words between them (an n-gram
    # left out for its stop words, say) are one exact run too.
    for k in np.flatnonzero(~single & (ea - sa == eb - sb)):
        single[k] = np.array_equal(words.word[sa[k]:ea[k]], words.word[sb[k]:eb[k]])
    rows = []
    # Exact runs: extend, no alignment needed.
    if single.any():
        xa, ya, xb, yb = _extend(words, da[single], db[single], sa[single], ea[single], sb[single], eb[single])
        length = ya - xa
        row = np.repeat(np.arange(length.size), length)
        step = np.arange(row.size) - np.repeat(np.cumsum(length) - length, length)
        own = _run_words(row, xa[row] + step, xb[row] + step, free, evidence_run, length.size)
        rows.append(pd.DataFrame({"da": da[single], "db": db[single], "sa": xa, "ea": ya, "sb": xb, "eb": yb,
                                  "matches": length, "score": MATCH * length,
                                  "weight": cands["weight"].to_numpy()[single], "own": own.astype(np.int64)}))
    several = np.flatnonzero(~single)
    out = []
    for k in several:
        a_lo, a_hi = words.indptr[da[k]], words.indptr[da[k] + 1]
        b_lo, b_hi = words.indptr[db[k]], words.indptr[db[k] + 1]
        x0, x1 = max(a_lo, sa[k] - n), min(a_hi, ea[k] + n)
        y0, y1 = max(b_lo, sb[k] - n), min(b_hi, eb[k] + n)
        r = align_words(words.word[x0:x1].view(np.int64), words.word[y0:y1].view(np.int64), use=aligner, pairs=True)
        if r.matches == 0:
            continue
        own = int(_run_words(np.zeros(r.pairs[0].size, dtype=np.int64), x0 + r.pairs[0], y0 + r.pairs[1], free,
                             evidence_run, 1)[0])
        out.append((da[k], db[k], x0 + r.start_a, x0 + r.end_a, y0 + r.start_b, y0 + r.end_b, r.matches, r.score,
                    cands["weight"].to_numpy()[k], own))
    if out:
        rows.append(pd.DataFrame(out, columns=cols))
    if not rows:
        return pd.DataFrame(columns=cols + ["strong"])
    found = pd.concat(rows, ignore_index=True)
    strong = found["weight"].to_numpy(dtype=float) >= min_weight
    if min_score is not None:
        strong |= found["score"].to_numpy(dtype=float) >= min_score
    found["strong"] = strong
    keep = strong if not light else np.ones(len(found), dtype=bool)
    return found[keep & (found["matches"] >= min_words).to_numpy()].reset_index(drop=True)


def _dedupe(found: pd.DataFrame) -> pd.DataFrame:
    """Drop passages lying inside a longer one of the same pair on both sides."""
    if len(found) < 2:
        return found
    found = found.sort_values(["da", "db", "matches", "sa"], ascending=[True, True, False, True], kind="mergesort")
    da, db = found["da"].to_numpy(), found["db"].to_numpy()
    sa, ea, sb, eb = (found[c].to_numpy() for c in ("sa", "ea", "sb", "eb"))
    keep = np.ones(len(found), dtype=bool)
    strong = found["strong"].to_numpy(dtype=bool).copy() if "strong" in found.columns else None
    kept: list[int] = []
    for k in range(len(found)):
        if k and (da[k] != da[k - 1] or db[k] != db[k - 1]):
            kept = []
        for q in kept:
            if sa[k] >= sa[q] and ea[k] <= ea[q] and sb[k] >= sb[q] and eb[k] <= eb[q]:
                keep[k] = False
                if strong is not None:  # a light passage holding a strong one is strong
                    strong[q] |= strong[k]
                break
        else:
            kept.append(k)
    if strong is not None:
        found = found.assign(strong=strong)
    return found[keep].sort_index()


def _strongest(da, db, pa, pb, w, *, n_docs: int, keep: int | None):
    """Keep the hits of each notice's ``keep`` heaviest earlier partners (by summed seed weight).

    Posting lists are capped per n-gram; this caps them per notice, so the
    pairs aligned grow linearly with the corpus even when the notices an
    n-gram pairs a notice with differ from n-gram to n-gram.
    """
    if keep is None or da.size == 0:
        return da, db, pa, pb, w
    pair, inverse = np.unique(da * n_docs + db, return_inverse=True)
    weight = np.bincount(inverse, weights=w)
    later = pair % n_docs
    order = np.lexsort((pair, -weight, later))
    first = np.ones(order.size, dtype=bool)
    first[1:] = later[order][1:] != later[order][:-1]
    start = np.maximum.accumulate(np.where(first, np.arange(order.size), 0))
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size) - start
    mask = rank[inverse] < keep
    return da[mask], db[mask], pa[mask], pb[mask], w[mask]


def _pair_evidence(index: _Index, found: pd.DataFrame, min_pair_words: int | None) -> pd.DataFrame:
    """Keep the passages of pairs whose strong passages together hold ``min_pair_words`` own words.

    A pair that passes keeps its light passages too (those :func:`_align`
    flagged ``strong == False``): once two notices are shown to share a text,
    a shorter passage of common words between them is part of the copy, not
    chance. Light passages never make a pair. Every passage of a pair is found
    in one block (the block of the pair's later notice), so this is a
    per-block filter.
    """
    if len(found) == 0:
        return found
    strong = found["strong"].to_numpy(dtype=bool) if "strong" in found.columns else np.ones(len(found), dtype=bool)
    if not min_pair_words:
        return found[strong].reset_index(drop=True)
    own = np.where(strong, found["own"].to_numpy(dtype=np.int64), 0)
    pair = found["da"].to_numpy(dtype=np.int64) * index.n_docs + found["db"].to_numpy(dtype=np.int64)
    total = pd.Series(own).groupby(pair).transform("sum").to_numpy()
    return found[total >= min_pair_words].reset_index(drop=True)


def _block_passages(words, index, docs, mine=None, *, max_gap, min_words, min_weight, min_score, aligner, partners,
                    min_pair_words=None, evidence_run=1):
    da, db, pa, pb, w = _strongest(*index.hits(docs, mine), n_docs=index.n_docs, keep=partners)
    cands = _passages(words, index, da, db, pa, pb, w, max_gap=max_gap)
    found = _dedupe(_align(words, cands, n=index.n, min_words=min_words, min_weight=min_weight,
                           min_score=min_score, aligner=aligner, light=bool(min_pair_words), stock=index.stock,
                           evidence_run=evidence_run))
    found = _pair_evidence(index, found, min_pair_words)
    # The texts become (Arrow-backed) string columns block by block, so the
    # Python strings of one block are freed before the next is aligned.
    return _table(words, found)


def _blocks(words: CorpusWords, index: _Index, rank: np.ndarray) -> list[np.ndarray]:
    """Documents in blocks whose seed hits stay under :data:`_BLOCK_HITS` (later documents first paired)."""
    per_doc = np.bincount(index.doc, minlength=len(words.doc_ids)) * max(index.k, 1)
    order = np.argsort(rank, kind="stable")
    blocks, current, size = [], [], 0
    for d in order:
        if current and size + per_doc[d] > _BLOCK_HITS:
            blocks.append(np.array(current))
            current, size = [], 0
        current.append(d)
        size += per_doc[d]
    if current:
        blocks.append(np.array(current))
    return blocks


def _table(words: CorpusWords, found: pd.DataFrame) -> pd.DataFrame:
    """The public table: ids, character offsets, texts, clause ids of each side."""
    if len(found) == 0:
        return _empty(REUSE_COLUMNS, _DTYPES)
    da, db = found["da"].to_numpy(dtype=np.int64), found["db"].to_numpy(dtype=np.int64)
    sa, ea = found["sa"].to_numpy(dtype=np.int64), found["ea"].to_numpy(dtype=np.int64)
    sb, eb = found["sb"].to_numpy(dtype=np.int64), found["eb"].to_numpy(dtype=np.int64)
    # doc_a is the smaller id: the table does not depend on the order of the input.
    ids = words.doc_ids
    swap = ids[da] > ids[db]
    da, db = np.where(swap, db, da), np.where(swap, da, db)
    sa, sb = np.where(swap, sb, sa), np.where(swap, sa, sb)
    ea, eb = np.where(swap, eb, ea), np.where(swap, ea, eb)

    def side(d, s, e):
        start, end = words.start[s], words.end[e - 1]
        text = [words.texts[x][a:b] for x, a, b in zip(d, start, end)]
        clauses = [list(dict.fromkeys(words.clause_ids[words.clause[x:y]].tolist())) for x, y in zip(s, e)]
        return start, end, text, clauses

    start_a, end_a, text_a, clauses_a = side(da, sa, ea)
    start_b, end_b, text_b, clauses_b = side(db, sb, eb)
    out = pd.DataFrame({
        "doc_a": ids[da], "doc_b": ids[db], "start_a": start_a, "end_a": end_a, "start_b": start_b, "end_b": end_b,
        "text_a": text_a, "text_b": text_b, "words_a": ea - sa, "words_b": eb - sb,
        "matching_words": found["matches"].to_numpy(dtype=np.int64), "score": found["score"].to_numpy(dtype=float),
        "weight": found["weight"].to_numpy(dtype=float), "clauses_a": clauses_a, "clauses_b": clauses_b,
    })
    out = out.astype(_DTYPES)
    out = out.sort_values(["doc_a", "doc_b", "start_a", "start_b"], kind="mergesort")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- entry point


def text_reuse(
    clauses: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    ngram: int = 4,
    min_words: int = 8,
    min_weight: float = 8.0,
    min_score: float | None = 34.0,
    max_gap: int = 60,
    max_df_share: float = 0.5,
    neighbours: int | None = 10,
    include_kinds=REUSE_KINDS,
    stems: bool = True,
    stock=True,
    min_pair_words: int | None = 12,
    evidence_run: int = 3,
    aligner: str | None = None,
    engine: str = "serial",
    scheduler: str | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Passages that two notices share, aligned word by word (see the module docstring).

    Parameters
    ----------
    clauses : DataFrame
        A clauses table (``clause_id, doc_id, start, end, text``; ``kind``).
    documents : DataFrame or None
        The documents table: ``text`` gives the exact passage texts (without
        it they are rebuilt from the clauses, whitespace aside) and
        ``date_stated`` orders the notices each is paired with.
    ngram : int
        Words per seeding n-gram (with at least two content words). 4 finds
        copies edited every five or six words; 5 (passim's default) joins
        fewer runs of an edited copy into one passage.
    min_words : int
        Least equal words aligned in a passage.
    min_weight : float
        Least rarity weight (sum of ``log(N / df)`` over the passage's
        seeding n-grams, each capped by its words' rarity). Why 8 words and
        weight 8: on the bundled corpus (21 notices) the passages of 6+ words
        at any weight were read side by side
        (``tests/data/reuse_review.csv``): below weight 8 they are mostly
        legal formulas any writer reaches alone ("Du har også rett til å
        klage til Datatilsynet", weight 1.5), above it mostly copies of one
        text (see docs/notes/reuse2.md for the figures).
    min_score : float or None
        A passage lighter than ``min_weight`` is still reported when its
        alignment score, and twice the words its seeding n-grams span,
        reach this (``2`` a matching word, ``-1`` a
        mismatch, ``-0.5`` a word left out): a long aligned copy is a copy
        whatever its words' rarity, as passim and textreuse report alignments
        above a length. 34 is seventeen equal words without an edit, or more
        with edits. Why 34: the light passages (weight under 8) of 24 or
        more were read on the bundled corpus and on the 85 notices of the
        bundled and ``data/extended`` corpora together
        (``tests/data/reuse_review*.csv``): stock formulas of common words
        score up to 31 ("Innsyn, retting og sletting Du har rett til innsyn
        i hvilke opplysninger vi har lagret om deg"); the two light passages
        scoring 34 or more are copies (Fresvik Produkt / Hyperion's access
        paragraph, Hallingdal Hyttevask / Nigardsbreen Camping's rights
        sentence). The value was read on those passages, not set in
        advance (docs/notes/reuse3.md). None: weight only.
    max_gap : int
        Most words between two runs of one passage (a dropped sentence).
    max_df_share : float
        N-grams in more than this share of the notices seed nothing.
    neighbours : int or None
        Most notices one notice is paired with through one n-gram, the
        nearest before it (None: every holder of the n-gram; linear growth
        needs a number), and each notice is aligned with at most twice as
        many earlier notices, those it shares the most seed weight with. 10
        compares every pair on the bundled corpus (no seeding n-gram is held
        by more than 10 of its 21 notices, no notice shares with more than
        three) and keeps a template family of any size connected.
    include_kinds : sequence of str or None
        Clause kinds read (default: all but ``boilerplate``).
    stems : bool
        Compare words by their Snowball stem (True) or as written, lower
        case (False).
    stock : bool or path
        Mark the words of stock phrases (``lexicons/stock_phrases.toml``:
        GDPR wording such as "tekniske og organisatoriske tiltak", and the
        formulas every notice uses, such as "klage til Datatilsynet dersom du
        mener ..."; see :mod:`.stock`) so that they are no evidence of
        copying (``min_pair_words``). True: the shipped lexicon; a path:
        another file of the same form; False: none.
    min_pair_words : int or None
        Least evidence for a pair of notices: the passages that pass
        ``min_weight`` or ``min_score`` must together hold this many equal
        words aligned outside stock phrases, in runs of ``evidence_run``,
        else none of the pair's passages is reported. A pair that passes
        also gets its light passages (``min_words`` equal words, any weight
        and score): once two notices are shown to share a text, a shorter
        piece of common words between them belongs to the copy. A copy
        shares a long passage or several; two notices that both use a few
        stock phrases, or were written from one outline, share short runs
        between them. Why 12 (and 3): read on the development reviews of 85
        notices (``tests/data/reuse_review*.csv``; docs/notes/reuse5.md):
        the copies read hold 12 or more but one (11), the formula and
        outline pairs 11 or fewer (Barteløpet / Turnus-hjelp: 6). Tuned in
        sample; on notices read after it was fixed, few passages were
        copies (docs/notes/reuse5.md). None or 0: no bar, and no light
        passages.
    evidence_run : int
        Least run of consecutive equal words (on both sides, outside stock
        phrases) whose words count as evidence (``min_pair_words``). 1
        counts every equal word outside stock phrases.
    aligner : {None, "biopython", "numpy"}
        Alignment implementation (None: Biopython when installed).
    engine : {"serial", "dask"}
        ``"dask"`` aligns blocks of notices as parallel dask tasks (needs the
        ``dask`` extra); same result.
    scheduler : str or None
        Dask scheduler (``"threads"``, ``"processes"``, ``"synchronous"``;
        None: dask's default or the active distributed client).
    progress : bool or None
        Progress bar over blocks on stderr (None: above 5,000 notices).

    Returns
    -------
    DataFrame
        ``doc_a, doc_b, start_a, end_a, start_b, end_b, text_a, text_b,
        words_a, words_b, matching_words, score, weight, clauses_a,
        clauses_b``: one row per passage, ``doc_a < doc_b``; offsets are
        characters of ``documents.text`` (``text_a == text[start_a:end_a]``),
        ``words_*`` the words each side spans, ``matching_words`` the equal
        words aligned, ``score`` the alignment score, ``clauses_*`` the clause
        ids each side touches (lists, in order). Sorted by ids and offsets.
    """
    if engine not in ("serial", "dask"):
        raise ValueError(f"engine must be 'serial' or 'dask', not {engine!r}")
    if ngram < 2:
        raise ValueError(f"ngram must be at least 2, not {ngram!r}")
    if clauses is None or len(clauses) == 0:
        return _empty(REUSE_COLUMNS, _DTYPES)
    words = corpus_words(clauses, documents=documents, include_kinds=include_kinds, stems=stems)
    rank = _order(words.doc_ids, documents)
    mask = None
    if stock is not None and stock is not False:
        mask = stock_mask(words, None if stock is True else stock)
    index = _Index(words, rank, n=ngram, max_df_share=max_df_share, neighbours=neighbours, stock=mask)
    blocks = _blocks(words, index, rank)
    mines = index.split(blocks)
    options = dict(max_gap=max_gap, min_words=min_words, min_weight=min_weight, min_score=min_score, aligner=aligner,
                   partners=None if neighbours is None else 2 * int(neighbours), min_pair_words=min_pair_words,
                   evidence_run=evidence_run)
    show = _show(progress, len(words.doc_ids))
    if engine == "dask":
        try:
            import dask
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError('engine="dask" needs dask: pip install "policylab[dask]"') from exc
        tasks = [dask.delayed(_block_passages)(words, index, block, mine, **options)
                 for block, mine in zip(blocks, mines)]
        parts = list(dask.compute(*tasks, scheduler=scheduler))
    else:
        parts = [_block_passages(words, index, block, mine, **options)
                 for block, mine in _bar(zip(blocks, mines), total=len(blocks), desc="text reuse", show=show)]
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty(REUSE_COLUMNS, _DTYPES)
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["doc_a", "doc_b", "start_a", "start_b"], kind="mergesort")
    return out.reset_index(drop=True)

"""Local alignment of two word sequences (Smith-Waterman), word by word.

Words are compared as integers (hashes of the lower-cased word), so a name
swapped or a word changed is a mismatch, a dropped or added sentence a gap.
Scores are linear as in R's textreuse ``align_local`` (match +2, mismatch -1),
with a gap of -0.5 a word rather than -1: a dropped sentence of 30 words then
costs 15, less than the dozen copied words on its far side bring, so an
edited copy stays one alignment; unrelated text still ends it (its words
mostly mismatch).

The dynamic programme runs in Biopython's C ``PairwiseAligner`` (mode
``"local"``) when Biopython is installed (``pip install "policylab[reuse]"``),
else in numpy, one row at a time, with the same scores: both give the same
best score (tested), and either one's span when the optimum is unique.

Examples
--------
>>> a = "vi lagrer navn og e-post i to år etter siste kjøp".split()
>>> b = "kort sagt vi lagrer navn og e-post i tre år etter siste kjøp her".split()
>>> codes = _codes(a + b)
>>> r = align_words(codes[: len(a)], codes[len(a) :])
>>> (r.start_a, r.end_a, r.start_b, r.end_b, r.matches, r.score)
(0, 11, 2, 13, 10, 19.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["MATCH", "MISMATCH", "GAP", "Alignment", "align_words", "backend"]

#: Score of two equal words.
MATCH = 2.0
#: Score of two different words aligned with each other.
MISMATCH = -1.0
#: Score of each word left out on one side.
GAP = -0.5


@dataclass(frozen=True)
class Alignment:
    """Best local alignment: word spans ``[start, end)`` of each side, equal words aligned, score."""

    start_a: int
    end_a: int
    start_b: int
    end_b: int
    matches: int
    score: float
    #: Positions (in ``a`` and in ``b``) of the equal words aligned, when asked for (``pairs=True``).
    pairs: tuple | None = None


_NONE = Alignment(0, 0, 0, 0, 0, 0.0)


def _codes(tokens) -> np.ndarray:
    """Small integer codes of some tokens (equal tokens, equal codes); for examples and tests."""
    return np.unique(np.asarray(list(tokens), dtype=object).astype(str), return_inverse=True)[1].astype(np.int64)


def _aligner():
    try:
        from Bio.Align import PairwiseAligner
    except ImportError:
        return None
    return PairwiseAligner(
        mode="local", match_score=MATCH, mismatch_score=MISMATCH, open_gap_score=GAP, extend_gap_score=GAP,
    )


_BIO = _aligner()


def backend() -> str:
    """``"biopython"`` or ``"numpy"``: which dynamic programme :func:`align_words` runs."""
    return "numpy" if _BIO is None else "biopython"


def align_words(a: np.ndarray, b: np.ndarray, *, use: str | None = None, pairs: bool = False) -> Alignment:
    """Best local alignment of the integer word sequences ``a`` and ``b``.

    Parameters
    ----------
    a, b : array of int
        Word codes (equal words, equal codes).
    use : {None, "biopython", "numpy"}
        Force one implementation (None: Biopython when installed).
    pairs : bool
        Also return the positions of the equal words aligned (``Alignment.pairs``).

    Returns
    -------
    Alignment
        Word spans on each side (end exclusive), the number of equal words
        aligned and the score; all zero when no word is shared.
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    use = use or backend()
    if use not in ("biopython", "numpy"):
        raise ValueError(f"use must be 'biopython' or 'numpy', not {use!r}")
    if a.size == 0 or b.size == 0:
        found = _NONE
    elif use == "biopython":
        if _BIO is None:
            raise ImportError('use="biopython" needs Biopython: pip install "policylab[reuse]"')
        found = _align_bio(a, b, pairs)
    else:
        found = _align_numpy(a, b, pairs)
    if pairs and found.pairs is None:  # nothing aligned
        empty = np.zeros(0, dtype=np.int64)
        found = Alignment(found.start_a, found.end_a, found.start_b, found.end_b, found.matches, found.score,
                          (empty, empty))
    return found


def _align_bio(a: np.ndarray, b: np.ndarray, pairs: bool = False) -> Alignment:
    # Biopython indexes its alphabet by the codes: keep them small.
    _, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    x, y = inverse[: a.size].astype(np.int32), inverse[a.size :].astype(np.int32)
    alignments = _BIO.align(x, y)
    score = float(alignments.score)
    if score <= 0:
        return _NONE
    best = next(iter(alignments))
    blocks = best.aligned  # [[[a0, a1], ...], [[b0, b1], ...]]: blocks of aligned (not gapped) words
    matches = 0
    pa, pb = [], []
    for (a0, a1), (b0, b1) in zip(blocks[0], blocks[1]):
        equal = np.flatnonzero(x[a0:a1] == y[b0:b1])
        matches += int(equal.size)
        if pairs:
            pa.append(a0 + equal)
            pb.append(b0 + equal)
    found = (np.concatenate(pa).astype(np.int64), np.concatenate(pb).astype(np.int64)) if pairs else None
    return Alignment(int(blocks[0][0][0]), int(blocks[0][-1][1]), int(blocks[1][0][0]), int(blocks[1][-1][1]),
                     matches, score, found)


def _align_numpy(a: np.ndarray, b: np.ndarray, pairs: bool = False) -> Alignment:
    """Smith-Waterman with linear gaps, one row of the matrix at a time in numpy.

    Within a row, H[i, j] = max(D[j], max_{k<j} D[k] + GAP (j - k)) where D
    holds the diagonal and vertical moves: a running maximum of D[k] - GAP k.
    """
    m, n = a.size, b.size
    h = np.zeros((m + 1, n + 1))
    idx = np.arange(n + 1, dtype=np.float64)
    for i in range(1, m + 1):
        sub = np.where(b == a[i - 1], MATCH, MISMATCH)
        d = np.zeros(n + 1)
        d[1:] = np.maximum(np.maximum(h[i - 1, :-1] + sub, h[i - 1, 1:] + GAP), 0.0)
        h[i] = np.maximum(d, np.maximum.accumulate(d + GAP * -idx) + GAP * idx)
    score = float(h.max())
    if score <= 0:
        return _NONE
    i, j = np.unravel_index(int(np.argmax(h)), h.shape)  # first maximum, row-major
    end_a, end_b, matches = int(i), int(j), 0
    pa, pb = [], []
    while i > 0 and j > 0 and h[i, j] > 0:
        same = a[i - 1] == b[j - 1]
        if np.isclose(h[i, j], h[i - 1, j - 1] + (MATCH if same else MISMATCH)):
            matches += int(same)
            if same:
                pa.append(i - 1)
                pb.append(j - 1)
            i, j = i - 1, j - 1
        elif np.isclose(h[i, j], h[i - 1, j] + GAP):
            i -= 1
        else:
            j -= 1
    found = (np.array(pa[::-1], dtype=np.int64), np.array(pb[::-1], dtype=np.int64)) if pairs else None
    return Alignment(int(i), end_a, int(j), end_b, matches, score, found)

"""The feature blocks of a clause, shared by :class:`~policylab.model.ClauseClassifier`
and :class:`~policylab.stacked.StackedTagger`.

Each clause gives four blocks of terms: its stemmed words (uni- and bigrams and
compound affixes), optional character n-grams, the stemmed words of its heading
and its kind. :func:`_count_blocks` counts them, :func:`_idf` and :func:`_tfidf`
weight them as scikit-learn's ``TfidfVectorizer`` does (so a fold's idf can be
computed from the counts of all clauses), and :func:`_surface` maps a feature
name back to the words of the clause that carry it (a label's ``cue``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..tokenize import stem, word_spans, words

_NUMBER_RE = re.compile(r"\d+")


_AFFIX_LETTERS = 5


def _stem_ngrams(text: str) -> list[str]:
    """Stemmed uni- and bigrams and compound affixes ("<oppbe", "gstid>") of the words.

    Words only, so "artikkel 6 (1) f" gives the bigram "artikkel f".
    """
    lowered = [w.lower() for w in words(text)]
    stems = [stem(w) for w in lowered]
    long_words = [w for w in lowered if len(w) > _AFFIX_LETTERS + 1]
    return (
        stems
        + [f"{a} {b}" for a, b in zip(stems, stems[1:])]
        + [f"<{w[:_AFFIX_LETTERS]}" for w in long_words]
        + [f"{w[-_AFFIX_LETTERS:]}>" for w in long_words]
    )


def _char_text(text: str) -> str:
    # Digits become 0 so "30 dager" and "90 dager" share n-grams.
    return _NUMBER_RE.sub("0", text.lower())


def _column(clauses: pd.DataFrame, name: str, default: str = "") -> list[str]:
    if name not in clauses.columns:
        return [default] * len(clauses)
    return ["" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else str(v) for v in clauses[name]]


def _unlabelled_mask(clauses: pd.DataFrame) -> np.ndarray:
    """Boilerplate and the notice's title carry no labels (taxonomy.md)."""
    kind = np.array(_column(clauses, "kind", "paragraph"), dtype=object)
    if "level" in clauses.columns:
        level = pd.to_numeric(clauses["level"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    else:
        level = np.full(len(clauses), np.nan)
    return (kind == "boilerplate") | ((kind == "heading") & (level == 0))


_BLOCKS = ("word", "char", "heading", "kind")


def _block_texts(clauses: pd.DataFrame) -> dict[str, list[str]]:
    """The strings each feature block is computed from, one per clause."""
    text = _column(clauses, "text")
    return {
        "word": text,
        "char": text,
        "heading": _column(clauses, "heading"),
        "kind": _column(clauses, "kind", "paragraph"),
    }


def _kind_token(kind: str) -> list[str]:
    return [f"kind={kind}"]


def _counter(block: str, char_ngrams: tuple[int, int], vocabulary: Sequence[str] | None = None):
    from sklearn.feature_extraction.text import CountVectorizer

    vocabulary = None if vocabulary is None else {f: i for i, f in enumerate(vocabulary)}
    if block == "char":
        return CountVectorizer(analyzer="char_wb", ngram_range=tuple(char_ngrams), preprocessor=_char_text,
                               vocabulary=vocabulary, dtype=np.float64)
    analyzer = _kind_token if block == "kind" else _stem_ngrams
    return CountVectorizer(analyzer=analyzer, vocabulary=vocabulary, dtype=np.float64)


def _count_blocks(texts: dict[str, list[str]], char_ngrams: tuple[int, int] | None,
                  vocabulary: dict[str, Sequence[str]] | None = None) -> dict[str, tuple[sp.csr_matrix, np.ndarray]]:
    """Term counts per block, and the block's feature names (all terms, or ``vocabulary``'s)."""
    out = {}
    for block in _BLOCKS:
        n = len(texts[block])
        if block == "char" and char_ngrams is None:
            out[block] = (sp.csr_matrix((n, 0)), np.array([], dtype=object))
            continue
        if vocabulary is not None:
            names = np.asarray(vocabulary[block], dtype=object)
            if not len(names):
                out[block] = (sp.csr_matrix((n, 0)), names)
                continue
            counts = _counter(block, char_ngrams, names).transform(texts[block])
        else:
            try:
                counter = _counter(block, char_ngrams)
                counts = counter.fit_transform(texts[block])
                names = counter.get_feature_names_out().astype(object)
            except ValueError:  # no term at all (e.g. no headings)
                counts, names = sp.csr_matrix((n, 0)), np.array([], dtype=object)
        out[block] = (sp.csr_matrix(counts), names)
    return out


def _idf(counts: sp.csr_matrix, rows: np.ndarray | slice, min_df: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns kept (document frequency >= min_df among ``rows``) and their smoothed idf.

    Same formula as scikit-learn's TfidfVectorizer (smooth_idf=True), so fitting
    on a subset of rows equals fitting a TfidfVectorizer on those rows alone.
    """
    sub = counts[rows]
    n_docs = sub.shape[0]
    df = np.bincount(sub.indices, minlength=counts.shape[1])
    keep = np.flatnonzero(df >= max(min_df, 1))
    idf = np.log((1.0 + n_docs) / (1.0 + df[keep])) + 1.0
    return keep, idf


def _tfidf(counts: sp.csr_matrix, idf: np.ndarray, weight: float) -> sp.csr_matrix:
    """Sublinear tf x idf, rows scaled to unit length, times the block weight."""
    from sklearn.preprocessing import normalize

    weighted = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    if not weighted.shape[1]:
        return weighted
    weighted.data = 1.0 + np.log(weighted.data)
    weighted = sp.csr_matrix(weighted @ sp.diags(idf))
    return normalize(weighted, norm="l2", copy=False) * weight


def _surface(feature: str, text: str, heading: str) -> str:
    """Map a feature name back to the words of the clause (or heading) that carry it."""
    block, _, value = feature.partition(":")
    if block == "kind":
        return ""
    source = heading if block == "heading" else text
    spans = word_spans(source)
    if block == "char":
        gram = value.strip()
        for s, e in spans:
            if gram and gram in _char_text(source[s:e]):
                return source[s:e]
        return ""
    if value.startswith("<") or value.endswith(">"):
        for s, e in spans:
            word = source[s:e].lower()
            if len(word) > _AFFIX_LETTERS + 1 and (word.startswith(value[1:]) if value.startswith("<") else word.endswith(value[:-1])):
                return source[s:e]
        return ""
    wanted = value.split(" ")
    stems = [stem(source[s:e].lower()) for s, e in spans]
    for i in range(len(stems) - len(wanted) + 1):
        if stems[i:i + len(wanted)] == wanted:
            return source[spans[i][0]:spans[i + len(wanted) - 1][1]]
    return ""


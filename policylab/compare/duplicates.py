"""Near-duplicate clauses and how much text two notices share, clause by clause.

- :func:`near_duplicates` -- pairs of clauses whose wording is nearly the same
  (character n-gram TF-IDF cosine, exact, without an n x n matrix), plus pairs
  where a clause of 20+ words reappears inside a longer one.
- :func:`document_similarity` -- per pair of notices, the share of clauses
  with a twin in the other.

Both score clauses as wholes; :func:`policylab.text_reuse` aligns passages
word by word inside and across clauses.

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

import numpy as np
import pandas as pd
from sklearn.preprocessing import normalize

from ._common import DEFAULT_KINDS, _eligible, _empty, _show
from .engine import containment_scores, cosine_scores, pairs
from .ngrams import _ngram_weights

__all__ = ["DOCUMENT_SIMILARITY_COLUMNS", "NEAR_DUPLICATE_COLUMNS", "document_similarity", "near_duplicates"]

NEAR_DUPLICATE_COLUMNS = ["clause_a", "clause_b", "doc_a", "doc_b", "similarity", "containment", "match"]
DOCUMENT_SIMILARITY_COLUMNS = ["doc_a", "doc_b", "shared_clauses", "share_a", "share_b"]


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
    docs = pd.factorize(frame["doc_id"])[0] if across_documents else None
    n_words = frame["n_words"].to_numpy(dtype=np.int64)
    n = len(frame)

    weights = _ngram_weights(frame["text"].tolist(), show=show)
    if method == "tfidf":
        ci, cj, _ = pairs(weights, measure="cosine", threshold=threshold, groups=docs, show=show)
    else:
        ci, cj, _ = pairs(weights, measure="minhash", threshold=minhash_threshold, groups=docs,
                          texts=frame["text"].tolist(), random_state=random_state, show=show)
    found = [ci * n + cj]
    if containment_threshold is not None:
        xi, xj, _ = pairs(weights, measure="containment", threshold=containment_threshold, groups=docs,
                          n_words=n_words, min_words=min_contained_words, show=show)
        found.append(xi * n + xj)
    codes = np.unique(np.concatenate(found))
    if codes.size == 0:
        return _empty(columns, dtypes)
    i, j = codes // n, codes % n

    similarity = cosine_scores(normalize(weights), i, j)
    containment = containment_scores(weights, i, j, n_words)
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
    found = near_duplicates(
        clauses, threshold=threshold, include_kinds=include_kinds, min_words=min_words,
        containment_threshold=containment_threshold, progress=progress,
    )
    if len(found) == 0:
        return _empty(DOCUMENT_SIMILARITY_COLUMNS, dtypes)
    sizes = _eligible(clauses, include_kinds, min_words).groupby("doc_id").size()
    both = pd.concat([
        found.rename(columns={"clause_a": "mine", "clause_b": "theirs", "doc_a": "doc_a", "doc_b": "doc_b"}),
        found.rename(columns={"clause_b": "mine", "clause_a": "theirs", "doc_b": "doc_a", "doc_a": "doc_b"}),
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

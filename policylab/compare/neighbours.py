"""The clauses nearest to a text or to a clause given by its id."""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from ._common import DEFAULT_KINDS, _eligible, _empty
from .clustering import _Featurizer

__all__ = ["SIMILAR_COLUMNS", "similar_clauses"]

SIMILAR_COLUMNS = ["clause_id", "doc_id", "similarity", "text"]


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



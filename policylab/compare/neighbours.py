"""The clauses nearest to a text or to a clause given by its id."""

from __future__ import annotations

import difflib
import re

import numpy as np
import pandas as pd

from ._common import DEFAULT_KINDS, _eligible, _empty
from .clustering import _Featurizer

__all__ = ["SIMILAR_COLUMNS", "UnknownClauseError", "similar_clauses"]

SIMILAR_COLUMNS = ["clause_id", "doc_id", "similarity", "text"]

# What a clause id looks like (``"{doc_id}:{position:04d}"``, tables.md): one
# token, no spaces, ending in ":" and digits. Free text almost never does.
_CLAUSE_ID = re.compile(r"^\S+:\d+$")


class UnknownClauseError(KeyError, ValueError):
    """A clause id that is not in the clauses table (catch it as KeyError or ValueError)."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


def _unknown_clause(query: str, ids: pd.Series) -> UnknownClauseError:
    known = ids.drop_duplicates().tolist()
    doc, _, number = query.rpartition(":")
    same_doc = [i for i in known if i.rpartition(":")[0] == doc and i.rpartition(":")[2].isdigit()]
    if same_doc:  # the nearest position in the same notice
        close = min(same_doc, key=lambda i: (abs(int(i.rpartition(":")[2]) - int(number)), i))
        hint = f"; did you mean {close!r}? ({doc!r} has clauses {same_doc[0]!r} to {same_doc[-1]!r})"
    else:
        found = difflib.get_close_matches(query, known, n=1, cutoff=0.6)
        hint = f"; did you mean {found[0]!r}?" if found else ""
    return UnknownClauseError(
        f"{query!r} looks like a clause id but no clause has that id{hint} "
        f"(to search for this text instead, pass it as text={query!r})"
    )


def similar_clauses(
    clauses: pd.DataFrame,
    query: str | None = None,
    *,
    text: str | None = None,
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
        A clause id of ``clauses``, or a piece of text. A string that looks
        like a clause id (one token ending in ``:`` and digits, such as
        ``"okorad:0039"``) but is not one raises :class:`UnknownClauseError`
        (a ``KeyError`` and a ``ValueError``) naming the closest id, instead
        of being searched as a text of no words.
    text : str
        Free text to search for, never read as a clause id (give ``query`` or
        ``text``, not both).
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
    >>> similar_clauses(clauses, text="klage til Datatilsynet", k=1)["clause_id"].tolist()
    ['b:2']
    >>> similar_clauses(clauses, "a:2")
    Traceback (most recent call last):
    ...
    policylab.compare.neighbours.UnknownClauseError: 'a:2' looks like a clause id but no clause has that id; did you mean 'a:1'? ('a' has clauses 'a:1' to 'a:1') (to search for this text instead, pass it as text='a:2')
    """
    dtypes = {"similarity": "float64"}
    if (query is None) == (text is None):
        raise TypeError("similar_clauses needs either a clause id or text as `query`, or free text as `text=`")
    if clauses is None or len(clauses) == 0 or k <= 0:
        return _empty(SIMILAR_COLUMNS, dtypes)
    ids = clauses["clause_id"].astype(str)
    is_id = text is None and bool((ids == str(query)).any())
    if text is None and not is_id and _CLAUSE_ID.match(str(query).strip()):
        raise _unknown_clause(str(query).strip(), ids)
    if text is None:
        text = str(clauses.loc[(ids == str(query)).to_numpy(), "text"].iloc[0]) if is_id else str(query)
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



"""The retention table: spans found in a whole notice, placed into clauses.

:func:`find_retention_spans` finds the storage periods of one text (candidates
from :mod:`.durations` and :mod:`.spans`, admitted by :mod:`.context`, with a
subject from :mod:`.subjects`); :func:`document_retention`,
:func:`retention_rows` and :func:`retention_spans` place them into clauses by
offset and frame them with fixed dtypes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .context import _admitted
from .durations import _durations, _trapped
from .layout import _Layout
from .lexicon import _lexicon
from .spans import _events, _trim_end
from .subjects import _subject

#: Columns of :func:`find_retention_spans`.
SPAN_COLUMNS = ["start", "end", "raw", "kind", "days", "days_min", "qualifier", "subject"]
#: Columns of :func:`document_retention` and :func:`retention_spans`.
RETENTION_COLUMNS = ["clause_id", "doc_id", *SPAN_COLUMNS]
KINDS = ("duration", "event", "unspecified")
QUALIFIERS = ("exact", "approx", "max", "min")


_INT_COLUMNS = ("start", "end")
_FLOAT_COLUMNS = ("days", "days_min")


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """A typed frame from row dicts, column by column (``DataFrame.astype`` on a
    small frame costs more than finding its spans); missing text is NA."""
    data = {}
    for name in columns:
        values = [r.get(name) for r in rows]
        if name in _INT_COLUMNS:
            data[name] = np.asarray(values, dtype="int64")
        elif name in _FLOAT_COLUMNS:
            data[name] = np.asarray(values, dtype="float64")
        else:
            data[name] = pd.array(values, dtype="str")
    return pd.DataFrame(data, columns=columns)


def retention_frame(rows: list[dict]) -> pd.DataFrame:
    """The retention table (:data:`RETENTION_COLUMNS`) from the rows of :func:`retention_rows`."""
    return _frame(rows, RETENTION_COLUMNS)


def _span_rows(text: str, language: str) -> list[dict]:
    """The rows of :func:`find_retention_spans` as dicts, in text order."""
    lex = _lexicon(language)
    layout = _Layout(text, lex)
    rows: list[dict] = []
    durations = _durations(text, lex, layout)
    for d in durations:
        if _trapped(text, lex, d):
            continue
        if not _admitted(text, lex, layout, d["start"], d["end"], d["deadline_form"]):
            continue
        qualifier = d["qualifier"]
        if qualifier is None:
            qualifier = "max" if layout.header_matches(d["start"], lex.table_max) else "exact"
        rows.append(
            {
                "start": d["start"],
                "end": d["end"],
                "kind": "duration",
                "days": float(d["days"]),
                "days_min": float(d["days_min"]) if d["days_min"] is not None else np.nan,
                "qualifier": qualifier,
            }
        )
    duration_starts = sorted(d["start"] for d in durations)
    for e in _events(text, lex, layout, duration_starts):
        if _admitted(text, lex, layout, e["start"], e["end"], False):
            rows.append({**e, "days": np.nan, "days_min": np.nan, "qualifier": None})
    rows.sort(key=lambda r: (r["start"], r["end"]))
    unique, seen = [], set()
    for r in rows:
        if (r["start"], r["end"]) in seen:
            continue
        seen.add((r["start"], r["end"]))
        r["raw"] = text[r["start"] : r["end"]]
        r["subject"] = _subject(text, lex, layout, r["start"])
        unique.append(r)
    return unique


def _assign(doc_id, text, rows, clause_ids, starts, ends, kinds, language) -> list[dict]:
    """Place span rows into clauses (arrays sorted by start); drop boilerplate; cut at clause ends."""
    if not rows or len(starts) == 0:
        return []
    span_starts = np.fromiter((r["start"] for r in rows), dtype=np.int64, count=len(rows))
    idx = np.searchsorted(starts, span_starts, side="right") - 1
    out = []
    for r, i in zip(rows, idx.tolist()):
        if i < 0 or r["start"] >= ends[i] or kinds[i] == "boilerplate":
            continue
        if r["end"] > ends[i]:
            end = _trim_end(text, _lexicon(language), r["start"], int(ends[i]))
            r = {**r, "end": end, "raw": text[r["start"] : end]}
        out.append({"clause_id": clause_ids[i], "doc_id": doc_id, **r})
    return out


def find_retention_spans(text: str, *, language: str = "nb") -> pd.DataFrame:
    """Storage periods stated in ``text``, one row each.

    Parameters
    ----------
    text : str
        A whole notice (searched as a whole, not clause by clause: a clause
        alone lacks the section heading and sentence that decide a span).
    language : str, keyword-only
        ``"nb"`` or ``"nn"`` (one Norwegian lexicon, since notices mix the two
        written standards), ``"en"``, or anything else for all lexicons.

    Returns
    -------
    pandas.DataFrame
        ``start, end, raw, kind, days, days_min, qualifier, subject`` in text
        order; ``text[start:end] == raw``. ``kind`` is duration, event or
        unspecified; ``days`` is the length for durations (year 365, month 30,
        week 7, day 1, hour 1/24, minute 1/1440; a range gives its upper bound,
        with the lower bound in ``days_min``), NaN otherwise; ``qualifier`` is
        exact, approx, max or min for durations and missing otherwise;
        ``subject`` names what the period applies to where that can be read
        reliably (a cookie name, a table row's data category, "chat"), else "".

    Examples
    --------
    >>> find_retention_spans("_ga, google.com, lagres i to år")[["raw", "days", "subject"]].values.tolist()
    [['to år', 730.0, '_ga']]
    """
    return _frame(_span_rows(text, language), SPAN_COLUMNS)


def _clause_arrays(clauses):
    """Clause ids, starts, ends and kinds sorted by start, from a frame or a dict of lists."""
    start = np.asarray(clauses["start"], dtype=np.int64)
    order = np.argsort(start, kind="stable")
    return (
        np.asarray(clauses["clause_id"], dtype=object)[order],
        start[order],
        np.asarray(clauses["end"], dtype=np.int64)[order],
        np.asarray(clauses["kind"], dtype=object)[order],
    )


def document_retention(
    doc_id: str, text: str, clauses: pd.DataFrame, *, language: str = "nb"
) -> pd.DataFrame:
    """Storage periods of one notice, each assigned to the clause that holds it.

    Spans are found once over the whole ``text`` and placed into clauses by
    offset (``numpy.searchsorted`` on clause starts). A span never crosses a
    clause boundary: it is cut at the end of the clause it starts in. Spans in
    ``boilerplate`` clauses are dropped.

    Parameters
    ----------
    doc_id : str
        The notice's id; only clauses of this ``doc_id`` are used.
    text : str
        The notice text that the clause offsets refer to.
    clauses : pandas.DataFrame
        Needs ``clause_id, doc_id, start, end, kind``.
    language : str, keyword-only
        As in :func:`find_retention_spans`.

    Returns
    -------
    pandas.DataFrame
        ``clause_id, doc_id`` and the columns of :func:`find_retention_spans`.

    Examples
    --------
    >>> text = "Lagring\\n\\nLogger lagres i 90 dager."
    >>> clauses = pd.DataFrame({"clause_id": ["d:0000", "d:0001"], "doc_id": "d",
    ...     "start": [0, 9], "end": [7, 34], "kind": ["heading", "paragraph"]})
    >>> document_retention("d", text, clauses)[["clause_id", "raw", "days"]].values.tolist()
    [['d:0001', '90 dager', 90.0]]
    """
    if "doc_id" in clauses.columns:
        clauses = clauses[clauses["doc_id"] == doc_id]
    return retention_frame(retention_rows(doc_id, text, clauses, language=language))


def retention_rows(doc_id: str, text: str, clauses, *, language: str = "nb") -> list[dict]:
    """The rows of :func:`document_retention` as dicts (``clauses``: the notice's
    clauses as a frame or a dict of column lists); ``build`` frames many notices at once.

    >>> retention_rows("d", "Logger lagres i 90 dager.", {"clause_id": ["d:0000"], "start": [0], "end": [25],
    ...     "kind": ["paragraph"]})[0]["days"]
    90.0
    """
    if len(clauses["start"]) == 0:
        return []
    return _assign(doc_id, text, _span_rows(text, language), *_clause_arrays(clauses), language)


def retention_spans(documents: pd.DataFrame, clauses: pd.DataFrame) -> pd.DataFrame:
    """Storage periods of a whole corpus (the ``retention`` table of ``tables.md``).

    The same as :func:`document_retention` for every notice, with one table
    built at the end.

    Parameters
    ----------
    documents : pandas.DataFrame
        Needs ``doc_id`` and ``text``; ``language`` is used when present
        (default ``"nb"``).
    clauses : pandas.DataFrame
        The clause table (``clause_id, doc_id, start, end, kind``).

    Returns
    -------
    pandas.DataFrame
        One row per storage period, columns :data:`RETENTION_COLUMNS`; empty
        input gives an empty frame with these columns.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d"], "text": ["Vi sletter data etter tolv måneder."], "language": ["nb"]})
    >>> clauses = pd.DataFrame({"clause_id": ["d:0000"], "doc_id": ["d"], "start": [0], "end": [35], "kind": ["paragraph"]})
    >>> retention_spans(docs, clauses)[["clause_id", "raw", "days"]].values.tolist()
    [['d:0000', 'tolv måneder', 360.0]]
    """
    if documents.empty or clauses.empty:
        return _frame([], RETENTION_COLUMNS)
    clause_id, start, end, kind = (clauses[c].to_numpy() for c in ("clause_id", "start", "end", "kind"))
    start, end = start.astype(np.int64), end.astype(np.int64)
    positions = clauses.groupby("doc_id", sort=False).indices
    languages = documents["language"].fillna("nb") if "language" in documents.columns else ["nb"] * len(documents)
    rows: list[dict] = []
    for doc_id, text, language in zip(documents["doc_id"], documents["text"], languages):
        pos = positions.get(doc_id)
        if pos is None:
            continue
        pos = pos[np.argsort(start[pos], kind="stable")]
        spans = _span_rows(text, str(language))
        rows.extend(_assign(doc_id, text, spans, clause_id[pos], start[pos], end[pos], kind[pos], str(language)))
    return _frame(rows, RETENTION_COLUMNS)

"""Template lineage from text reuse: who shares text with whom, how much, and what travels with it.

From the passages of :func:`policylab.text_reuse`:

- :func:`lineage` -- one row per notice: the share of its text found in
  other notices, the notices it shares most with, its template family
  (connected components of the reuse graph, scipy.sparse.csgraph) and, where
  notices carry ``date_stated``, whether it had the shared text first.
- :func:`lineage_edges` -- one row per pair of notices: passages, shared
  characters each side, and the direction (the earlier-dated notice is the
  ``source``) when both are dated.
- :func:`family_labels` -- labels travel with reuse: per family, the coverage
  items (GDPR art. 13/14 checklist) whose evidence lies in shared passages.
- :func:`outdated_passages` -- copied passages citing law repealed in 2018
  (patterns with notes in ``lexicons/outdated.toml``) in notices dated after
  it or undated: errors that spread through copies.

Examples
--------
>>> reuse = pd.DataFrame({"doc_a": ["a", "b"], "doc_b": ["b", "c"], "start_a": [0, 50], "end_a": [40, 90],
...     "start_b": [10, 0], "end_b": [50, 40], "matching_words": [8, 8]})
>>> documents = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "n_chars": [100, 100, 80, 60],
...     "date_stated": ["2017-01-01", "2019-05-01", "", ""]})
>>> lineage(reuse, documents=documents)[["doc_id", "family", "borrowed_share", "shares_most_with"]].values.tolist()
[['a', 0, 0.4, 'b'], ['b', 0, 0.8, 'a'], ['c', 0, 0.5, 'b'], ['d', -1, 0.0, '']]
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import regex
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ._common import _empty

__all__ = [
    "EDGE_COLUMNS", "FAMILY_LABEL_COLUMNS", "LINEAGE_COLUMNS", "OUTDATED_COLUMNS",
    "family_labels", "lineage", "lineage_edges", "outdated_patterns", "outdated_passages",
]

LINEAGE_COLUMNS = [
    "doc_id", "family", "family_size", "n_chars", "borrowed_chars", "borrowed_share", "n_partners",
    "shares_most_with", "shared_chars_with_top", "partners", "date_stated", "first_in_family",
]
EDGE_COLUMNS = ["doc_a", "doc_b", "family", "passages", "matching_words", "chars_a", "chars_b", "source", "target"]
FAMILY_LABEL_COLUMNS = ["family", "item", "n_documents", "documents", "clauses"]
OUTDATED_COLUMNS = [
    "doc_id", "other_doc", "start", "end", "pattern", "match", "date_stated", "note", "text",
]

_LEXICON = Path(__file__).resolve().parent.parent / "lexicons" / "outdated.toml"


def _sides(reuse: pd.DataFrame) -> pd.DataFrame:
    """Both sides of every passage as rows: doc_id, other, start, end (+ passage index)."""
    a = pd.DataFrame({"doc_id": reuse["doc_a"].astype(str).to_numpy(), "other": reuse["doc_b"].astype(str).to_numpy(),
                      "start": reuse["start_a"].to_numpy(), "end": reuse["end_a"].to_numpy(),
                      "passage": np.arange(len(reuse)), "side": "a"})
    b = pd.DataFrame({"doc_id": reuse["doc_b"].astype(str).to_numpy(), "other": reuse["doc_a"].astype(str).to_numpy(),
                      "start": reuse["start_b"].to_numpy(), "end": reuse["end_b"].to_numpy(),
                      "passage": np.arange(len(reuse)), "side": "b"})
    return pd.concat([a, b], ignore_index=True)


def _covered(spans: pd.DataFrame) -> int:
    """Characters covered by the union of ``[start, end)`` spans."""
    total, reach = 0, -1
    for start, end in sorted(zip(spans["start"], spans["end"])):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return int(total)


def _families(doc_ids: list[str], reuse: pd.DataFrame) -> dict[str, int]:
    """Family of each notice: connected components of the reuse graph, numbered by size.

    Families of two or more notices are numbered 0, 1, ... largest first (ties:
    smallest id first); a notice that shares no passage has family -1.
    """
    index = {d: k for k, d in enumerate(doc_ids)}
    n = len(doc_ids)
    if n == 0:
        return {}
    rows = reuse["doc_a"].astype(str).map(index).to_numpy()
    cols = reuse["doc_b"].astype(str).map(index).to_numpy()
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    sizes = np.bincount(component)
    first = {}
    for d, c in zip(doc_ids, component):
        first[c] = min(first.get(c, d), d)
    shared = sorted((c for c in set(component) if sizes[c] > 1), key=lambda c: (-sizes[c], first[c]))
    number = {c: k for k, c in enumerate(shared)}
    return {d: number.get(c, -1) for d, c in zip(doc_ids, component)}


def _doc_meta(reuse: pd.DataFrame, documents: pd.DataFrame | None, clauses: pd.DataFrame | None) -> pd.DataFrame:
    ids = set(reuse["doc_a"].astype(str)) | set(reuse["doc_b"].astype(str))
    meta = pd.DataFrame({"doc_id": sorted(ids)})
    if documents is not None:
        docs = documents.drop_duplicates("doc_id").assign(doc_id=lambda f: f["doc_id"].astype(str))
        meta = docs[["doc_id"]].merge(meta, how="outer", on="doc_id")
        if "n_chars" in docs.columns:
            n_chars = docs.set_index("doc_id")["n_chars"]
        elif "text" in docs.columns:
            n_chars = docs.set_index("doc_id")["text"].fillna("").str.len()
        else:
            n_chars = pd.Series(dtype="float64")
        meta["n_chars"] = meta["doc_id"].map(n_chars)
        date = docs.set_index("doc_id")["date_stated"] if "date_stated" in docs.columns else pd.Series(dtype=object)
        meta["date_stated"] = meta["doc_id"].map(date).astype(object).where(lambda s: s.notna(), "").astype(str)
    else:
        meta["n_chars"] = np.nan
        meta["date_stated"] = ""
    if clauses is not None and meta["n_chars"].isna().any():
        ends = clauses.assign(doc_id=clauses["doc_id"].astype(str)).groupby("doc_id")["end"].max()
        meta["n_chars"] = meta["n_chars"].fillna(meta["doc_id"].map(ends))
    return meta.sort_values("doc_id").reset_index(drop=True)


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.replace("", None), errors="coerce", format="mixed")


def lineage_edges(reuse: pd.DataFrame, *, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per pair of notices sharing text, with the direction where dates tell it.

    Parameters
    ----------
    reuse : DataFrame
        Output of :func:`policylab.text_reuse`.
    documents : DataFrame or None
        ``doc_id, date_stated``: a pair of dated notices of different dates
        gets ``source`` (the earlier: it had the text first) and ``target``.

    Returns
    -------
    DataFrame
        ``doc_a, doc_b, family, passages, matching_words, chars_a, chars_b,
        source, target`` (``chars_*``: characters of each notice in the pair's
        passages; ``source`` the earlier-dated notice, which had the text
        first, ``target`` the later; both "" when a date is missing or the
        dates are equal), most shared words first.

    Examples
    --------
    >>> reuse = pd.DataFrame({"doc_a": ["a"], "doc_b": ["b"], "start_a": [0], "end_a": [40],
    ...     "start_b": [10], "end_b": [50], "matching_words": [8]})
    >>> documents = pd.DataFrame({"doc_id": ["a", "b"], "date_stated": ["2021-03-01", "2019-05-01"]})
    >>> lineage_edges(reuse, documents=documents)[["doc_a", "doc_b", "source", "target"]].values.tolist()
    [['a', 'b', 'b', 'a']]
    """
    dtypes = {"family": "int64", "passages": "int64", "matching_words": "int64", "chars_a": "int64", "chars_b": "int64"}
    if reuse is None or len(reuse) == 0:
        return _empty(EDGE_COLUMNS, dtypes)
    meta = _doc_meta(reuse, documents, None)
    family = _families(meta["doc_id"].tolist(), reuse)
    date = dict(zip(meta["doc_id"], _dates(meta["date_stated"])))
    rows = []
    for (a, b), group in reuse.groupby([reuse["doc_a"].astype(str), reuse["doc_b"].astype(str)], sort=True):
        chars_a = _covered(group.rename(columns={"start_a": "start", "end_a": "end"}))
        chars_b = _covered(group.rename(columns={"start_b": "start", "end_b": "end"}))
        da, db = date.get(a), date.get(b)
        source = target = ""
        if da is not None and db is not None and not pd.isna(da) and not pd.isna(db) and da != db:
            source, target = (a, b) if da < db else (b, a)
        rows.append({"doc_a": a, "doc_b": b, "family": family[a], "passages": len(group),
                     "matching_words": int(group["matching_words"].sum()), "chars_a": chars_a, "chars_b": chars_b,
                     "source": source, "target": target})
    out = pd.DataFrame(rows, columns=EDGE_COLUMNS).astype(dtypes)
    out = out.sort_values(["matching_words", "doc_a", "doc_b"], ascending=[False, True, True], kind="mergesort")
    return out.reset_index(drop=True)


def lineage(
    reuse: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    clauses: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per notice: borrowed share, closest partners, template family, who was first.

    Parameters
    ----------
    reuse : DataFrame
        Output of :func:`policylab.text_reuse`.
    documents : DataFrame or None
        The documents table: every notice gets a row (also those sharing
        nothing), ``n_chars`` (or ``text``) gives its length and
        ``date_stated`` the direction.
    clauses : DataFrame or None
        Used for the length of notices missing from ``documents``.

    Returns
    -------
    DataFrame
        ``doc_id, family, family_size, n_chars, borrowed_chars,
        borrowed_share, n_partners, shares_most_with, shared_chars_with_top,
        partners, date_stated, first_in_family``:

        - ``borrowed_chars``: characters of the notice inside passages it
          shares with any other notice (each counted once), ``borrowed_share``
          their share of ``n_chars``;
        - ``partners``: the notices it shares with, most shared characters
          first (a list), ``shares_most_with`` the first of them;
        - ``family``: template family (connected group of notices linked by
          passages), numbered largest first; -1 for a notice sharing nothing;
        - ``first_in_family``: True for the earliest-dated notice of its
          family, False for the other dated ones, missing (``pd.NA``) when
          the notice or all of its family are undated.

    Examples
    --------
    >>> reuse = pd.DataFrame({"doc_a": ["a"], "doc_b": ["b"], "start_a": [0], "end_a": [40],
    ...     "start_b": [10], "end_b": [50], "matching_words": [8]})
    >>> lineage(reuse)[["doc_id", "family", "borrowed_chars", "partners"]].values.tolist()
    [['a', 0, 40, ['b']], ['b', 0, 40, ['a']]]
    """
    dtypes = {"family": "int64", "family_size": "int64", "borrowed_chars": "int64", "n_partners": "int64",
              "shared_chars_with_top": "int64", "n_chars": "float64", "borrowed_share": "float64"}
    if reuse is None:
        reuse = pd.DataFrame(columns=["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "matching_words"])
    meta = _doc_meta(reuse, documents, clauses)
    if len(meta) == 0:
        return _empty(LINEAGE_COLUMNS, dtypes | {"first_in_family": "boolean"})
    family = _families(meta["doc_id"].tolist(), reuse)
    sides = _sides(reuse)
    borrowed = {d: _covered(g) for d, g in sides.groupby("doc_id")} if len(sides) else {}
    partner_chars = {}
    for (d, other), g in sides.groupby(["doc_id", "other"]) if len(sides) else []:
        partner_chars.setdefault(d, []).append((other, _covered(g)))
    rows = []
    for d, n_chars, date in zip(meta["doc_id"], meta["n_chars"], meta["date_stated"]):
        partners = sorted(partner_chars.get(d, []), key=lambda p: (-p[1], p[0]))
        got = borrowed.get(d, 0)
        rows.append({
            "doc_id": d, "family": family[d], "n_chars": n_chars, "borrowed_chars": got,
            "borrowed_share": (got / n_chars) if n_chars and not pd.isna(n_chars) else (0.0 if got == 0 else np.nan),
            "n_partners": len(partners), "shares_most_with": partners[0][0] if partners else "",
            "shared_chars_with_top": partners[0][1] if partners else 0,
            "partners": [p for p, _ in partners], "date_stated": date,
        })
    out = pd.DataFrame(rows)
    sizes = out["family"].map(out[out["family"] >= 0]["family"].value_counts()).fillna(1)
    out["family_size"] = sizes.astype("int64")
    dates = _dates(out["date_stated"])
    first = pd.Series(pd.NA, index=out.index, dtype="boolean")
    for f, g in out[out["family"] >= 0].groupby("family"):
        dated = dates[g.index].dropna()
        if len(dated):
            first[dated.index] = (dated == dated.min()).to_numpy()
    out["first_in_family"] = first
    return out[LINEAGE_COLUMNS].astype(dtypes).reset_index(drop=True)


def family_labels(
    reuse: pd.DataFrame,
    lineage_table: pd.DataFrame,
    *,
    coverage: pd.DataFrame | None = None,
    labels: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per template family, what the shared passages give: coverage items (or labels).

    A coverage item (GDPR art. 13/14 checklist) travels with reuse in a
    family when one of its evidence clauses lies in a passage the notice
    shares with another notice of the family. Without ``coverage``, the
    labels of the shared clauses are counted instead (item
    ``"dimension:label"``).

    Parameters
    ----------
    reuse : DataFrame
        Output of :func:`policylab.text_reuse` (``clauses_a``, ``clauses_b``).
    lineage_table : DataFrame
        Output of :func:`lineage` (``doc_id, family``).
    coverage : DataFrame or None
        The coverage table (``doc_id, item, covered, evidence``).
    labels : DataFrame or None
        The labels table (``clause_id, dimension, label``).

    Returns
    -------
    DataFrame
        ``family, item, n_documents, documents, clauses``: the notices of the
        family whose item comes (at least partly) from a shared passage, and
        those clause ids; sorted by family, then most notices first.

    Examples
    --------
    >>> reuse = pd.DataFrame({"doc_a": ["a"], "doc_b": ["b"], "clauses_a": [["a:1"]], "clauses_b": [["b:4"]]})
    >>> lin = pd.DataFrame({"doc_id": ["a", "b"], "family": [0, 0]})
    >>> cov = pd.DataFrame({"doc_id": ["a", "b"], "item": ["complaint", "complaint"], "covered": True,
    ...     "evidence": [["a:1"], ["b:4", "b:9"]]})
    >>> family_labels(reuse, lin, coverage=cov).values.tolist()
    [[0, 'complaint', 2, ['a', 'b'], ['a:1', 'b:4']]]
    """
    dtypes = {"family": "int64", "n_documents": "int64"}
    if reuse is None or len(reuse) == 0 or (coverage is None and labels is None):
        return _empty(FAMILY_LABEL_COLUMNS, dtypes)
    shared = pd.concat([
        pd.DataFrame({"doc_id": reuse["doc_a"].astype(str), "clause_id": reuse["clauses_a"]}),
        pd.DataFrame({"doc_id": reuse["doc_b"].astype(str), "clause_id": reuse["clauses_b"]}),
    ], ignore_index=True).explode("clause_id").dropna().drop_duplicates()
    shared["clause_id"] = shared["clause_id"].astype(str)
    if coverage is not None:
        cov = coverage[coverage["covered"].astype(bool)] if "covered" in coverage.columns else coverage
        items = cov[["doc_id", "item", "evidence"]].explode("evidence").dropna()
        items = items.rename(columns={"evidence": "clause_id"}).astype({"doc_id": str, "clause_id": str})
    else:
        items = labels.assign(item=labels["dimension"].astype(str) + ":" + labels["label"].astype(str))
        items = items[["doc_id", "item", "clause_id"]].astype({"doc_id": str, "clause_id": str})
    hits = items.merge(shared, on=["doc_id", "clause_id"])
    fam = dict(zip(lineage_table["doc_id"].astype(str), lineage_table["family"]))
    hits["family"] = hits["doc_id"].map(fam)
    hits = hits[hits["family"].notna() & (hits["family"] >= 0)]
    if len(hits) == 0:
        return _empty(FAMILY_LABEL_COLUMNS, dtypes)
    out = hits.groupby(["family", "item"]).agg(
        n_documents=("doc_id", "nunique"),
        documents=("doc_id", lambda s: sorted(set(s))),
        clauses=("clause_id", lambda s: sorted(set(s))),
    ).reset_index()
    out = out.astype(dtypes).sort_values(["family", "n_documents", "item"], ascending=[True, False, True])
    return out[FAMILY_LABEL_COLUMNS].reset_index(drop=True)


@lru_cache(maxsize=4)
def _load_patterns(path: str) -> tuple[str, tuple[tuple[str, object, str], ...]]:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    compiled = []
    for entry in data.get("pattern", []):
        missing = [k for k in ("id", "regex", "note") if k not in entry]
        if missing:
            raise ValueError(f"{path}: pattern {entry.get('id', '?')!r} lacks {', '.join(missing)}")
        compiled.append((entry["id"], regex.compile(entry["regex"], regex.IGNORECASE), entry["note"]))
    return str(data.get("in_force", "2018-07-20")), tuple(compiled)


def outdated_patterns(path: str | Path | None = None) -> pd.DataFrame:
    """The outdated-reference patterns as a table: ``id, regex, note, source`` (+ ``in_force``).

    >>> outdated_patterns()["id"].tolist()
    ['act_2000', 'act_2000_section', 'licence', 'regulation_2000']
    """
    data = tomllib.loads(Path(path or _LEXICON).read_text(encoding="utf-8"))
    out = pd.DataFrame(data.get("pattern", []), columns=["id", "regex", "note", "source"])
    out["in_force"] = str(data.get("in_force", "2018-07-20"))
    return out


def outdated_passages(
    reuse: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    patterns: str | Path | None = None,
) -> pd.DataFrame:
    """Copied passages citing repealed law, in notices dated after it or undated.

    Each side of each passage of ``reuse`` is searched for the patterns of
    ``lexicons/outdated.toml`` (the 2000 personal data act, its sections and
    regulation, Datatilsynet's licences). A match counts in a notice whose
    ``date_stated`` is after the file's ``in_force`` date (20 July 2018) or
    missing: in an older notice the reference was right when written.

    Parameters
    ----------
    reuse : DataFrame
        Output of :func:`policylab.text_reuse`.
    documents : DataFrame or None
        ``doc_id, date_stated`` (without it every notice counts as undated).
    patterns : path or None
        Another TOML file of the same form.

    Returns
    -------
    DataFrame
        ``doc_id, other_doc, start, end, pattern, match, date_stated, note,
        text``: ``start``/``end`` are the match's character offsets in the
        notice (``documents.text[start:end] == match``), ``other_doc`` the
        notice the passage is shared with, ``text`` the passage on this side.

    Examples
    --------
    >>> reuse = pd.DataFrame({"doc_a": ["a"], "doc_b": ["b"], "start_a": [100], "start_b": [0],
    ...     "text_a": ["behandles i tråd med Datatilsynets konsesjon"],
    ...     "text_b": ["behandles i tråd med Datatilsynets konsesjon"]})
    >>> documents = pd.DataFrame({"doc_id": ["a", "b"], "date_stated": ["2016-01-01", ""]})
    >>> outdated_passages(reuse, documents=documents)[["doc_id", "start", "end", "pattern"]].values.tolist()
    [['b', 21, 44, 'licence']]
    """
    dtypes = {"start": "int64", "end": "int64"}
    if reuse is None or len(reuse) == 0:
        return _empty(OUTDATED_COLUMNS, dtypes)
    in_force, compiled = _load_patterns(str(patterns or _LEXICON))
    dates: dict[str, str] = {}
    if documents is not None and "date_stated" in documents.columns:
        dates = dict(zip(documents["doc_id"].astype(str), documents["date_stated"].fillna("").astype(str)))
    cutoff = pd.Timestamp(in_force)
    rows = []
    for side, other in (("a", "b"), ("b", "a")):
        for doc, partner, start, text in zip(reuse[f"doc_{side}"].astype(str), reuse[f"doc_{other}"].astype(str),
                                             reuse[f"start_{side}"], reuse[f"text_{side}"]):
            date = dates.get(doc, "")
            stamp = pd.to_datetime(date, errors="coerce") if date else pd.NaT
            if not pd.isna(stamp) and stamp <= cutoff:
                continue
            for pid, pattern, note in compiled:
                for m in pattern.finditer(str(text)):
                    rows.append({"doc_id": doc, "other_doc": partner, "start": int(start) + m.start(),
                                 "end": int(start) + m.end(), "pattern": pid, "match": m.group(),
                                 "date_stated": date, "note": note, "text": str(text)})
    if not rows:
        return _empty(OUTDATED_COLUMNS, dtypes)
    out = pd.DataFrame(rows, columns=OUTDATED_COLUMNS).astype(dtypes)
    out = out.drop_duplicates(["doc_id", "start", "end", "pattern"])
    return out.sort_values(["doc_id", "start", "pattern"], kind="mergesort").reset_index(drop=True)

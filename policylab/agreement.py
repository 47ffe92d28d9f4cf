"""Agreement between two annotators, and the gold standard made from them.

A tagger cannot be measured more precisely than people agree on the same
clauses: the agreement of two independent annotators is the ceiling of every
accuracy figure. This module compares two folders of annotation files (the
format of :mod:`policylab.annotations`), lists the (clause, dimension, label)
triples on which they disagree for an adjudicator, and merges the two with the
adjudicator's decisions into one gold standard.

Per dimension it reports F1 between the annotators (symmetric: either one may be
taken as the reference) and Cohen's kappa over the yes/no decisions of every
clause and label of the dimension. Besides the label dimensions, ``retention_days``
compares the storage durations each annotator read off a clause (when the files
carry that key) and ``coverage`` the Art. 13/14 coverage cells each annotator's
labels give (:func:`policylab.coverage.coverage_table`).

Examples
--------
>>> import pandas as pd
>>> a = pd.DataFrame({"doc_id": ["d", "d"], "clause_id": ["d:0000", "d:0001"], "text": ["x", "y"],
...                   "topic": [["retention"], []], "legal_basis": [[], []], "right": [[], ["access"]]})
>>> b = a.assign(topic=[["retention", "purpose"], []])
>>> agreement = annotator_agreement(a, b)
>>> agreement[["dimension", "both", "first_only", "second_only", "f1"]].head(1).values.tolist()
[['topic', 1, 0, 1, 0.6666666666666666]]
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .annotations import DIMENSIONS, LABELS, read_annotated_clauses

__all__ = [
    "AGREEMENT_COLUMNS", "adjudicate", "annotations_from_tables", "annotator_agreement", "disagreements",
    "score_tables", "write_annotations",
]

#: Columns of :func:`annotator_agreement`.
AGREEMENT_COLUMNS = ["dimension", "n_clauses", "both", "first_only", "second_only", "precision", "recall", "f1",
                     "kappa", "agreement"]

_KEY = ["doc_id", "clause_id"]


def _clauses(annotations) -> pd.DataFrame:
    if isinstance(annotations, pd.DataFrame):
        return annotations
    return read_annotated_clauses(annotations)


def _days(value) -> list[float]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [round(float(d), 2) for d in value]


def _triples(annotated: pd.DataFrame, dimensions) -> set[tuple[str, str, str, str]]:
    out = set()
    for row in annotated.to_dict("records"):
        for dimension in dimensions:
            if dimension == "retention_days":
                values = [f"{d:g}" for d in _days(row.get("retention_days"))]
            else:
                values = row.get(dimension) or []
            out.update((row["doc_id"], row["clause_id"], dimension, str(v)) for v in values)
    return out


def _paired(first, second) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The clauses both annotated (same notice, id and text), in the first's order."""
    a, b = _clauses(first), _clauses(second)
    keys = a[_KEY + ["text"]].merge(b[_KEY + ["text"]], on=_KEY + ["text"])[_KEY]
    a = a.merge(keys, on=_KEY)
    b = b.merge(keys, on=_KEY)
    return a, b


def _dimensions(a: pd.DataFrame, b: pd.DataFrame) -> list[str]:
    dims = list(DIMENSIONS)
    if "retention_days" in a.columns and "retention_days" in b.columns:
        dims.append("retention_days")
    return dims


def _kappa(both: int, first_only: int, second_only: int, decisions: int) -> float:
    neither = decisions - both - first_only - second_only
    if decisions <= 0:
        return float("nan")
    observed = (both + neither) / decisions
    p_first = (both + first_only) / decisions
    p_second = (both + second_only) / decisions
    expected = p_first * p_second + (1 - p_first) * (1 - p_second)
    return float("nan") if expected == 1 else (observed - expected) / (1 - expected)


def _coverage_cells(annotated: pd.DataFrame) -> pd.DataFrame:
    from .annotations import _explode
    from .coverage import coverage_table

    labels = _explode(annotated.assign(note="", file="", line=0))
    documents = pd.DataFrame({"doc_id": sorted(annotated["doc_id"].unique())})
    return coverage_table(labels, documents)[["doc_id", "item", "covered"]]


def annotator_agreement(first, second) -> pd.DataFrame:
    """Agreement of two annotators per dimension, on the clauses both annotated.

    Parameters
    ----------
    first, second
        Annotation files or folders (or frames from
        :func:`policylab.annotations.read_annotated_clauses`). Clauses are paired by
        notice, clause id and text; a clause only one of them annotated is left out.

    Returns
    -------
    DataFrame
        One row per dimension (``topic``, ``legal_basis``, ``right``, then
        ``retention_days`` where both carry it, then ``coverage``): ``n_clauses``,
        the triples both gave (``both``), only the first, only the second, F1
        between them (2·both / (2·both + first_only + second_only)) and Cohen's
        kappa over every clause × label decision of the dimension (for
        ``retention_days`` and ``coverage``, over the values either gave and the
        cells respectively). ``precision`` and ``recall`` take the first as the
        reference; ``agreement`` is the share of all decisions on which both agree
        (for ``coverage``: the share of cells).
    """
    a, b = _paired(first, second)
    rows = []
    for dimension in _dimensions(a, b):
        ta, tb = _triples(a, [dimension]), _triples(b, [dimension])
        both, first_only, second_only = len(ta & tb), len(ta - tb), len(tb - ta)
        if dimension == "retention_days":
            decisions = len(ta | tb) + len(a)  # every clause may also state nothing
        else:
            decisions = len(a) * len(LABELS[dimension])
        rows.append(_row(dimension, len(a), both, first_only, second_only, decisions))
    if len(a):
        cells = _coverage_cells(a).merge(_coverage_cells(b), on=["doc_id", "item"], suffixes=("_a", "_b"))
        ca, cb = cells["covered_a"].astype(bool), cells["covered_b"].astype(bool)
        rows.append(_row("coverage", len(a), int((ca & cb).sum()), int((ca & ~cb).sum()), int((~ca & cb).sum()), len(cells)))
    frame = pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
    return frame.astype({"n_clauses": "int64", "both": "int64", "first_only": "int64", "second_only": "int64"})


def _row(dimension: str, n: int, both: int, first_only: int, second_only: int, decisions: int) -> list:
    def ratio(x, y):
        return x / y if y else float("nan")

    agreement = ratio(decisions - first_only - second_only, decisions)
    return [dimension, n, both, first_only, second_only, ratio(both, both + second_only), ratio(both, both + first_only),
            ratio(2 * both, 2 * both + first_only + second_only), _kappa(both, first_only, second_only, decisions), agreement]


def annotations_from_tables(tables, *, min_score: float = 0.0) -> pd.DataFrame:
    """A built corpus's labels in the shape of annotated clauses (one row per clause).

    ``topic``, ``legal_basis`` and ``right`` hold the labels the tagger gave (those
    scoring at least ``min_score``), ``retention_days`` the durations of its
    retention rows of kind ``duration``. With it the tagger is compared with a
    gold standard exactly as two annotators are compared (:func:`score_tables`).
    """
    clauses = tables.clauses[["doc_id", "clause_id", "start", "end", "kind", "text"]].copy()
    labels = tables.labels[tables.labels["score"] >= min_score]
    for dimension in DIMENSIONS:
        chosen = labels[labels["dimension"].astype(str) == dimension]
        lists = chosen.groupby(chosen["clause_id"].astype(str))["label"].agg(lambda s: sorted(set(map(str, s))))
        clauses[dimension] = [list(lists.get(cid, [])) for cid in clauses["clause_id"]]
    durations = tables.retention[tables.retention["kind"].astype(str) == "duration"]
    days = durations.groupby(durations["clause_id"].astype(str))["days"].agg(lambda s: sorted(round(float(d), 2) for d in s))
    clauses["retention_days"] = [list(days.get(cid, [])) for cid in clauses["clause_id"]]
    clauses["note"] = ""
    return clauses


def score_tables(gold, tables, *, min_score: float = 0.0, by: str | None = None) -> pd.DataFrame:
    """Precision, recall and F1 of a built corpus against gold annotations, per dimension.

    The gold clauses are found in ``tables.clauses`` by offsets or text
    (:func:`policylab.annotations.align_annotations`; those that no longer align
    are left out, with a warning); the tagger's labels are then compared with the
    gold as a second annotator would be (:func:`annotator_agreement`, the gold
    being the first: ``first_only`` are misses, ``second_only`` false alarms).
    Rows: ``topic``, ``legal_basis``, ``right``, ``retention_days`` (storage
    durations in days, where the gold has them) and ``coverage`` (the Art. 13/14
    cells; ``agreement`` is the share of cells on which gold and tagger agree).

    ``by`` names a column of ``tables.documents`` (``"language"``, ``"sector"``):
    the scores are then given for all notices (``"all"``) and for each value of
    that column, in a first column of that name, so a figure can say which part
    of a test set it was measured on.

    >>> from policylab import build
    >>> from policylab.annotations import BUNDLED_ANNOTATIONS
    >>> scores = score_tables(BUNDLED_ANNOTATIONS, build(), by="language")
    >>> sorted(scores["language"].unique())
    ['all', 'nb', 'nn']
    """
    if by is not None:
        groups = tables.documents[["doc_id", by]].astype(str)
        annotated = _clauses(gold)
        parts = [score_tables(annotated, tables, min_score=min_score).assign(**{by: "all"})]
        for value, docs in groups.groupby(by, sort=True):
            subset = annotated[annotated["doc_id"].isin(set(docs["doc_id"]))]
            if len(subset):
                parts.append(score_tables(subset, tables, min_score=min_score).assign(**{by: value}))
        out = pd.concat(parts, ignore_index=True)
        return out[[by] + [c for c in out.columns if c != by]]
    from .annotations import align_annotations

    annotated = _clauses(gold)
    aligned = align_annotations(annotated, tables.clauses).dropna(subset=["clause_id"])
    aligned = aligned.assign(clause_id=aligned["clause_id"].astype(str))
    predicted = annotations_from_tables(tables, min_score=min_score)
    predicted = predicted[predicted["clause_id"].isin(set(aligned["clause_id"]))]
    if "retention_days" not in aligned.columns:
        predicted = predicted.drop(columns="retention_days")
    return annotator_agreement(aligned, predicted)


def disagreements(first, second) -> pd.DataFrame:
    """The (clause, dimension, label) triples only one annotator gave, for adjudication.

    Returns ``doc_id, clause_id, kind, text, dimension, label, first, second``
    (``first``/``second``: whether that annotator gave it), in clause order.
    The adjudicator should see the clause and its neighbours but not which
    annotator said what: shuffle and hide the two flag columns before handing
    the sheet over.
    """
    a, b = _paired(first, second)
    dims = _dimensions(a, b)
    ta, tb = _triples(a, dims), _triples(b, dims)
    rows = [(*t, t in ta, t in tb) for t in sorted(ta ^ tb)]
    frame = pd.DataFrame(rows, columns=["doc_id", "clause_id", "dimension", "label", "first", "second"])
    context = a[_KEY + ["kind", "text"]]
    out = frame.merge(context, on=_KEY, how="left")
    return out[["doc_id", "clause_id", "kind", "text", "dimension", "label", "first", "second"]].reset_index(drop=True)


def adjudicate(first, second, decisions: pd.DataFrame | None = None) -> pd.DataFrame:
    """One gold standard from two annotators and the decisions on their disagreements.

    A triple both annotators gave is gold; a triple only one gave is gold when
    ``decisions`` (``clause_id, dimension, label, decision`` with ``yes``/``no``/
    ``unsure``) says ``yes``. Undecided and ``unsure`` triples are left out (the
    conservative reading: gold holds what two people agree on). The note of each
    clause keeps both annotators' notes and every decision with its reason.

    Returns the first annotator's clause rows with the gold label lists.
    """
    a, b = _paired(first, second)
    dims = _dimensions(a, b)
    ta, tb = _triples(a, dims), _triples(b, dims)
    gold = ta & tb
    disputed = {(t[1], t[2], t[3]): t for t in ta ^ tb}
    reasons: dict[str, list[str]] = {}
    if decisions is not None and len(decisions):
        for row in decisions.astype({"label": str}).to_dict("records"):
            key = disputed.get((row["clause_id"], row["dimension"], row["label"]))
            if key is None:
                continue
            decision = str(row["decision"]).strip().lower()
            if decision == "yes":
                gold.add(key)
            verdict = {"yes": "+", "no": "-"}.get(decision, "?")
            reason = str(row.get("reason") or "").strip()
            reasons.setdefault(row["clause_id"], []).append(
                f"[Adjudicated {verdict}{row['label']} ({row['dimension']}){': ' + reason if reason else ''}]")
    notes_b = dict(zip(b["clause_id"], b["note"] if "note" in b.columns else [""] * len(b)))
    out = a.copy()
    by_clause: dict[tuple[str, str], list[str]] = {}
    for doc_id, clause_id, dimension, label in gold:
        by_clause.setdefault((clause_id, dimension), []).append(label)
    for dimension in dims:
        order = {label: i for i, label in enumerate(LABELS.get(dimension, ()))}
        column = []
        for clause_id in out["clause_id"]:
            got = by_clause.get((clause_id, dimension), [])
            if dimension == "retention_days":
                column.append(sorted(float(v) for v in got))
            else:
                column.append(sorted(got, key=lambda label: order.get(label, len(order))))
        out[dimension] = column
    notes = []
    for row in out.to_dict("records"):
        parts = [p for p in (str(row.get("note") or "").strip(), str(notes_b.get(row["clause_id"]) or "").strip()) if p]
        parts = list(dict.fromkeys(parts)) + reasons.get(row["clause_id"], [])
        notes.append(" ".join(parts))
    out["note"] = notes
    return out


def write_annotations(annotated: pd.DataFrame, folder: Path | str) -> list[Path]:
    """Write annotated clauses as one ``{doc_id}.jsonl`` per notice (atomically per file).

    Keeps the keys of the annotation format (``retention_days`` where present).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    keys = ["doc_id", "clause_id", "start", "end", "kind", "text", *DIMENSIONS]
    if "retention_days" in annotated.columns:
        keys.append("retention_days")
    keys.append("note")
    written = []
    for doc_id, rows in annotated.groupby("doc_id", sort=True):
        path = folder / f"{doc_id}.jsonl"
        handle, tmp = tempfile.mkstemp(dir=folder, prefix=f".{doc_id}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for row in rows.to_dict("records"):
                record = {k: row.get(k) for k in keys}
                record["start"], record["end"] = int(record["start"]), int(record["end"])
                record["note"] = record["note"] or ""
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
        written.append(path)
    return written

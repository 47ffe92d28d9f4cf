"""Gold annotations: reading, validating and aligning them to a built corpus.

An annotation file (``data/annotations/{doc_id}.jsonl``) holds one JSON object
a line, one line per clause of a notice, in clause order::

    {"doc_id": "motkraft", "clause_id": "motkraft:0012", "start": 812, "end": 870,
     "kind": "paragraph", "text": "...", "topic": ["retention"],
     "legal_basis": [], "right": [], "note": "optional reason for a hard call"}

:func:`read_annotated_clauses` gives one row per annotated clause (the label
lists kept as lists), :func:`read_annotations` one row per (clause, dimension,
label) in the shape of the ``labels`` table (``source`` = ``"gold"``). Both stop
at the first problem with an :class:`AnnotationError` that names ``file:line``.

Clause ids depend on the segmenter, so annotations are tied to the text, not to
ids: :func:`align_annotations` finds each record's clause in a freshly built
``clauses`` table by ``(doc_id, start, end)`` (with the same text), falling back to
the same text elsewhere in the notice, and reports the records that no longer
align.

Examples
--------
>>> import json, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> record = {"doc_id": "d", "clause_id": "d:0001", "start": 0, "end": 15, "kind": "heading",
...           "text": "Oppbevaringstid", "topic": ["retention"], "legal_basis": [], "right": []}
>>> _ = (folder / "d.jsonl").write_text(json.dumps(record) + "\\n", encoding="utf-8")
>>> read_annotations(folder)[["clause_id", "dimension", "label", "source"]].values.tolist()
[['d:0001', 'topic', 'retention', 'gold']]
"""

from __future__ import annotations

import difflib
import json
import warnings
from pathlib import Path

import pandas as pd

from .corpus import BUNDLED_CORPUS, PolicylabWarning
from .labels import DIMENSIONS, LABELS_BY_DIMENSION

__all__ = [
    "AnnotationError",
    "BUNDLED_ANNOTATIONS",
    "DIMENSIONS",
    "LABELS",
    "LABEL_COLUMNS",
    "align_annotations",
    "annotation_files",
    "gold_clauses",
    "gold_label_sets",
    "read_annotated_clauses",
    "read_annotations",
]

#: The gold annotations shipped with the repository (``data/annotations``).
BUNDLED_ANNOTATIONS = BUNDLED_CORPUS.parent / "annotations"

#: The label names of ``taxonomy.md`` per dimension (defined once, in :mod:`policylab.labels`).
LABELS = LABELS_BY_DIMENSION

#: Columns of the ``labels`` table (``tables.md``) plus where a label came from.
LABEL_COLUMNS = ["clause_id", "doc_id", "dimension", "label", "score", "cue", "source"]

_REQUIRED_KEYS = ("doc_id", "clause_id", "start", "end", "kind", "text", *DIMENSIONS)
_OPTIONAL_KEYS = ("note", "retention_days")
_CLAUSE_COLUMNS = ["doc_id", "clause_id", "start", "end", "kind", "text", *DIMENSIONS, "note", "retention_days", "file", "line"]


class AnnotationError(ValueError):
    """A problem in an annotation file; the message starts with ``file:line:``."""

    def __init__(self, file: Path | str, line: int | None, problem: str):
        self.file = str(file)
        self.line = line
        self.problem = problem
        where = f"{self.file}:{line}" if line is not None else self.file
        super().__init__(f"{where}: {problem}")


def annotation_files(path: Path | str | None = None) -> list[Path]:
    """The ``.jsonl`` files of ``path`` (a file or a folder; default: the bundled annotations).

    >>> annotation_files(BUNDLED_ANNOTATIONS) == sorted(BUNDLED_ANNOTATIONS.glob("*.jsonl"))
    True
    """
    path = Path(path) if path is not None else BUNDLED_ANNOTATIONS
    if path.is_dir():
        return sorted(path.glob("*.jsonl"))
    if path.is_file():
        return [path]
    raise FileNotFoundError(f"no annotation file or folder at {path}")


def _unknown_label(label: object, dimension: str) -> str:
    other = [d for d in DIMENSIONS if d != dimension and label in LABELS[d]]
    if other:
        return f"label {label!r} belongs to dimension {other[0]!r}, not {dimension!r}"
    close = difflib.get_close_matches(str(label), LABELS[dimension], n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {dimension} label {label!r}{hint}; known: {', '.join(LABELS[dimension])}"


def _check_record(record: object, file: Path, line: int) -> dict:
    if not isinstance(record, dict):
        raise AnnotationError(file, line, f"expected a JSON object, got {type(record).__name__}")
    missing = [k for k in _REQUIRED_KEYS if k not in record]
    if missing:
        raise AnnotationError(file, line, f"missing key(s) {', '.join(missing)}")
    unknown = [k for k in record if k not in _REQUIRED_KEYS + _OPTIONAL_KEYS]
    if unknown:
        raise AnnotationError(file, line, f"unknown key(s) {', '.join(unknown)}; keys are {', '.join(_REQUIRED_KEYS + _OPTIONAL_KEYS)}")
    for key in ("doc_id", "clause_id", "kind", "text"):
        if not isinstance(record[key], str):
            raise AnnotationError(file, line, f"{key} must be a string, got {record[key]!r}")
    for key in ("start", "end"):
        if not isinstance(record[key], int) or isinstance(record[key], bool) or record[key] < 0:
            raise AnnotationError(file, line, f"{key} must be a non-negative integer, got {record[key]!r}")
    if record["end"] - record["start"] != len(record["text"]):
        raise AnnotationError(file, line, f"end - start = {record['end'] - record['start']} but the text has {len(record['text'])} characters")
    for dimension in DIMENSIONS:
        labels = record[dimension]
        if not isinstance(labels, list):
            raise AnnotationError(file, line, f"{dimension} must be a list of labels, got {labels!r}")
        for label in labels:
            if label not in LABELS[dimension]:
                raise AnnotationError(file, line, _unknown_label(label, dimension))
        if len(set(labels)) != len(labels):
            raise AnnotationError(file, line, f"{dimension} repeats a label: {labels}")
    note = record.get("note", "")
    if note is None:
        note = ""
    if not isinstance(note, str):
        raise AnnotationError(file, line, f"note must be a string, got {note!r}")
    days = record.get("retention_days")
    if days is not None:
        # Durations (in days, taxonomy.md §4) of the storage periods the clause states.
        if not isinstance(days, list):
            raise AnnotationError(file, line, f"retention_days must be a list of numbers of days, got {days!r}")
        for d in days:
            if isinstance(d, bool) or not isinstance(d, (int, float)) or not d > 0 or d != d or d == float("inf"):
                raise AnnotationError(file, line, f"retention_days must hold positive numbers of days, got {d!r}")
        days = [float(d) for d in days]
    return {**record, "note": note, "retention_days": days}


def read_annotated_clauses(path: Path | str | None = None) -> pd.DataFrame:
    """One row per annotated clause, with the label lists as lists.

    Parameters
    ----------
    path
        An annotation ``.jsonl`` file or a folder of them; the bundled
        annotations (``data/annotations``) when omitted.

    Returns
    -------
    DataFrame
        ``doc_id, clause_id, start, end, kind, text, topic, legal_basis, right,
        note, retention_days, file, line``; ``topic`` etc. hold lists of label
        names (empty for a clause without labels: such clauses are the
        negatives of an evaluation); ``retention_days`` the optional list of
        storage durations in days the clause states (None where the record has
        no such key: the clause was not annotated for durations).

    Raises
    ------
    AnnotationError
        For a line that is not JSON, misses a key, has an unknown label or a
        clause id that occurs twice; the message names ``file:line``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "d.jsonl"
    >>> _ = f.write_text('{"doc_id": "d", "clause_id": "d:0000", "start": 0, "end": 2, "kind": "paragraph", '
    ...                  '"text": "Hi", "topic": [], "legal_basis": [], "right": []}\\n', encoding="utf-8")
    >>> read_annotated_clauses(f)[["clause_id", "topic", "line"]].values.tolist()
    [['d:0000', [], 1]]
    """
    rows: list[dict] = []
    seen: dict[tuple[str, str], str] = {}
    for file in annotation_files(path):
        with open(file, encoding="utf-8") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw)
                except json.JSONDecodeError as exc:
                    raise AnnotationError(file, number, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
                record = _check_record(record, file, number)
                key = (record["doc_id"], record["clause_id"])
                if key in seen:
                    raise AnnotationError(file, number, f"clause {record['clause_id']!r} is annotated twice (first at {seen[key]})")
                seen[key] = f"{file}:{number}"
                rows.append({**record, "file": str(file), "line": number})
    frame = pd.DataFrame(rows, columns=_CLAUSE_COLUMNS)
    return frame.astype({"start": "int64", "end": "int64", "line": "int64"})


def read_annotations(path: Path | str | None = None) -> pd.DataFrame:
    """Gold labels in the shape of the ``labels`` table: one row per (clause, dimension, label).

    ``score`` is 1.0, ``cue`` is empty (annotators give no evidence words; their
    ``note`` is kept in its own column) and ``source`` is ``"gold"``. A clause
    without labels has no row here: use :func:`read_annotated_clauses` for the
    clause-level view, which keeps it.

    >>> gold = read_annotations()
    >>> set(gold["source"]) <= {"gold"} and set(gold["dimension"]) <= set(DIMENSIONS)
    True
    """
    return _explode(read_annotated_clauses(path))


def _explode(annotated: pd.DataFrame) -> pd.DataFrame:
    rows = [
        {"clause_id": r["clause_id"], "doc_id": r["doc_id"], "dimension": dimension, "label": label,
         "score": 1.0, "cue": "", "source": "gold", "note": r["note"], "file": r["file"], "line": r["line"]}
        for r in annotated.to_dict("records")
        for dimension in DIMENSIONS
        for label in r[dimension]
    ]
    return pd.DataFrame(rows, columns=LABEL_COLUMNS + ["note", "file", "line"]).astype({"score": "float64"})


def gold_label_sets(annotated: pd.DataFrame, dimension: str) -> list[list[str]]:
    """The label lists of one dimension, row by row (what a classifier's ``fit`` takes).

    >>> gold_label_sets(pd.DataFrame({"topic": [["retention"], []]}), "topic")
    [['retention'], []]
    """
    return [list(v) for v in annotated[dimension]]


def align_annotations(annotated: pd.DataFrame, clauses: pd.DataFrame, *, warn: bool = True) -> pd.DataFrame:
    """Find each annotated clause in a built ``clauses`` table.

    A record aligns by its offsets when a clause of the same notice has the same
    ``start``, ``end`` and text; otherwise by its text when the notice has a clause
    with exactly that text (the nearest to the recorded offset if several do);
    otherwise it does not align (the segmenter now splits or joins it differently).

    Parameters
    ----------
    annotated
        From :func:`read_annotated_clauses`.
    clauses
        A ``clauses`` table (``policylab.build().clauses``).
    warn
        Issue a :class:`~policylab.corpus.PolicylabWarning` listing the records
        that did not align.

    Returns
    -------
    DataFrame
        ``annotated`` with ``clause_id`` set to the current clause's id (NA when
        unaligned), the recorded id in ``annotated_clause_id``, and ``aligned``:
        ``"offsets"``, ``"text"`` or ``"unaligned"``.

    Examples
    --------
    >>> clauses = pd.DataFrame({"clause_id": ["d:0000", "d:0001"], "doc_id": "d", "start": [0, 20],
    ...                         "end": [15, 32], "text": ["Oppbevaringstid", "Vi lagrer alt"]})
    >>> annotated = pd.DataFrame({"doc_id": "d", "clause_id": ["d:0000", "d:0001", "d:0002"],
    ...                           "start": [0, 17, 40], "end": [15, 29, 45],
    ...                           "text": ["Oppbevaringstid", "Vi lagrer alt", "Borte"]})
    >>> align_annotations(annotated, clauses, warn=False)[["annotated_clause_id", "clause_id", "aligned"]].values.tolist()
    [['d:0000', 'd:0000', 'offsets'], ['d:0001', 'd:0001', 'text'], ['d:0002', <NA>, 'unaligned']]
    """
    by_offsets = {
        (d, int(s), int(e)): (cid, t)
        for d, s, e, cid, t in zip(clauses["doc_id"], clauses["start"], clauses["end"], clauses["clause_id"], clauses["text"])
    }
    by_text: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for d, s, cid, t in zip(clauses["doc_id"], clauses["start"], clauses["clause_id"], clauses["text"]):
        by_text.setdefault((d, t), []).append((int(s), cid))
    new_ids: list[object] = []
    how: list[str] = []
    used: set[str] = set()
    for d, s, e, t in zip(annotated["doc_id"], annotated["start"], annotated["end"], annotated["text"]):
        hit = by_offsets.get((d, int(s), int(e)))
        if hit is not None and hit[1] == t and hit[0] not in used:
            new_ids.append(hit[0])
            how.append("offsets")
            used.add(hit[0])
            continue
        candidates = [(abs(cs - int(s)), cid) for cs, cid in by_text.get((d, t), []) if cid not in used]
        if candidates:
            cid = min(candidates)[1]
            new_ids.append(cid)
            how.append("text")
            used.add(cid)
        else:
            new_ids.append(pd.NA)
            how.append("unaligned")
    out = annotated.copy()
    out.insert(out.columns.get_loc("clause_id") + 1, "annotated_clause_id", out["clause_id"])
    out["clause_id"] = pd.array(new_ids, dtype="string")
    out["aligned"] = how
    lost = out[out["aligned"] == "unaligned"]
    if warn and len(lost):
        where = "; ".join(
            f"{r.get('file', '?')}:{r.get('line', '?')} {r['annotated_clause_id']}"
            for r in lost.head(10).to_dict("records")
        )
        more = f" and {len(lost) - 10} more" if len(lost) > 10 else ""
        warnings.warn(
            f"{len(lost)} annotated clause(s) no longer align with the corpus (text changed or re-segmented): {where}{more}",
            PolicylabWarning,
            stacklevel=2,
        )
    return out


def gold_clauses(annotations=None, *, corpus: Path | str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The corpus's clauses that carry a gold annotation, with the gold label lists.

    Parameters
    ----------
    annotations
        An annotation ``.jsonl`` file or folder (default: the bundled
        annotations), or the frame of :func:`read_annotated_clauses`.
    corpus
        The corpus folder the annotations describe (default: the bundled corpus).

    Returns
    -------
    (clauses, documents)
        ``clauses``: every clause of the annotated notices (the rule tagger
        needs whole notices for heading inheritance) with ``topic``,
        ``legal_basis``, ``right`` (lists of gold labels) and ``annotated``
        (False for clauses no annotation record aligns to). ``documents``: the
        annotated notices.

    Examples
    --------
    >>> clauses, documents = gold_clauses(BUNDLED_ANNOTATIONS)
    >>> bool(clauses["annotated"].all()), sorted(documents["doc_id"]) == sorted(clauses["doc_id"].unique())
    (True, True)
    """
    from .corpus import read_corpus
    from .segment import segment_documents

    annotated = annotations if isinstance(annotations, pd.DataFrame) else read_annotated_clauses(annotations)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PolicylabWarning)
        documents, _ = read_corpus(corpus, progress=False)
    missing = sorted(set(annotated["doc_id"]) - set(documents["doc_id"]))
    if missing:
        raise ValueError(
            f"annotated notice(s) {', '.join(missing)} not in the corpus {corpus or 'data/corpus'}: "
            "pass the corpus the annotations describe (--corpus)"
        )
    documents = documents[documents["doc_id"].isin(set(annotated["doc_id"]))].reset_index(drop=True)
    clauses = segment_documents(documents)
    aligned = align_annotations(annotated, clauses).dropna(subset=["clause_id"])
    gold = aligned.set_index(aligned["clause_id"].astype(str))
    clauses = clauses.reset_index(drop=True)
    clauses["annotated"] = clauses["clause_id"].isin(gold.index)
    for dimension in DIMENSIONS:
        mapping = gold[dimension].to_dict()
        clauses[dimension] = [list(mapping.get(cid, [])) for cid in clauses["clause_id"]]
    days = gold["retention_days"].to_dict() if "retention_days" in gold else {}
    clauses["retention_days"] = [days.get(cid) if isinstance(days.get(cid), list) else None for cid in clauses["clause_id"]]
    return clauses, documents

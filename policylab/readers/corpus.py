"""A corpus folder into the ``documents`` and ``problems`` tables.

Reading never stops at one bad file: every file that cannot be read becomes a
row of the ``problems`` table (file, doc_id, severity, problem) and a warning,
and the rest of the corpus still loads. Every engine (serial, processes, dask)
reads through :func:`plan_corpus` and :func:`read_planned_reading`.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ..languages import resolve, untagged_reason
from .folders import LocalFolder, problem
from .language import detect_language
from .metadata import read_metadata
from .registry import read_bytes
from .types import NoticeError, PolicylabWarning, Reading

__all__ = [
    "BUNDLED_CORPUS", "DOCUMENT_COLUMNS", "PROBLEM_COLUMNS", "PlannedNotice", "document_record", "documents_frame", "list_notices",
    "plan_corpus", "problems_frame", "read_corpus", "read_notice", "read_planned", "read_planned_reading",
]

#: The corpus shipped with the repository (``data/corpus``).
BUNDLED_CORPUS = Path(__file__).resolve().parent.parent.parent / "data" / "corpus"

DOCUMENT_COLUMNS = [
    "doc_id", "company", "org_number", "sector", "nace_section", "language", "date_stated",
    "language_detected", "tagged", "file", "format", "encoding", "n_chars", "n_words", "text",
]
PROBLEM_COLUMNS = ["file", "doc_id", "severity", "problem"]


class PlannedNotice(NamedTuple):
    """One notice of a :func:`plan_corpus` plan: which file becomes which doc_id, with
    its metadata row (``None``: the corpus has metadata but no row for this file;
    ``{}``: the corpus has no metadata). Unpacks as ``(file, doc_id, meta)``."""

    file: str
    doc_id: str
    meta: dict | None


def read_notice(path: Path | str) -> Reading:
    """Read one notice file (any suffix of :data:`~policylab.readers.READERS`).

    Raises :class:`NoticeError` naming the file and the problem.

    >>> read_notice(BUNDLED_CORPUS / "balcoo.txt").text.splitlines()[0]
    'Privacy Policy'
    """
    from .registry import check_suffix

    path = Path(path)
    check_suffix(str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NoticeError(path, f"cannot be read ({exc.strerror or exc})") from exc
    return read_bytes(str(path), data)


def _record(rel: str, data: bytes, meta_row: dict | None, *, doc_id: str, detect: bool | str = "missing") -> tuple[dict | None, list[dict], Reading | None]:
    from ..tokenize import words

    problems: list[dict] = []
    try:
        reading = read_bytes(rel, data)
    except NoticeError as exc:
        return None, [problem(rel, doc_id, "error", exc.problem)], None
    if meta_row is None:
        problems.append(problem(rel, doc_id, "warning", f"no row in metadata.csv: loaded with doc_id {doc_id!r} and no company or sector"))
    for note in reading.notes:
        problems.append(problem(rel, doc_id, "warning", note))
    row = dict(meta_row or {})
    row.update(doc_id=doc_id, file=rel, format=reading.format, encoding=reading.encoding, text=reading.text,
               n_chars=len(reading.text), n_words=len(words(reading.text)))
    given = row.get("language", "")
    detected = detect_language(reading.text) if detect is True or (detect and not given) else ""
    row["language_detected"] = detected
    if not given:
        row["language"] = detected
    profile = resolve(row["language"])
    row["tagged"] = profile.tagged
    if not profile.tagged:
        problems.append(problem(rel, doc_id, "warning", untagged_reason(row["language"])))
    return row, problems, reading


def document_record(rel: str, data: bytes, meta_row: dict | None, *, doc_id: str, detect: bool | str = "missing") -> tuple[dict | None, list[dict]]:
    """One row of the ``documents`` table from a file's bytes, or the problems that stop it.

    ``meta_row`` is the file's metadata row: ``None`` where the corpus has a
    ``metadata.csv`` without a row for this file (a warning), ``{}`` where the
    corpus has no metadata at all.

    >>> row, problems = document_record("a.txt", "Vi lagrer navn.".encode(), {"company": "A AS"}, doc_id="a", detect=False)
    >>> row["company"], row["n_words"], row["tagged"], problems
    ('A AS', 3, True, [])
    """
    row, problems, _ = _record(rel, data, meta_row, doc_id=doc_id, detect=detect)
    return row, problems


def plan_folder(folder: Path | str | None):
    """``(folder, access, plan, problems)`` of a local corpus folder (the bundled one for None):
    the one walk and plan that read_corpus and build share."""
    folder = Path(folder) if folder is not None else BUNDLED_CORPUS
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {folder}")
    access = LocalFolder(folder)
    names, problems = access.scan()
    plan, plan_problems = plan_corpus(access, names)
    problems.extend(plan_problems)
    return folder, access, plan, problems


def documents_frame(rows: list[dict]) -> pd.DataFrame:
    """The ``documents`` table from rows of :func:`document_record`, columns in contract order."""
    documents = pd.DataFrame(rows)
    for col in DOCUMENT_COLUMNS:
        if col not in documents:
            # Typed even when empty, so that joins on doc_id work on an empty corpus.
            if col in ("n_chars", "n_words"):
                documents[col] = pd.Series(0, index=documents.index, dtype="int64")
            elif col == "tagged":
                documents[col] = pd.Series(True, index=documents.index, dtype=bool)
            else:
                documents[col] = pd.Series("", index=documents.index, dtype=object)
    extra_cols = [c for c in documents.columns if c not in DOCUMENT_COLUMNS]
    documents = documents[DOCUMENT_COLUMNS[:-1] + extra_cols + ["text"]]
    # A notice without a metadata row has no company: "" (the report names it by
    # its doc_id), never NaN, which CSV and the report showed as "nan".
    for col in documents.columns:
        if col not in ("n_chars", "n_words", "tagged") and not pd.api.types.is_numeric_dtype(documents[col]):
            documents[col] = documents[col].fillna("")
    return documents.astype({"n_chars": "int64", "n_words": "int64", "tagged": bool})


def list_notices(folder: Path | str) -> list[Path]:
    """The candidate notice files of a folder (not recursive), sorted by name.

    Every regular file except ``metadata.csv``, hidden files and ``README*`` is a
    candidate, so that an image left in the folder is reported, not silently
    ignored. Links and special files are not (:meth:`LocalFolder.scan` reports them).

    >>> len(list_notices(BUNDLED_CORPUS))
    21
    """
    access = LocalFolder(folder)
    return [access.root / name for name in access.scan()[0]]


def read_corpus(folder: Path | str | None = None, *, detect: bool | str = "missing", progress: bool | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every notice of ``folder`` into a ``documents`` table and a ``problems`` table.

    ``detect`` says when to detect the language with lingua: ``"missing"``
    (where metadata gives none; the default), ``True`` (always, into
    ``language_detected``, to check the metadata) or ``False`` (never).

    ``documents`` has one row per readable notice with the columns of
    ``tables.md`` (doc_id, company, sector, nace_section, language, n_chars,
    n_words, text, ...). ``problems`` lists every file skipped or repaired, with
    the reason. Each problem is also issued as a :class:`PolicylabWarning`.

    >>> docs, _ = read_corpus()
    >>> docs.set_index("doc_id").loc["digdir", "language"]
    'nn'
    """
    folder, access, plan, problems = plan_folder(folder)
    if progress is None:
        progress = len(plan) > 20
    iterator = plan
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(plan, desc="reading notices", unit="file", leave=False)
    rows: list[dict] = []
    for item in iterator:
        row, row_problems = read_planned(access, item, detect=detect)
        problems.extend(row_problems)
        if row is not None:
            rows.append(row)
    documents = documents_frame(rows)
    return documents, problems_frame(problems, stacklevel=3)


def read_planned_reading(access, item: tuple[str, str, dict | None], *, detect: bool | str = "missing") -> tuple[dict | None, list[dict], Reading | None]:
    """Read one notice of a :func:`plan_corpus` plan: its documents row (or None), its problems and its reading."""
    rel, doc_id, meta_row = item
    try:
        data = access.read(rel)
    except OSError as exc:
        return None, [problem(rel, doc_id, "error", f"cannot be read ({getattr(exc, 'strerror', None) or exc})")], None
    return _record(rel, data, meta_row, doc_id=doc_id, detect=detect)


def read_planned(access, item: tuple[str, str, dict | None], *, detect: bool | str = "missing") -> tuple[dict | None, list[dict]]:
    """Read one notice of a :func:`plan_corpus` plan: its documents row (or None) and its problems.

    >>> plan, _ = plan_corpus(LocalFolder(BUNDLED_CORPUS), ["balcoo.txt"])
    >>> row, problems = read_planned(LocalFolder(BUNDLED_CORPUS), plan[0])
    >>> row["doc_id"], row["language"], problems
    ('balcoo', 'nb', [])
    """
    row, problems, _ = read_planned_reading(access, item, detect=detect)
    return row, problems


def problems_frame(problems: list[dict], *, stacklevel: int = 2) -> pd.DataFrame:
    """The ``problems`` table; each problem is also issued as a :class:`PolicylabWarning`."""
    for p in problems:
        warnings.warn(f"{p['file']}: {p['problem']}", PolicylabWarning, stacklevel=stacklevel + 1)
    return pd.DataFrame(problems, columns=PROBLEM_COLUMNS)


def plan_corpus(access, names: list[str]) -> tuple[list[PlannedNotice], list[dict]]:
    """Which file becomes which notice: ``(file, doc_id, metadata row)`` per notice, and problems.

    Files named in ``metadata.csv`` take its doc_id (they may lie in
    sub-folders); other files take their stem. A doc_id claimed twice is a problem
    for the second file. Every engine reads the corpus through this plan.

    >>> plan, problems = plan_corpus(LocalFolder(BUNDLED_CORPUS), LocalFolder(BUNDLED_CORPUS).scan()[0])
    >>> plan[0].file, plan[0].doc_id, problems
    ('24center.txt', '24center', [])
    """
    meta, problems = read_metadata(access)
    meta_rows = meta.to_dict("records")
    by_file = {row["file"]: row for row in meta_rows}
    ordered = list(names) + [f for f in by_file if f not in set(names)]
    plan: list[PlannedNotice] = []
    claimed: dict[str, str] = {}
    for rel in ordered:
        meta_row = by_file.get(rel)
        doc_id = meta_row["doc_id"] if meta_row else Path(rel).stem
        if doc_id in claimed:
            problems.append(problem(rel, doc_id, "error", f"duplicate doc_id {doc_id!r}: {claimed[doc_id]} already has it; rename the file or give it a metadata row with its own doc_id"))
            continue
        claimed[doc_id] = rel
        plan.append(PlannedNotice(rel, doc_id, meta_row if meta_row is not None else (None if meta_rows else {})))
    return plan, problems

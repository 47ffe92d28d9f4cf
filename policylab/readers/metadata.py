"""Reading and checking ``metadata.csv`` of a corpus folder.

Every defect is a problem row that says what to do, never an exception: a row
with more fields than the header (a trailing comma) keeps its first fields; a
file separated by semicolons (as spreadsheets save it in Norwegian locales) is
read with ``;`` and a hint; duplicate column names and an unterminated quote are
errors (every file then loads without metadata), and a row naming a file that is
a link, lies outside the folder or does not exist is skipped.

Examples
--------
>>> from policylab.readers import BUNDLED_CORPUS
>>> meta, problems = read_metadata(BUNDLED_CORPUS)
>>> meta.loc[meta.doc_id == "motkraft", "company"].item()
'Motkraft AS'
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from .decode import decode_bytes
from .folders import FsspecFolder, LocalFolder, problem
from .types import NoticeError

__all__ = ["METADATA_REQUIRED", "read_metadata"]

METADATA_REQUIRED = ("doc_id", "file")
_NONE = "every file loads without metadata"


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=list(METADATA_REQUIRED))


def read_metadata(folder) -> tuple[pd.DataFrame, list[dict]]:
    """Read ``metadata.csv`` of a corpus folder, checking it row by row.

    Returns the usable rows (all values as strings, ``""`` for missing) and a list
    of problems. A missing file gives an empty table; a missing ``file`` column
    falls back to ``{doc_id}.*``; a missing ``doc_id`` column to the file stem.
    ``folder`` may be a path, a :class:`LocalFolder` or an :class:`FsspecFolder`.
    """
    access = folder if isinstance(folder, (FsspecFolder, LocalFolder)) else LocalFolder(folder)
    problems: list[dict] = []
    why = access.check("metadata.csv")
    if why == "does not exist":
        return _empty(), problems
    if why is not None:
        problems.append(problem("metadata.csv", "", "error", f"metadata.csv {why}: {_NONE}"))
        return _empty(), problems
    try:
        raw = decode_bytes(access.read("metadata.csv"), name="metadata.csv").text
    except (NoticeError, OSError) as exc:
        detail = exc.problem if isinstance(exc, NoticeError) else (getattr(exc, "strerror", None) or str(exc))
        problems.append(problem("metadata.csv", "", "error", f"metadata.csv cannot be parsed ({detail}): {_NONE}"))
        return _empty(), problems
    first = raw.split("\n", 1)[0]
    delimiter = ","
    if first.count(";") > first.count(","):
        delimiter = ";"
        problems.append(problem("metadata.csv", "", "warning", "metadata.csv is separated by semicolons, not commas (as spreadsheets save it in some locales): read with ';'; save it as comma-separated CSV to silence this"))
    try:
        records = _parse(raw, delimiter)
    except csv.Error as exc:
        problems.append(problem("metadata.csv", "", "error", f"metadata.csv cannot be parsed ({exc}): {_NONE}"))
        return _empty(), problems
    if not records:
        return _empty(), problems
    header = [c.strip() for c in records[0][1]]
    seen_cols: dict[str, int] = {}
    for i, col in enumerate(header, 1):
        if col and col in seen_cols:
            problems.append(problem("metadata.csv", "", "error", f"metadata.csv has the column {col!r} twice (columns {seen_cols[col]} and {i}): rename or remove one; {_NONE}"))
            return _empty(), problems
        seen_cols[col] = i
    if any(not c for c in header):
        problems.append(problem("metadata.csv", "", "warning", f"metadata.csv has {sum(not c for c in header)} column(s) without a name in its header (a trailing comma?): ignored"))
    columns = [c for c in header if c]
    missing = [c for c in METADATA_REQUIRED if c not in columns]
    if len(missing) == 2:
        problems.append(problem("metadata.csv", "", "error", f"metadata.csv has neither a 'doc_id' nor a 'file' column: add them (doc_id,file,...); {_NONE}"))
        return _empty(), problems
    for col in missing:
        fallback = "the file is found as '{doc_id}.*'" if col == "file" else "doc_id is the file name without suffix"
        problems.append(problem("metadata.csv", "", "warning", f"metadata.csv has no '{col}' column: {fallback}"))
    rows = []
    lines = []
    for line, fields in records[1:]:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) > len(header):
            extra = [f for f in fields[len(header):] if f.strip()]
            if extra:
                problems.append(problem("metadata.csv", "", "warning", f"metadata.csv line {line} has {len(fields)} fields, the header {len(header)}: the extra {extra!r} is ignored (a comma inside a value? quote the value)"))
        rows.append({h: fields[i].strip() if i < len(fields) else "" for i, h in enumerate(header) if h})
        lines.append(line)
    meta = pd.DataFrame(rows, columns=columns).fillna("").astype(str)
    if "file" not in meta:
        meta["file"] = [_find_by_stem(access, d) for d in meta["doc_id"]]
    if "doc_id" not in meta:
        meta["doc_id"] = [Path(f).stem for f in meta["file"]]
    keep = []
    seen: dict[str, int] = {}
    for i, row in meta.iterrows():
        line = lines[i]
        if not row["doc_id"]:
            problems.append(problem(row["file"] or "metadata.csv", "", "error", f"metadata.csv line {line} has an empty doc_id: fill it in"))
            continue
        if row["doc_id"] in seen:
            problems.append(problem(row["file"], row["doc_id"], "error", f"duplicate doc_id {row['doc_id']!r} in metadata.csv (lines {seen[row['doc_id']]} and {line}): give each notice its own doc_id; line {line} is skipped"))
            continue
        if not row["file"]:
            problems.append(problem("metadata.csv", row["doc_id"], "error", f"metadata.csv line {line} names no file for {row['doc_id']!r}"))
            continue
        why = access.check(row["file"])
        if why == "points outside the corpus folder":
            problems.append(problem(row["file"], row["doc_id"], "error", f"metadata.csv line {line} points outside the corpus folder ({row['file']!r}): files must lie inside {access}"))
            continue
        if why == "does not exist":
            problems.append(problem(row["file"], row["doc_id"], "error", f"metadata.csv line {line} names a file that does not exist: {row['file']!r}"))
            continue
        if why is not None:
            problems.append(problem(row["file"], row["doc_id"], "error", f"metadata.csv line {line} names {row['file']!r}, which {why}: skipped"))
            continue
        seen[row["doc_id"]] = line
        keep.append(i)
    return meta.loc[keep].reset_index(drop=True), problems


def _parse(raw: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(first line number, fields) of every record; csv.Error names the line of an unterminated quote."""
    reader = csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter, strict=True)
    records = []
    line = 1
    try:
        for fields in reader:
            records.append((line, fields))
            line = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" in str(exc) or "unexpected end" in str(exc):
            raise csv.Error(f"a quote opened on line {line} is never closed; close it (\"...\") or remove it") from exc
        raise csv.Error(f"line {reader.line_num}: {exc}") from exc
    return records


def _find_by_stem(access, doc_id: str) -> str:
    from .registry import NOTICE_SUFFIXES

    for suffix in NOTICE_SUFFIXES:
        if access.is_file(f"{doc_id}{suffix}"):
            return f"{doc_id}{suffix}"
    return ""

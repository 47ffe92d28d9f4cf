"""Writing the tables to disk: atomically, with a manifest, in the format a reader's tool opens.

:meth:`policylab.Tables.write` and ``policylab build --out`` call
:func:`write_tables`. What it guarantees:

- **Atomic.** Every file is written into a temporary folder beside ``out``
  (``.NAME.policylab-tmp-*``) and moved into place only when all of them are
  complete. An error or an interrupt while writing leaves the previous output
  untouched and removes the temporary folder.
- **Never over someone else's files.** ``out`` must be missing, empty, or an
  earlier policylab output (it holds ``policylab-manifest.json``). Any other
  non-empty folder is refused unless ``overwrite=True`` (``--overwrite``); even
  then only policylab's own files are replaced and files that are not tables of
  policylab are left where they are.
- **No stale tables.** Tables of another format from an earlier policylab run
  (``clauses.csv`` beside a new ``clauses.parquet``) are removed.
- **A manifest.** ``policylab-manifest.json`` lists every file written with its
  table, rows, columns, size and sha256, the format, the policylab version and
  the time, so a reader can check that a folder is complete and unchanged.

Formats (:data:`FORMATS`):

``parquet`` (default)
    One ``.parquet`` file per table through pyarrow; true values and dtypes.
``csv``
    UTF-8, ``,`` separator, ``.`` decimal point, CRLF line ends (RFC 4180). List cells (coverage
    ``evidence``) are joined with ``;``.
``csv-excel``
    For spreadsheets: UTF-8 with a byte-order mark (so Excel shows æøå), the
    separator ``csv_sep`` (default ``;``, what Excel expects in Norwegian and
    most European locales) and, with ``;``, a decimal comma.
``xlsx``
    One workbook ``tables.xlsx``, one sheet per table (through openpyxl, the
    ``excel`` extra), plus a ``notes`` sheet. Text longer than Excel's
    32,767-character cell limit is cut with a visible marker and counted in the
    notes; text cells are stored as text, never as formulas.

**CSV injection.** Both CSV formats neutralise cells that a spreadsheet would
run as a formula: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return gets a leading ``'`` (OWASP's advice on CSV injection). A text
that already starts with apostrophes followed by one of those characters gets
one more, so :func:`unescape_cell` restores every value exactly. Numbers (a
negative number of days) are not text and are written as they are. Parquet
keeps the true values; so does xlsx, where such cells are typed as text.

Examples
--------
>>> import tempfile, pandas as pd
>>> folder = tempfile.mkdtemp()
>>> frame = pd.DataFrame({"doc_id": ["a"], "text": ["=1+1"]})
>>> [p.name for p in write_tables({"demo": frame}, folder, format="csv")]
['demo.csv']
>>> open(f"{folder}/demo.csv", encoding="utf-8").read().splitlines()[1]
"a,'=1+1"
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

__all__ = [
    "EXCEL_CELL_LIMIT",
    "FORMATS",
    "MANIFEST_NAME",
    "OutputError",
    "check_output",
    "escape_cell",
    "read_manifest",
    "read_tables",
    "unescape_cell",
    "write_tables",
]

#: Output formats and the suffix of their files.
FORMATS: dict[str, str] = {"parquet": ".parquet", "csv": ".csv", "csv-excel": ".csv", "xlsx": ".xlsx"}
#: The file that marks a folder as policylab output.
MANIFEST_NAME = "policylab-manifest.json"
#: The most characters one Excel cell holds.
EXCEL_CELL_LIMIT = 32_767
#: Excel's rows per sheet (the header row included).
EXCEL_ROW_LIMIT = 1_048_576
_TRUNCATED = " … [truncated by policylab: {n:,} characters in all; the full text is in the parquet or CSV tables]"
#: First characters that make a spreadsheet read a cell as a formula (OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XLSX_NAME = "tables.xlsx"


class OutputError(OSError):
    """The output folder cannot be used; the message names it and says what to do."""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("policylab")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


# ---------------------------------------------------------------- CSV injection


def escape_cell(value):
    """Neutralise a text cell that a spreadsheet would run as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    (or with apostrophes and then one of them) gets a leading ``'``; anything
    else is returned as it is. :func:`unescape_cell` undoes it.

    >>> escape_cell("=HYPERLINK(\\"http://x\\")"), escape_cell("- navn"), escape_cell("navn"), escape_cell(-3)
    ('\\'=HYPERLINK("http://x")', "'- navn", 'navn', -3)
    """
    if isinstance(value, str) and value.lstrip("'").startswith(_FORMULA_START):
        return "'" + value
    return value


def unescape_cell(value):
    """The true value of a cell written by :func:`escape_cell`.

    >>> unescape_cell("'=1+1"), unescape_cell("''=1"), unescape_cell("'hei")
    ('=1+1', "'=1", "'hei")
    """
    if isinstance(value, str) and value.startswith("'") and value.lstrip("'").startswith(_FORMULA_START):
        return value[1:]
    return value


def _is_list(value) -> bool:
    import numpy as np

    return isinstance(value, (list, tuple, np.ndarray))


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """List-valued cells as ``;``-joined strings (CSV and Excel have no lists)."""
    out = frame
    for col in frame.columns:
        if frame[col].dtype == object and frame[col].map(_is_list).any():
            if out is frame:
                out = frame.copy()
            out[col] = frame[col].map(lambda v: ";".join(map(str, list(v))) if _is_list(v) else v)
    return out


def _escaped(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame
    for col in frame.columns:
        series = frame[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        elif not (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
            continue
        escaped = series.map(escape_cell, na_action="ignore")
        if not escaped.equals(frame[col]):
            if out is frame:
                out = frame.copy()
            out[col] = escaped
    return out


# ---------------------------------------------------------------- writers


def _write_parquet(frames: Mapping[str, pd.DataFrame], folder: Path, **_) -> list[Path]:
    paths = []
    for name, frame in frames.items():
        path = folder / f"{name}.parquet"
        frame.to_parquet(path, index=False)
        paths.append(path)
    return paths


def _write_csv(frames: Mapping[str, pd.DataFrame], folder: Path, *, excel: bool = False, csv_sep: str = ";", **_) -> list[Path]:
    sep = csv_sep if excel else ","
    # CRLF line ends (RFC 4180): Python's csv quotes a field holding a lone "\r"
    # only when "\r" is part of the line terminator, and a bare "\r" ends a row.
    options = {"sep": sep, "index": False, "encoding": "utf-8-sig" if excel else "utf-8", "lineterminator": "\r\n"}
    if excel and sep != ",":
        options["decimal"] = ","
    paths = []
    for name, frame in frames.items():
        path = folder / f"{name}.csv"
        _escaped(_flat(frame)).to_csv(path, **options)
        paths.append(path)
    return paths


def _write_xlsx(frames: Mapping[str, pd.DataFrame], folder: Path, **_) -> list[Path]:
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    except ImportError as exc:
        raise ImportError(
            "--format xlsx needs openpyxl: pip install 'policylab[excel]' (or pip install openpyxl)"
        ) from exc
    book = Workbook(write_only=True)
    notes: list[tuple[str, str]] = [
        ("written by", f"policylab {_version()}"),
        ("text cells", "stored as text, never as formulas; values are the true values (no apostrophe added)"),
    ]
    for name, frame in frames.items():
        flat = _flat(frame)
        columns = [str(c) for c in flat.columns]
        truncated: dict[str, int] = {}
        replaced: dict[str, int] = {}
        per_sheet = EXCEL_ROW_LIMIT - 1
        n_sheets = max(1, -(-len(flat) // per_sheet))
        for part in range(n_sheets):
            title = name[:31] if part == 0 else f"{name[:25]} ({part + 1})"
            sheet = book.create_sheet(title)
            sheet.append(columns)
            chunk = flat.iloc[part * per_sheet:(part + 1) * per_sheet]
            for row in chunk.itertuples(index=False, name=None):
                cells = []
                for column, value in zip(columns, row):
                    cell_value, kind = _excel_value(value)
                    if kind == "s":
                        if ILLEGAL_CHARACTERS_RE.search(cell_value):
                            cell_value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", cell_value)
                            replaced[column] = replaced.get(column, 0) + 1
                        if len(cell_value) > EXCEL_CELL_LIMIT:
                            marker = _TRUNCATED.format(n=len(cell_value))
                            cell_value = cell_value[: EXCEL_CELL_LIMIT - len(marker)] + marker
                            truncated[column] = truncated.get(column, 0) + 1
                    cell = WriteOnlyCell(sheet, value=cell_value)
                    if kind == "s":
                        cell.data_type = "s"  # text, even when it starts with "=" or looks like "#N/A"
                    cells.append(cell)
                sheet.append(cells)
        if n_sheets > 1:
            notes.append((name, f"{len(flat):,} rows: split over {n_sheets} sheets of at most {per_sheet:,} rows (Excel's limit)"))
        for column, n in truncated.items():
            notes.append((f"{name}.{column}", f"{n:,} cells longer than Excel's {EXCEL_CELL_LIMIT:,}-character limit were cut; the cut is marked in the cell"))
        for column, n in replaced.items():
            notes.append((f"{name}.{column}", f"{n:,} cells held control characters that Excel cannot store; each became U+FFFD"))
    sheet = book.create_sheet("notes")
    sheet.append(["about", "note"])
    for row in notes:
        sheet.append(list(row))
    path = folder / _XLSX_NAME
    book.save(path)
    return [path]


def _excel_value(value) -> tuple[object, str]:
    """A cell value openpyxl can store, and ``"s"`` for text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None, "n"
    if isinstance(value, float) and math.isnan(value):
        return None, "n"
    if isinstance(value, str):
        return value, "s"
    if isinstance(value, bool):
        return value, "b"
    if hasattr(value, "item") and not isinstance(value, (pd.Timestamp,)):
        value = value.item()  # numpy scalars
        if isinstance(value, float) and math.isnan(value):
            return None, "n"
    if isinstance(value, (int, float)):
        return value, "n"
    if isinstance(value, pd.Timestamp):
        return value.tz_localize(None).to_pydatetime() if value.tzinfo else value.to_pydatetime(), "d"
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value, "d"
    return str(value), "s"


_WRITERS: dict[str, Callable[..., list[Path]]] = {
    "parquet": _write_parquet,
    "csv": _write_csv,
    "csv-excel": lambda frames, folder, **kw: _write_csv(frames, folder, excel=True, **kw),
    "xlsx": _write_xlsx,
}


# ---------------------------------------------------------------- the output folder


def read_manifest(folder: Path | str) -> dict | None:
    """The manifest of an earlier policylab output in ``folder``, or ``None``.

    >>> read_manifest("/nonexistent") is None
    True
    """
    path = Path(folder) / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("written_by") != "policylab":
        return None
    return manifest


def _stale_sets(entries: set[str], table_names) -> set[str]:
    """Table files of an earlier policylab run without a manifest: only complete
    sets (every table in one format) count, so a user's lone ``labels.csv`` stays."""
    stale: set[str] = set()
    for suffix in (".parquet", ".csv"):
        names = {f"{t}{suffix}" for t in table_names}
        if names and names <= entries:
            stale |= names
    return stale


def check_output(out: Path | str, *, overwrite: bool = False) -> Path:
    """Check that ``out`` can take policylab's output, before any work is done.

    Raises :class:`OutputError` when ``out`` is a file, is a non-empty folder
    not written by policylab (unless ``overwrite``), or cannot be written (no
    folder beside it can be created: read-only, no permission, a file in the
    way). Nothing is left behind: the check creates and removes one temporary
    folder.

    >>> import tempfile
    >>> check_output(Path(tempfile.mkdtemp()) / "tables").name
    'tables'
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: is a file, not a folder: choose a folder for the tables")
    if out.is_dir() and not overwrite and read_manifest(out) is None:
        entries = sorted(p.name for p in out.iterdir())
        if entries:
            shown = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
            raise OutputError(
                f"{out}: the folder is not empty and was not written by policylab (it holds {shown}): "
                "choose a new or empty folder, or pass --overwrite (overwrite=True) to replace policylab's "
                "tables in it"
            )
    # Probe the nearest existing ancestor where the temporary folder would be created.
    parent = out.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"{out}: cannot be created: {parent} is a file")
    try:
        probe = tempfile.mkdtemp(dir=parent, prefix=".policylab-probe-")
    except OSError as exc:
        raise OutputError(f"{out}: cannot be written ({exc.strerror or exc} in {parent}): choose another folder") from exc
    os.rmdir(probe)
    if out.is_dir() and not os.access(out, os.W_OK | os.X_OK):
        raise OutputError(f"{out}: the folder is not writable: choose another folder or fix its permissions")
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_tables(
    tables,
    out: Path | str,
    *,
    format: str = "parquet",
    overwrite: bool = False,
    csv_sep: str = ";",
    corpus: str | None = None,
    _writer_hook: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write tables into the folder ``out``, atomically, with a manifest.

    Parameters
    ----------
    tables
        A :class:`policylab.Tables`, or a mapping of table name to DataFrame.
    out
        The output folder; created with its parents if missing.
    format : {"parquet", "csv", "csv-excel", "xlsx"}, keyword-only
        See the module docstring.
    overwrite : bool, keyword-only
        Also write into a non-empty folder that policylab did not write
        (replacing only policylab's table files in it).
    csv_sep : str, keyword-only
        The separator of ``csv-excel`` (default ``;``; with ``;`` decimals get a comma).
    corpus : str, keyword-only
        The corpus recorded in the manifest (default: ``tables.corpus``).

    Returns
    -------
    list of pathlib.Path
        The table files written (the manifest not included).

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> out = Path(tempfile.mkdtemp()) / "tables"
    >>> [p.name for p in write_tables({"a": pd.DataFrame({"x": [1]})}, out)]
    ['a.parquet']
    >>> [p.name for p in write_tables({"a": pd.DataFrame({"x": [1]})}, out, format="csv")]
    ['a.csv']
    >>> sorted(p.name for p in out.iterdir())
    ['a.csv', 'policylab-manifest.json']
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    if format == "csv-excel" and (len(csv_sep) != 1 or csv_sep in "\"'\r\n"):
        raise ValueError(f"csv_sep must be one character other than a quote or a newline, not {csv_sep!r}")
    frames = _frames_of(tables)
    if corpus is None:
        corpus = str(getattr(tables, "corpus", "") or "")
    # Absolute, "." and ".." resolved, and a symbolic link followed: the folder it
    # names is updated, the link stays.
    out = Path(os.path.abspath(out))
    if out.is_symlink():
        out = out.resolve()
    out = check_output(out, overwrite=overwrite)
    previous = read_manifest(out) if out.is_dir() else None
    parent = out.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = _new_folder(parent, f".{out.name}.policylab-tmp-")
    try:
        written = _WRITERS[format](frames, tmp, csv_sep=csv_sep)
        if _writer_hook is not None:
            _writer_hook(tmp)
        manifest = _manifest(frames, written, format=format, csv_sep=csv_sep, corpus=corpus)
        (tmp / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        names = [p.name for p in written]
        _move_into_place(tmp, out, names + [MANIFEST_NAME], previous, table_names=set(frames))
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return [out / name for name in names]


def _frames_of(tables) -> dict[str, pd.DataFrame]:
    if isinstance(tables, Mapping):
        frames = dict(tables)
    else:
        # A Tables (or any object of DataFrame fields): its fields are the tables,
        # so this layer needs no import of the pipeline that made them.
        import dataclasses

        frames = {f.name: getattr(tables, f.name) for f in dataclasses.fields(tables)
                  if isinstance(getattr(tables, f.name), pd.DataFrame)}
    for name, frame in frames.items():
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"table {name!r} is a {type(frame).__name__}, not a DataFrame")
        if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", name):
            raise ValueError(f"table name {name!r} is not a plain file name")
    return frames


def _manifest(frames, written: list[Path], *, format: str, csv_sep: str, corpus: str) -> dict:
    files = []
    for path in written:
        table = path.stem if path.name != _XLSX_NAME else None
        entry = {"file": path.name, "bytes": path.stat().st_size, "sha256": _sha256(path)}
        if table is not None:
            frame = frames[table]
            entry.update(table=table, rows=len(frame), columns=[str(c) for c in frame.columns])
        else:
            entry["tables"] = {name: {"rows": len(f), "columns": [str(c) for c in f.columns]} for name, f in frames.items()}
        files.append(entry)
    manifest = {
        "written_by": "policylab",
        "policylab_version": _version(),
        "written_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "format": format,
        "corpus": corpus,
        "files": files,
    }
    if format in ("csv", "csv-excel"):
        manifest["csv"] = {
            "separator": csv_sep if format == "csv-excel" else ",",
            "decimal": "," if format == "csv-excel" and csv_sep != "," else ".",
            "encoding": "utf-8-sig" if format == "csv-excel" else "utf-8",
            "lists": "joined with ';'",
            "formula_cells": "text starting with = + - @ tab or CR is prefixed with ' (policylab.export.unescape_cell undoes it)",
        }
    return manifest


def _new_folder(parent: Path, prefix: str) -> Path:
    """A new, uniquely named folder (made with ``os.mkdir``, so it gets the usual permissions)."""
    import secrets

    while True:
        path = parent / f"{prefix}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            os.mkdir(path)
        except FileExistsError:
            continue
        return path


def _move_into_place(tmp: Path, out: Path, names: list[str], previous: dict | None, *, table_names: set[str]) -> None:
    """Replace ``out`` by the complete output in ``tmp``.

    A missing ``out``, or an earlier policylab output holding nothing but its own
    files, is swapped whole by renaming (the old folder is renamed aside first and
    removed after). A folder that also holds other files keeps them: policylab's
    files are moved in one by one (each ``os.replace`` is atomic) and stale tables
    of an earlier run removed.
    """
    if not out.exists():
        os.rename(tmp, out)
        return
    entries = {p.name for p in out.iterdir()}
    if not entries:
        os.rmdir(out)
        os.rename(tmp, out)
        return
    listed = {MANIFEST_NAME} | {f.get("file") for f in (previous or {}).get("files", [])}
    cwd = Path.cwd().resolve()
    if cwd == out or out in cwd.parents:
        # Never rename the working folder away from under the user's shell.
        return _move_files(tmp, out, names, entries, listed, table_names)
    if previous is not None and entries <= listed:
        aside = Path(tempfile.mkdtemp(dir=out.absolute().parent, prefix=f".{out.name}.policylab-old-"))
        os.rename(out, aside / out.name)
        try:
            os.rename(tmp, out)
        except BaseException:
            os.rename(aside / out.name, out)
            raise
        shutil.rmtree(aside, ignore_errors=True)
        return
    return _move_files(tmp, out, names, entries, listed, table_names)


def _move_files(tmp: Path, out: Path, names: list[str], entries: set[str], listed: set, table_names: set[str]) -> None:
    # Shared folder: move file by file, the manifest last, then remove stale tables.
    for name in names:
        os.replace(tmp / name, out / name)
    stale = (listed - {None}) | _stale_sets(entries, table_names)
    for name in sorted(stale - set(names)):
        path = out / name
        if path.is_file() and not path.is_symlink():
            path.unlink()


# ---------------------------------------------------------------- reading back


def read_tables(folder: Path | str, *, verify: bool = True) -> dict[str, pd.DataFrame]:
    """Read a policylab output folder back, whatever its format.

    The manifest says which files and format the folder holds. CSV cells get
    their true values back (:func:`unescape_cell`); Excel's cut cells stay cut.
    List cells (coverage ``evidence``) stay ``;``-joined strings in CSV and xlsx.

    Parameters
    ----------
    folder
        A folder written by :func:`write_tables` (``policylab build --out``).
    verify : bool, keyword-only
        Check every file against the sha256 of the manifest first; a file that
        was changed or cut short raises :class:`OutputError`.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "t"
    >>> _ = write_tables({"a": pd.DataFrame({"text": ["=1+1", "æøå"]})}, out, format="csv-excel")
    >>> read_tables(out)["a"]["text"].tolist()
    ['=1+1', 'æøå']
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest is None:
        raise OutputError(f"{folder}: no {MANIFEST_NAME}: not a folder written by policylab")
    if verify:
        for entry in manifest["files"]:
            path = folder / entry["file"]
            if not path.is_file() or _sha256(path) != entry["sha256"]:
                raise OutputError(f"{path}: missing or changed since policylab wrote it (sha256 differs from {MANIFEST_NAME})")
    fmt = manifest["format"]
    tables: dict[str, pd.DataFrame] = {}
    if fmt == "xlsx":
        sheets = pd.read_excel(folder / _XLSX_NAME, sheet_name=None, engine="openpyxl")
        names = list(manifest["files"][0].get("tables", {}))
        for name in names:
            parts = [sheets[s] for s in sheets if s == name[:31] or re.fullmatch(re.escape(name[:25]) + r" \(\d+\)", s)]
            tables[name] = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        return tables
    for entry in manifest["files"]:
        path = folder / entry["file"]
        if fmt == "parquet":
            tables[entry["table"]] = pd.read_parquet(path)
            continue
        options = manifest.get("csv", {})
        frame = pd.read_csv(path, sep=options.get("separator", ","), decimal=options.get("decimal", "."),
                            encoding=options.get("encoding", "utf-8"), keep_default_na=False, na_values=[""])
        for col in frame.columns:
            if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col].dtype):
                frame[col] = frame[col].map(unescape_cell, na_action="ignore")
        tables[entry["table"]] = frame
    return tables

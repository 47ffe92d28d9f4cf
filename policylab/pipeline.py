"""The per-notice pipeline, and the joining of its parts into tables.

Every engine runs the same steps: :func:`notice_parts` reads one planned notice
and builds its parts (:func:`document_parts`: segment, tag, find storage
periods, count for readability); :func:`assemble_tables` joins the parts of
many notices into one :class:`Tables` and derives the corpus-level tables
(readability, coverage, the learned model's confidence). :mod:`policylab.build`
(this process or a process pool) and :mod:`policylab.distributed` (dask) both
call these functions, so neither imports the other's internals.

Examples
--------
>>> parts = document_tables("demo", "Oppbevaringstid\\n\\nVi lagrer opplysningene i to år.")
>>> parts["retention"]["days"].tolist()
[730.0]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from .coverage import coverage_table
from .languages import resolve
from .readability import document_counts, readability_from_counts, readability_table
from .readers import read_planned_reading
from .retention import retention_frame, retention_rows
from .segment import CLAUSE_COLUMNS, clause_frame, segment_with_words
from .tag import tag_frame, tag_rows

#: The tables of ``tables.md``, in the order they are written.
TABLE_NAMES = ("documents", "clauses", "labels", "retention", "readability", "coverage")


@dataclass
class Tables:
    """The tidy tables of one corpus (see ``tables.md``).

    ``problems`` lists the files that were skipped or repaired while reading.
    """

    documents: pd.DataFrame
    clauses: pd.DataFrame
    labels: pd.DataFrame
    retention: pd.DataFrame
    readability: pd.DataFrame
    coverage: pd.DataFrame
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["file", "doc_id", "severity", "problem"]))
    corpus: str = ""

    def __repr__(self) -> str:
        sizes = ", ".join(f"{f.name}={len(getattr(self, f.name))}" for f in fields(self) if f.name != "corpus")
        return f"Tables({sizes})"

    def write(self, out: Path | str, *, format: str = "parquet", overwrite: bool = False, csv_sep: str = ";") -> list[Path]:
        """Write one file per table (and ``problems``) into ``out``, atomically.

        ``format`` is ``parquet`` (through pyarrow), ``csv``, ``csv-excel``
        (UTF-8 with BOM, ``csv_sep`` separator) or ``xlsx`` (one sheet per
        table); list-valued cells (coverage evidence) become ``;``-joined
        strings in CSV and Excel, and CSV cells that a spreadsheet would run as
        a formula get a leading ``'``. A non-empty folder not written by
        policylab is refused unless ``overwrite``. See :mod:`policylab.export`.

        >>> import tempfile
        >>> from policylab import build
        >>> paths = build().write(tempfile.mkdtemp(), format="csv")
        >>> sorted(p.name for p in paths)[:2]
        ['clauses.csv', 'coverage.csv']
        """
        from .export import write_tables

        return write_tables(self, out, format=format, overwrite=overwrite, csv_sep=csv_sep, corpus=self.corpus)


def document_tables(doc_id: str, text: str, language: str = "nb", structure=None) -> dict[str, pd.DataFrame]:
    """The per-notice tables of one notice: ``clauses``, ``labels`` and ``retention``.

    This is the unit of work that :func:`build` runs for every notice, serially
    or in parallel; it depends on nothing but its arguments.

    >>> parts = document_tables("demo", "Oppbevaringstid\\n\\nVi lagrer opplysningene i to år.")
    >>> parts["clauses"]["kind"].tolist()
    ['heading', 'paragraph']
    """
    return _frames(document_parts(doc_id, text, language, structure))


def document_parts(doc_id: str, text: str, language: str = "nb", structure=None) -> dict:
    """What :func:`document_tables` holds, as plain lists: ``clauses`` one list
    per column, ``labels`` row tuples, ``retention`` row dicts.

    Engines pass these between processes and make one DataFrame per chunk of
    notices: a few small DataFrames per notice cost more time than the tagging.

    ``structure`` is the reader's :class:`~policylab.readers.Reading` (headings,
    list items, table rows, pages), used by the segmenter before it guesses. A
    language without a lexicon (:func:`policylab.languages.resolve`) gets no
    labels and no retention rows.

    >>> document_parts("demo", "Vi lagrer opplysningene i to år.")["labels"][0][2:4]
    ('topic', 'retention')
    >>> document_parts("demo", "Vi sparar dina uppgifter i två år.", "sv")["labels"]
    []
    """
    clauses, clause_words = segment_with_words(doc_id, text, structure)
    tagged = resolve(language).tagged
    return {
        "clauses": clauses,
        "labels": tag_rows(clauses, language=language) if tagged else [],
        "retention": retention_rows(doc_id, text, clauses, language=language) if tagged else [],
        # Counted here, in the workers, rather than over the whole clauses table at the end.
        "readability": document_counts(doc_id, clauses, language, clause_words),
    }


#: Longest notice text (characters) that :func:`build` reads; a longer file gets
#: a problem row instead. A privacy notice is rarely over 100,000 characters
#: (the longest bundled one has under 30,000): 5 million is a book, not a
#: notice. Raise it with ``build(max_chars=...)`` (``None`` for no limit); the
#: per-notice work is linear in the text (``benchmarks/bench_hostile.py``).
MAX_NOTICE_CHARS = 5_000_000


def _too_long(row: dict, max_chars: int | None) -> dict | None:
    """The problem row of a notice longer than ``max_chars``, or None."""
    n = len(row["text"])
    if max_chars is None or n <= max_chars:
        return None
    problem = (f"{n / 1e6:.1f} million characters of text, above the limit of {max_chars / 1e6:g} million "
               f"for one notice: not read (is it one privacy notice?); raise build(max_chars=...) to read it")
    return {"file": row["file"], "doc_id": row["doc_id"], "severity": "error", "problem": problem}


def notice_parts(access, item: tuple[str, str, dict | None], *, detect: bool | str = "missing",
                 max_chars: int | None = MAX_NOTICE_CHARS) -> tuple[dict | None, list[dict], dict | None]:
    """Read one planned notice and build its parts: ``(documents row, problems, parts)``.

    The whole per-notice job of every engine: workers read their own files, so
    reading runs in parallel too. A notice over ``max_chars`` characters is not
    built: it gets a problem row (see :data:`MAX_NOTICE_CHARS`).
    """
    row, problems, reading = read_planned_reading(access, item, detect=detect)
    if row is None:
        return None, problems, None
    too_long = _too_long(row, max_chars)
    if too_long is not None:
        return None, problems + [too_long], None
    return row, problems, document_parts(row["doc_id"], row["text"], row["language"] or "nb", reading)


_FRAMERS = {"clauses": clause_frame, "labels": tag_frame, "retention": retention_frame}
PER_NOTICE_TABLES = tuple(_FRAMERS)


def _frames(part: dict) -> dict[str, pd.DataFrame]:
    return {name: _FRAMERS[name](part[name]) for name in PER_NOTICE_TABLES}


def _collect(parts: Iterable[dict], *, chunk: int = 256) -> dict[str, pd.DataFrame]:
    """Join per-notice parts as they arrive, one DataFrame per ``chunk`` notices.

    ``parts`` are :func:`document_parts` (lists) or :func:`document_tables`
    (frames). Lists of thousands of notices are folded into typed frames as they
    come, which keeps a 10,000-notice build's peak memory low.
    """
    chunks: dict[str, list[pd.DataFrame]] = {name: [] for name in PER_NOTICE_TABLES}
    clause_lists: dict[str, list] = {name: [] for name in CLAUSE_COLUMNS}
    pending = {"clauses": clause_lists, "labels": [], "retention": []}
    n_pending = 0
    # Readability counts per notice, while every part brings them (frames do not).
    counts: list[dict] | None = []

    def flush() -> None:
        nonlocal pending, n_pending
        if n_pending:
            for name in PER_NOTICE_TABLES:
                chunks[name].append(_FRAMERS[name](pending[name]))
        pending = {"clauses": {name: [] for name in CLAUSE_COLUMNS}, "labels": [], "retention": []}
        n_pending = 0

    for part in parts:
        if counts is not None and "readability" in part:
            counts.append(part["readability"])
        else:
            counts = None
        if isinstance(part["clauses"], pd.DataFrame):
            flush()
            for name in PER_NOTICE_TABLES:
                chunks[name].append(part[name])
            continue
        for name, values in part["clauses"].items():
            pending["clauses"][name].extend(values)
        pending["labels"].extend(part["labels"])
        pending["retention"].extend(part["retention"])
        n_pending += 1
        if n_pending >= chunk:
            flush()
    flush()
    collected = {name: _concat(chunks[name]) if chunks[name] else _FRAMERS[name](pending[name]) for name in PER_NOTICE_TABLES}
    collected["readability"] = counts
    return collected


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    non_empty = [f for f in frames if len(f)]
    if len(non_empty) == 1:
        return non_empty[0].reset_index(drop=True)
    return pd.concat(non_empty or frames[:1], ignore_index=True)


def assemble_tables(documents: pd.DataFrame, parts: Iterable[dict], problems: pd.DataFrame, *, corpus: str = "",
                    model="default") -> Tables:
    """Join the per-notice parts (:func:`document_parts` or :func:`document_tables`) into one :class:`Tables`.

    Every engine (serial, processes, dask) ends here, so their tables are alike.
    ``parts`` may be an iterator: notices are folded in as they are built.
    """
    return _tables(documents, _collect(parts), problems, corpus=corpus, model=model)


def _tables(documents: pd.DataFrame, collected: dict, problems: pd.DataFrame, *, corpus: str, model="default") -> Tables:
    from .stacked import apply_model, resolve_model

    clauses, labels, retention = (collected[name] for name in PER_NOTICE_TABLES)
    # Every label gets the learned model's calibrated confidence (policylab.stacked).
    labels = apply_model(resolve_model(model), clauses, labels)
    counts = collected["readability"]
    return Tables(
        documents=documents,
        clauses=clauses,
        labels=labels,
        retention=retention,
        readability=readability_table(documents, clauses) if counts is None else readability_from_counts(documents, counts),
        # No coverage rows for notices in a language without a lexicon: nothing measured them.
        coverage=coverage_table(labels, documents[documents["tagged"]] if "tagged" in documents else documents, clauses=clauses),
        problems=problems,
        corpus=corpus,
    )

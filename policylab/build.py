"""Building every table of a corpus: the spine of policylab.

:func:`build` reads a corpus folder and returns a :class:`Tables` with the
tables of ``tables.md``, here or in a pool of processes. The work per notice
and the joining of the parts live in :mod:`policylab.pipeline`, which the dask
engine (:mod:`policylab.distributed`) shares; the names are re-exported here.

Examples
--------
>>> t = build()
>>> t.clauses.loc[t.clauses.clause_id == "motkraft:0025", "text"].item()
'2.3 Leveranse av produkter og tjenester'
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

from .pipeline import (
    MAX_NOTICE_CHARS,
    PER_NOTICE_TABLES,
    TABLE_NAMES,
    Tables,
    _collect,
    _tables,
    assemble_tables,
    document_parts,
    document_tables,
    notice_parts,
)
from .readers import BUNDLED_CORPUS, documents_frame, problems_frame

__all__ = ["BUNDLED_CORPUS", "MAX_NOTICE_CHARS", "PER_NOTICE_TABLES", "TABLE_NAMES", "Tables", "assemble_tables",
           "build", "document_parts", "document_tables", "notice_parts"]



def build(corpus: Path | str | None = None, *, jobs: int = 1, engine: str = "local", progress: bool | None = None,
          model="default", max_chars: int | None = MAX_NOTICE_CHARS) -> Tables:
    """Read a corpus folder and build every table of ``tables.md``.

    Parameters
    ----------
    corpus
        A folder of notices with an optional ``metadata.csv``; the bundled corpus
        (``data/corpus``) when omitted. With ``engine="dask"`` any fsspec URL.
    jobs
        Notices processed in parallel (processes); ``-1`` for one per core. The
        tables are identical to a serial build.
    engine
        ``"local"`` (this process, or ``jobs`` processes) or ``"dask"`` (the
        current dask cluster, see :mod:`policylab.distributed`).
    progress
        Show progress bars on stderr; by default only for more than a handful of
        notices.
    model
        The learned model that gives every label a calibrated ``confidence``
        (:mod:`policylab.stacked`): ``"default"`` (the packaged one), a path to
        a model JSON file from ``policylab train``, a fitted
        :class:`~policylab.stacked.StackedTagger`, or ``None`` (no model:
        confidence is NaN).
    max_chars
        Longest notice text read, in characters (:data:`MAX_NOTICE_CHARS`, 5
        million); a longer file gets a problem row instead of its tables.
        ``None`` reads every file whatever its size.

    Examples
    --------
    >>> t = build()
    >>> sorted(t.documents["language"].unique())
    ['nb', 'nn']
    """
    if engine == "dask":
        from .distributed import build_dask

        return build_dask(None if corpus is None else str(corpus))
    if engine != "local":
        raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")
    from .readers.corpus import plan_folder

    folder, access, plan, problems = plan_folder(corpus)
    if progress is None:
        progress = len(plan) > 5
    if jobs == -1:
        jobs = os.cpu_count() or 1
    rows: list[dict] = []

    def parts() -> Iterator[dict]:
        # Rows and problems are kept in plan order as the parts stream past.
        for row, row_problems, part in _run(access, plan, jobs=jobs, progress=progress, max_chars=max_chars):
            problems.extend(row_problems)
            if row is not None:
                rows.append(row)
                yield part

    return _assemble(rows, parts(), problems, corpus=str(folder), model=model)


def _assemble(rows: list[dict], parts: Iterator[dict], problems: list[dict], *, corpus: str, model="default") -> Tables:
    """Tables from a stream of parts whose documents rows fill ``rows`` as it is consumed."""
    collected = _collect(parts)
    return _tables(documents_frame(rows), collected, problems_frame(problems, stacklevel=3), corpus=corpus, model=model)


def _warm_up(languages: set[str]) -> None:
    import multiprocessing

    if multiprocessing.get_start_method(allow_none=False) != "fork":
        return  # spawned workers start empty: nothing to inherit
    from .segment import _rules
    from .tag import LANGUAGES, _lexicon

    _rules()
    for language in sorted(languages & set(LANGUAGES)) or ["nb"]:
        _lexicon(language)


def _run(access, plan: list, *, jobs: int, progress: bool, max_chars: int | None = MAX_NOTICE_CHARS) -> Iterator[tuple]:
    from functools import partial

    from tqdm.auto import tqdm

    bar = dict(total=len(plan), desc="building tables", unit="notice", disable=not progress, file=sys.stderr, leave=False)
    work = partial(notice_parts, access, max_chars=max_chars)
    if jobs <= 1 or len(plan) <= 1:
        yield from (work(item) for item in tqdm(plan, **bar))
        return
    from concurrent.futures import ProcessPoolExecutor

    # Compile the lexicons (a hyperscan database each, about a second) once here:
    # forked workers inherit them instead of compiling their own.
    _warm_up({str((meta or {}).get("language") or "nb") for _, _, meta in plan})
    # map() keeps the notices' order, so the tables equal a serial build.
    chunk = max(1, min(64, len(plan) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from tqdm(pool.map(work, plan, chunksize=chunk), **bar)

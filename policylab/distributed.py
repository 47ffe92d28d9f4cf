"""Building the tables on a dask cluster, for corpora beyond one machine.

``policylab.build(corpus, engine="dask")`` reads the corpus through fsspec (a
local folder, ``s3://bucket/notices``, ``gs://...``), runs the same per-notice
work as the serial build (:func:`policylab.pipeline.notice_parts`) in dask.bag
partitions, and either collects the tables or writes them as partitioned
parquet (``out/clauses/part-00000.parquet`` ...) without ever holding the whole
corpus in one process.

Point it at a real cluster by creating a ``dask.distributed.Client`` for that
cluster before calling (or pass ``client=``); without one, dask's default
scheduler runs on this machine. Needs the ``dask`` extra:
``pip install "policylab[dask]"``.

Examples
--------
>>> t = build_dask(str(BUNDLED_CORPUS), scheduler="synchronous")
>>> len(t.documents)
21
"""

from __future__ import annotations

import pandas as pd

from .corpus import (
    BUNDLED_CORPUS,
    PROBLEM_COLUMNS,
    FsspecFolder,
    documents_frame,
    plan_corpus,
)
from .pipeline import TABLE_NAMES, assemble_tables, notice_parts

__all__ = ["build_dask"]


def _process_partition(items, url: str, storage_options: dict, detect):
    """Read and process the notices of one partition: its document rows, problems and per-notice parts."""
    access = FsspecFolder(url, **storage_options)
    rows, problems, parts = [], [], []
    for item in items:
        row, row_problems, part = notice_parts(access, item, detect=detect)
        problems.extend(row_problems)
        if row is not None:
            rows.append(row)
            parts.append(part)
    return [{"rows": rows, "problems": problems, "parts": parts}]


def build_dask(
    corpus: str | None = None,
    *,
    out: str | None = None,
    partition_size: int = 50,
    client=None,
    scheduler: str | None = None,
    detect: bool | str = "missing",
    storage_options: dict | None = None,
):
    """Build the tables of ``corpus`` with dask; return them, or write them to ``out``.

    Parameters
    ----------
    corpus
        A folder path or fsspec URL (``s3://bucket/notices``); the bundled corpus when omitted.
    out
        When given, every partition writes its own parquet files under
        ``out/<table>/part-NNNNN.parquet`` and nothing is collected: the return
        value is the number of notices built. Corpus-level tables (readability,
        coverage) are per notice too, so they partition the same way.
    partition_size
        Notices per dask partition.
    client
        A ``dask.distributed.Client``; by default the current one, if any.
    scheduler
        A dask scheduler name (``"synchronous"``, ``"threads"``, ``"processes"``)
        when no client is used.
    """
    import dask.bag as db

    url = str(corpus if corpus is not None else BUNDLED_CORPUS)
    storage_options = storage_options or {}
    access = FsspecFolder(url, **storage_options)
    names, problems = access.scan()
    plan, plan_problems = plan_corpus(access, names)
    problems.extend(plan_problems)
    bag = db.from_sequence(plan, partition_size=max(1, partition_size)) if plan else db.from_sequence([], npartitions=1)
    partitions = bag.map_partitions(_process_partition, url, storage_options, detect)
    compute_kwargs = {}
    if client is not None:
        compute_kwargs["scheduler"] = client
    elif scheduler is not None:
        compute_kwargs["scheduler"] = scheduler
    if out is not None:
        written = partitions.map_partitions(_write_partition, out, storage_options)
        counts = written.compute(**compute_kwargs)
        return int(sum(counts))
    results = partitions.compute(**compute_kwargs)
    rows = [row for r in results for row in r["rows"]]
    problems += [p for r in results for p in r["problems"]]
    parts = [p for r in results for p in r["parts"]]
    documents = documents_frame(rows)
    return assemble_tables(documents, parts, pd.DataFrame(problems, columns=PROBLEM_COLUMNS), corpus=url)


def _write_partition(results, out: str, storage_options: dict):
    """Write the tables of one partition as parquet files; yield how many notices it held."""
    import fsspec

    (result,) = list(results)
    documents = documents_frame(result["rows"])
    tables = assemble_tables(documents, result["parts"], pd.DataFrame(result["problems"], columns=PROBLEM_COLUMNS), corpus="")
    # Partition files are named after their first notice, so reruns overwrite, never duplicate.
    name = f"part-{documents['doc_id'].iloc[0]}.parquet" if len(documents) else None
    fs, root = fsspec.core.url_to_fs(out, **storage_options)
    for table in TABLE_NAMES + ("problems",):
        frame = getattr(tables, table)
        if name is None or frame.empty:
            continue
        fs.makedirs(f"{root}/{table}", exist_ok=True)
        with fs.open(f"{root}/{table}/{name}", "wb") as f:
            frame.to_parquet(f, index=False)
    return [len(documents)]

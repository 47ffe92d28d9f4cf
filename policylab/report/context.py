"""Everything the report shows, computed once: the tables, the notice and sector overviews, text reuse, clusters."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd

from .tables import _has, left_out, notice_overview, sector_overview

__all__ = ["ReportData", "prepare"]


@dataclass
class ReportData:
    """The inputs of every page and figure of the report.

    ``reuse`` is :func:`policylab.text_reuse`, ``lineage`` :func:`policylab.lineage`,
    ``outdated`` :func:`policylab.outdated_passages`, ``clusters``
    :func:`policylab.cluster_clauses` (empty when not computed).
    """

    tables: object
    notices: pd.DataFrame
    sectors: pd.DataFrame
    left_out: pd.DataFrame
    reuse: pd.DataFrame
    lineage: pd.DataFrame
    outdated: pd.DataFrame
    clusters: pd.DataFrame
    sections: pd.DataFrame


def _quiet(call, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call(*args, **kwargs)


def prepare(tables, *, reuse: pd.DataFrame | None = None, clusters: pd.DataFrame | bool = False,
            random_state: int = 0, step=lambda name: None) -> ReportData:
    """Compute what the report needs from ``tables``; precomputed ``reuse`` / ``clusters`` are used as given.

    ``clusters=True`` clusters the clauses (the slowest step: 58 s at 500
    notices, against 12 s for everything else here); ``False`` (default) leaves
    the cluster figure out. ``step(name)`` is called before each step
    (progress).

    >>> from policylab.build import build
    >>> data = prepare(build())
    >>> len(data.notices), bool(data.lineage["family"].max() >= 1)
    (21, True)
    """
    from ..compare import cluster_clauses, lineage, outdated_passages, text_reuse
    from ..readability import readability

    t = tables
    has_clauses = _has(t.clauses, ["clause_id", "doc_id", "text"])
    if reuse is None:
        step("text reuse")
        reuse = _quiet(text_reuse, t.clauses, documents=t.documents, progress=False) if has_clauses else pd.DataFrame()
    step("lineage")
    lin = _quiet(lineage, reuse, documents=t.documents, clauses=t.clauses) if has_clauses else pd.DataFrame()
    outdated = _quiet(outdated_passages, reuse, documents=t.documents) if has_clauses else pd.DataFrame()
    if clusters is True:
        step("clause clusters")
        clusters = (_quiet(cluster_clauses, t.clauses, random_state=random_state, progress=False)
                    if has_clauses else pd.DataFrame())
    elif clusters is False or clusters is None:
        clusters = pd.DataFrame()
    step("readability per section")
    sections = (_quiet(readability, t, level="section") if has_clauses and _has(t.readability, ["doc_id"])
                else pd.DataFrame())
    notices = notice_overview(t, lineage=lin)
    return ReportData(tables=t, notices=notices, sectors=sector_overview(notices, t.coverage),
                      left_out=left_out(t.documents), reuse=reuse, lineage=lin, outdated=outdated, clusters=clusters,
                      sections=sections)

"""The report of a corpus: what ``policylab report`` and ``make report`` write.

:func:`write_report` writes a small static site (open ``report.html`` in any
browser, no server and no network needed): a table of contents; an overview
per sector; a table of notices that can be filtered by sector, language and
company and sorted by any column (tablesort, shipped in ``static/``); the
figures, each stating its n, with the table behind it as CSV; the template
families of shared text; the notices left out (languages without a lexicon)
with the reason; and one page per notice, its "letter": what it covers with the
clause quoted and linked, what it misses with the GDPR article and what is
expected, its storage periods, its readability against the corpus, the notices
it shares text with, and its text clause by clause.

The tables behind the pages are plain functions (:mod:`.tables`), so a
notebook shows exactly what the report shows; the figures are a list of
specifications (:data:`.figures.FIGURES`). :func:`write_report` writes the
site (its docstring has the example).
"""

from __future__ import annotations

from .context import ReportData, prepare
from .figures import FIGURES, FigureSpec
from .site import clause_anchor, human_days, write_report
from .tables import (
    ITEM_EXPECTED,
    ITEM_PHRASES,
    coverage_evidence,
    evidence_clauses,
    left_out,
    legal_basis_clauses,
    missing_items,
    notice_overview,
    retention_clauses,
    sector_of,
    sector_overview,
    shared_templates,
    summary_text,
)

__all__ = [
    "FIGURES",
    "ITEM_EXPECTED",
    "ITEM_PHRASES",
    "FigureSpec",
    "ReportData",
    "clause_anchor",
    "coverage_evidence",
    "evidence_clauses",
    "human_days",
    "left_out",
    "legal_basis_clauses",
    "missing_items",
    "notice_overview",
    "prepare",
    "report_figures",
    "retention_clauses",
    "sector_of",
    "sector_overview",
    "shared_templates",
    "summary_text",
    "write_report",
]


def report_figures(tables, *, random_state: int = 0, clusters=False) -> dict[str, tuple]:
    """Every figure of the report with the table behind it: name -> ``(title, Figure, DataFrame)``.

    >>> from policylab.build import build
    >>> list(report_figures(build()))[:3]
    ['coverage_by_sector', 'coverage_heatmap', 'sector_benchmark']
    """
    from .figures import figure_table

    data = prepare(tables, clusters=clusters, random_state=random_state)
    return {f.name: (f.title, f.draw(data), f.behind(data)) for f in figure_table(data)}

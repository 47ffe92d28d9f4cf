"""The figures of the report, as a list of specifications: what each draws, how to read it, the table behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..style import MAX_ROWS
from .context import ReportData
from .tables import coverage_evidence, legal_basis_clauses, retention_clauses

__all__ = ["FIGURES", "FigureSpec", "figure_table"]


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the report.

    ``draw(data)`` returns the figure, ``behind(data)`` the table of clauses or
    values it is drawn from (written as ``csv/<name>.csv`` and linked under
    the figure); ``read`` says in one or two sentences how to read it; ``needs``
    names a :class:`ReportData` field that must not be empty.
    """

    name: str
    title: str
    read: str
    draw: Callable[[ReportData], object]
    behind: Callable[[ReportData], pd.DataFrame]
    needs: str = ""


def _benchmark(d: ReportData) -> pd.DataFrame:
    keep = ["doc_id", "company", "sector", "language", "items_required", "items_covered", "coverage_score", "lix"]
    return d.notices[d.notices["tagged"]][keep].sort_values(["sector", "doc_id"], kind="stable")


def _by_sector(d: ReportData) -> pd.DataFrame:
    """Sector x item: notices that must give the item, notices giving it, share."""
    cov = d.tables.coverage
    if cov is None or cov.empty:
        return pd.DataFrame(columns=["sector", "item", "article", "required_in", "covered_in", "share"])
    sector = d.notices.set_index("doc_id")["sector"]
    need = cov[cov["required"].fillna(False).astype(bool)].assign(sector=lambda f: f["doc_id"].map(sector))
    out = need.groupby(["sector", "item", "article"], observed=True).agg(
        required_in=("doc_id", "nunique"), covered_in=("covered", "sum")).reset_index()
    out["share"] = out["covered_in"] / out["required_in"]
    return out


def _clusters_behind(d: ReportData) -> pd.DataFrame:
    from ..compare import cluster_summary

    return cluster_summary(d.clusters, d.tables.clauses, d.tables.documents, d.tables.labels)


def _readability_behind(d: ReportData) -> pd.DataFrame:
    r = d.tables.readability
    keep = [c for c in ("doc_id", "language", "words", "sentences", "long_words", "lix", "ovix",
                        "mean_sentence_length", "lix_band") if c in r]
    return r[keep].sort_values("lix", ascending=False, kind="stable") if "lix" in keep else r[keep]


def _lineage_behind(d: ReportData) -> pd.DataFrame:
    keep = [c for c in ("doc_id", "family", "family_size", "borrowed_share", "n_partners", "shares_most_with",
                        "partners") if c in d.lineage]
    return d.lineage[keep].sort_values(["borrowed_share", "doc_id"], ascending=[False, True], kind="stable")


def _plots():
    from .. import plots

    return plots


FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec(
        "coverage_by_sector", "Coverage of the GDPR Art. 13/14 checklist per sector",
        "Each cell is the share of a sector's notices that give the item, among those that must; n is in the cell. "
        "Sectors with fewer than three notices are hatched grey: too few to say anything about the sector.",
        lambda d: _plots().coverage_by_sector(d.tables.coverage, d.tables.documents), _by_sector, needs="notices"),
    FigureSpec(
        "coverage_heatmap", "Coverage of the checklist per notice",
        "One row per notice (one row per sector past 60 notices), grouped by sector; a cross is a required item "
        "the notice does not give. The clause behind each covered cell is quoted on the notice's page.",
        lambda d: _plots().coverage_heatmap(d.tables.coverage, d.tables.documents),
        lambda d: coverage_evidence(d.tables.coverage) if len(d.notices) <= MAX_ROWS else _by_sector(d),
        needs="notices"),
    FigureSpec(
        "sector_benchmark", "Coverage and readability per sector",
        "Every notice is a point; the bar is the sector median, drawn only for sectors of three notices or more.",
        lambda d: _plots().sector_benchmark(d.tables.coverage, d.tables.readability, d.tables.documents),
        _benchmark, needs="notices"),
    FigureSpec(
        "lix_vs_length", "Readability (LIX) against length",
        "LIX counts words per sentence and the share of words over six letters: under 30 very easy, over 60 very "
        "hard. Longer notices are not harder to read per sentence, but take longer to read.",
        lambda d: _plots().lix_vs_length(d.tables.readability, documents=d.tables.documents),
        _readability_behind, needs="notices"),
    FigureSpec(
        "retention_days", "Stated storage periods",
        "Every period a notice states, on a log-day axis (a minute and ten years fit on one axis); the right panel "
        "counts terms without a length (until an event, or as long as necessary).",
        lambda d: _plots().retention_days(d.tables.retention, d.tables.documents),
        lambda d: retention_clauses(d.tables.retention, d.tables.clauses), needs="notices"),
    FigureSpec(
        "legal_basis_overview", "Legal bases (GDPR Art. 6(1)) stated",
        "Left: share of notices that state each basis at least once (every notice counts once). Right: share of "
        "all clauses stating it (long notices count more).",
        lambda d: _plots().legal_basis_overview(d.tables.labels, d.tables.clauses),
        lambda d: legal_basis_clauses(d.tables.labels, d.tables.clauses), needs="notices"),
    FigureSpec(
        "borrowed_share", "Shared templates: text found in other notices",
        "The share of each notice's text that is aligned with passages of other notices (policylab.text_reuse); "
        "notices joined by shared passages form a template family.",
        lambda d: _plots().borrowed_share(d.lineage, d.tables.documents), _lineage_behind, needs="lineage"),
    FigureSpec(
        "cluster_bars", "Largest groups of similarly worded clauses",
        "Clauses clustered by wording (policylab.cluster_clauses), each cluster named by its top terms; bars count "
        "the notices using it.",
        lambda d: _plots().cluster_bars(d.clusters), _clusters_behind, needs="clusters"),
)


def figure_table(data: ReportData) -> list[FigureSpec]:
    """The figures of :data:`FIGURES` that ``data`` can draw (those whose ``needs`` is not empty)."""
    return [f for f in FIGURES if not f.needs or not getattr(data, f.needs).empty]

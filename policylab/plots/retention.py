"""Retention figures: stated storage periods on a log-day axis."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..style import MAX_ROWS, MIN_GROUP, bar_style, style_of
from ._common import (
    _day_axis,
    _day_limits,
    _empty_figure,
    _lacks,
    _literal_text,
    _n_title,
    _notice_labels,
    _row_height,
    _sector_groups,
    _spread,
)

__all__ = ["retention_days"]

_QUALIFIER_TEXT = {
    "exact": "exact",
    "approx": "approximate (ca., normalt)",
    "max": "at most (inntil, maksimalt)",
    "min": "at least (minst)",
}


@_literal_text
def retention_days(retention: pd.DataFrame, documents: pd.DataFrame | None = None, *,
                   max_rows: int = MAX_ROWS) -> Figure:
    """Every stated storage period on a log-day axis ticked in minutes, hours, days, months and years.

    With up to ``max_rows`` notices the left panel has one row per notice and
    one marker per duration (its ``days``; a line back to ``days_min`` where a
    range is stated); marker shape and colour give the qualifier. With more
    notices it has one row per sector (every period of the sector's notices;
    sectors of fewer than :data:`~policylab.style.MIN_GROUP` notices in grey),
    and the title says so. The right panel counts the terms without a length:
    event-bound ("as long as the customer relationship lasts") and unspecified
    ("as long as necessary"). A cookie kept for minutes and a ledger kept for ten
    years share one axis: the log scale gives each decade the same room.

    Parameters
    ----------
    retention
        ``doc_id, kind, days, qualifier`` (+ ``days_min``), one row per period.
    documents
        ``doc_id, company`` (+ ``nace_section`` / ``sector``): every notice gets a
        row, also those stating no period.
    max_rows
        Most notices drawn one row each.

    Examples
    --------
    >>> import pandas as pd
    >>> retention = pd.DataFrame({"clause_id": ["a:0001", "a:0002", "b:0003"], "doc_id": ["a", "a", "b"],
    ...     "kind": ["duration", "event", "duration"], "days": [730, None, 30], "qualifier": "exact"})
    >>> fig = retention_days(retention)
    >>> sum(len(c.get_offsets()) for c in fig.axes[0].collections)
    2
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()][:3]
    ['1 day', '1 week', '1 month']
    """
    xlabel = "storage period (days on a log scale, ticked in minutes to years)"
    doc_ids: list[str] = []
    if documents is not None and "doc_id" in documents.columns:
        doc_ids = list(dict.fromkeys(documents["doc_id"].astype(str)))
    has_table = not _lacks(retention, ["doc_id", "kind"])
    if has_table:
        known = set(doc_ids)
        doc_ids += [d for d in dict.fromkeys(retention["doc_id"].astype(str)) if d not in known]
    if not doc_ids:
        return _empty_figure("no retention table", xlabel=xlabel, ylabel="notice")
    ret = retention.copy() if has_table else pd.DataFrame(columns=["doc_id", "kind", "days", "qualifier"])
    ret["doc_id"] = ret["doc_id"].astype(str)
    if "days" not in ret.columns:
        ret["days"] = np.nan
    ret["days"] = pd.to_numeric(ret["days"], errors="coerce")
    durations = ret[(ret["kind"] == "duration") & (ret["days"] > 0)].copy()
    by_sector = len(doc_ids) > max_rows
    if by_sector:
        groups = _sector_groups(documents, doc_ids)
        sizes = groups.value_counts()
        rows = sorted(sizes.index)
        row_of = groups.to_dict()
        labels = {g: f"{g} (n={sizes[g]})" + (": too few" if sizes[g] < MIN_GROUP else "") for g in rows}
        ylabel = "sector (n notices)"
    else:
        # Top row: the notice keeping data longest (by median stated period).
        median = durations.groupby("doc_id")["days"].median()
        rank = {d: i for i, d in enumerate(doc_ids)}
        rows = sorted(doc_ids, key=lambda d: (d not in median.index, -median.get(d, 0), rank[d]))
        row_of = {d: d for d in doc_ids}
        labels = _notice_labels(documents, rows)
        ylabel = "notice (longest median period on top)"
    y_of = {r: i for i, r in enumerate(rows)}
    durations["row"] = durations["doc_id"].map(row_of)
    ret["row"] = ret["doc_id"].map(row_of)

    fig = Figure(figsize=(9, _row_height(len(rows), per_row=0.3 if by_sector else 0.28)), layout="constrained")
    ax, ax_n = fig.subplots(1, 2, sharey=True, width_ratios=[3.2, 1])
    lo, hi = _day_limits(durations["days"])
    _day_axis(ax, lo, hi)

    handles = []
    if len(durations):
        durations = durations.sort_values(["row", "days"], kind="stable")
        width = 0.7 if by_sector else 0.45
        durations["y"] = durations["row"].map(y_of) + durations.groupby("row")["days"].transform(
            lambda v: pd.Series(_spread(len(v), width), index=v.index))
        if "days_min" in durations.columns and not by_sector:
            low = pd.to_numeric(durations["days_min"], errors="coerce")
            ranged = durations[(low > 0) & (low < durations["days"])]
            ax.hlines(ranged["y"], low[ranged.index], ranged["days"], color="black", linewidth=1, zorder=2)
        durations["qualifier"] = (durations["qualifier"].fillna("exact").astype(str) if "qualifier" in durations
                                  else "exact")
        few_rows = {g for g in rows if by_sector and sizes[g] < MIN_GROUP}
        size = 34 if len(durations) <= 300 else 12
        for q, part in durations.groupby("qualifier", sort=True):
            st = style_of(q)
            grey = part["row"].isin(few_rows)
            for sub, face in ((part[~grey], st.colour), (part[grey], style_of("few").colour)):
                if len(sub):
                    ax.scatter(sub["days"], sub["y"], marker=st.marker, s=size, facecolor=face, edgecolor="black",
                               linewidths=0.6, zorder=3)
            handles.append(Line2D([], [], marker=st.marker, linestyle="", markerfacecolor=st.colour,
                                  markeredgecolor="black", label=_QUALIFIER_TEXT.get(q, q)))
    stated = set(durations["row"])
    for r in rows:
        if r not in stated:
            ax.text(lo * 1.15, y_of[r], "no length stated", va="center", fontsize=6.5, color="0.35", style="italic")

    counts = (
        ret[ret["kind"].isin(["event", "unspecified"])]
        .groupby(["row", "kind"]).size().unstack(fill_value=0)
        .reindex(index=rows, columns=["event", "unspecified"], fill_value=0)
    )
    y = np.arange(len(rows))
    ax_n.barh(y, counts["event"], **bar_style("event"))
    ax_n.barh(y, counts["unspecified"], left=counts["event"], **bar_style("unspecified"))
    ax_n.set_xlabel("terms without a length\n(count)")
    ax_n.set_xlim(0, max(1, int(counts.sum(axis=1).max())) * 1.1)
    ax_n.xaxis.get_major_locator().set_params(integer=True)
    handles += [Patch(**_legend_bar("event"), label="event-bound (until …)"),
                Patch(**_legend_bar("unspecified"), label="unspecified (as long as necessary)")]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=7, frameon=False)

    ax.set_yticks(y, [labels[r] for r in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", color="0.92", linewidth=0.5)
    n = f"n = {len(durations)} periods with a length, {len(ret) - len(durations)} without, in {len(doc_ids)} notices"
    if by_sector:
        n += f"; one row per sector (more than {max_rows} notices)"
    _n_title(ax, "Stated storage periods", n, fontsize=9)
    return fig


def _legend_bar(label: str) -> dict:
    st = bar_style(label)
    return {"facecolor": st["color"], "hatch": st["hatch"], "edgecolor": st["edgecolor"]}

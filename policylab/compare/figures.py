"""Figures of template lineage: the reuse network and each notice's borrowed share.

As :mod:`policylab.plots`: each function returns a :class:`matplotlib.figure.Figure`
built without pyplot, and reads in black and white (families differ by marker
as well as by colour). An empty table gives an empty axes with a note.

Examples
--------
>>> lin = pd.DataFrame({"doc_id": ["a", "b", "c"], "family": [0, 0, -1], "borrowed_share": [0.4, 0.3, 0.0],
...     "borrowed_chars": [40, 30, 0], "n_chars": [100, 100, 80]})
>>> edges = pd.DataFrame({"doc_a": ["a"], "doc_b": ["b"], "matching_words": [30], "source": [""], "target": [""]})
>>> lineage_network(lin, edges).axes[0].get_title()
'Text reuse between notices: 1 template family (n = 3 notices)'
>>> borrowed_share_bars(lin, top=2).axes[0].get_title()
'Borrowed text per notice (the 2 largest of n = 3 notices)'
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

__all__ = ["borrowed_share_bars", "lineage_network"]

_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "h", "<", ">"]
_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]
_ALONE = "#bbbbbb"


def _style(family: int) -> tuple[str, str]:
    if family < 0:
        return "o", _ALONE
    return _MARKERS[family % len(_MARKERS)], _COLOURS[family % len(_COLOURS)]


def _note(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="0.4")
    ax.set_xticks([])
    ax.set_yticks([])


def _layout(lineage_table: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Families on a grid of circles (largest first); notices sharing nothing on a row below."""
    pos: dict[str, tuple[float, float]] = {}
    families = sorted(f for f in lineage_table["family"].unique() if f >= 0)
    cols = max(1, math.ceil(math.sqrt(len(families))))
    for k, f in enumerate(families):
        members = sorted(lineage_table.loc[lineage_table["family"] == f, "doc_id"].astype(str))
        cx, cy = 3.0 * (k % cols), -3.0 * (k // cols)
        radius = 0.35 + 0.12 * len(members)
        for j, d in enumerate(members):
            angle = 2 * math.pi * j / len(members) + math.pi / 2
            pos[d] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    alone = sorted(lineage_table.loc[lineage_table["family"] < 0, "doc_id"].astype(str))
    rows = max(1, math.ceil(len(families) / cols))
    for j, d in enumerate(alone):
        per_row = max(cols * 3, 6)
        pos[d] = (j % per_row * (3.0 * cols / per_row), -3.0 * rows - 0.8 * (j // per_row))
    return pos


def lineage_network(lineage_table: pd.DataFrame, edges: pd.DataFrame, *, label: bool = True) -> Figure:
    """The reuse network: notices as points, shared passages as lines, families coloured.

    Parameters
    ----------
    lineage_table : DataFrame
        Output of :func:`policylab.lineage` (``doc_id, family``,
        ``borrowed_share`` sizes the points).
    edges : DataFrame
        Output of :func:`policylab.lineage_edges` (``doc_a, doc_b,
        matching_words``; ``source``/``target`` draw an arrow from the notice
        that had the text first).
    label : bool
        Write each notice's id beside its point (leave off for thousands).

    Returns
    -------
    Figure
    """
    fig = Figure(figsize=(9, 7))
    ax = fig.add_subplot()
    if lineage_table is None or len(lineage_table) == 0:
        _note(ax, "no notices")
        return fig
    pos = _layout(lineage_table)
    n_families = int((lineage_table["family"].drop_duplicates() >= 0).sum())
    heaviest = float(edges["matching_words"].max()) if edges is not None and len(edges) else 1.0
    for row in (edges.itertuples() if edges is not None else []):
        a, b = str(row.doc_a), str(row.doc_b)
        if a not in pos or b not in pos:
            continue
        width = 0.5 + 3.5 * float(row.matching_words) / heaviest
        source, target = str(getattr(row, "source", "") or ""), str(getattr(row, "target", "") or "")
        if source and target:
            ax.annotate("", xy=pos[target], xytext=pos[source],
                        arrowprops={"arrowstyle": "-|>", "lw": width, "color": "0.35", "shrinkA": 6, "shrinkB": 6})
        else:
            ax.plot([pos[a][0], pos[b][0]], [pos[a][1], pos[b][1]], color="0.55", lw=width, zorder=1)
    share = lineage_table.get("borrowed_share", pd.Series(0.0, index=lineage_table.index)).fillna(0.0)
    for row, s in zip(lineage_table.itertuples(), share):
        marker, colour = _style(int(row.family))
        x, y = pos[str(row.doc_id)]
        ax.scatter([x], [y], s=40 + 400 * float(s), marker=marker, color=colour, edgecolor="black", lw=0.6, zorder=3)
        if label:
            ax.annotate(str(row.doc_id), (x, y), xytext=(5, 5), textcoords="offset points", fontsize=7)
    handles = []
    for f in sorted(f for f in lineage_table["family"].unique() if f >= 0)[:10]:
        marker, colour = _style(int(f))
        size = int((lineage_table["family"] == f).sum())
        handles.append(Line2D([], [], ls="", marker=marker, color=colour, markeredgecolor="black",
                              label=f"family {f} ({size} notices)"))
    if (lineage_table["family"] < 0).any():
        handles.append(Line2D([], [], ls="", marker="o", color=_ALONE, markeredgecolor="black", label="shares no passage"))
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.set_title(f"Text reuse between notices: {n_families} template famil{'y' if n_families == 1 else 'ies'}"
                 f" (n = {len(lineage_table)} notices)")
    ax.text(0.0, -0.04, "point size: share of the notice found elsewhere; line width: words shared; "
            "arrow: from the earlier-dated notice", transform=ax.transAxes, fontsize=7, color="0.35", va="top")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_aspect("equal", adjustable="datalim")
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig.tight_layout()
    return fig


def borrowed_share_bars(lineage_table: pd.DataFrame, *, top: int | None = 60) -> Figure:
    """Per notice, the share of its text found in other notices (bars coloured by family).

    Parameters
    ----------
    lineage_table : DataFrame
        Output of :func:`policylab.lineage`.
    top : int or None
        Show only the notices with the largest shares (None: all).

    Returns
    -------
    Figure
    """
    frame = lineage_table if lineage_table is not None else pd.DataFrame(columns=["doc_id", "borrowed_share"])
    frame = frame.sort_values(["borrowed_share", "doc_id"], ascending=[True, False])
    n_notices = len(frame)
    if top is not None and len(frame) > top:
        frame = frame.tail(top)
    fig = Figure(figsize=(7, 1.5 + 0.25 * max(len(frame), 1)))
    ax = fig.add_subplot()
    if len(frame) == 0:
        _note(ax, "no notices")
        return fig
    y = np.arange(len(frame))
    colours = [_style(int(f))[1] for f in frame["family"]]
    hatches = ["" if f >= 0 else "//" for f in frame["family"]]
    bars = ax.barh(y, frame["borrowed_share"].fillna(0.0), color=colours, edgecolor="black", lw=0.5)
    for bar, hatch in zip(bars, hatches):
        bar.set_hatch(hatch)
    ax.set_yticks(y, [f"{d} (family {f})" if f >= 0 else str(d) for d, f in zip(frame["doc_id"], frame["family"])],
                  fontsize=7)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the notice found in other notices")
    shown = f"the {len(frame)} largest of n = {n_notices} notices" if len(frame) < n_notices else f"n = {n_notices} notices"
    ax.set_title(f"Borrowed text per notice ({shown})")
    fig.tight_layout()
    return fig

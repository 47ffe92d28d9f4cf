"""Clause figures: the clause map (clusters named by their top terms), the largest clusters, borrowed text."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..style import style_of
from ._common import (
    _empty_figure,
    _label_points,
    _lacks,
    _literal_text,
    _n_title,
    _notice_labels,
    _row_height,
    _shorten,
)

__all__ = ["borrowed_share", "clause_map", "cluster_bars"]

_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">", "h", "p")
_GREYS = ("black", "0.55", "white")


# ---------------------------------------------------------------- clause map


@_literal_text
def clause_map(
    clusters: pd.DataFrame,
    *,
    color_by: str = "cluster",
    highlight: pd.DataFrame | None = None,
    n_labels: int = 12,
) -> Figure:
    """A 2-D map of clauses: near points say similar things; shared templates joined.

    Parameters
    ----------
    clusters
        ``clause_id, doc_id, cluster, cluster_label, x, y``
        (``policylab.cluster_clauses``).
    color_by
        ``"cluster"`` (the ``n_labels`` largest clusters get their own marker and
        their label written at their centre) or ``"doc_id"`` (a marker per notice).
    highlight
        Near-duplicate pairs ``clause_a, clause_b`` (``policylab.near_duplicates``):
        each pair is joined by a line and ringed.
    n_labels
        How many clusters (or notices) get a marker and a label of their own.

    Examples
    --------
    >>> import pandas as pd
    >>> clusters = pd.DataFrame({"clause_id": ["a:1", "a:2", "b:1"], "doc_id": ["a", "a", "b"],
    ...     "cluster": [0, 1, 0], "cluster_label": ["lagring", "klage", "lagring"],
    ...     "x": [0.0, 1.0, 0.1], "y": [0.0, 1.0, 0.1]})
    >>> pairs = pd.DataFrame({"clause_a": ["a:1"], "clause_b": ["b:1"], "doc_a": ["a"], "doc_b": ["b"],
    ...     "similarity": [0.93]})
    >>> fig = clause_map(clusters, highlight=pairs)
    >>> len(fig.axes[0].collections[-1].get_segments())
    1
    """
    if color_by not in ("cluster", "doc_id"):
        raise ValueError(f"color_by must be 'cluster' or 'doc_id', not {color_by!r}")
    xlabel, ylabel = "map dimension 1 (no unit: nearby clauses use similar words)", "map dimension 2"
    if _lacks(clusters, ["clause_id", "doc_id", "x", "y"]) or (color_by == "cluster" and "cluster" not in clusters):
        return _empty_figure("no clause map", xlabel=xlabel, ylabel=ylabel)
    data = clusters.dropna(subset=["x", "y"])
    fig = Figure(figsize=(9, 7), layout="constrained")
    ax = fig.subplots()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    key = data[color_by].astype(str)
    noise = key.isin(["-1"]) if color_by == "cluster" else pd.Series(False, index=data.index)
    sizes = key[~noise].value_counts()
    named = list(sizes.index[:n_labels])
    handles = []
    # The rest first, in light grey, so the named groups are drawn on top.
    rest = data[~key.isin(named)]
    if len(rest):
        ax.scatter(rest["x"], rest["y"], s=8, marker=".", color="0.7", linewidths=0, zorder=1)
        handles.append(Line2D([], [], marker=".", linestyle="", color="0.7",
                              label="other clauses" if color_by == "doc_id" else "smaller clusters / unclustered"))
    label_of = {}
    centres: list[tuple[float, float, str]] = []
    if color_by == "cluster" and "cluster_label" in data.columns:
        label_of = data.assign(key=key).drop_duplicates("key").set_index("key")["cluster_label"].astype(str).to_dict()
    for i, name in enumerate(named):
        part = data[key == name]
        marker = _MARKERS[i % len(_MARKERS)]
        face = _GREYS[(i // len(_MARKERS)) % len(_GREYS)]
        ax.scatter(part["x"], part["y"], s=22, marker=marker, facecolor=face, edgecolor="black", linewidths=0.5,
                   zorder=2)
        text = f"{name}: {_shorten(label_of.get(name, ''), 30)}" if color_by == "cluster" else name
        handles.append(Line2D([], [], marker=marker, linestyle="", markerfacecolor=face, markeredgecolor="black",
                              label=text))
        if color_by == "cluster":
            centres.append((part["x"].median(), part["y"].median(),
                            f"{name}: {_shorten(label_of.get(name, ''), 24)}"))
    if highlight is not None and not _lacks(highlight, ["clause_a", "clause_b"]):
        where = data.drop_duplicates("clause_id").set_index("clause_id")[["x", "y"]]
        pairs = highlight[highlight["clause_a"].isin(where.index) & highlight["clause_b"].isin(where.index)]
        a = where.loc[pairs["clause_a"]].to_numpy()
        b = where.loc[pairs["clause_b"]].to_numpy()
        ringed = where.loc[pd.unique(pd.concat([pairs["clause_a"], pairs["clause_b"]]))]
        ax.scatter(ringed["x"], ringed["y"], s=80, facecolor="none", edgecolor="black", linewidths=1.1, zorder=4)
        from matplotlib.collections import LineCollection

        ax.add_collection(LineCollection(np.stack([a, b], axis=1) if len(a) else np.zeros((0, 2, 2)),
                                         colors="black", linewidths=1.2, zorder=4))
        handles.append(Line2D([], [], marker="o", markerfacecolor="none", markeredgecolor="black", color="black",
                              label=f"shared template: near-duplicate pair ({len(pairs)})"))
    if centres:
        # Each named cluster labelled at its centre by its top terms, placed so that labels do not overlap.
        cx, cy, texts = zip(*centres)
        _label_points(ax, np.array(cx, float), np.array(cy, float), list(texts), fontsize=7, box=True)
    fig.legend(handles=handles, loc="outside right upper", fontsize=7, frameon=False,
               title="cluster: top terms" if color_by == "cluster" else "notice", title_fontsize=7)
    _n_title(ax, "Clauses mapped by wording",
             f"n = {len(data)} clauses of {data['doc_id'].nunique()} notices; {len(named)} largest groups named")
    return fig


@_literal_text
def cluster_bars(clusters: pd.DataFrame, *, top: int = 20) -> Figure:
    """The largest clause clusters as bars: how many notices use each, named by its top terms.

    Bars start at zero and count notices (a notice counts once however many of
    its clauses fall in the cluster); the number of clauses is written beside
    each bar. Unclustered clauses (cluster ``-1``) are left out. Reads the
    same at 10 and at 1,000 notices: at most ``top`` bars, the title says how
    many clusters there are.

    Examples
    --------
    >>> import pandas as pd
    >>> clusters = pd.DataFrame({"clause_id": ["a:1", "b:1", "b:2", "c:1"], "doc_id": ["a", "b", "b", "c"],
    ...     "cluster": [0, 0, 0, 1], "cluster_label": ["lagrer, år", "lagrer, år", "lagrer, år", "klage"]})
    >>> [round(b.get_width()) for b in cluster_bars(clusters).axes[0].containers[0]]
    [2, 1]
    """
    xlabel = "notices with a clause in the cluster (count)"
    if _lacks(clusters, ["clause_id", "doc_id", "cluster"]):
        return _empty_figure("no clusters", xlabel=xlabel, ylabel="cluster")
    data = clusters[clusters["cluster"].astype(str) != "-1"]
    if data.empty:
        return _empty_figure("no clusters of two or more clauses", xlabel=xlabel, ylabel="cluster")
    label = (data.drop_duplicates("cluster").set_index("cluster")["cluster_label"].astype(str)
             if "cluster_label" in data else pd.Series(dtype=str))
    sizes = data.groupby("cluster").agg(notices=("doc_id", "nunique"), clauses=("clause_id", "nunique"))
    sizes = sizes.sort_values(["notices", "clauses"], ascending=False, kind="stable")
    shown = sizes.head(top)
    fig = Figure(figsize=(8, _row_height(len(shown), per_row=0.3, base=1.6)), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(shown))
    ax.barh(y, shown["notices"].to_numpy(), color=style_of("notices").colour, edgecolor="black", linewidth=0.5)
    for yi, (n_docs, n_clauses) in enumerate(zip(shown["notices"], shown["clauses"])):
        ax.text(n_docs, yi, f" {n_clauses} clauses", va="center", fontsize=6.5, color="0.3")
    ax.set_yticks(y, [f"{c}: {_shorten(label.get(c, ''), 40)}" for c in shown.index], fontsize=7)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.set_xlim(0, float(shown["notices"].max()) * 1.25)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("cluster: top terms")
    _n_title(ax, "Largest groups of similarly worded clauses",
             f"{len(shown)} of {len(sizes)} clusters; n = {data['doc_id'].nunique()} notices", fontsize=9)
    return fig


_FAMILY_FACES = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")
_FAMILY_HATCHES = ("", "///", "...", "\\\\\\", "xx", "++", "--")


@_literal_text
def borrowed_share(lineage: pd.DataFrame, documents: pd.DataFrame | None = None, *, top: int = 40) -> Figure:
    """Share of each notice's text found in other notices, for the notices that share any.

    Bars start at zero (0 to 100 % of the notice's characters) and carry the
    notice's template family (:func:`policylab.lineage`) as colour and hatch,
    written in the label too. Notices sharing nothing are counted in the title,
    not drawn; at most ``top`` bars, the title says how many there are.

    Examples
    --------
    >>> import pandas as pd
    >>> lineage = pd.DataFrame({"doc_id": ["a", "b", "c"], "family": [0, 0, -1], "borrowed_share": [0.3, 0.1, 0.0]})
    >>> fig = borrowed_share(lineage)
    >>> [round(b.get_width()) for b in fig.axes[0].containers[0]], fig.axes[0].get_title()
    ([30, 10], 'Text found in other notices (2 of 3 notices share text)')
    """
    xlabel = "share of the notice's text found in other notices (%)"
    if _lacks(lineage, ["doc_id", "family", "borrowed_share"]):
        return _empty_figure("no text-reuse table", xlabel=xlabel, ylabel="notice")
    data = lineage[lineage["borrowed_share"].fillna(0) > 0].sort_values(
        ["borrowed_share", "doc_id"], ascending=[False, True], kind="stable")
    shown = data.head(top)
    fig = Figure(figsize=(8, _row_height(len(shown), per_row=0.28, base=1.7)), layout="constrained")
    ax = fig.subplots()
    note = f"{len(data)} of {len(lineage)} notices share text" + (f"; top {top} shown" if len(data) > top else "")
    ax.set_title(f"Text found in other notices ({note})", fontsize=9)
    ax.set_xlabel(xlabel)
    if shown.empty:
        ax.set_yticks([])
        ax.text(0.5, 0.5, "no notice shares a passage with another", ha="center", va="center",
                transform=ax.transAxes, color="0.3", style="italic")
        return fig
    y = np.arange(len(shown))
    bars = ax.barh(y, shown["borrowed_share"].to_numpy(float) * 100)
    families = shown["family"].astype(int).to_numpy()
    for bar, family in zip(bars, families):
        bar.set(facecolor=_FAMILY_FACES[family % len(_FAMILY_FACES)],
                hatch=_FAMILY_HATCHES[(family // len(_FAMILY_FACES)) % len(_FAMILY_HATCHES)],
                edgecolor="black", linewidth=0.5)
    names = _notice_labels(documents, shown["doc_id"].astype(str)) if documents is not None else {}
    ax.set_yticks(y, [f"{names.get(d, d)} (family {f})" for d, f in zip(shown["doc_id"].astype(str), families)],
                  fontsize=7)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    return fig

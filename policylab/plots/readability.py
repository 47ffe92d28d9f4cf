"""Readability figures: LIX against length, LIX per section."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..style import style_of
from ._common import (
    _empty_figure,
    _label_points,
    _lacks,
    _literal_text,
    _n_title,
    _note,
    _notice_labels,
    _row_height,
    _shade_bands,
    _shorten,
)

__all__ = ["lix_by_section", "lix_vs_length"]

#: At most this many points of :func:`lix_vs_length` are named; beyond, none are.
MAX_POINT_LABELS = 40


# ---------------------------------------------------------------- readability


@_literal_text
def lix_vs_length(readability: pd.DataFrame, *, documents: pd.DataFrame | None = None) -> Figure:
    """LIX of each notice against its length in words, with the LIX bands shaded.

    Parameters
    ----------
    readability
        ``doc_id, words, lix`` (one row per notice).
    documents
        Optional ``doc_id, company`` to name the points (else their doc_id).

    Examples
    --------
    >>> import pandas as pd
    >>> readability = pd.DataFrame({"doc_id": ["a", "b", "c"], "words": [300, 1200, 800], "lix": [38.0, 52.5, 47.0]})
    >>> len(lix_vs_length(readability).axes[0].collections[0].get_offsets())
    3
    """
    xlabel, ylabel = "length of the notice (words, log scale)", "LIX (readability index)"
    if _lacks(readability, ["doc_id", "words", "lix"]):
        return _empty_figure("no readability table", xlabel=xlabel, ylabel=ylabel)
    data = readability.dropna(subset=["words", "lix"])
    data = data[data["words"] > 0]
    fig = Figure(figsize=(7, 4.5), layout="constrained")
    ax = fig.subplots()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if data.empty:
        _note(ax, "no notice with words")
        return fig
    lo, hi = float(data["lix"].min()) - 5, float(data["lix"].max()) + 5
    ax.set_ylim(lo, hi)
    _shade_bands(ax, axis="y", lo=lo, hi=hi)
    many = len(data) > 200
    ax.scatter(data["words"], data["lix"], marker="o", s=10 if many else 28, facecolor=style_of("notices").colour,
               edgecolor="white", linewidths=0.4, alpha=0.6 if many else 1, zorder=3)
    ax.set_xscale("log")
    note = ""
    if len(data) <= MAX_POINT_LABELS:
        labels = _notice_labels(documents, data["doc_id"]) if documents is not None else {d: d for d in data["doc_id"]}
        _label_points(ax, data["words"].to_numpy(float), data["lix"].to_numpy(float),
                      [_shorten(labels[d], 22) for d in data["doc_id"]])
    else:
        note = f"; points not named (more than {MAX_POINT_LABELS})"
    _n_title(ax, "Readability against length", f"n = {len(data)} notices{note}")
    return fig


@_literal_text
def lix_by_section(section_readability: pd.DataFrame, doc_id: str, *, min_words: int = 20) -> Figure:
    """LIX of each section of one notice, in document order.

    Sections with fewer than ``min_words`` words are hatched: their LIX rests on
    too few words to compare.

    Parameters
    ----------
    section_readability
        ``doc_id, section, words, lix`` (``policylab.readability(t, level="section")``).
    doc_id
        The notice to draw.

    Examples
    --------
    >>> import pandas as pd
    >>> sections = pd.DataFrame({"doc_id": "a", "section": ["Formål", "Lagring"], "words": [80, 12],
    ...     "lix": [44.0, 30.0]})
    >>> len(lix_by_section(sections, "a").axes[0].containers[0])
    2
    """
    xlabel, ylabel = "LIX (readability index)", "section (in document order)"
    title = f"LIX per section: {doc_id}"
    if _lacks(section_readability, ["doc_id", "section", "lix"]):
        return _empty_figure("no section readability table", xlabel=xlabel, ylabel=ylabel, title=title)
    data = section_readability[section_readability["doc_id"] == doc_id].dropna(subset=["lix"])
    if data.empty:
        return _empty_figure(f"no sections of {doc_id!r}", xlabel=xlabel, ylabel=ylabel, title=title)
    words = data["words"].to_numpy() if "words" in data.columns else np.full(len(data), min_words)
    few = words < min_words
    fig = Figure(figsize=(7.5, _row_height(len(data), per_row=0.25, base=1.6)), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(data))
    # Bars start at zero: a bar's length is its LIX.
    lo = 0.0
    hi = max(float(data["lix"].max()) + 5, 65.0)
    ax.set_xlim(lo, hi)
    _shade_bands(ax, axis="x", lo=lo, hi=hi)
    bars = ax.barh(y, data["lix"], color=np.where(few, "white", style_of("notices").colour), edgecolor="black", linewidth=0.6,
                   zorder=2)
    for patch, is_few in zip(bars, few):
        if is_few:
            patch.set_hatch("///")
    section_names = [str(s).split(" > ")[-1] or "(before the first heading)" for s in data["section"]]
    ax.set_yticks(y, [f"{_shorten(s, 45)} ({int(w)} w.)" for s, w in zip(section_names, words)], fontsize=7)
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(f"{title} (n = {len(data)} sections)", fontsize=10, pad=14)
    if few.any():
        ax.legend(handles=[Patch(facecolor="white", edgecolor="black", hatch="///",
                                 label=f"fewer than {min_words} words: LIX unstable")],
                  loc="lower right", fontsize=7)
    return fig



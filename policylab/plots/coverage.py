"""Coverage figures: the notice x item matrix, the sector x item shares, the sector benchmark."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ..style import MAX_ROWS, MIN_GROUP, style_of
from ._common import (
    _empty_figure,
    _lacks,
    _literal_text,
    _n_title,
    _note,
    _notice_labels,
    _row_height,
    _sector_groups,
    _shade_bands,
    _spread,
)

__all__ = ["coverage_by_sector", "coverage_heatmap", "sector_benchmark"]


# ---------------------------------------------------------------- coverage


@_literal_text
def coverage_heatmap(coverage: pd.DataFrame, documents: pd.DataFrame | None = None, *,
                     max_rows: int = MAX_ROWS) -> Figure:
    """Notices × GDPR Art. 13/14 items: covered, missing, or not required.

    With more than ``max_rows`` notices one row per notice is unreadable: the
    figure is then :func:`coverage_by_sector` (one row per sector), and its
    title says so.

    Rows are notices grouped by sector (NACE section, named on the right) and,
    within a sector, ordered by coverage score (shown beside each notice). A
    dark cell is covered, a white cell with a cross is a required item the
    notice does not give, a light grey cell an item it need not give.

    Parameters
    ----------
    coverage
        ``doc_id, item, article, covered, required`` (one row per notice and item).
    documents
        ``doc_id, company, nace_section`` (or ``sector``) to name and group notices.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> coverage = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "item": ["purposes", "complaint"] * 2,
    ...     "article": ["13(1)(c)", "13(2)(d)"] * 2, "covered": [True, False, True, True],
    ...     "evidence": [["a:0001"], [], ["b:0002"], ["b:0004"]], "required": True})
    >>> fig = coverage_heatmap(coverage)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['b (100%)', 'a (50%)']
    """
    xlabel, ylabel = "GDPR Art. 13/14 checklist item (article)", "notice (coverage score: % of required items)"
    if _lacks(coverage, ["doc_id", "item", "covered"]):
        return _empty_figure("no coverage table", xlabel=xlabel, ylabel=ylabel)
    from ..coverage import coverage_score

    if coverage["doc_id"].nunique() > max_rows:
        return coverage_by_sector(coverage, documents,
                                  note=f"{coverage['doc_id'].nunique()} notices: one row per sector, not per notice")
    cov, items, articles = _cells(coverage)
    scores = coverage_score(cov).set_index("doc_id")["coverage_score"]
    doc_ids = list(dict.fromkeys(cov["doc_id"]))
    groups = _sector_groups(documents, doc_ids)
    order = (
        pd.DataFrame({"doc_id": doc_ids, "group": groups.reindex(doc_ids).to_numpy(),
                      "score": scores.reindex(doc_ids).fillna(0).to_numpy()})
        .sort_values(["group", "score", "doc_id"], ascending=[True, False, True], kind="stable")
    )
    rows = order["doc_id"].tolist()

    # 0 = not required (and not given), 1 = missing, 2 = covered.
    state = np.where(cov["covered"], 2, np.where(cov["required"], 1, 0))
    matrix = (
        pd.DataFrame({"doc_id": cov["doc_id"], "item": cov["item"], "state": state})
        .pivot_table(index="doc_id", columns="item", values="state", aggfunc="max")
        .reindex(index=rows, columns=items)
        .fillna(0)
        .to_numpy()
    )

    # The base height leaves room for the rotated item names under the matrix.
    fig = Figure(figsize=(3.5 + 0.32 * len(items), _row_height(len(rows), base=3.6)), layout="constrained")
    ax = fig.subplots()
    ax.imshow(matrix, cmap=ListedColormap([style_of(s).colour for s in ("not_required", "missing", "covered")]), vmin=0, vmax=2, aspect="auto",
              interpolation="nearest")
    missing_y, missing_x = np.nonzero(matrix == 1)
    ax.scatter(missing_x, missing_y, marker="x", color="black", s=22, linewidths=1.2, zorder=3)
    labels = _notice_labels(documents, rows)
    score_text = {d: f"{scores[d]:.0%}" if pd.notna(scores.get(d)) else "n/a" for d in rows}
    ax.set_yticks(range(len(rows)), [f"{labels[d]} ({score_text[d]})" for d in rows],
                  fontsize=7 if len(rows) <= 120 else 4)
    ax.set_xticks(range(len(items)), [f"{i} ({articles[i]})" if i in articles else i for i in items],
                  rotation=90, fontsize=7)
    ax.set_xticks(np.arange(-0.5, len(items)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
    ax.grid(which="minor", color="0.6", linewidth=0.4)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)

    # Sector groups: a rule between them and their names on the right.
    group_of_row = order["group"].to_numpy()
    bounds = [i for i in range(1, len(rows)) if group_of_row[i] != group_of_row[i - 1]]
    for b in bounds:
        ax.axhline(b - 0.5, color="black", linewidth=1.2)
    starts = [0] + bounds
    ends = bounds + [len(rows)]
    right = ax.secondary_yaxis("right")
    right.set_yticks([(s + e - 1) / 2 for s, e in zip(starts, ends)], [group_of_row[s] for s in starts], fontsize=7)
    right.set_ylabel("sector (NACE section)")
    fig.legend(
        handles=[
            Patch(facecolor=style_of("covered").colour, edgecolor="0.6", label="covered"),
            Line2D([], [], marker="x", color="black", linestyle="", label="missing (required)"),
            Patch(facecolor=style_of("not_required").colour, edgecolor="0.6", label="not given, not required here"),
        ],
        loc="outside lower center", ncol=3, fontsize=7, frameon=False,
    )
    _n_title(ax, "Which Art. 13/14 items does each notice give?", f"n = {len(rows)} notices")
    return fig


@_literal_text
def coverage_by_sector(coverage: pd.DataFrame, documents: pd.DataFrame | None = None, *, note: str = "") -> Figure:
    """Sectors × GDPR Art. 13/14 items: the share of notices giving each item, where required.

    A cell is the % of the sector's notices that give the item among those
    that must give it (``required``), written in the cell with its n. Sectors
    of fewer than :data:`~policylab.style.MIN_GROUP` notices are hatched grey
    without a share: one or two notices say nothing about a sector.

    Examples
    --------
    >>> import pandas as pd
    >>> coverage = pd.DataFrame({"doc_id": list("abcd"), "item": "purposes", "article": "13(1)(c)",
    ...     "covered": [True, True, False, True], "required": True})
    >>> documents = pd.DataFrame({"doc_id": list("abcd"), "nace_section": ["J", "J", "J", "K"]})
    >>> fig = coverage_by_sector(coverage, documents)
    >>> [t.get_text().split() for t in fig.axes[0].texts if "%" in t.get_text()]
    [['67%', 'n=3']]
    """
    xlabel, ylabel = "GDPR Art. 13/14 checklist item (article)", "sector (NACE section, n notices)"
    if _lacks(coverage, ["doc_id", "item", "covered"]):
        return _empty_figure("no coverage table", xlabel=xlabel, ylabel=ylabel)
    cov, items, articles = _cells(coverage)
    doc_ids = list(dict.fromkeys(cov["doc_id"]))
    groups = _sector_groups(documents, doc_ids)
    cov["group"] = cov["doc_id"].map(groups)
    sizes = groups.value_counts()
    names = sorted(sizes.index)
    need = cov[cov["required"]]
    share = need.groupby(["group", "item"])["covered"].mean().unstack().reindex(index=names, columns=items)
    n_need = need.groupby(["group", "item"])["covered"].size().unstack().reindex(index=names, columns=items)
    few = np.array([sizes[g] < MIN_GROUP for g in names])

    fig = Figure(figsize=(3.5 + 0.45 * len(items), _row_height(len(names), per_row=0.42, base=3.6)),
                 layout="constrained")
    ax = fig.subplots()
    from matplotlib import colormaps

    cmap = colormaps["Blues"].with_extremes(bad="white")
    values = share.to_numpy(dtype=float) * 100
    shown = np.where(few[:, None], np.nan, values)
    ax.imshow(shown, cmap=cmap, vmin=0, vmax=100, aspect="auto", interpolation="nearest")
    for i, g in enumerate(names):
        for j, item in enumerate(items):
            if few[i]:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=style_of("few").colour,
                                   hatch="//", edgecolor="white", linewidth=0))
                continue
            v, n = values[i, j], n_need.iat[i, j]
            if np.isnan(v):
                ax.text(j, i, "not\nrequired", ha="center", va="center", fontsize=5, color="0.4")
            else:
                ax.text(j, i, f"{v:.0f}%\nn={int(n)}", ha="center", va="center", fontsize=5.5,
                        color="white" if v > 60 else "black")
    ax.set_xticks(range(len(items)), [f"{i} ({articles[i]})" if i in articles else i for i in items],
                  rotation=90, fontsize=7)
    ax.set_yticks(range(len(names)), [f"{g} (n={sizes[g]})" + (" too few" if few[k] else "")
                                      for k, g in enumerate(names)], fontsize=7)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.legend(handles=[Patch(facecolor=colormaps["Blues"](0.9), label="share of notices giving the item "
                              "(of those that must; n in the cell)"),
                        Patch(facecolor=style_of("few").colour, hatch="//", edgecolor="white",
                              label=f"sector of fewer than {MIN_GROUP} notices: no share")],
               loc="outside lower center", ncol=2, fontsize=7, frameon=False)
    title = "Share of notices giving each required item, per sector"
    _n_title(ax, title, f"n = {len(doc_ids)} notices" + (f"; {note}" if note else ""))
    return fig


@_literal_text
def sector_benchmark(coverage: pd.DataFrame, readability: pd.DataFrame, documents: pd.DataFrame) -> Figure:
    """Coverage score and LIX per sector, every notice shown as a point.

    Two panels share the sector axis: on the left the coverage score (% of the
    required checklist items a notice gives), on the right its LIX with the
    LIX bands shaded. A vertical bar marks each sector's median; marker shape
    and colour give the notice's language. Sectors of fewer than
    :data:`~policylab.style.MIN_GROUP` notices are drawn in grey without a
    median, and their label says so.

    Parameters
    ----------
    coverage
        ``doc_id, item, covered, required``.
    readability
        ``doc_id, lix`` (one row per notice).
    documents
        ``doc_id, nace_section`` (or ``sector``) and ``language``.

    Examples
    --------
    >>> import pandas as pd
    >>> coverage = pd.DataFrame({"doc_id": ["a", "b"], "item": "purposes", "article": "13(1)(c)",
    ...     "covered": [True, False], "evidence": [["a:0001"], []], "required": True})
    >>> readability = pd.DataFrame({"doc_id": ["a", "b"], "lix": [41.0, 55.0]})
    >>> documents = pd.DataFrame({"doc_id": ["a", "b"], "nace_section": ["J", "J"], "language": ["nb", "nn"]})
    >>> fig = sector_benchmark(coverage, readability, documents)
    >>> [ax.get_xlabel() for ax in fig.axes[:2]]
    ['coverage score (% of required items)', 'LIX (readability index)']
    >>> fig.axes[0].get_yticklabels()[0].get_text()
    'J Information, communication (n=2: too few for a median)'
    """
    fig = Figure(figsize=(9, _row_height(0, base=1.6) + 0.45 * _n_groups(documents)), layout="constrained")
    ax_cov, ax_lix = fig.subplots(1, 2, sharey=True)
    ax_cov.set_xlabel("coverage score (% of required items)")
    ax_lix.set_xlabel("LIX (readability index)")
    ax_cov.set_ylabel("sector (NACE section)")

    values = {}
    if not _lacks(coverage, ["doc_id", "item", "covered"]):
        from ..coverage import coverage_score

        scores = coverage_score(coverage).set_index("doc_id")["coverage_score"].astype(float)
        values["coverage"] = scores.dropna() * 100
    if not _lacks(readability, ["doc_id", "lix"]):
        values["lix"] = readability.drop_duplicates("doc_id").set_index("doc_id")["lix"].astype(float).dropna()
    doc_ids = list(dict.fromkeys([d for v in values.values() for d in v.index]))
    if not doc_ids:
        ax_cov.set_yticks([])
        _note(ax_cov, "no coverage table")
        _note(ax_lix, "no readability table")
        return fig
    groups = _sector_groups(documents, doc_ids)
    group_names = sorted(groups.unique())
    position = {g: i for i, g in enumerate(group_names)}
    language = {}
    if documents is not None and {"doc_id", "language"} <= set(documents.columns):
        language = documents.set_index("doc_id")["language"].astype(str).to_dict()

    counts = groups.value_counts()
    few = {g for g in group_names if counts[g] < MIN_GROUP}
    size = 30 if len(doc_ids) <= 200 else 10
    used_markers = set()
    for ax, key, empty_text in ((ax_cov, "coverage", "no coverage table"), (ax_lix, "lix", "no readability table")):
        if key not in values:
            _note(ax, empty_text)
            continue
        frame = pd.DataFrame({"value": values[key]})
        frame["group"] = groups.reindex(frame.index).fillna("unknown sector").to_numpy()
        frame["language"] = [language.get(d, "") for d in frame.index]
        frame = frame.sort_values(["group", "value"], kind="stable")
        frame["y"] = [position.get(g, 0) for g in frame["group"]]
        frame["y"] = frame["y"] + frame.groupby("group")["value"].transform(lambda v: pd.Series(_spread(len(v), 0.5), index=v.index))
        frame["few"] = frame["group"].isin(few)
        for (lang, is_few), part in frame.groupby(["language", "few"], sort=True):
            st = style_of("few") if is_few else style_of(lang)
            used_markers.add(lang)
            ax.scatter(part["value"], part["y"], marker=style_of(lang).marker, s=size, facecolor=st.colour,
                       edgecolor=st.edge, linewidths=0.6, alpha=1 if len(doc_ids) <= 200 else 0.6, zorder=3)
        for g, part in frame.groupby("group"):
            if g in few:
                continue
            median = part["value"].median()
            ax.plot([median, median], [position[g] - 0.38, position[g] + 0.38], color="black", linewidth=2.2,
                    solid_capstyle="butt", zorder=2)
        ax.grid(axis="x", color="0.85", linewidth=0.5)
    if "coverage" in values:
        ax_cov.set_xlim(-3, 103)
    if "lix" in values:
        lo, hi = values["lix"].min() - 5, values["lix"].max() + 5
        ax_lix.set_xlim(lo, hi)
        _shade_bands(ax_lix, axis="x", lo=lo, hi=hi)
    ax_cov.set_yticks(range(len(group_names)), [
        f"{g} (n={counts[g]}: too few for a median)" if g in few else f"{g} (n={counts[g]})" for g in group_names
    ], fontsize=8)
    for label, g in zip(ax_cov.get_yticklabels(), group_names):
        if g in few:
            label.set_color("0.5")
    ax_cov.set_ylim(len(group_names) - 0.5, -0.5)
    handles = [Line2D([], [], marker=style_of(lang).marker, linestyle="", markerfacecolor=style_of(lang).colour,
                      markeredgecolor="black", label=f"notice ({lang or 'unknown language'})")
               for lang in sorted(used_markers)]
    handles.append(Line2D([], [], color="black", linewidth=2.2, label=f"sector median (n ≥ {MIN_GROUP})"))
    if few:
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor=style_of("few").colour,
                              markeredgecolor=style_of("few").edge, label=f"sector of fewer than {MIN_GROUP} notices"))
    fig.suptitle(f"Coverage and readability per sector (n = {len(doc_ids)} notices)", fontsize=10)
    fig.legend(handles=handles, loc="outside lower center", ncol=min(4, len(handles)), fontsize=7, frameon=False)
    return fig



def _cells(coverage: pd.DataFrame) -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    """The coverage cells as both coverage figures read them (ids as text, flags as
    bools, every cell required unless said otherwise), the items in checklist
    order and the article of each item."""
    cov = coverage.copy()
    cov["doc_id"] = cov["doc_id"].astype(str)
    cov["item"] = cov["item"].astype(str)
    if "required" not in cov.columns:
        cov["required"] = True
    cov["covered"] = cov["covered"].fillna(False).astype(bool)
    cov["required"] = cov["required"].fillna(False).astype(bool)
    items = list(dict.fromkeys(cov["item"]))
    articles = cov.drop_duplicates("item").set_index("item")["article"].astype(str).to_dict() if "article" in cov else {}
    return cov, items, articles

def _n_groups(documents: pd.DataFrame | None) -> int:
    if documents is None or "doc_id" not in documents.columns:
        return 1
    return max(1, _sector_groups(documents, documents["doc_id"]).nunique())



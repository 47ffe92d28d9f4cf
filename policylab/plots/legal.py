"""Legal-basis figures (GDPR Art. 6(1)): per notice, and over the corpus per notice and per clause."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..style import MAX_ROWS, bar_style
from ._common import (
    _capped,
    _empty_figure,
    _lacks,
    _literal_text,
    _n_title,
    _note,
    _notice_labels,
    _row_height,
)

__all__ = ["legal_basis_overview", "legal_basis_shares"]


# ---------------------------------------------------------------- legal bases


@_literal_text
def legal_basis_shares(
    labels: pd.DataFrame,
    clauses: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    share_of: str = "clauses",
    max_rows: int = MAX_ROWS,
) -> Figure:
    """Share of each notice's clauses that state each legal basis (stacked bars).

    Parameters
    ----------
    labels
        ``clause_id, doc_id, dimension, label`` (only ``dimension == "legal_basis"`` is used).
    clauses
        ``clause_id, doc_id`` (+ ``kind``): the denominator, every non-boilerplate
        clause of the notice; notices without any basis keep an (empty) bar.
    documents
        Optional ``doc_id, company`` to name the bars.
    share_of
        ``"clauses"``: % of the notice's clauses stating each basis (bars differ in
        length); ``"labels"``: % of the notice's basis statements (bars sum to 100).
        The axis label and the title say which.
    max_rows
        Most notices drawn (those stating the most first); the title says how
        many were left out. :func:`legal_basis_overview` summarises any number.

    Examples
    --------
    >>> import pandas as pd
    >>> clauses = pd.DataFrame({"clause_id": ["a:0001", "a:0002", "b:0001"], "doc_id": ["a", "a", "b"]})
    >>> labels = pd.DataFrame({"clause_id": ["a:0001"], "doc_id": ["a"], "dimension": ["legal_basis"],
    ...     "label": ["consent"], "score": [1.0], "cue": ["samtykke"]})
    >>> bars = legal_basis_shares(labels, clauses).axes[0].containers[0]
    >>> [round(b.get_width()) for b in bars]
    [50, 0]
    """
    if share_of not in ("clauses", "labels"):
        raise ValueError(f"share_of must be 'clauses' or 'labels', not {share_of!r}")
    from ..labels import LEGAL_BASES

    xlabel = ("clauses stating the basis (% of the notice's clauses)" if share_of == "clauses"
              else "share of the notice's legal-basis statements (%)")
    if _lacks(clauses, ["clause_id", "doc_id"]):
        return _empty_figure("no clause table", xlabel=xlabel, ylabel="notice")
    body = clauses[clauses["kind"] != "boilerplate"] if "kind" in clauses.columns else clauses
    n_clauses = body.groupby("doc_id")["clause_id"].nunique()
    doc_ids = list(dict.fromkeys(clauses["doc_id"].astype(str)))
    bases = pd.DataFrame(columns=["doc_id", "label", "n"])
    if not _lacks(labels, ["clause_id", "doc_id", "dimension", "label"]):
        stated = labels[labels["dimension"] == "legal_basis"]
        bases = stated.groupby(["doc_id", "label"], observed=True)["clause_id"].nunique().rename("n").reset_index()
    counts = bases.pivot_table(index="doc_id", columns="label", values="n", aggfunc="sum", fill_value=0,
                               observed=True) if len(bases) else pd.DataFrame(index=pd.Index([], name="doc_id"))
    counts = counts.reindex(index=doc_ids, fill_value=0).fillna(0)
    counts.columns = counts.columns.astype(str)
    present = [b for b in LEGAL_BASES if b in counts.columns and counts[b].sum() > 0]
    present += [b for b in counts.columns if b not in LEGAL_BASES and counts[b].sum() > 0]
    if share_of == "clauses":
        shares = counts[present].div(n_clauses.reindex(doc_ids).replace(0, np.nan), axis=0) * 100
    else:
        shares = counts[present].div(counts[present].sum(axis=1).replace(0, np.nan), axis=0) * 100
    shares = shares.fillna(0)
    total = shares.sum(axis=1)
    rows, capped = _capped(sorted(doc_ids, key=lambda d: (-total[d], d)), max_rows)
    shares = shares.reindex(rows)

    fig = Figure(figsize=(8, _row_height(len(rows))), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(rows))
    left = np.zeros(len(rows))
    for basis in present:
        ax.barh(y, shares[basis].to_numpy(), left=left, label=basis, **bar_style(basis))
        left += shares[basis].to_numpy()
    for yi, d in enumerate(rows):
        if total[d] == 0:
            ax.text(0.5, yi, "no legal basis stated", va="center", fontsize=6.5, color="0.35", style="italic")
    if not present:
        _note(ax, "no legal-basis labels")
    names = _notice_labels(documents, rows)
    ax.set_yticks(y, [names[d] for d in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("notice")
    ax.set_xlim(0, max(5.0, float(left.max()) * 1.08) if share_of == "clauses" else 100)
    if present:
        fig.legend(title="legal basis (Art. 6(1))", loc="outside lower center", ncol=min(6, len(present)),
                   fontsize=7, title_fontsize=7, frameon=False)
    ax.grid(axis="x", color="0.88", linewidth=0.5)
    ax.set_axisbelow(True)
    per = "per clause: % of each notice's clauses" if share_of == "clauses" else "per statement: % of each notice's bases"
    _n_title(ax, f"Legal bases stated, {per}", f"n = {len(doc_ids)} notices" + (f"; {capped}" if capped else ""),
             fontsize=9)
    return fig


@_literal_text
def legal_basis_overview(labels: pd.DataFrame, clauses: pd.DataFrame) -> Figure:
    """How often each legal basis is stated in the corpus, normalised per notice and per clause.

    Two panels, each bar from zero, each basis in its own colour and hatch:

    - per notice: % of notices with at least one clause stating the basis (a
      notice counts once however long it is);
    - per clause: % of all non-boilerplate clauses of the corpus stating the
      basis (long notices weigh more).

    The two differ when long notices state a basis more often: reading the
    second alone favours what long notices say.

    Examples
    --------
    >>> import pandas as pd
    >>> clauses = pd.DataFrame({"clause_id": ["a:1", "a:2", "a:3", "b:1"], "doc_id": ["a", "a", "a", "b"]})
    >>> labels = pd.DataFrame({"clause_id": ["a:1", "b:1"], "doc_id": ["a", "b"], "dimension": "legal_basis",
    ...     "label": ["consent", "contract"]})
    >>> fig = legal_basis_overview(labels, clauses)
    >>> [round(b.get_width()) for b in fig.axes[0].containers[0]][:2], [round(b.get_width()) for b in fig.axes[1].containers[0]][:2]
    ([50, 50], [25, 25])
    """
    from ..labels import LEGAL_BASES

    if _lacks(clauses, ["clause_id", "doc_id"]):
        return _empty_figure("no clause table", xlabel="%", ylabel="legal basis (Art. 6(1))")
    body = clauses[clauses["kind"] != "boilerplate"] if "kind" in clauses.columns else clauses
    n_docs = clauses["doc_id"].nunique()
    n_clauses = body["clause_id"].nunique()
    stated = pd.DataFrame(columns=["clause_id", "doc_id", "label"])
    if not _lacks(labels, ["clause_id", "doc_id", "dimension", "label"]):
        stated = labels[labels["dimension"].astype(str) == "legal_basis"].astype({"label": str})
    bases = list(LEGAL_BASES) + sorted(set(stated["label"]) - set(LEGAL_BASES))
    per_notice = stated.groupby("label")["doc_id"].nunique().reindex(bases, fill_value=0) / max(n_docs, 1) * 100
    in_body = stated[stated["clause_id"].isin(body["clause_id"])]
    per_clause = in_body.groupby("label")["clause_id"].nunique().reindex(bases, fill_value=0) / max(n_clauses, 1) * 100
    fig = Figure(figsize=(9, 3.2), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    y = np.arange(len(bases))
    for ax, values, xlabel, n in (
        (axes[0], per_notice, "notices stating the basis (% of notices)", f"per notice, n = {n_docs} notices"),
        (axes[1], per_clause, "clauses stating the basis (% of clauses)", f"per clause, n = {n_clauses} clauses"),
    ):
        bars = ax.barh(y, values.to_numpy())
        for bar, basis in zip(bars, bases):
            st = bar_style(basis)
            bar.set(facecolor=st["color"], hatch=st["hatch"], edgecolor=st["edgecolor"], linewidth=st["linewidth"])
        for yi, v in zip(y, values):
            ax.text(v, yi, f" {v:.0f}%" if v >= 1 or v == 0 else f" {v:.1f}%", va="center", fontsize=7)
        ax.set_xlim(0, max(5.0, float(values.max()) * 1.2))
        ax.set_xlabel(xlabel)
        ax.set_title(n, fontsize=9)
        ax.grid(axis="x", color="0.88", linewidth=0.5)
        ax.set_axisbelow(True)
    axes[0].set_yticks(y, bases, fontsize=8)
    axes[0].set_ylim(len(bases) - 0.5, -0.5)
    axes[0].set_ylabel("legal basis (Art. 6(1))")
    fig.suptitle("Legal bases stated in the corpus", fontsize=10)
    return fig



"""The report of a corpus: what ``policylab report`` and ``make report`` write.

:func:`write_report` writes ``report.html`` (self-contained: figures embedded as
base64 PNG), the same figures as ``figures/*.png`` and a plain-text
``summary.txt``. Every figure of the report is followed by the clauses behind
it, and every required GDPR Art. 13/14 item a notice does not give becomes one
line a regulator can act on ("Balcoo AS: no retention period stated (GDPR Art.
13(2)(a))").

The tables behind the figures are plain functions (:func:`missing_items`,
:func:`coverage_evidence`, :func:`evidence_clauses`, :func:`retention_clauses`,
:func:`legal_basis_clauses`, :func:`shared_templates`), so a notebook shows
exactly what the report shows.

Examples
--------
>>> import tempfile
>>> from policylab.build import build
>>> write_report(build(), tempfile.mkdtemp()).name
'report.html'
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "ITEM_PHRASES",
    "coverage_evidence",
    "evidence_clauses",
    "legal_basis_clauses",
    "missing_items",
    "report_figures",
    "retention_clauses",
    "shared_templates",
    "summary_text",
    "write_report",
]

#: What a notice fails to say when a checklist item is missing, as a regulator
#: would write it; items not listed fall back to "<item> not covered".
ITEM_PHRASES: dict[str, str] = {
    "controller_identity": "the controller's identity and contact details are not given",
    "dpo_contact": "no contact details of a data protection officer",
    "purposes": "no purposes of the processing stated",
    "legal_basis": "no legal basis for the processing stated",
    "legitimate_interests": "relies on legitimate interests without stating them",
    "recipients": "no recipients (or that data is not shared) stated",
    "transfer": "does not say whether data is transferred outside the EU/EEA",
    "retention_period": "no retention period stated",
    "right_access": "the right of access is not mentioned",
    "right_rectification": "the right to rectification is not mentioned",
    "right_erasure": "the right to erasure is not mentioned",
    "right_restriction": "the right to restriction of processing is not mentioned",
    "right_objection": "the right to object is not mentioned",
    "right_portability": "the right to data portability is not mentioned",
    "consent_withdrawal": "relies on consent without saying it can be withdrawn",
    "complaint": "no mention of the right to complain to Datatilsynet",
    "requirement": "does not say whether providing the data is required or voluntary",
    "automated_decisions": "does not say whether automated decisions or profiling take place",
    "data_categories": "does not say which personal data is processed",
    "data_source": "does not say where data not collected from the person comes from",
}


def summary_text(tables) -> str:
    """A plain-text summary: notices, clauses per kind, problems met while reading.

    >>> from policylab.build import build
    >>> summary_text(build()).splitlines()[0]
    'policylab summary: 21 notices'
    """
    docs, clauses = tables.documents, tables.clauses
    kinds = clauses.pivot_table(index="doc_id", columns="kind", values="clause_id", aggfunc="count", fill_value=0)
    per_doc = docs.set_index("doc_id")[["company", "language", "n_words"]].join(kinds)
    lines = [f"policylab summary: {len(docs)} notices", f"corpus: {tables.corpus}", ""]
    lines.append(per_doc.to_string())
    lines.append("")
    if len(tables.problems):
        lines.append("problems met while reading:")
        lines += [f"  {r.severity}: {r.file}: {r.problem}" for r in tables.problems.itertuples()]
    else:
        lines.append("no problems met while reading")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- tables behind the figures


def _has(frame: pd.DataFrame | None, columns) -> bool:
    return frame is not None and not frame.empty and set(columns) <= set(frame.columns)


def _company(documents: pd.DataFrame | None) -> dict[str, str]:
    if not _has(documents, ["doc_id", "company"]):
        return {}
    names = documents.set_index("doc_id")["company"].astype(str)
    return names[names.str.strip().ne("") & names.ne("nan")].to_dict()


def _clause_text(clauses: pd.DataFrame | None) -> pd.Series:
    if not _has(clauses, ["clause_id", "text"]):
        return pd.Series(dtype=object)
    return clauses.drop_duplicates("clause_id").set_index("clause_id")["text"]


def _article(article) -> str:
    article = str(article).strip()
    return article if article.lower().startswith("art") else f"Art. {article}"


def missing_items(coverage: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """One actionable line per required checklist item a notice does not give.

    Parameters
    ----------
    coverage
        ``doc_id, item, article, covered, required``.
    documents
        ``doc_id, company`` to name the notice (else its doc_id).

    Returns
    -------
    DataFrame
        ``doc_id, company, item, article, message``, in coverage order.

    Examples
    --------
    >>> coverage = pd.DataFrame({"doc_id": ["balcoo", "balcoo"], "item": ["retention_period", "purposes"],
    ...     "article": ["13(2)(a)", "13(1)(c)"], "covered": [False, True], "evidence": [[], ["balcoo:0003"]],
    ...     "required": [True, True]})
    >>> documents = pd.DataFrame({"doc_id": ["balcoo"], "company": ["Balcoo AS"]})
    >>> missing_items(coverage, documents)["message"].tolist()
    ['Balcoo AS: no retention period stated (GDPR Art. 13(2)(a))']
    """
    columns = ["doc_id", "company", "item", "article", "message"]
    if not _has(coverage, ["doc_id", "item", "covered"]):
        return pd.DataFrame(columns=columns)
    required = coverage["required"].fillna(False).astype(bool) if "required" in coverage else True
    gaps = coverage[~coverage["covered"].fillna(False).astype(bool) & required].copy()
    names = _company(documents)
    gaps["doc_id"] = gaps["doc_id"].astype(str)
    gaps["item"] = gaps["item"].astype(str)
    gaps["company"] = [names.get(d, d) for d in gaps["doc_id"]]
    gaps["article"] = gaps["article"].astype(str) if "article" in gaps else ""
    gaps["message"] = [
        f"{company}: {ITEM_PHRASES.get(item, item.replace('_', ' ') + ' not covered')} (GDPR {_article(article)})"
        for company, item, article in zip(gaps["company"], gaps["item"], gaps["article"])
    ]
    return gaps[columns].reset_index(drop=True)


def coverage_evidence(coverage: pd.DataFrame) -> pd.DataFrame:
    """Per notice and checklist item: covered or not, and the evidence clause ids.

    Returns
    -------
    DataFrame
        ``doc_id, item, article, required, covered, evidence`` with ``evidence``
        the clause ids joined by ``"; "``.

    Examples
    --------
    >>> coverage = pd.DataFrame({"doc_id": ["a"], "item": ["purposes"], "article": ["13(1)(c)"],
    ...     "covered": [True], "evidence": [["a:0003", "a:0007"]], "required": [True]})
    >>> coverage_evidence(coverage)["evidence"].tolist()
    ['a:0003; a:0007']
    """
    columns = ["doc_id", "item", "article", "required", "covered", "evidence"]
    if not _has(coverage, ["doc_id", "item", "covered"]):
        return pd.DataFrame(columns=columns)
    out = coverage.copy()
    for column, default in (("article", ""), ("required", True), ("evidence", None)):
        if column not in out:
            out[column] = default
    out["evidence"] = [_ids(e) for e in out["evidence"]]
    return out[columns].reset_index(drop=True)


def evidence_clauses(coverage: pd.DataFrame, clauses: pd.DataFrame, *, item: str | None = None,
                     doc_id: str | None = None) -> pd.DataFrame:
    """The clauses that cover checklist items: one row per (notice, item, evidence clause).

    Parameters
    ----------
    coverage
        ``doc_id, item, covered, evidence``.
    clauses
        ``clause_id, text``.
    item, doc_id
        Keep only this checklist item / this notice.

    Returns
    -------
    DataFrame
        ``doc_id, item, clause_id, text``, in coverage order.

    Examples
    --------
    >>> coverage = pd.DataFrame({"doc_id": ["a", "a"], "item": ["complaint", "purposes"], "covered": [True, False],
    ...     "evidence": [["a:0009"], []], "required": True})
    >>> clauses = pd.DataFrame({"clause_id": ["a:0009"], "text": ["Du kan klage til Datatilsynet."]})
    >>> evidence_clauses(coverage, clauses).values.tolist()
    [['a', 'complaint', 'a:0009', 'Du kan klage til Datatilsynet.']]
    """
    columns = ["doc_id", "item", "clause_id", "text"]
    if not _has(coverage, ["doc_id", "item", "evidence"]):
        return pd.DataFrame(columns=columns)
    rows = coverage
    if item is not None:
        rows = rows[rows["item"].astype(str) == item]
    if doc_id is not None:
        rows = rows[rows["doc_id"].astype(str) == doc_id]
    out = rows[["doc_id", "item", "evidence"]].explode("evidence").dropna(subset=["evidence"])
    out = out.rename(columns={"evidence": "clause_id"})
    out["item"] = out["item"].astype(str)
    out["text"] = out["clause_id"].map(_clause_text(clauses))
    return out[columns].reset_index(drop=True)


def _ids(evidence) -> str:
    if evidence is None or (isinstance(evidence, float) and np.isnan(evidence)):
        return ""
    if isinstance(evidence, str):
        return evidence
    return "; ".join(map(str, evidence))


def retention_clauses(retention: pd.DataFrame, clauses: pd.DataFrame) -> pd.DataFrame:
    """The stated storage periods with the clause each one comes from.

    Returns
    -------
    DataFrame
        ``doc_id, clause_id, raw, kind, days, qualifier, text`` (``text`` = the
        whole clause), ordered by notice and position.

    Examples
    --------
    >>> retention = pd.DataFrame({"clause_id": ["a:0004"], "doc_id": ["a"], "start": [10], "end": [16],
    ...     "raw": ["to år"], "kind": ["duration"], "days": [730.0], "qualifier": ["exact"]})
    >>> clauses = pd.DataFrame({"clause_id": ["a:0004"], "doc_id": ["a"], "text": ["Vi lagrer i to år."]})
    >>> retention_clauses(retention, clauses)[["clause_id", "days", "text"]].values.tolist()
    [['a:0004', 730.0, 'Vi lagrer i to år.']]
    """
    columns = ["doc_id", "clause_id", "raw", "kind", "days", "qualifier", "text"]
    if not _has(retention, ["clause_id", "doc_id"]):
        return pd.DataFrame(columns=columns)
    out = retention.copy()
    for column in ("raw", "kind", "days", "qualifier"):
        if column not in out:
            out[column] = None
    out["text"] = out["clause_id"].map(_clause_text(clauses))
    sort = ["doc_id", "start"] if "start" in out else ["doc_id", "clause_id"]
    return out.sort_values(sort, kind="stable")[columns].reset_index(drop=True)


def legal_basis_clauses(labels: pd.DataFrame, clauses: pd.DataFrame) -> pd.DataFrame:
    """The clauses that state a legal basis, with the basis and its cue words.

    Returns
    -------
    DataFrame
        ``doc_id, clause_id, label, cue, text``.

    Examples
    --------
    >>> labels = pd.DataFrame({"clause_id": ["a:0002", "a:0002"], "doc_id": ["a", "a"],
    ...     "dimension": ["legal_basis", "topic"], "label": ["consent", "purpose"], "score": [1.0, 1.0],
    ...     "cue": ["samtykke", "formål"]})
    >>> clauses = pd.DataFrame({"clause_id": ["a:0002"], "doc_id": ["a"], "text": ["Formålet, basert på samtykke."]})
    >>> legal_basis_clauses(labels, clauses)[["clause_id", "label", "cue"]].values.tolist()
    [['a:0002', 'consent', 'samtykke']]
    """
    columns = ["doc_id", "clause_id", "label", "cue", "text"]
    if not _has(labels, ["clause_id", "doc_id", "dimension", "label"]):
        return pd.DataFrame(columns=columns)
    out = labels[labels["dimension"].astype(str) == "legal_basis"].copy()
    if "cue" not in out:
        out["cue"] = ""
    out["label"] = out["label"].astype(str)
    out["text"] = out["clause_id"].map(_clause_text(clauses))
    return out.sort_values(["doc_id", "clause_id", "label"], kind="stable")[columns].reset_index(drop=True)


def shared_templates(pairs: pd.DataFrame, clauses: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Near-duplicate clause pairs of two different companies, with both texts.

    Parameters
    ----------
    pairs
        ``clause_a, clause_b, doc_a, doc_b, similarity`` (``policylab.near_duplicates``).
    clauses
        ``clause_id, text``.
    documents
        ``doc_id, company``: pairs within one company (two notices of the same
        controller) are dropped; without it, pairs within one notice are.

    Returns
    -------
    DataFrame
        ``company_a, clause_a, company_b, clause_b, similarity, text_a, text_b``,
        most similar first.

    Examples
    --------
    >>> pairs = pd.DataFrame({"clause_a": ["a:1"], "clause_b": ["b:1"], "doc_a": ["a"], "doc_b": ["b"],
    ...     "similarity": [0.91]})
    >>> clauses = pd.DataFrame({"clause_id": ["a:1", "b:1"], "text": ["Vi lagrer i to år.", "Vi lagrer i tre år."]})
    >>> shared_templates(pairs, clauses)[["clause_a", "clause_b", "text_b"]].values.tolist()
    [['a:1', 'b:1', 'Vi lagrer i tre år.']]
    """
    columns = ["company_a", "clause_a", "company_b", "clause_b", "similarity", "text_a", "text_b"]
    if not _has(pairs, ["clause_a", "clause_b", "doc_a", "doc_b"]):
        return pd.DataFrame(columns=columns)
    names = _company(documents)
    out = pairs.copy()
    out["company_a"] = [names.get(d, d) for d in out["doc_a"].astype(str)]
    out["company_b"] = [names.get(d, d) for d in out["doc_b"].astype(str)]
    out = out[out["company_a"] != out["company_b"]]
    text = _clause_text(clauses)
    out["text_a"] = out["clause_a"].map(text)
    out["text_b"] = out["clause_b"].map(text)
    if "similarity" not in out:
        out["similarity"] = np.nan
    return out.sort_values(["similarity", "clause_a"], ascending=[False, True], kind="stable")[columns].reset_index(
        drop=True
    )


# ---------------------------------------------------------------- figures


def report_figures(tables, *, random_state: int = 0) -> dict[str, tuple]:
    """Every figure of the report with the table of clauses behind it.

    Returns
    -------
    dict
        figure name -> ``(title, Figure, DataFrame behind it)``, in report order.
        Near duplicates and clusters are computed here (they are not part of
        ``tables``).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from policylab.build import build
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Personvern\\n\\nVi lagrer navn og e-post i to år.", encoding="utf-8")
    >>> list(report_figures(build(folder, progress=False)))[:2]
    ['coverage_heatmap', 'sector_benchmark']
    """
    from . import plots

    t = tables
    figures: dict[str, tuple] = {}
    figures["coverage_heatmap"] = (
        "Coverage of the GDPR Art. 13/14 checklist",
        plots.coverage_heatmap(t.coverage, t.documents),
        coverage_evidence(t.coverage),
    )
    benchmark = _benchmark_table(t)
    figures["sector_benchmark"] = (
        "Coverage and readability per sector",
        plots.sector_benchmark(t.coverage, t.readability, t.documents),
        benchmark,
    )
    readability_cols = [c for c in ("doc_id", "words", "sentences", "long_words", "lix", "ovix",
                                    "mean_sentence_length", "lix_band") if c in t.readability.columns]
    figures["lix_vs_length"] = (
        "Readability (LIX) against length",
        plots.lix_vs_length(t.readability, documents=t.documents),
        t.readability[readability_cols].sort_values("lix", ascending=False) if "lix" in readability_cols
        else t.readability,
    )
    sections = _section_readability(t)
    if _has(sections, ["doc_id", "lix"]) and _has(t.readability, ["doc_id", "lix"]):
        hardest = t.readability.sort_values("lix", ascending=False)["doc_id"].iloc[0]
        figures["lix_by_section"] = (
            f"Sections of the hardest notice to read ({_company(t.documents).get(hardest, hardest)})",
            plots.lix_by_section(sections, hardest),
            _clause_readability(t, hardest),
        )
    figures["retention_days"] = (
        "Stated storage periods",
        plots.retention_days(t.retention, t.documents),
        retention_clauses(t.retention, t.clauses),
    )
    figures["legal_basis_shares"] = (
        "Legal bases (GDPR Art. 6(1)) stated per notice",
        plots.legal_basis_shares(t.labels, t.clauses, documents=t.documents),
        legal_basis_clauses(t.labels, t.clauses),
    )
    pairs, clusters = _similarity(t, random_state=random_state)
    figures["clause_map"] = (
        "Shared templates: near-duplicate clauses across companies",
        plots.clause_map(clusters, highlight=pairs),
        shared_templates(pairs, t.clauses, t.documents),
    )
    return figures


def _benchmark_table(t) -> pd.DataFrame:
    if not _has(t.documents, ["doc_id"]):
        return pd.DataFrame()
    out = t.documents[[c for c in ("doc_id", "company", "nace_section", "sector", "language") if c in t.documents]]
    if _has(t.coverage, ["doc_id", "item", "covered"]):
        from .coverage import coverage_score

        out = out.merge(coverage_score(t.coverage), on="doc_id", how="left")
    if _has(t.readability, ["doc_id", "lix"]):
        out = out.merge(t.readability[["doc_id", "lix"]], on="doc_id", how="left")
    sort = [c for c in ("nace_section", "doc_id") if c in out]
    return out.sort_values(sort, kind="stable").reset_index(drop=True)


def _section_readability(t) -> pd.DataFrame:
    if not (_has(t.clauses, ["clause_id"]) and _has(t.readability, ["doc_id"])):
        return pd.DataFrame()
    from .readability import readability

    return readability(t, level="section")


def _clause_readability(t, doc_id: str) -> pd.DataFrame:
    """The clauses of one notice with their section and their own LIX, in document order."""
    from .readability import readability

    clauses = t.clauses[t.clauses["doc_id"] == doc_id]
    scores = readability(dataclasses.replace(t, clauses=clauses), level="clause")
    keep = [c for c in ("clause_id", "words", "sentences", "long_words", "lix") if c in scores]
    out = clauses[["clause_id", "doc_id", "section"]].merge(scores[keep], on="clause_id")
    out["text"] = out["clause_id"].map(_clause_text(clauses))
    return out.reset_index(drop=True)


def _similarity(t, *, random_state: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    if not _has(t.clauses, ["clause_id", "doc_id", "text"]):
        return pd.DataFrame(), pd.DataFrame()
    from .cluster import cluster_clauses, near_duplicates

    pairs = near_duplicates(t.clauses, progress=False)
    clusters = cluster_clauses(t.clauses, random_state=random_state, progress=False)
    return pairs, clusters


# ---------------------------------------------------------------- HTML


_CSS = """
body{font-family:Georgia,serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.45}
h1,h2,h3{font-family:Helvetica,Arial,sans-serif}
table{border-collapse:collapse;font-size:.82rem;margin:.5rem 0 1.5rem}
th,td{border:1px solid #bbb;padding:.2rem .45rem;vertical-align:top;text-align:left}
th{background:#eee}
td.text{max-width:42rem}
img{max-width:100%;border:1px solid #ddd}
details{margin:.2rem 0}
summary{cursor:pointer}
li.missing{margin:.1rem 0}
.note{color:#555;font-style:italic}
"""


def _esc(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (list, tuple, np.ndarray)):
        value = "; ".join(map(str, value))
    if isinstance(value, float):
        value = f"{value:.4g}"
    return html.escape(str(value))


def _table(frame: pd.DataFrame, *, empty: str = "nothing to show") -> str:
    if frame is None or frame.empty:
        return f'<p class="note">{html.escape(empty)}</p>'
    head = "".join(f"<th>{_esc(c)}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = "".join(
            f'<td class="text">{_esc(v)}</td>' if str(c).startswith("text") else f"<td>{_esc(v)}</td>"
            for c, v in zip(frame.columns, values)
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150)
    return buffer.getvalue()


def _coverage_details(coverage: pd.DataFrame, documents: pd.DataFrame, clauses: pd.DataFrame) -> str:
    """A collapsible block per notice: each item, covered or not, and its evidence clause ids."""
    evidence = coverage_evidence(coverage)
    if evidence.empty:
        return '<p class="note">no coverage table</p>'
    names = _company(documents)
    text = _clause_text(clauses)
    blocks = []
    for doc_id, part in evidence.groupby("doc_id", sort=True):
        covered = int(part["covered"].sum())
        rows = []
        for r in part.itertuples(index=False):
            status = "covered" if r.covered else ("MISSING" if r.required else "not given (not required)")
            ids = [i for i in r.evidence.split("; ") if i]
            cited = ", ".join(
                f'<code title="{_esc(text.get(i, ""))}">{_esc(i)}</code>' for i in ids
            ) or "—"
            rows.append(f"<tr><td>{_esc(r.item)}</td><td>{_esc(_article(r.article))}</td>"
                        f"<td>{_esc(status)}</td><td>{cited}</td></tr>")
        blocks.append(
            f"<details><summary>{_esc(names.get(doc_id, doc_id))} ({_esc(doc_id)}): "
            f"{covered} of {len(part)} items covered</summary><table><thead><tr><th>item</th><th>article</th>"
            f"<th>status</th><th>evidence (clause ids; hover for the text)</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></details>"
        )
    return "\n".join(blocks)


def _missing_html(coverage: pd.DataFrame, documents: pd.DataFrame) -> str:
    gaps = missing_items(coverage, documents)
    if not _has(coverage, ["doc_id", "item", "covered"]):
        return '<p class="note">no coverage table: nothing to check</p>'
    if gaps.empty:
        return "<p>Every notice gives every required item.</p>"
    blocks = []
    # One list per notice, the notices with most gaps first.
    order = gaps["doc_id"].value_counts(sort=False).sort_values(ascending=False, kind="stable").index
    for doc_id in order:
        part = gaps[gaps["doc_id"] == doc_id]
        items = "\n".join(
            f'<li class="missing" data-doc-id="{_esc(r.doc_id)}" data-item="{_esc(r.item)}">{_esc(r.message)}</li>'
            for r in part.itertuples(index=False)
        )
        blocks.append(f"<h3>{_esc(part['company'].iloc[0])} ({_esc(doc_id)}): {len(part)} missing</h3><ul>{items}</ul>")
    return (f"<p>{len(gaps)} required items are missing in {gaps['doc_id'].nunique()} notices. Each line names "
            "the notice, what it does not say, and the GDPR provision that requires it; the evidence behind "
            "every covered item is listed under the coverage figure below. Items are found by a rule-based "
            "tagger: a missing item means that no clause matched its cue words, so read the notice before "
            "acting on a line.</p>" + "\n".join(blocks))


def _overview(t) -> pd.DataFrame:
    docs = t.documents
    cols = [c for c in ("doc_id", "company", "nace_section", "sector", "language", "n_words") if c in docs]
    out = docs[cols].copy()
    if _has(t.clauses, ["doc_id", "clause_id"]):
        out = out.merge(t.clauses.groupby("doc_id").size().rename("clauses").reset_index(), on="doc_id", how="left")
    bench = _benchmark_table(t)
    for column in ("coverage_score", "lix"):
        if column in bench:
            out = out.merge(bench[["doc_id", column]], on="doc_id", how="left")
    return out


def write_report(tables, out: Path | str, *, svg: bool = False, random_state: int = 0) -> Path:
    """Write the report of ``tables`` into ``out`` and return its main file.

    Writes ``out/report.html`` (self-contained), ``out/figures/<name>.png`` (and
    ``.svg`` with ``svg=True``) and ``out/summary.txt``.

    Parameters
    ----------
    tables
        A :class:`policylab.Tables` (``policylab.build()``).
    out
        The folder to write into (created if missing).
    svg
        Also write every figure as SVG.
    random_state
        Seed of the clause clustering behind the clause map.
    """
    out = Path(out)
    figures_dir = out / "figures"
    figures_dir.mkdir(parents=True, exist_ok=True)
    (out / "summary.txt").write_text(summary_text(tables), encoding="utf-8")
    t = tables
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>policylab report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Privacy notices: GDPR Art. 13/14 report</h1>",
        f"<p>Corpus: <code>{_esc(t.corpus)}</code>: {len(t.documents)} notices, {len(t.clauses)} clauses. "
        "Every figure is followed by the clauses behind it; clause ids are "
        "<code>doc_id:position</code> in the <code>clauses</code> table.</p>",
        "<h2>Notices</h2>",
        _table(_overview(t), empty="no notice could be read"),
        "<h2>Missing required information</h2>",
        _missing_html(t.coverage, t.documents),
    ]
    for name, (title, fig, behind) in report_figures(t, random_state=random_state).items():
        png = _png(fig)
        (figures_dir / f"{name}.png").write_bytes(png)
        if svg:
            fig.savefig(figures_dir / f"{name}.svg", format="svg")
        parts.append(f'<h2 id="{_esc(name)}">{_esc(title)}</h2>')
        parts.append(f'<img alt="{_esc(title)}" src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">')
        if name == "coverage_heatmap":
            parts.append("<h3>Evidence per notice</h3>")
            parts.append(_coverage_details(t.coverage, t.documents, t.clauses))
        else:
            parts.append("<h3>Behind the figure</h3>")
            parts.append(_table(behind))
    if len(t.problems):
        parts.append("<h2>Problems met while reading</h2>")
        parts.append(_table(t.problems))
    parts.append("</body></html>")
    path = out / "report.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path

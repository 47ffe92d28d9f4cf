"""The tables of the report: what each notice covers and misses, with the clauses behind it.

Plain functions over the tidy tables of :func:`policylab.build`, so a notebook
shows exactly what the report shows: :func:`missing_items`,
:func:`coverage_evidence`, :func:`evidence_clauses`, :func:`retention_clauses`,
:func:`legal_basis_clauses`, :func:`shared_templates`, and per corpus
:func:`notice_overview`, :func:`sector_overview` and :func:`left_out`.

What the report says about each checklist item (what a notice misses, and what
the GDPR expects it to say) is data: ``policylab/report/items.toml``, one entry
per item with its source.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

from ..style import MIN_GROUP

__all__ = [
    "ITEM_EXPECTED",
    "ITEM_PHRASES",
    "coverage_evidence",
    "evidence_clauses",
    "left_out",
    "legal_basis_clauses",
    "missing_items",
    "notice_overview",
    "retention_clauses",
    "sector_of",
    "sector_overview",
    "shared_templates",
    "summary_text",
]

_ITEMS = tomllib.loads((Path(__file__).with_name("items.toml")).read_text(encoding="utf-8"))["item"]

#: What a notice fails to say when a checklist item is missing, as a regulator
#: would write it (``items.toml``); items not listed fall back to "<item> not covered".
ITEM_PHRASES: dict[str, str] = {name: entry["missing"] for name, entry in _ITEMS.items()}

#: One sentence per checklist item on what the GDPR expects a notice to say (``items.toml``).
ITEM_EXPECTED: dict[str, str] = {name: entry["expected"] for name, entry in _ITEMS.items()}


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
    names = documents.set_index("doc_id")["company"].dropna().astype(str).str.strip()
    return names[~names.str.lower().isin(["", "nan", "none", "<na>"])].to_dict()


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




# ---------------------------------------------------------------- per corpus


def sector_of(documents: pd.DataFrame | None, doc_ids=None) -> pd.Series:
    """The sector group of each notice, as the figures name it: NACE section and short name, else the sector.

    >>> sector_of(pd.DataFrame({"doc_id": ["a", "b"], "nace_section": ["J", None], "sector": ["IT", None]})).tolist()
    ['J Information, communication', 'unknown sector']
    """
    from ..plots._common import _sector_groups

    if doc_ids is None:
        doc_ids = documents["doc_id"].astype(str) if _has(documents, ["doc_id"]) else []
    return _sector_groups(documents, list(doc_ids))


def left_out(documents: pd.DataFrame | None) -> pd.DataFrame:
    """The notices that were read but not tagged (a language without a lexicon), with the reason.

    They have no labels, retention or coverage rows: the report lists them
    instead of scoring them as if they covered nothing.

    >>> left_out(pd.DataFrame({"doc_id": ["a", "b"], "language": ["nb", "sv"], "tagged": [True, False]})).values.tolist()
    [['b', 'sv', 'sv: no lexicon; read and segmented, not tagged']]
    """
    columns = ["doc_id", "language", "reason"]
    if not _has(documents, ["doc_id", "tagged"]):
        return pd.DataFrame(columns=columns)
    from ..languages import untagged_reason

    out = documents[~documents["tagged"].fillna(False).astype(bool)].copy()
    out["language"] = out["language"].astype(str) if "language" in out else ""
    out["reason"] = [untagged_reason(lang) for lang in out["language"]]
    return out[columns].reset_index(drop=True)


def _tagged(documents: pd.DataFrame) -> pd.Series:
    if "tagged" not in documents:
        return pd.Series(True, index=documents.index)
    return documents["tagged"].fillna(False).astype(bool)


def notice_overview(tables, *, lineage: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per notice: who, where, how long, how much of the checklist it gives, what it misses.

    Returns
    -------
    DataFrame
        ``doc_id, company, sector, language, tagged, words, clauses,
        items_required, items_covered, coverage_score, missing, lix, lix_band,
        periods, family, borrowed_share``; ``missing`` is the required items not
        given (``", "``-joined); untagged notices have no score (NaN), not 0.

    Examples
    --------
    >>> from policylab.build import build
    >>> row = notice_overview(build()).set_index("doc_id").loc["balcoo"]
    >>> row["company"], row["sector"], bool(0 < row["coverage_score"] <= 1)
    ('Balcoo AS', 'F Construction', True)
    """
    docs = tables.documents
    out = pd.DataFrame({"doc_id": docs["doc_id"].astype(str)})
    names = _company(docs)
    out["company"] = [names.get(d, d) for d in out["doc_id"]]
    out["sector"] = sector_of(docs, out["doc_id"]).to_numpy()
    out["language"] = docs["language"].astype(str).to_numpy() if "language" in docs else ""
    out["tagged"] = _tagged(docs).to_numpy()
    out["words"] = docs["n_words"].to_numpy() if "n_words" in docs else np.nan
    if _has(tables.clauses, ["doc_id", "clause_id"]):
        n = tables.clauses.groupby("doc_id")["clause_id"].size()
        out["clauses"] = out["doc_id"].map(n).fillna(0).astype(int)
    else:
        out["clauses"] = 0
    if _has(tables.coverage, ["doc_id", "item", "covered"]):
        from ..coverage import coverage_score

        score = coverage_score(tables.coverage).set_index("doc_id")
        for column in ("items_required", "items_covered", "coverage_score"):
            out[column] = out["doc_id"].map(score[column])
        gaps = missing_items(tables.coverage)
        missing = gaps.groupby("doc_id")["item"].agg(", ".join)
        out["missing"] = out["doc_id"].map(missing).fillna("")
    else:
        out["items_required"] = out["items_covered"] = out["coverage_score"] = np.nan
        out["missing"] = ""
    out.loc[~out["tagged"], ["items_required", "items_covered", "coverage_score"]] = np.nan
    if _has(tables.readability, ["doc_id", "lix"]):
        read = tables.readability.drop_duplicates("doc_id").set_index("doc_id")
        out["lix"] = out["doc_id"].map(read["lix"])
        out["lix_band"] = out["doc_id"].map(read["lix_band"]).astype(object) if "lix_band" in read else ""
    else:
        out["lix"], out["lix_band"] = np.nan, ""
    if _has(tables.retention, ["doc_id", "kind"]):
        n = tables.retention.groupby("doc_id").size()
        out["periods"] = out["doc_id"].map(n).fillna(0).astype(int)
    else:
        out["periods"] = 0
    if _has(lineage, ["doc_id", "family", "borrowed_share"]):
        lin = lineage.drop_duplicates("doc_id").set_index("doc_id")
        out["family"] = out["doc_id"].map(lin["family"])
        out["borrowed_share"] = out["doc_id"].map(lin["borrowed_share"])
    else:
        out["family"], out["borrowed_share"] = np.nan, np.nan
    return out


def sector_overview(notices: pd.DataFrame, coverage: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per sector: notices, languages, median coverage and LIX, the items most often missed.

    Medians and shares of a sector with fewer than :data:`~policylab.style.MIN_GROUP`
    tagged notices are left empty (NaN) and ``note`` says why.

    Parameters
    ----------
    notices
        :func:`notice_overview`.
    coverage
        The coverage table, for ``most_missed``.

    Returns
    -------
    DataFrame
        ``sector, notices, tagged, languages, median_coverage, median_lix,
        most_missed, note``, sectors in name order.

    Examples
    --------
    >>> notices = pd.DataFrame({"doc_id": list("abcd"), "sector": ["J IT"] * 3 + ["K Finance"], "language": "nb",
    ...     "tagged": True, "coverage_score": [0.5, 0.7, 0.9, 1.0], "lix": [40.0, 45.0, 50.0, 38.0]})
    >>> sector_overview(notices)[["sector", "notices", "median_coverage", "note"]].values.tolist()
    [['J IT', 3, 0.7, ''], ['K Finance', 1, nan, 'fewer than 3 tagged notices: no median']]
    """
    columns = ["sector", "notices", "tagged", "languages", "median_coverage", "median_lix", "most_missed", "note"]
    if notices is None or notices.empty:
        return pd.DataFrame(columns=columns)
    gaps = missing_items(coverage) if coverage is not None else pd.DataFrame(columns=["doc_id", "item"])
    sector = notices.set_index("doc_id")["sector"]
    gaps = gaps.assign(sector=gaps["doc_id"].map(sector))
    rows = []
    for name, part in notices.groupby("sector", sort=True):
        tagged = part[part["tagged"].astype(bool)]
        few = len(tagged) < MIN_GROUP
        missed = gaps[gaps["sector"] == name]["item"].value_counts()
        required_in = len(tagged)
        rows.append({
            "sector": name,
            "notices": len(part),
            "tagged": len(tagged),
            "languages": ", ".join(f"{k} {v}" for k, v in part["language"].value_counts().sort_index().items()),
            "median_coverage": np.nan if few else float(tagged["coverage_score"].median()),
            "median_lix": np.nan if few else float(tagged["lix"].median()),
            "most_missed": "; ".join(f"{item} ({n} of {required_in})" for item, n in missed.head(3).items()),
            "note": f"fewer than {MIN_GROUP} tagged notices: no median" if few else "",
        })
    return pd.DataFrame(rows, columns=columns)

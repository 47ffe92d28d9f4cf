"""The GDPR Art. 13/14 coverage matrix: which checklist items each notice gives.

A notice covers an item where at least one of its clauses carries the label(s)
that satisfy it (``taxonomy.md`` §5, ``lexicons/checklist.toml``). Every cell keeps
its evidence, the clause ids, so a reader can check each verdict against the text.

Whether an item is *required* depends on the notice (see ``checklist.toml``):

- ``consent_withdrawal`` only where some clause tags legal basis ``consent``;
- ``legitimate_interests`` only where some clause tags ``legitimate_interests``
  (so it is covered wherever it is required: Art. 13(1)(d) asks to name the
  interests, which the tagger reads from the same clauses);
- ``dpo_contact`` only for public authorities (``documents.nace_section`` "O"),
  which must appoint a data protection officer (Art. 37(1)(a));
- ``data_source`` (Art. 14(2)(f)) is reported but never required: it applies to
  data not collected from the person, which the text alone cannot establish;
- every other item, ``transfer`` and ``automated_decisions`` included, always.

Examples
--------
>>> import pandas as pd
>>> labels = pd.DataFrame({"clause_id": ["a:0001", "a:0002"], "doc_id": ["a", "a"],
...                        "dimension": ["topic", "legal_basis"], "label": ["retention", "consent"],
...                        "score": [0.9, 0.9], "cue": ["i to år", "samtykke"]})
>>> cov = coverage_table(labels, pd.DataFrame({"doc_id": ["a"]}))
>>> cov.set_index("item").loc[["retention_period", "consent_withdrawal"], ["covered", "required", "evidence"]].values.tolist()
[[True, True, ['a:0001']], [False, True, []]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .labels import ITEM_DTYPE, checklist, public_sections

__all__ = ["COVERAGE_COLUMNS", "coverage_table", "coverage_score"]

COVERAGE_COLUMNS = ["doc_id", "item", "article", "covered", "required", "evidence", "n_evidence"]


def coverage_table(labels: pd.DataFrame, documents: pd.DataFrame, *, min_score: float = 0.0) -> pd.DataFrame:
    """One row per (notice, checklist item) with the clause ids that cover it.

    Parameters
    ----------
    labels
        A labels table (``clause_id, doc_id, dimension, label, score``), e.g. from
        :func:`policylab.tag.tag_clauses`.
    documents
        The notices to report on (``doc_id``; ``nace_section`` decides whether a
        data protection officer is required). Notices without labels get rows too.
    min_score
        Labels scoring below this are not evidence (``0`` counts every label,
        inherited ones included; ``0.6`` keeps only a clause's own words).

    Returns
    -------
    DataFrame with ``doc_id, item, article, covered, required, evidence,
    n_evidence``, ordered by ``doc_id`` and checklist order; ``evidence`` is a
    list of clause ids in document order.

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["kommune"], "nace_section": ["O"]})
    >>> empty = pd.DataFrame(columns=["clause_id", "doc_id", "dimension", "label", "score", "cue"])
    >>> coverage_table(empty, docs).set_index("item").loc["dpo_contact", ["covered", "required"]].tolist()
    [False, True]
    """
    items = checklist()
    doc_ids = sorted(dict.fromkeys(str(d) for d in documents["doc_id"]))
    if len(labels):
        lab = labels.loc[:, ["clause_id", "doc_id", "dimension", "label", "score"]].copy()
        for col in ("clause_id", "doc_id", "dimension", "label"):
            lab[col] = lab[col].astype(str)
        lab = lab[(lab["score"].astype(float) >= min_score) & lab["doc_id"].isin(doc_ids)]
    else:
        lab = pd.DataFrame({c: pd.Series(dtype=str) for c in ("clause_id", "doc_id", "dimension", "label")})
    # Clause ids sort in document order ("doc:0007" < "doc:0012").
    lab = lab.sort_values("clause_id", kind="stable")

    bases = {
        basis: set(lab.loc[(lab["dimension"] == "legal_basis") & (lab["label"] == basis), "doc_id"])
        for basis in {r.split(":", 1)[1] for r in items["required"] if r.startswith("if_basis:")}
    }
    public = set()
    if "nace_section" in documents:
        sections = set(public_sections())
        public = {str(d) for d, s in zip(documents["doc_id"], documents["nace_section"]) if str(s) in sections}

    frames = []
    for item in items.itertuples(index=False):
        mask = lab["dimension"] == item.dimension
        if item.labels:
            mask &= lab["label"].isin(item.labels)
        evidence = lab.loc[mask].groupby("doc_id", sort=False)["clause_id"].agg(lambda s: list(dict.fromkeys(s)))
        cells = [evidence.get(d, []) for d in doc_ids]
        rule = item.required
        if rule == "always":
            required = [True] * len(doc_ids)
        elif rule == "never":
            required = [False] * len(doc_ids)
        elif rule == "if_public_authority":
            required = [d in public for d in doc_ids]
        else:  # if_basis:<label>
            required = [d in bases[rule.split(":", 1)[1]] for d in doc_ids]
        frames.append(
            pd.DataFrame(
                {
                    "doc_id": doc_ids,
                    "item": item.item,
                    "article": item.article,
                    "covered": [bool(c) for c in cells],
                    "required": required,
                    "evidence": cells,
                    "n_evidence": [len(c) for c in cells],
                }
            )
        )
    if not frames or not doc_ids:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in COVERAGE_COLUMNS})
    else:
        out = pd.concat(frames, ignore_index=True)
    out = out.astype({"doc_id": "str", "item": ITEM_DTYPE, "article": "str", "covered": "bool",
                      "required": "bool", "n_evidence": "int64"})
    out = out.sort_values(["doc_id", "item"], kind="stable").reset_index(drop=True)
    return out[COVERAGE_COLUMNS]


def coverage_score(coverage: pd.DataFrame) -> pd.DataFrame:
    """Share of each notice's required checklist items that it covers.

    Parameters
    ----------
    coverage
        A coverage table from :func:`coverage_table`.

    Returns
    -------
    DataFrame with ``doc_id, items_required, items_covered, coverage_score``
    (``items_covered`` counts required items only; the score is NaN for a notice
    with no required item).

    Examples
    --------
    >>> import pandas as pd
    >>> cov = pd.DataFrame({"doc_id": ["a", "a", "a"], "covered": [True, False, True],
    ...                     "required": [True, True, False]})
    >>> coverage_score(cov).values.tolist()
    [['a', 2, 1, 0.5]]
    """
    if len(coverage) == 0:
        return pd.DataFrame({"doc_id": pd.Series(dtype="str"), "items_required": pd.Series(dtype="int64"),
                             "items_covered": pd.Series(dtype="int64"), "coverage_score": pd.Series(dtype="float64")})
    frame = pd.DataFrame({
        "doc_id": coverage["doc_id"].astype(str),
        "required": coverage["required"].astype(bool),
        "hit": coverage["covered"].astype(bool) & coverage["required"].astype(bool),
    })
    out = frame.groupby("doc_id", sort=True).agg(items_required=("required", "sum"), items_covered=("hit", "sum"))
    out = out.reset_index().astype({"items_required": "int64", "items_covered": "int64"})
    with np.errstate(invalid="ignore", divide="ignore"):
        out["coverage_score"] = np.where(out["items_required"] > 0,
                                         out["items_covered"] / out["items_required"].where(out["items_required"] > 0, 1),
                                         np.nan)
    return out

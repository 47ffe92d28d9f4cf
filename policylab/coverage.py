"""The GDPR Art. 13/14 coverage matrix: which checklist items each notice gives.

A notice covers an item where at least one of its clauses carries the label(s)
that satisfy it (``taxonomy.md`` §5, ``lexicons/checklist.toml``). Every cell keeps
its evidence, the clause ids, so a reader can check each verdict against the text.

Whether an item is *required* depends on the notice (see ``checklist.toml``):

- ``consent_withdrawal`` only where some clause tags legal basis ``consent``;
- ``legitimate_interests`` only where some clause tags ``legitimate_interests``
  (so it is covered wherever it is required: Art. 13(1)(d) asks to name the
  interests, which the tagger reads from the same clauses);
- ``dpo_contact`` only for public authorities and bodies, which must appoint a
  data protection officer (Art. 37(1)(a)): ``documents.public_body`` where the
  metadata says, else NACE section O or a name or sector such as "kommune",
  "direktorat", "HF", "universitet" (:func:`policylab.labels.public_bodies`);
- ``data_source`` (Art. 14(2)(f)) is reported but never required: it applies to
  data not collected from the person, which the text alone cannot establish;
- every other item, ``transfer`` and ``automated_decisions`` included, always.

Coverage reads what a section says (when ``clauses`` are given, as ``build``
does): a heading's label, and a label a clause inherited from a heading, are
evidence for a topic only where some clause of that heading's section answers
(:func:`_answered`). A question heading with nothing under it that answers ("Kor
lenge lagrar vi opplysningane?" over a paragraph about something else) covers nothing.
A label in a table cell is a label of its row (the row is one clause), so it
counts for the row.

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

from .labels import ITEM_DTYPE, checklist, public_bodies

__all__ = ["COVERAGE_COLUMNS", "coverage_table", "coverage_score"]

COVERAGE_COLUMNS = ["doc_id", "item", "article", "covered", "required", "evidence", "n_evidence"]


def coverage_table(labels: pd.DataFrame, documents: pd.DataFrame, *, min_score: float = 0.0,
                   clauses: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (notice, checklist item) with the clause ids that cover it.

    Parameters
    ----------
    labels
        A labels table (``clause_id, doc_id, dimension, label, score``), e.g. from
        :func:`policylab.tag.tag_clauses`.
    documents
        The notices to report on (``doc_id``; ``public_body``, or else
        ``nace_section``, ``company`` and ``sector``, decide whether a data
        protection officer is required). Notices without labels get rows too.
    min_score
        Labels scoring below this are not evidence (``0`` counts every label,
        inherited ones included; ``0.6`` keeps only a clause's own words).
    clauses
        The clauses table; when given, headings and what clauses inherit from
        them are evidence only where the heading's section answers (see the
        module notes). Labels without ``source``/``from_clause`` (gold labels)
        count as the clauses' own words.

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
    if clauses is not None and len(labels) and "source" in labels:
        labels = labels[_answered(labels, clauses)]
    lab = _evidence_rows(labels, doc_ids, min_score)
    evidence = _evidence_lists(lab, items)

    bases = {
        basis: set(lab.loc[(lab["dimension"] == "legal_basis") & (lab["label"] == basis), "doc_id"])
        for basis in {r.split(":", 1)[1] for r in items["required"] if r.startswith("if_basis:")}
    }
    public = {str(d) for d, p in zip(documents["doc_id"], public_bodies(documents)) if p}

    frames = []
    for k, item in enumerate(items.itertuples(index=False)):
        cells = [evidence.get((k, d), []) for d in doc_ids]
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


def _answered(labels: pd.DataFrame, clauses: pd.DataFrame) -> np.ndarray:
    """Which label rows are evidence (see the module notes).

    For topics, a heading's label, and the label a clause inherited from a heading,
    count only where a clause (not a heading) of the heading's section answers:
    it carries the topic by its own words, or it inherits the topic and says
    nothing else (a bare item under "Personopplysningar og deg"). A clause that
    inherits the topic but is about another topic of its own does not answer. Rights
    and bases are named by their headings themselves ("Rett til sletting") and
    always count.
    """
    ids = labels["clause_id"].astype(str).tolist()
    kind = dict(zip(clauses["clause_id"].astype(str), clauses["kind"].astype(str)))
    section = dict(zip(clauses["clause_id"].astype(str), clauses["section"].fillna("").astype(str)))
    sources = labels["source"].astype(str).tolist()
    dims = labels["dimension"].astype(str).tolist()
    keys = list(zip(labels["doc_id"].astype(str), dims, labels["label"].astype(str)))
    froms = labels["from_clause"].astype(str).tolist() if "from_clause" in labels else ids
    own_topic = {cid for cid, src, d in zip(ids, sources, dims) if d == "topic" and src != "heading"}
    # Sections (and their ancestors) where a clause answers each (notice, topic).
    stated: dict[tuple, set[str]] = {}
    for cid, src, key in zip(ids, sources, keys):
        if key[1] != "topic" or kind.get(cid) == "heading":
            continue
        if src == "heading" and cid in own_topic:
            continue  # about something else of its own
        parts = section.get(cid, "").split(" > ")
        found = stated.setdefault(key, set())
        found.add("")
        for k in range(1, len(parts) + 1):
            found.add(" > ".join(parts[:k]))

    def answered(heading_id: str, key: tuple) -> bool:
        if kind.get(heading_id) != "heading":
            return True  # a lead-in paragraph states what it says
        return section.get(heading_id, "") in stated.get(key, ())

    out = np.ones(len(labels), dtype=bool)
    for i, (cid, src, key, origin) in enumerate(zip(ids, sources, keys, froms)):
        if key[1] != "topic":
            continue
        if src == "heading":
            out[i] = answered(origin, key)
        elif kind.get(cid) == "heading":
            out[i] = answered(cid, key)
    return out


def _evidence_rows(labels: pd.DataFrame, doc_ids: list[str], min_score: float) -> pd.DataFrame:
    """The label rows that count as evidence, as plain strings, in clause id order."""
    if not len(labels):
        return pd.DataFrame({c: pd.Series(dtype=str) for c in ("clause_id", "doc_id", "dimension", "label")})
    keep = labels["score"].astype(float).to_numpy() >= min_score
    lab = labels.loc[keep, ["clause_id", "doc_id", "dimension", "label"]]
    # Strings once per distinct value (categoricals map their categories), not per row.
    lab = pd.DataFrame({col: lab[col].astype(str) for col in lab.columns})
    lab = lab[lab["doc_id"].isin(doc_ids)]
    # Clause ids sort in document order ("doc:0007" < "doc:0012").
    return lab.sort_values("clause_id", kind="stable")


def _evidence_lists(lab: pd.DataFrame, items: pd.DataFrame) -> dict[tuple[int, str], list[str]]:
    """``{(item position, doc_id): [clause_id, ...]}`` for every covered cell, in one pass:
    each label row is matched to the items it satisfies, then cut into lists."""
    if not len(lab):
        return {}
    dimension, dimensions = pd.factorize(lab["dimension"])
    label, label_names = pd.factorize(lab["label"])
    doc, doc_names = pd.factorize(lab["doc_id"])
    picks = []
    for k, item in enumerate(items.itertuples(index=False)):
        mask = dimension == (dimensions.get_loc(item.dimension) if item.dimension in dimensions else -2)
        if item.labels:
            mask &= np.isin(label, [label_names.get_loc(x) for x in item.labels if x in label_names])
        picks.append(np.flatnonzero(mask) + k * len(lab))
    # One integer per (item, row) in (item, clause order); a clause counts once per cell.
    picked = np.concatenate(picks)
    k, pos = np.divmod(picked, len(lab))
    cell = k * len(doc_names) + doc[pos]
    order = np.lexsort((pos, cell))
    cell, pos = cell[order], pos[order]
    clause_ids = lab["clause_id"].to_numpy()[pos]
    first = np.ones(len(cell), dtype=bool)
    first[1:] = (cell[1:] != cell[:-1]) | (clause_ids[1:] != clause_ids[:-1])
    cell, clause_ids = cell[first], clause_ids[first].tolist()
    if not len(cell):
        return {}
    bounds = np.flatnonzero(np.diff(cell)) + 1
    starts = [0, *bounds.tolist()]
    ends = [*bounds.tolist(), len(cell)]
    out: dict[tuple[int, str], list[str]] = {}
    for a, b in zip(starts, ends):
        item_k, d = divmod(int(cell[a]), len(doc_names))
        out[(item_k, doc_names[d])] = clause_ids[a:b]
    return out


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

"""The mapping between OPP-115 labels and policylab's labels, both ways.

``policylab/data/opp115_mapping.csv`` holds one row per correspondence with a note
and a source:

- ``zero_shot`` rows: a policylab label (``dimension``, ``policylab_label``) that the
  rule tagger gives implies an OPP-115 label. Rows with no policylab label state that
  the OPP-115 label has no counterpart (Do Not Track, Introductory/Generic,
  Practice not covered).
- ``transfer`` rows: an OPP-115 practice (label, optionally one attribute value;
  ``*`` = any value other than Unspecified / not-selected) implies a policylab label.
  :func:`opp115_to_policylab` turns majority practices into policylab training
  labels for :class:`policylab.model.ClauseClassifier`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..annotations import LABELS
from ..datasets.opp115 import OPP115_LABELS, Opp115

__all__ = ["MAPPING_PATH", "mapping_table", "opp115_to_policylab", "transfer_clauses", "zero_shot_coverage", "zero_shot_labels"]

MAPPING_PATH = Path(__file__).resolve().parents[1] / "data" / "opp115_mapping.csv"
_UNSET = {"", "Unspecified", "not-selected", "Other", "None"}


@lru_cache(maxsize=1)
def _read() -> pd.DataFrame:
    m = pd.read_csv(MAPPING_PATH, dtype=str, keep_default_na=False)
    for row in m.itertuples():
        where = f"{MAPPING_PATH}: line {row.Index + 2}"
        if row.direction not in ("zero_shot", "transfer"):
            raise ValueError(f"{where}: direction must be zero_shot or transfer, not {row.direction!r}")
        if row.opp115_label not in OPP115_LABELS:
            raise ValueError(f"{where}: unknown OPP-115 label {row.opp115_label!r}")
        if row.policylab_label and row.policylab_label not in LABELS.get(row.dimension, ()):
            raise ValueError(f"{where}: unknown policylab {row.dimension} label {row.policylab_label!r}")
        if not row.note or not row.source:
            raise ValueError(f"{where}: every row needs a note and a source")
    return m


def mapping_table() -> pd.DataFrame:
    """The mapping as a tidy table (a copy of ``opp115_mapping.csv``).

    Examples
    --------
    >>> m = mapping_table()
    >>> sorted(m.loc[(m.direction == "zero_shot") & (m.policylab_label == ""), "opp115_label"])
    ['Do Not Track', 'Introductory/Generic', 'Practice not covered']
    """
    return _read().copy()


def zero_shot_coverage() -> dict:
    """Which OPP-115 labels the rules can reach, and from which policylab labels.

    Examples
    --------
    >>> zero_shot_coverage()["uncovered"]
    ['Do Not Track', 'Introductory/Generic', 'Practice not covered']
    """
    m = _read()
    z = m[(m.direction == "zero_shot") & (m.policylab_label != "")]
    by = {l: sorted(f"{d}:{p}" for d, p in zip(z.dimension[z.opp115_label == l], z.policylab_label[z.opp115_label == l]))
          for l in OPP115_LABELS}
    return {"covered": {l: v for l, v in by.items() if v}, "uncovered": [l for l, v in by.items() if not v]}


def zero_shot_labels(tags: pd.DataFrame, examples: pd.DataFrame) -> list[tuple[str, ...]]:
    """OPP-115 labels implied by the rule tagger's labels, one tuple per example.

    Parameters
    ----------
    tags
        Rule labels (``clause_id, dimension, label``) of the examples' segments.
    examples
        From :func:`policylab.datasets.opp115.privacyglue_examples` (``clause_ids``).

    Examples
    --------
    >>> tags = pd.DataFrame({"clause_id": ["a"], "dimension": ["topic"], "label": ["retention"]})
    >>> zero_shot_labels(tags, pd.DataFrame({"clause_ids": [("a",), ("b",)]}))
    [('Data Retention',), ()]
    """
    m = _read()
    z = m[(m.direction == "zero_shot") & (m.policylab_label != "")]
    implies: dict[tuple[str, str], set[str]] = {}
    for d, p, o in zip(z.dimension, z.policylab_label, z.opp115_label):
        implies.setdefault((d, p), set()).add(o)
    per_clause: dict[str, set[str]] = {}
    for cid, d, l in zip(tags["clause_id"], tags["dimension"], tags["label"]):
        per_clause.setdefault(str(cid), set()).update(implies.get((str(d), str(l)), ()))
    out = []
    for ids in examples["clause_ids"]:
        got = set().union(*(per_clause.get(c, set()) for c in ids)) if len(ids) else set()
        out.append(tuple(l for l in OPP115_LABELS if l in got))
    return out


def opp115_to_policylab(data: Opp115) -> pd.DataFrame:
    """policylab labels of OPP-115 segments, from their majority practices.

    A segment gets a policylab label when at least 2 of its 3 annotators recorded a
    practice that a ``transfer`` row maps to it.

    Returns
    -------
    DataFrame
        ``clause_id, dimension, label, n_annotators``.
    """
    m = _read()
    t = m[m.direction == "transfer"]
    a = data.attributes
    rows = []
    for r in t.itertuples():
        sel = a[a["label"] == r.opp115_label]
        if r.opp115_attribute:
            sel = sel[sel["attribute"] == r.opp115_attribute]
            sel = sel[~sel["value"].isin(_UNSET)] if r.opp115_value == "*" else sel[sel["value"] == r.opp115_value]
        n = sel.groupby("clause_id")["annotator_id"].nunique()
        n = n[n >= 2]
        rows += [(cid, r.dimension, r.policylab_label, int(k)) for cid, k in n.items()]
    out = pd.DataFrame(rows, columns=["clause_id", "dimension", "label", "n_annotators"])
    return (out.sort_values("n_annotators", ascending=False).drop_duplicates(["clause_id", "dimension", "label"])
               .sort_values(["clause_id", "dimension", "label"]).reset_index(drop=True))


def transfer_clauses(data: Opp115, dimension: str = "topic", *, segments: pd.Series | None = None) -> tuple[pd.DataFrame, list[list[str]]]:
    """OPP-115 segments as extra English training clauses for ``ClauseClassifier``.

    Parameters
    ----------
    data
        From :func:`policylab.datasets.load_opp115`.
    dimension
        ``topic``, ``legal_basis`` or ``right``.
    segments
        Boolean mask over ``data.clauses`` (default: every segment with a majority
        label among the 12, so unlabelled segments are not taught as "no label").

    Returns
    -------
    (clauses, label_lists)
        Ready for ``ClauseClassifier(dimension).fit(clauses, label_lists)``.
    """
    mapped = opp115_to_policylab(data)
    mapped = mapped[mapped["dimension"] == dimension]
    by = mapped.groupby("clause_id")["label"].agg(list).to_dict()
    c = data.clauses
    if segments is None:
        maj = data.labels[data.labels["majority"] & data.labels["label"].isin(OPP115_LABELS)]
        segments = c["clause_id"].isin(set(maj["clause_id"]))
    c = c[segments.to_numpy()].reset_index(drop=True)
    return c, [sorted(by.get(cid, [])) for cid in c["clause_id"]]

"""Classes of error found on the training notices of data/extended (issue #17, tagger2).

Each test tags a real clause of a TRAINING notice of ``data/extended`` (the
``extended`` helper refuses any other split: dev notices are for measuring,
test notices are sealed) or of the bundled corpus, and checks one class of
error is gone, with a negative case beside it where one is needed.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import pytest

from policylab.corpus import read_notice
from policylab.segment import segment_document
from policylab.tag import tag_clauses, tag_text

EXTENDED = Path(__file__).resolve().parents[1] / "data" / "extended"


@lru_cache(maxsize=None)
def _training_rows() -> dict[str, dict]:
    rows = {}
    for name in ("metadata-nb.csv", "metadata-nnen.csv"):
        with open(EXTENDED / name, encoding="utf-8", newline="") as fh:
            rows.update({r["doc_id"]: r for r in csv.DictReader(fh) if r["split"] == "train"})
    return rows


@lru_cache(maxsize=None)
def extended(doc_id: str):
    """Clauses and rule labels of one training notice of data/extended."""
    row = _training_rows().get(doc_id)
    if row is None:
        raise ValueError(f"{doc_id} is not a training notice of data/extended")
    clauses = segment_document(doc_id, read_notice(EXTENDED / row["file"]).text)
    return clauses, tag_clauses(clauses, language=row["language"])


def labels_of(doc_id: str, starts_with: str, dimension: str = "topic") -> set[str]:
    clauses, tags = extended(doc_id)
    hits = clauses[clauses["text"].str.startswith(starts_with)]
    assert len(hits) == 1, f"{len(hits)} clauses of {doc_id} start with {starts_with!r}"
    rows = tags[(tags["clause_id"] == hits.iloc[0]["clause_id"]) & (tags["dimension"] == dimension)]
    return set(rows["label"].astype(str))


def snippet(text: str, language: str = "nb", dimension: str = "topic") -> set[str]:
    tags = tag_text(text, language=language)
    return set(tags.loc[tags["dimension"] == dimension, "label"].astype(str))


def test_only_training_notices_are_read():
    with pytest.raises(ValueError, match="not a training notice"):
        extended("ower-trafikkskole")  # a dev notice


# ------------------------------------------------------------------ headings


def test_a_heading_numbered_like_a_nearer_one_is_its_sibling_not_its_parent():
    # "6. Bruk av informasjonskapslar" was marked up one level below "3. Utlevering av
    # personopplysningar til tredjepart": it and its clauses are not about recipients.
    assert "recipients" not in labels_of("fresvik-produkt", "6. Bruk av informasjonskapslar")
    assert "cookies" in labels_of("fresvik-produkt", "6. Bruk av informasjonskapslar")
    assert "recipients" not in labels_of("fresvik-produkt", "Føremål: Lagar statistikk")
    # The clauses right under "3. Utlevering ..." still inherit it.
    assert "recipients" in labels_of("fresvik-produkt", "Utlevering av personopplysningar vil ikkje skje")


def test_numbered_children_still_inherit():
    text = "Personvern\n\n## 2. Deling\n\n### 2.1 Leverandører\n\nVi bruker Acme til drift."
    clauses = segment_document("x", text)
    tags = tag_clauses(clauses)
    last = clauses.iloc[-1]["clause_id"]
    assert "recipients" in set(tags.loc[tags["clause_id"] == last, "label"].astype(str))

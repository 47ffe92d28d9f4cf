"""The adjudicated gold standard of the sealed test notices (data/extended/annotations/gold).

These tests check the gold files as data: they validate, every clause is citable in
its notice, the gold is exactly what the two annotators and the recorded decisions
give, every disputed triple was decided, and the gold covers the test split. They
never run the tagger.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd

from policylab.agreement import adjudicate, disagreements
from policylab.annotations import DIMENSIONS, LABELS, read_annotated_clauses, read_annotations
from policylab.corpus import read_notice

EXTENDED = Path(__file__).resolve().parents[1] / "data" / "extended"
ANNOTATIONS = EXTENDED / "annotations"
GOLD = ANNOTATIONS / "gold"

def _metadata() -> dict[str, dict]:
    rows = {}
    for path in sorted(EXTENDED.glob("metadata-*.csv")):
        with open(path, encoding="utf-8") as handle:
            rows.update({row["doc_id"]: row for row in csv.DictReader(handle)})
    return rows


def _decisions() -> pd.DataFrame:
    return pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(ANNOTATIONS.glob("decisions-*.csv"))],
                     ignore_index=True)


def _both_annotated() -> tuple[pd.DataFrame, pd.DataFrame]:
    a = read_annotated_clauses(ANNOTATIONS / "a")
    b = read_annotated_clauses(ANNOTATIONS / "b")
    common = set(a["doc_id"]) & set(b["doc_id"])
    return a[a["doc_id"].isin(common)].reset_index(drop=True), b[b["doc_id"].isin(common)].reset_index(drop=True)


def test_gold_files_validate_and_every_clause_is_citable():
    gold = read_annotated_clauses(GOLD)
    assert len(read_annotations(GOLD)) > 0
    for doc_id, rows in gold.groupby("doc_id"):
        text = read_notice(EXTENDED / f"{doc_id}.txt").text
        for row in rows.itertuples():
            assert text[row.start:row.end] == row.text, f"{row.clause_id}: offsets do not cut out the clause text"
        for dimension in DIMENSIONS:
            assert all(set(labels) <= set(LABELS[dimension]) for labels in rows[dimension])
        assert all(isinstance(days, list) for days in rows["retention_days"]), f"{doc_id}: retention_days missing"


def test_gold_is_every_sealed_test_notice_both_annotators_gave():
    meta = _metadata()
    gold_docs = {p.stem for p in GOLD.glob("*.jsonl")}
    a, _ = _both_annotated()
    assert gold_docs == set(a["doc_id"])
    assert all(meta[d]["split"] == "test" for d in gold_docs), "a gold notice outside the sealed test split"
    assert {meta[d]["language"] for d in gold_docs} == {"nb", "nn", "en"}


def test_every_dispute_was_decided_with_a_reason():
    a, b = _both_annotated()
    disputes = disagreements(a, b)
    decisions = _decisions()
    decided = set(zip(decisions["clause_id"], decisions["dimension"], decisions["label"]))
    missing = [t for t in zip(disputes["clause_id"], disputes["dimension"], disputes["label"]) if t not in decided]
    assert not missing, f"undecided disputes: {missing[:5]}"
    assert set(decisions["decision"]) <= {"yes", "no", "unsure"}
    assert (decisions["reason"].str.strip() != "").all()


def test_gold_is_what_the_annotators_and_decisions_give():
    a, b = _both_annotated()
    expected = adjudicate(a, b, _decisions())
    gold = read_annotated_clauses(GOLD)
    key = ["doc_id", "clause_id"]
    merged = expected.merge(gold, on=key, suffixes=("_expected", "_gold"))
    assert len(merged) == len(expected) == len(gold)
    for dimension in [*DIMENSIONS, "retention_days"]:
        differ = merged[merged[f"{dimension}_expected"].map(json.dumps) != merged[f"{dimension}_gold"].map(json.dumps)]
        assert differ.empty, f"{dimension}: gold differs from adjudicate() at {differ['clause_id'].tolist()[:5]}"


def test_adjudication_table_matches_the_decisions():
    table = pd.read_csv(ANNOTATIONS / "adjudication.csv", dtype=str, keep_default_na=False)
    decisions = _decisions()
    assert len(table) == len(decisions)
    gold = read_annotations(GOLD)
    has = set(zip(gold["clause_id"], gold["dimension"], gold["label"]))
    for row in table[table["dimension"] != "retention_days"].itertuples():
        assert ((row.clause_id, row.dimension, row.label) in has) == (row.gold_after == "1"), row.item
        assert row.role == ("control" if row.a == row.b == "1" else "dispute")


def _score_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("score_sealed", ANNOTATIONS / "score_sealed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sealed_scores_hold_one_scoring_per_release():
    scores = pd.read_csv(ANNOTATIONS / "sealed_scores.csv", dtype={"release": str})
    assert scores["release"].notna().all()
    per_release = scores.groupby("release").size()
    # one row per language and dimension within a release: a release scored twice would double them
    assert not scores.duplicated(["release", "language", "dimension"]).any(), per_release
    first = scores[scores["release"] == "0.1.0"].set_index(["language", "dimension"])["f1"]
    assert first[("all", "topic")] == 0.766 and first[("all", "legal_basis")] == 0.874


def test_scoring_a_release_twice_is_refused(monkeypatch):
    import policylab

    module = _score_script()
    released = pd.read_csv(ANNOTATIONS / "sealed_scores.csv", dtype={"release": str})["release"].iloc[0]
    monkeypatch.setattr(policylab, "__version__", released)
    before = (ANNOTATIONS / "sealed_scores.csv").read_bytes()
    try:
        module.main()
    except SystemExit as stop:
        assert "once per release" in str(stop)
    else:
        raise AssertionError("a second scoring of the same release was not refused")
    assert (ANNOTATIONS / "sealed_scores.csv").read_bytes() == before

"""Scoring the taggers against the gold annotations (policylab.evaluate)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from policylab.annotations import BUNDLED_ANNOTATIONS, DIMENSIONS, read_annotations
from policylab.evaluate import RESULT_COLUMNS, evaluate, evaluate_command, score_outcomes, scores


@pytest.fixture(scope="session")
def result():
    """The full leave-one-notice-out evaluation of all three methods, once per session."""
    return evaluate(BUNDLED_ANNOTATIONS)


# -- metric arithmetic ---------------------------------------------------------------------


def test_scores_by_hand():
    # 6 found correctly, 2 wrong, 4 missed: P = 6/8, R = 6/10, F1 = 12/18.
    p, r, f = scores(tp=6, fp=2, fn=4)
    assert (p, r) == (0.75, 0.6)
    assert math.isclose(f, 2 / 3)
    assert math.isclose(f, 2 * p * r / (p + r))
    nothing_predicted = scores(tp=0, fp=0, fn=3)
    assert math.isnan(nothing_predicted[0]) and nothing_predicted[1:] == (0.0, 0.0)
    assert all(math.isnan(v) for v in scores(0, 0, 0))


def test_micro_and_macro_by_hand():
    rows = pd.DataFrame(
        [("c1", "retention", "tp"), ("c2", "retention", "tp"), ("c3", "retention", "fp"),
         ("c4", "rights", "fn"), ("c5", "rights", "tp"), ("c6", "cookies", "fp")],
        columns=["clause_id", "label", "outcome"],
    ).assign(method="rules", dimension="topic")
    table = score_outcomes(rows).set_index("label")
    assert list(score_outcomes(rows).columns) == RESULT_COLUMNS
    assert table.loc["retention", ["tp", "fp", "fn", "support"]].tolist() == [2, 1, 0, 2]
    assert math.isclose(table.loc["retention", "precision"], 2 / 3)
    assert table.loc["rights", ["precision", "recall", "f1"]].tolist() == [1.0, 0.5, 2 / 3]
    assert table.loc["cookies", "support"] == 0 and math.isnan(table.loc["cookies", "recall"])
    # micro: tp 3, fp 2, fn 1 -> P 3/5, R 3/4, F1 6/9.
    micro = table.loc["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (3, 2, 1)
    assert math.isclose(micro["precision"], 0.6) and math.isclose(micro["recall"], 0.75) and math.isclose(micro["f1"], 2 / 3)
    # macro over the labels the gold has (retention, rights); cookies has no gold.
    macro = table.loc["macro"]
    assert math.isclose(macro["f1"], (0.8 + 2 / 3) / 2)
    assert math.isclose(macro["precision"], (2 / 3 + 1.0) / 2)


counts = st.integers(min_value=0, max_value=10_000)


@given(tp=counts, fp=counts, fn=counts)
def test_f1_lies_between_precision_and_recall(tp, fp, fn):
    p, r, f = scores(tp, fp, fn)
    if tp + fp + fn == 0:
        assert math.isnan(f)
        return
    assert 0.0 <= f <= 1.0
    if not (math.isnan(p) or math.isnan(r)):
        assert min(p, r) - 1e-12 <= f <= max(p, r) + 1e-12
        if p + r > 0:
            assert math.isclose(f, 2 * p * r / (p + r), rel_tol=1e-9)
    assert (f == 1.0) == (tp > 0 and fp == 0 and fn == 0)


@given(st.lists(st.tuples(counts, counts, counts), min_size=1, max_size=20))
def test_vectorised_scores_equal_scalar_scores(triples):
    tp, fp, fn = (np.array(x) for x in zip(*triples))
    vector = scores(tp, fp, fn)
    for i, (a, b, c) in enumerate(triples):
        for got, want in zip((v[i] for v in vector), scores(a, b, c)):
            assert (math.isnan(got) and math.isnan(want)) or got == want


# -- leave-one-notice-out on the real annotations --------------------------------------------


def test_evaluation_has_every_method_dimension_and_summary(result):
    assert list(result.columns) == RESULT_COLUMNS
    summary = result[result["label"].isin(["micro", "macro"])]
    assert len(summary) == 3 * 3 * 2
    assert set(summary["method"]) == {"rules", "model", "combined"}
    assert summary[["precision", "recall", "f1"]].apply(lambda c: c.between(0, 1)).all().all()


def test_support_is_the_gold_count_for_every_method(result):
    gold = read_annotations(BUNDLED_ANNOTATIONS).groupby("dimension").size()
    micro = result[result["label"] == "micro"]
    for dimension in DIMENSIONS:
        supports = micro.loc[micro["dimension"] == dimension, "support"]
        assert (supports == gold[dimension]).all()
    per_label = result[~result["label"].isin(["micro", "macro"])]
    sums = per_label.groupby(["method", "dimension"])[["tp", "fp", "fn"]].sum()
    assert (sums.values == micro.set_index(["method", "dimension"]).loc[sums.index, ["tp", "fp", "fn"]].values).all()


def test_methods_reach_floor_figures(result):
    micro = result[result["label"] == "micro"].set_index(["method", "dimension"])["f1"]
    # Floors well below today's figures (see the report): they catch a broken tagger, not a weaker one.
    assert micro["rules", "right"] > 0.9 and micro["rules", "topic"] > 0.7 and micro["rules", "legal_basis"] > 0.8
    assert micro["model", "topic"] > 0.55 and micro["model", "right"] > 0.7
    # The default combination is the rules (COMBINE_DEFAULT), so it scores the same.
    assert (micro.loc["combined"] == micro.loc["rules"]).all()


def test_by_document_adds_doc_id(result):
    per_doc = evaluate(BUNDLED_ANNOTATIONS / "motkraft.jsonl", by_document=True, methods=["rules"])
    assert list(per_doc.columns) == ["doc_id"] + RESULT_COLUMNS
    assert set(per_doc["doc_id"]) == {"motkraft"}
    overall = evaluate(BUNDLED_ANNOTATIONS / "motkraft.jsonl", methods=["rules"])
    merged = per_doc.drop(columns="doc_id").merge(overall, on=["method", "dimension", "label"], suffixes=("", "_all"))
    assert (merged["tp"] == merged["tp_all"]).all()


# -- the command ------------------------------------------------------------------------------


def test_command_prints_summary_and_writes_csv(tmp_path):
    out = tmp_path / "scores.csv"
    run = CliRunner().invoke(evaluate_command, [str(BUNDLED_ANNOTATIONS / "digdir.jsonl"), "--methods", "rules", "--out", str(out)])
    assert run.exit_code == 0, run.output
    first = run.stdout.splitlines()[0].split()
    assert first[:3] == ["method", "dimension", "label"]
    assert "micro" in run.stdout and "macro" in run.stdout
    written = pd.read_csv(out)
    assert list(written.columns) == RESULT_COLUMNS and set(written["method"]) == {"rules"}


def test_command_rejects_bad_methods_and_foreign_annotations(tmp_path):
    run = CliRunner().invoke(evaluate_command, [str(BUNDLED_ANNOTATIONS), "--methods", "rules,oracle"])
    assert run.exit_code == 2 and "--methods" in run.output
    ghost = tmp_path / "ghost.jsonl"
    ghost.write_text('{"doc_id": "ghost", "clause_id": "ghost:0000", "start": 0, "end": 2, "kind": "paragraph", '
                     '"text": "Hi", "topic": [], "legal_basis": [], "right": []}\n', encoding="utf-8")
    run = CliRunner().invoke(evaluate_command, [str(ghost)])
    assert run.exit_code == 1 and "ghost" in run.output and "--corpus" in run.output

"""Veto and add thresholds chosen by grouped cross-validation (``how="tuned"``) and format 3 of the model file."""

from __future__ import annotations

import copy
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylab.annotations import BUNDLED_ANNOTATIONS, DIMENSIONS, gold_clauses
from policylab.stacked import (
    ADD_GRID,
    HOWS,
    MODEL_FORMAT,
    TUNE_TOLERANCE,
    VETO_GRID,
    StackedTagger,
    apply_model,
    choose_thresholds,
    load_model,
)
from policylab.tag import tag_clauses

HELD = "motkraft"


@pytest.fixture(scope="module")
def held_out():
    """A model fitted without one bundled notice, and that notice's real clauses and rule labels."""
    clauses, documents = gold_clauses(BUNDLED_ANNOTATIONS)
    rules = tag_clauses(clauses, documents=documents)
    train = clauses[clauses["annotated"] & (clauses["doc_id"] != HELD)]
    model = StackedTagger().fit(train, rules[rules["doc_id"] != HELD])
    return model, clauses[clauses["doc_id"] == HELD], rules[rules["doc_id"] == HELD]


def _keys(labels: pd.DataFrame) -> set[tuple[str, str, str]]:
    return set(zip(labels["clause_id"].astype(str), labels["dimension"].astype(str), labels["label"].astype(str)))


def _f1(proba, fired, gold, veto, add):
    pred = (fired & (proba >= veto)) | (~fired & (proba >= (add if add is not None else np.inf)))
    tp, fp, fn = (pred & gold).sum(), (pred & ~gold).sum(), (~pred & gold).sum()
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def test_fit_chooses_thresholds_from_the_grid_for_every_dimension(held_out):
    model, _, _ = held_out
    assert set(model.thresholds_) == set(DIMENSIONS)
    for veto, add in model.thresholds_.values():
        assert veto in VETO_GRID and add in ADD_GRID


def test_tuned_drops_rule_labels_below_the_veto_and_adds_model_labels_at_the_add_threshold(held_out):
    model, clauses, rules = held_out
    model = copy.deepcopy(model)
    rule_keys = _keys(rules)
    proba = model.predict_proba(clauses, rules)
    model.thresholds_ = {"topic": (0.9, 0.2), "legal_basis": (0.0, None), "right": (0.0, None)}
    out = apply_model(model, clauses, rules, how="tuned")
    ids = clauses["clause_id"].astype(str).tolist()
    expected_topic = set()
    for i, cid in enumerate(ids):
        for k, lab in enumerate(model.classes_["topic"]):
            p = proba["topic"][i, k]
            fired = (cid, "topic", lab) in rule_keys
            if (fired and p >= 0.9) or (not fired and p >= 0.2):
                expected_topic.add((cid, "topic", lab))
    unlearned = {k for k in rule_keys if k[1] == "topic" and k[2] not in model.classes_["topic"]}
    got = _keys(out)
    assert {k for k in got if k[1] == "topic"} == expected_topic | unlearned
    # The held-out notice really exercises both: some rule labels dropped, some labels added.
    assert {k for k in rule_keys if k[1] == "topic"} - got
    assert {k for k in got if k[1] == "topic"} - rule_keys
    # Other dimensions keep exactly the rules' labels; added labels carry their evidence.
    assert {k for k in got if k[1] != "topic"} == {k for k in rule_keys if k[1] != "topic"}
    added = out[out["source"].astype(str) == "model"]
    assert (added["evidence"] != "").all() and added["confidence"].ge(0.2).all()


def test_tuned_at_the_models_threshold_is_model_and_at_veto_0_add_none_is_rules(held_out):
    model, clauses, rules = held_out
    model = copy.deepcopy(model)
    t = model.threshold
    model.thresholds_ = {d: (t, t) for d in DIMENSIONS}
    assert _keys(apply_model(model, clauses, rules, how="tuned")) == _keys(apply_model(model, clauses, rules, how="model"))
    model.thresholds_ = {d: (0.0, None) for d in DIMENSIONS}
    assert _keys(apply_model(model, clauses, rules, how="tuned")) == _keys(rules)


def test_choose_thresholds_separates_when_the_model_knows_better():
    # Four wrong rule labels the model doubts, three missed labels it is sure of.
    proba = np.array([0.97, 0.95, 0.93, 0.1, 0.12, 0.15, 0.08, 0.92, 0.96, 0.91, 0.02, 0.03, 0.6])
    fired = np.array([True] * 7 + [False] * 6)
    gold = np.array([True, True, True, False, False, False, False, True, True, True, False, False, False])
    veto, add = choose_thresholds(proba, fired, gold)
    assert 0.15 < veto <= 0.93 and 0.6 < add <= 0.91
    assert _f1(proba, fired, gold, veto, add) == 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.booleans(), st.booleans()), min_size=1, max_size=60))
def test_chosen_thresholds_never_lose_to_the_rules_on_the_pairs_they_were_chosen_on(pairs):
    proba = np.array([p for p, _, _ in pairs])
    fired = np.array([f for _, f, _ in pairs])
    gold = np.array([g for _, _, g in pairs])
    veto, add = choose_thresholds(proba, fired, gold)
    assert _f1(proba, fired, gold, veto, add) >= _f1(proba, fired, gold, 0.0, None) - TUNE_TOLERANCE
    if (fired == gold).all():
        assert (veto, add) == (0.0, None)  # the rules are right: nothing moves


def test_format_3_round_trips_thresholds_and_probabilities(held_out, tmp_path):
    model, clauses, rules = held_out
    model = copy.deepcopy(model)
    model.thresholds_ = {"topic": (0.25, 0.85), "legal_basis": (0.0, None), "right": (0.1, 0.95)}
    path = model.save(tmp_path / "m.json")
    data = json.loads(path.read_text("utf-8"))
    assert data["format"] == MODEL_FORMAT == "policylab-stacked/3"
    again = load_model(path)
    assert again.thresholds_ == model.thresholds_
    a, b = model.predict_proba(clauses, rules), again.predict_proba(clauses, rules)
    for d in DIMENSIONS:
        np.testing.assert_allclose(a[d], b[d], atol=1e-4)  # weights are stored to 6 decimals
    for how in HOWS:
        assert _keys(apply_model(model, clauses, rules, how=how)) == _keys(apply_model(again, clauses, rules, how=how))


def test_a_format_2_model_loads_and_tuned_keeps_the_rules(held_out, tmp_path):
    model, clauses, rules = held_out
    data = model.to_dict()
    data["format"] = "policylab-stacked/2"
    del data["thresholds"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    old = load_model(path)
    assert old.thresholds_ == {d: (0.0, None) for d in DIMENSIONS}
    assert _keys(apply_model(old, clauses, rules, how="tuned")) == _keys(rules)


def test_the_packaged_model_is_format_3_with_thresholds_for_every_dimension():
    from importlib import resources

    data = json.loads(resources.files("policylab").joinpath("models/default.json").read_text("utf-8"))
    assert data["format"] == MODEL_FORMAT and set(data["thresholds"]) == set(DIMENSIONS)
    assert load_model().thresholds_ == {d: (float(v), None if a is None else float(a)) for d, (v, a) in data["thresholds"].items()}

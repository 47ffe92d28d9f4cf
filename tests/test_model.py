"""The supervised clause classifier and the rule+model combination (policylab.model)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from policylab.annotations import LABEL_COLUMNS, gold_clauses, read_annotated_clauses
from policylab.model import (
    COMBINE_DEFAULT,
    ClauseClassifier,
    combine_labels,
    cross_val_labels,
    tag_with_model,
    trained_classifiers,
)
from policylab.tag import tag_clauses

TOY_TEXTS = {
    "retention": ["Vi lagrer opplysningene i {n} år.", "Opplysningene slettes etter {n} måneder.",
                  "Dataene oppbevares i {n} år før de slettes."],
    "rights": ["Du kan be om innsyn i opplysningene {n} ganger.", "Du har rett til innsyn og retting.",
               "Kontakt oss for innsyn eller retting, svar innen {n} dager."],
    "cookies": ["Nettstedet bruker informasjonskapsler ({n} stykker).", "Vi bruker cookies for statistikk.",
                "Informasjonskapsler lagres i nettleseren."],
}


def _toy_clauses(doc_id: str = "toy", repeat: int = 4) -> tuple[pd.DataFrame, list[list[str]]]:
    rows, labels = [], []
    for k in range(repeat):
        for label, texts in TOY_TEXTS.items():
            for text in texts:
                rows.append({"text": text.format(n=k + 2), "heading": "", "kind": "paragraph"})
                labels.append([label])
    frame = pd.DataFrame(rows)
    frame.insert(0, "doc_id", doc_id)
    frame.insert(0, "clause_id", [f"{doc_id}:{i:04d}" for i in range(len(frame))])
    return frame, labels


@pytest.fixture(scope="session")
def gold():
    """Clauses of the bundled corpus joined with the gold annotations, read once."""
    clauses, documents = gold_clauses()
    return clauses, documents


# -- the estimator ---------------------------------------------------------------------


def test_learns_a_toy_problem():
    clauses, labels = _toy_clauses()
    model = ClauseClassifier(dimension="topic").fit(clauses, labels)
    assert sorted(model.classes_) == ["cookies", "retention", "rights"]
    new = pd.DataFrame({"clause_id": ["n:0", "n:1", "n:2"], "doc_id": "n", "kind": "paragraph", "heading": "",
                        "text": ["Opplysningene lagres i ti år.", "Du kan kreve innsyn.", "Siden bruker informasjonskapsler."]})
    predicted = model.predict_labels(new)
    best = predicted.sort_values("score").groupby("clause_id")["label"].last()
    assert best.to_dict() == {"n:0": "retention", "n:1": "rights", "n:2": "cookies"}
    assert list(predicted.columns) == LABEL_COLUMNS
    assert set(predicted["source"]) == {"model"} and predicted["score"].between(0, 1).all()


def test_every_label_keeps_evidence_from_the_clause_or_heading():
    clauses, labels = _toy_clauses()
    model = ClauseClassifier(dimension="topic").fit(clauses, labels)
    predicted = model.predict_labels(clauses)
    assert (predicted["cue"] != "").all()
    text = clauses.set_index("clause_id")["text"]
    for cid, cue in zip(predicted["clause_id"], predicted["cue"]):
        for word in cue.split(" | "):
            assert word in text[cid]


def test_heading_carries_the_topic_of_a_bare_paragraph():
    clauses, labels = _toy_clauses()
    clauses = clauses.assign(heading=[{"retention": "Oppbevaringstid", "rights": "Dine rettigheter",
                                       "cookies": "Informasjonskapsler"}[lab[0]] for lab in labels])
    model = ClauseClassifier(dimension="topic").fit(clauses, labels)
    bare = pd.DataFrame({"clause_id": ["n:0"], "doc_id": "n", "kind": "paragraph",
                         "heading": ["Oppbevaringstid"], "text": ["Dette gjelder alle kunder."]})
    assert model.predict_labels(bare)["label"].tolist() == ["retention"]
    assert "Oppbevaringstid" in model.predict_labels(bare)["cue"].item()


def test_prediction_does_not_refit():
    clauses, labels = _toy_clauses()
    model = ClauseClassifier(dimension="topic").fit(clauses, labels)
    coef, vocabulary = model.coef_.copy(), {b: v.copy() for b, v in model.vocabulary_.items()}
    unseen = pd.DataFrame({"clause_id": ["u:0"], "doc_id": "u", "text": ["Helt nye ord som zebrafisk og kvantefysikk."]})
    model.predict_labels(unseen)
    model.predict_proba(unseen)
    np.testing.assert_array_equal(model.coef_, coef)
    assert all(np.array_equal(model.vocabulary_[b], vocabulary[b]) for b in vocabulary)
    assert not any("zebra" in f for f in model.feature_names_)


def test_clone_and_params_follow_scikit_learn():
    model = ClauseClassifier(dimension="right", C=2.0, threshold=0.7, random_state=3)
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    clauses, labels = _toy_clauses()
    fitted = ClauseClassifier(dimension="topic").fit(clauses, labels)
    unfitted = clone(fitted)
    assert not hasattr(unfitted, "classes_")
    with pytest.raises(NotFittedError):
        unfitted.predict_labels(clauses)
    assert ClauseClassifier(dimension="topic").fit(clauses, labels).coef_.tolist() == fitted.coef_.tolist()


def test_unknown_labels_and_dimension_are_rejected():
    clauses, labels = _toy_clauses()
    with pytest.raises(ValueError, match="unknown topic label"):
        ClauseClassifier(dimension="topic").fit(clauses, [["consent"]] * len(clauses))
    with pytest.raises(ValueError, match="dimension must be one of"):
        ClauseClassifier(dimension="topics").fit(clauses, labels)


def test_titles_and_boilerplate_get_no_model_labels(gold):
    clauses, _ = gold
    models = trained_classifiers()
    doc = clauses[clauses["doc_id"] == "motkraft"]
    predicted = pd.concat([m.predict_labels(doc, threshold=0.0) for m in models.values()])
    kind = doc.set_index("clause_id")["kind"]
    level = doc.set_index("clause_id")["level"]
    silent = [c for c in doc["clause_id"] if kind[c] == "boilerplate" or (kind[c] == "heading" and level[c] == 0)]
    assert silent and not set(silent) & set(predicted["clause_id"])


# -- real annotations ----------------------------------------------------------------------


def test_model_trained_without_a_notice_labels_it_sensibly(gold):
    clauses, _ = gold
    models = trained_classifiers(leave_out=["anbudsmarkedet"])
    doc = clauses[clauses["doc_id"] == "anbudsmarkedet"].set_index("clause_id")
    topic = models["topic"].predict_labels(doc.reset_index())
    labels = topic.groupby("clause_id")["label"].apply(set)
    assert "complaint" in labels["anbudsmarkedet:0022"]  # "Du kan også klage til Datatilsynet"
    assert "purpose" in labels["anbudsmarkedet:0007"]  # "Vi behandler personopplysninger for å levere ..."


def test_trained_classifiers_are_cached_by_content(tmp_path):
    first = trained_classifiers()
    assert trained_classifiers() is first
    # Dropping one notice's annotations is different content: a different model.
    annotated = read_annotated_clauses()
    fewer = annotated[annotated["doc_id"] != "motkraft"]
    other = trained_classifiers(fewer)
    assert other is not first and other is trained_classifiers(fewer)


def test_cross_validation_equals_fitting_on_the_other_notices(gold):
    clauses, _ = gold
    annotated = clauses[clauses["annotated"]].reset_index(drop=True)
    held_out = "digdir"
    fast = cross_val_labels(annotated, dimensions=["topic"], held_out=[held_out], threshold=0.3)
    train = annotated[annotated["doc_id"] != held_out]
    slow = ClauseClassifier(dimension="topic", threshold=0.3).fit(train).predict_labels(annotated[annotated["doc_id"] == held_out])
    assert fast[["clause_id", "label"]].values.tolist() == slow[["clause_id", "label"]].values.tolist()
    np.testing.assert_allclose(fast["score"], slow["score"], rtol=1e-9)
    assert set(fast["doc_id"]) == {held_out}


# -- combination ----------------------------------------------------------------------


def _labels(rows, source):
    return pd.DataFrame([{"clause_id": c, "doc_id": c.split(":")[0], "dimension": d, "label": lab, "score": s,
                          "cue": f"{source}-cue", "source": source} for c, d, lab, s in rows],
                        columns=["clause_id", "doc_id", "dimension", "label", "score", "cue", "source"])


triples = st.lists(
    st.tuples(st.sampled_from(["d:0001", "d:0002", "e:0001"]), st.sampled_from(["topic", "right"]),
              st.sampled_from(["retention", "rights", "access"]), st.floats(0.05, 1.0)),
    max_size=8, unique_by=lambda t: t[:3],
)


@settings(max_examples=25, deadline=None)
@given(rules=triples, model=triples)
def test_union_and_intersection_are_set_operations(rules, model):
    rule_frame, model_frame = _labels(rules, "rule"), _labels(model, "model")
    key = lambda f: set(zip(f["clause_id"], f["dimension"], f["label"]))  # noqa: E731
    union = combine_labels(rule_frame, model_frame, how="union")
    both = combine_labels(rule_frame, model_frame, how="intersection")
    assert key(union) == key(rule_frame) | key(model_frame)
    assert key(both) == key(rule_frame) & key(model_frame)
    assert key(combine_labels(rule_frame, model_frame, how="rules")) == key(rule_frame)
    weighted = combine_labels(rule_frame, model_frame, how="weighted", weight=0.6, threshold=0.5)
    # With weight 0.6 the model alone (at most 0.4) never reaches 0.5: weighting only filters rule labels.
    assert key(weighted) <= key(rule_frame)
    strong_rules = {(c, d, lab) for c, d, lab, s in rules if 0.6 * s >= 0.5}
    assert strong_rules <= key(weighted)
    assert union["score"].between(0, 1).all() and not union.duplicated(["clause_id", "dimension", "label"]).any()
    # The rule's cue wins where the rules found the label, so evidence stays readable.
    assert (union.loc[union["rule_score"].notna(), "cue"] == "rule-cue").all()


def test_weighted_needs_model_support_for_weak_rules():
    rules = _labels([("d:0001", "topic", "retention", 0.9), ("d:0002", "topic", "rights", 0.5)], "rule")
    model = _labels([("d:0002", "topic", "rights", 0.6)], "model")
    out = combine_labels(rules, model, how="weighted", weight=0.6, threshold=0.5)
    # 0.6 * 0.9 = 0.54 passes alone; 0.6 * 0.5 + 0.4 * 0.6 = 0.54 passes with the model's help.
    assert out[["clause_id", "label", "source"]].values.tolist() == [["d:0001", "retention", "rule"], ["d:0002", "rights", "rule+model"]]
    alone = combine_labels(rules, None, how="weighted", weight=0.6, threshold=0.5)
    assert alone["clause_id"].tolist() == ["d:0001"]


def test_combine_rejects_unknown_how():
    with pytest.raises(ValueError, match="how for topic"):
        combine_labels(None, None, how={"topic": "both"})


def test_tag_with_model_default_is_the_rules(gold):
    clauses, documents = gold
    doc = clauses[clauses["doc_id"] == "hyperion"]
    assert set(COMBINE_DEFAULT.values()) == {"rules"}
    rules = tag_clauses(doc, documents=documents)
    combined = tag_with_model(doc, documents=documents)
    key = lambda f: set(zip(f["clause_id"], f["dimension"].astype(str), f["label"].astype(str)))  # noqa: E731
    assert key(combined) == key(rules)


def test_tag_with_model_holds_out_the_notice_it_labels(gold):
    clauses, documents = gold
    doc = clauses[clauses["doc_id"] == "hyperion"]
    union = tag_with_model(doc, documents=documents, how="model")
    own = trained_classifiers(leave_out=["hyperion"])
    expected = pd.concat([m.predict_labels(doc) for m in own.values()])
    key = lambda f: set(zip(f["clause_id"], f["label"]))  # noqa: E731
    assert key(union) == key(expected)
    leaky = tag_with_model(doc, documents=documents, how="model", hold_out=False)
    assert key(leaky) != key(union)  # the in-sample model has seen hyperion's gold

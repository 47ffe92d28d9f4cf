"""The learned tagger over rule firings and TF-IDF (policylab.stacked), its JSON file and the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from policylab.annotations import BUNDLED_ANNOTATIONS, gold_clauses
from policylab.cli import main
from policylab.stacked import StackedTagger, apply_model, load_model
from policylab.tag import tag_clauses


@pytest.fixture(scope="module")
def gold():
    clauses, documents = gold_clauses(BUNDLED_ANNOTATIONS)
    return clauses, tag_clauses(clauses, documents=documents)


def test_every_built_label_has_a_calibrated_confidence(tables):
    conf = tables.labels["confidence"]
    assert conf.notna().all() and conf.between(0, 1).all()
    assert (tables.labels["evidence"] == "").all()  # default: the rules' labels, whose cue is the evidence


def test_default_model_is_json_and_round_trips(gold):
    clauses, rules = gold
    model = load_model()
    again = StackedTagger.from_dict(json.loads(json.dumps(model.to_dict())))
    a, b = model.predict_proba(clauses, rules), again.predict_proba(clauses, rules)
    for d in a:
        np.testing.assert_allclose(a[d], b[d])


def test_model_held_out_notice_adds_labels_with_evidence(gold):
    clauses, rules = gold
    train = clauses[clauses["annotated"] & (clauses["doc_id"] != "motkraft")]
    model = StackedTagger(threshold=0.003).fit(train, rules[rules["doc_id"] != "motkraft"])
    held = clauses[clauses["doc_id"] == "motkraft"]
    out = apply_model(model, held, rules[rules["doc_id"] == "motkraft"], how="combined")
    added = out[out["source"].astype(str) == "model"]
    assert len(added) > 0 and (added["evidence"] != "").all()
    text = held.set_index("clause_id")
    from policylab.corpus import read_corpus

    documents, _ = read_corpus(None, progress=False)
    doc = documents.set_index("doc_id").loc["motkraft", "text"]
    with_cue = added[added["cue"] != ""]
    for row in with_cue.itertuples():
        assert doc[int(row.cue_start):int(row.cue_end)] == row.cue.split(" | ")[0]
        assert row.cue.split(" | ")[0] in text.loc[row.clause_id, "text"]
    # Every rule label is kept, with a confidence.
    assert len(out[out["source"].astype(str) != "model"]) == len(rules[rules["doc_id"] == "motkraft"])


def test_no_model_gives_nan_confidence(gold):
    clauses, rules = gold
    out = apply_model(None, clauses, rules)
    assert out["confidence"].isna().all() and len(out) == len(rules)


def test_how_is_checked(gold):
    clauses, rules = gold
    with pytest.raises(ValueError, match="how must be one of"):
        apply_model(load_model(), clauses, rules, how="vote")


def test_a_file_that_is_no_model_is_refused(tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text('{"format": "pickle"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a policylab model"):
        load_model(bad)
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(ValueError, match="not a JSON model"):
        load_model(bad)


def test_cli_train_then_build_with_the_model(tmp_path):
    model = tmp_path / "model.json"
    run = CliRunner().invoke(main, ["train", str(BUNDLED_ANNOTATIONS / "digdir.jsonl"), "--out", str(model)])
    assert run.exit_code == 0, run.output
    assert json.loads(model.read_text("utf-8"))["format"].startswith("policylab-stacked/")
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["build", "--model", str(model), "--out", str(out), "--format", "csv", "--quiet"])
    assert run.exit_code == 0, run.output
    assert "confidence" in (out / "labels.csv").read_text("utf-8").splitlines()[0]
    run = CliRunner().invoke(main, ["build", "--model", str(tmp_path / "none.json"), "--out", str(out), "--quiet"])
    assert run.exit_code != 0 and "no model file" in run.output


def test_cli_train_refuses_a_folder_without_annotations(tmp_path):
    run = CliRunner().invoke(main, ["train", str(tmp_path), "--out", str(tmp_path / "m.json")])
    assert run.exit_code != 0 and "no .jsonl" in run.output


def test_prediction_does_not_refit(gold):
    clauses, rules = gold
    model = load_model()
    before = {d: c.copy() for d, c in model.coef_.items()}
    vocabulary = {b: v.copy() for b, v in model.vocabulary_.items()}
    model.predict_proba(clauses[clauses["doc_id"] == "digdir"], rules)
    assert all((model.coef_[d] == before[d]).all() for d in before)
    assert all((model.vocabulary_[b] == vocabulary[b]).all() for b in vocabulary)


# ------------------------------------------------------------------ tagger2: format 2, several sources


def test_an_inherited_topic_beside_an_own_topic_is_a_feature_of_its_own():
    import pandas as pd

    from policylab.stacked import _RULE_FEATURES, _rule_matrix

    clauses = pd.DataFrame({"clause_id": ["d:0001", "d:0002"], "doc_id": ["d", "d"], "text": ["a", "b"]})
    labels = pd.DataFrame({
        "clause_id": ["d:0001", "d:0002", "d:0002"], "dimension": ["topic"] * 3,
        "label": ["rights", "rights", "complaint"], "source": ["heading", "heading", "rule"], "score": [0.5, 0.5, 0.9],
    })
    m = _rule_matrix(clauses, labels).toarray()
    assert m[0, _RULE_FEATURES.index("heading:topic:rights")] == 0.5
    assert m[1, _RULE_FEATURES.index("beside:topic:rights")] == 0.5
    assert m[1, _RULE_FEATURES.index("heading:topic:rights")] == 0


def test_a_format_1_model_still_loads_and_predicts_alike():
    from policylab.stacked import _RULE_FEATURES, StackedTagger, load_model

    model = load_model()
    data = model.to_dict()
    old = [f for f in _RULE_FEATURES if not f.startswith("beside:")]
    n_text = len(model.feature_names_) - len(_RULE_FEATURES)
    keep = list(range(n_text)) + [n_text + _RULE_FEATURES.index(f) for f in old]
    where = {j: k for k, j in enumerate(keep)}
    for d, rows in data["coef"].items():
        data["coef"][d] = [{"i": [where[i] for i in r["i"] if i in where], "v": [v for i, v in zip(r["i"], r["v"]) if i in where]} for r in rows]
    data.update(format="policylab-stacked/1", rule_features=old)
    loaded = StackedTagger.from_dict(data)
    beside = [n_text + _RULE_FEATURES.index(f) for f in _RULE_FEATURES if f.startswith("beside:")]
    for d in loaded.coef_:
        assert not loaded.coef_[d][:, beside].any()
        assert (loaded.coef_[d][:, keep] == model.coef_[d][:, keep]).all()


def test_training_on_several_sources_and_refusing_a_notice_twice():
    import pytest

    from policylab.annotations import BUNDLED_ANNOTATIONS
    from policylab.stacked import train_model, training_clauses

    one, two = BUNDLED_ANNOTATIONS / "ndla.jsonl", BUNDLED_ANNOTATIONS / "motkraft.jsonl"
    clauses, rules = training_clauses([(one, None), (two, None)])
    assert set(clauses["doc_id"]) == {"ndla", "motkraft"} and set(rules["doc_id"]) <= {"ndla", "motkraft"}
    assert set(clauses["language"]) == {"nb", "nn"}
    model = train_model([(one, None), (two, None)], folds=2)
    assert model.classes_["topic"]
    with pytest.raises(ValueError, match="more than one source"):
        training_clauses([(one, None), (one, None)])


def test_cli_train_on_several_annotated_corpora(tmp_path):
    """--also adds annotations of another corpus folder: the model learns the labels only they hold."""
    alone, both = tmp_path / "alone.json", tmp_path / "both.json"
    run = CliRunner().invoke(main, ["train", str(BUNDLED_ANNOTATIONS / "digdir.jsonl"), "--out", str(alone)])
    assert run.exit_code == 0, run.output
    run = CliRunner().invoke(main, ["train", str(BUNDLED_ANNOTATIONS / "digdir.jsonl"), "--out", str(both),
                                    "--also", str(BUNDLED_ANNOTATIONS / "motkraft.jsonl"), str(BUNDLED_ANNOTATIONS.parent / "corpus")])
    assert run.exit_code == 0, run.output
    learned = {name: json.loads(path.read_text("utf-8"))["classes"] for name, path in (("alone", alone), ("both", both))}
    assert learned["alone"]["legal_basis"] == [] and len(learned["both"]["legal_basis"]) >= 3
    assert set(learned["alone"]["topic"]) < set(learned["both"]["topic"])
    run = CliRunner().invoke(main, ["train", str(BUNDLED_ANNOTATIONS / "digdir.jsonl"), "--out", str(both),
                                    "--also", str(tmp_path), str(BUNDLED_ANNOTATIONS.parent / "corpus")])
    assert run.exit_code != 0 and "no .jsonl" in run.output

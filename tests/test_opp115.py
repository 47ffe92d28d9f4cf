"""OPP-115: loader counts, lossless segments, model, mapping, zero-shot, CLI.

The corpus is read from $POLICYLAB_OPP115 or ../shared/opp115 (never copied into the
repository); the tests that need it are skipped when it is absent.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from policylab.benchmark.mapping import mapping_table, opp115_to_policylab, transfer_clauses, zero_shot_coverage, zero_shot_labels
from policylab.benchmark.opp115 import FULL, OPTIONS, RULES, Opp115Model, clause_features, label_matrix, score_labels
from policylab.cli import main
from policylab.datasets.opp115 import OPP115_LABELS, load_opp115, opp115_path, privacyglue_examples, segment_texts

ROOT = opp115_path()
needs_data = pytest.mark.skipif(ROOT is None, reason="OPP-115 not found: set POLICYLAB_OPP115 or put the release in ../shared/opp115")

# The README of the data folder (PrivacyGLUE's own input files): examples per split and label.
README_COUNTS = {
    "Data Retention": (50, 14, 14),
    "Data Security": (136, 31, 40),
    "Do Not Track": (22, 6, 3),
    "First Party Collection/Use": (772, 175, 248),
    "International and Specific Audiences": (202, 40, 56),
    "Introductory/Generic": (233, 70, 78),
    "Policy Change": (72, 25, 21),
    "Practice not covered": (83, 21, 25),
    "Privacy contact information": (129, 32, 41),
    "Third Party Sharing/Collection": (579, 158, 203),
    "User Access, Edit and Deletion": (100, 24, 24),
    "User Choice/Control": (231, 48, 76),
}
SPLITS = ("train", "validation", "test")


@pytest.fixture(scope="module")
def data():
    return load_opp115(ROOT)


@pytest.fixture(scope="module")
def examples(data):
    return data.examples()


@pytest.fixture(scope="module")
def features(data):
    return clause_features(data)


@needs_data
def test_privacyglue_counts_exactly(data, examples):
    assert examples["split"].value_counts().to_dict() == {"train": 2185, "validation": 550, "test": 697}
    for i, split in enumerate(SPLITS):
        ex = examples[examples["split"] == split]
        counts = Counter(l for t in ex["labels"] for l in t)
        assert {l: counts[l] for l in OPP115_LABELS} == {l: c[i] for l, c in README_COUNTS.items()}
        assert sum(counts.values()) == (2609, 644, 829)[i]
        assert sum(len(ids) for ids in ex["clause_ids"]) == (2216, 554, 701)[i]


@needs_data
def test_release_shape_and_majority_rule(data):
    assert len(data.documents) == 115 and len(data.clauses) == 3792
    assert data.attributes["annotation_id"].nunique() == 23194
    labels = data.labels
    assert labels["n_annotators"].between(1, 3).all()
    assert (labels["majority"] == (labels["n_annotators"] >= 2)).all()
    # Every segment in the split has a majority label among the 12.
    maj = set(labels.loc[labels["majority"] & labels["label"].isin(OPP115_LABELS), "clause_id"])
    assert set(data.clauses.loc[data.clauses["split"].notna(), "clause_id"]) <= maj
    # Attribute values are kept (e.g. retention periods).
    periods = data.attributes.loc[data.attributes["attribute"] == "Retention Period", "value"]
    assert {"Stated Period", "Indefinitely", "Limited"} <= set(periods)


@needs_data
def test_segments_are_lossless(data):
    text = data.documents.set_index("doc_id")["text"]
    for row in data.clauses.itertuples():
        assert text[row.doc_id][row.start:row.end] == row.text
    rebuilt = data.clauses.groupby("doc_id", sort=False)["text"].agg("\n\n".join)
    assert (rebuilt == text.loc[rebuilt.index]).all()
    # Recipe check on one known segment: tags stripped, whitespace collapsed.
    first = data.clauses.loc[data.clauses["clause_id"] == "20_theatlantic.com:0000", "text"].iloc[0]
    assert first.startswith("Privacy Policy Effective: January 1, 2015 At the Atlantic Monthly Group")


@given(st.lists(st.text(alphabet="ab .|\n\t", max_size=30), min_size=1, max_size=5), st.sampled_from(["", "<br>", "<strong>"]))
@settings(max_examples=200, deadline=None)
def test_segment_texts_lose_only_tags_and_spacing(parts, tag):
    html = tag.join(parts)
    segments = segment_texts(html)
    # Only tags and runs of whitespace are lost; the separators are where the segments meet.
    expected = " ".join((html.replace(tag, "") if tag else html).split())
    assert "|||".join(segments) == expected
    assert all("|||" not in s for s in segments)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no OPP-115 release"):
        load_opp115(tmp_path)
    result = CliRunner().invoke(main, ["opp115", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "no OPP-115 release" in result.output


def test_bad_annotation_row_names_the_file(tmp_path):
    (tmp_path / "annotations").mkdir()
    (tmp_path / "sanitized_policies").mkdir()
    (tmp_path / "sanitized_policies" / "1_x.com.html").write_text("One.|||Two.", encoding="utf-8")
    (tmp_path / "annotations" / "1_x.com.csv").write_text('9,b,7,1,5,Data Security,"{}",d,u\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"1_x\.com\.csv: line 1: segment 5"):
        load_opp115(tmp_path)


def test_mapping_is_valid_and_states_coverage():
    m = mapping_table()
    assert (m["note"] != "").all() and (m["source"] != "").all()
    assert zero_shot_coverage()["uncovered"] == ["Do Not Track", "Introductory/Generic", "Practice not covered"]
    tags = pd.DataFrame({"clause_id": ["a", "a", "b"], "dimension": ["topic", "right", "topic"],
                         "label": ["recipients", "access", "definitions"]})
    got = zero_shot_labels(tags, pd.DataFrame({"clause_ids": [("a",), ("b",)]}))
    assert got == [("Third Party Sharing/Collection", "User Access, Edit and Deletion"), ()]


def test_score_labels_is_sklearn_multilabel():
    y = np.zeros((4, 12), dtype=int)
    y[0, 0] = y[1, 1] = 1
    p = y.copy()
    p[2, 0] = 1
    s = score_labels(y, p)
    assert s["micro_f1"] == pytest.approx(0.8, abs=1e-4)
    assert s["per_label"]["Data Retention"] == pytest.approx(2 / 3, abs=1e-4)


@needs_data
def test_model_beats_the_tfidf_baseline_and_round_trips(tmp_path, data, examples, features):
    f = features.set_index("clause_id").loc[examples["clause_id"]].reset_index()
    f["text"] = examples["text"].to_numpy()
    y = label_matrix(examples["labels"])
    tr, va, te = [(examples["split"] == s).to_numpy() for s in SPLITS]
    model = Opp115Model(FULL, **OPTIONS).fit(f[tr], y[tr]).tune_threshold(f[va], y[va])
    pred = model.predict(f[te])
    s = score_labels(y[te], pred)
    # Above the reference TF-IDF + LR baseline of the data folder (0.795 / 0.742) and the issue's
    # target (0.82 / 0.77): measured 0.824 / 0.782 (a little slack for changes of the rule tagger).
    assert s["micro_f1"] > 0.815 and s["macro_f1"] > 0.77
    assert (pred.sum(axis=1) >= 1).all()  # every example gets a label (at_least_one)
    loaded = Opp115Model.load(model.save(tmp_path / "m.json"))
    assert loaded.threshold == model.threshold and loaded.ensemble and loaded.at_least_one
    np.testing.assert_allclose(loaded.predict_proba(f[te]), model.predict_proba(f[te]), rtol=1e-9)
    assert (loaded.predict(f[te]) == pred).all()


@needs_data
def test_position_tokens_mark_first_and_last_segments(data, features):
    first = data.clauses.groupby("doc_id")["clause_id"].first()
    g = data.clauses.groupby("doc_id")
    last = g["clause_id"].last()[g.size() > 2]
    pos = features.set_index("clause_id")["position"]
    assert all("FIRST" in pos[c] and "DEC0" in pos[c] for c in first)
    assert all("LAST" in pos[c] and "DEC9" in pos[c] for c in last)
    assert FULL == {**RULES, "position": 0.3}


def test_at_least_one_label_gives_the_best_label_to_an_empty_row():
    f = pd.DataFrame({"text": ["we keep data for two years", "we share data with partners", "hello there"] * 3,
                      "heading": "", "position": ""})
    y = np.array([[1, 0], [0, 1], [0, 0]] * 3)
    plain = Opp115Model({"word": 1.0}, labels=("retention", "sharing"), threshold=0.99).fit(f, y)
    forced = Opp115Model({"word": 1.0}, labels=("retention", "sharing"), threshold=0.99, at_least_one=True).fit(f, y)
    assert plain.predict(f.iloc[:2]).sum() == 0
    assert forced.predict(f.iloc[:2]).tolist() == [[1, 0], [0, 1]]


@needs_data
def test_zero_shot_rules_find_the_mapped_labels(data, examples):
    from policylab.tag import tag_clauses

    test = examples[examples["split"] == "test"]
    ids = {c for t in test["clause_ids"] for c in t}
    tags = tag_clauses(data.clauses[data.clauses["clause_id"].isin(ids)], language="en")
    s = score_labels(label_matrix(test["labels"]), label_matrix(zero_shot_labels(tags, test)))
    for label in ("Data Retention", "Data Security", "Policy Change", "Third Party Sharing/Collection"):
        assert s["per_label"][label] > 0.4, label
    for label in zero_shot_coverage()["uncovered"]:
        assert s["per_label"][label] == 0.0


@needs_data
def test_transfer_labels_train_the_clause_classifier(data):
    from policylab.model import ClauseClassifier

    mapped = opp115_to_policylab(data)
    assert {"retention", "security", "recipients"} <= set(mapped.loc[mapped["dimension"] == "topic", "label"])
    clauses, labels = transfer_clauses(data, "topic")
    model = ClauseClassifier("topic").fit(clauses, labels)
    probe = pd.DataFrame({"clause_id": ["p:0000"], "doc_id": ["p"], "kind": ["paragraph"], "heading": [""],
                          "text": ["We use encryption and firewalls to protect your personal information."]})
    assert "security" in set(model.predict_labels(probe)["label"])


@needs_data
def test_cli_writes_predictions_and_scores(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["opp115", str(ROOT), "--out", str(out), "--folds", "0", "--no-ablation", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "PrivBERT" in result.output
    pred = pd.read_csv(out / "predictions.csv", keep_default_na=False)
    assert pred["split"].value_counts().to_dict() == {"test": 697, "validation": 550}
    assert {"split", "text", "labels", "zero_shot_labels"} <= set(pred.columns)
    assert set(";".join(pred["labels"]).split(";")) - {""} <= set(OPP115_LABELS)
    assert (out / "scores.json").is_file() and (out / "model.json.npz").is_file()


def _jsonl(path, doc, texts, topics):
    import json

    rows, start = [], 0
    for i, (t, top) in enumerate(zip(texts, topics)):
        rows.append({"doc_id": doc, "clause_id": f"{doc}:{i:04d}", "start": start, "end": start + len(t), "kind": "paragraph",
                     "text": t, "topic": top, "legal_basis": [], "right": [], "retention_days": [], "note": ""})
        start += len(t) + 2
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_english_notices_read_train_and_dev_and_refuse_test(tmp_path):
    from policylab.benchmark.transfer import english_notices

    meta = tmp_path / "meta.csv"
    meta.write_text("doc_id,language,split\na-en,en,train\nb-en,en,dev\nc,nb,train\nd-en,en,test\n", encoding="utf-8")
    folder = tmp_path / "ann"
    folder.mkdir()
    _jsonl(folder / "a-en.jsonl", "a-en", ["Privacy", "We keep data for a year."], [[], ["retention"]])
    _jsonl(folder / "b-en.jsonl", "b-en", ["We share data."], [["recipients"]])
    _jsonl(folder / "c.jsonl", "c", ["Vi lagrer data."], [["retention"]])
    _jsonl(folder / "x-en.jsonl", "x-en", ["Unlisted."], [[]])
    n = english_notices([folder], meta)
    assert sorted(set(n["doc_id"])) == ["a-en", "b-en"]  # Norwegian and unlisted notices left out
    assert n.loc[n["clause_id"] == "a-en:0001", "heading"].item() == ""
    _jsonl(folder / "d-en.jsonl", "d-en", ["Test notice."], [[]])
    with pytest.raises(ValueError, match=r"d-en\.jsonl: notice 'd-en' is a test notice"):
        english_notices([folder], meta)


def test_english_tagger_stems_english_words():
    from policylab.benchmark.transfer import EnglishClauseTagger, _english_terms

    # The Norwegian stemmer leaves "processing" and "processed" apart; the English one joins them.
    assert _english_terms("processing")[0] == _english_terms("processed")[0] == "process"
    c = pd.DataFrame({"text": ["Your data is processed to deliver orders.", "We share data with partners.",
                               "Data processing serves billing.", "Partners receive data."], "heading": "", "kind": "paragraph"})
    m = EnglishClauseTagger("topic", min_df=1).fit(c, [["purpose"], ["recipients"], ["purpose"], ["recipients"]])
    probe = pd.DataFrame({"text": ["Processing of orders."], "heading": [""], "kind": ["paragraph"]})
    assert m.predict(probe) == [["purpose"]]


def test_opp115_segments_teach_only_mapped_labels():
    from policylab.benchmark.transfer import EnglishClauseTagger

    c = pd.DataFrame({"text": ["We collect data from registers.", "Data comes from public registers.",
                               "We keep data for a year.", "Data is stored for two years."], "heading": "", "kind": "paragraph"})
    labels = [["data_source"], [], ["retention"], ["retention"]]
    everything = EnglishClauseTagger("topic", min_df=1).fit(c, labels)
    assert {"data_source", "retention"} <= set(everything.classes_)
    # Clauses 1-3 (like OPP-115 segments) may teach only retention: data_source is left with
    # one positive and no negative, so it is not learnt instead of being learnt as "absent".
    limited = EnglishClauseTagger("topic", min_df=1).fit(c, labels, taught=[None] + [{"retention"}] * 3)
    assert "retention" in limited.classes_ and "data_source" not in limited.classes_


@needs_data
def test_transfer_effect_leave_one_notice_out(tmp_path, data):
    from policylab.benchmark.transfer import english_notices, transfer_effect

    meta = tmp_path / "meta.csv"
    meta.write_text("doc_id,language,split\na-en,en,train\nb-en,en,dev\n", encoding="utf-8")
    folder = tmp_path / "ann"
    folder.mkdir()
    _jsonl(folder / "a-en.jsonl", "a-en", ["We keep your data for two years.", "We use encryption to protect your data."],
           [["retention"], ["security"]])
    _jsonl(folder / "b-en.jsonl", "b-en", ["Personal data is stored for six months.", "Firewalls and encryption keep data safe."],
           [["retention"], ["security"]])
    r = transfer_effect(english_notices([folder], meta), data, weights=(1.0,), dimensions=("topic",))
    assert list(r["setting"]) == ["without", "with (weight 1)", "OPP-115 only"]
    assert (r["n_notices"] == 2).all() and (r["n_clauses"] == 4).all()
    assert r.loc[r["setting"] == "with (weight 1)", "n_opp115"].item() > 3000
    # OPP-115 alone already tags these sentences; the notices alone (one clause per label) do worse.
    assert r.loc[r["setting"] == "OPP-115 only", "micro_f1"].item() >= 0.5

"""Agreement between annotators and the gold merged from them, on the bundled gold files."""

import pandas as pd
import pytest

from policylab.agreement import adjudicate, annotator_agreement, disagreements, write_annotations
from policylab.annotations import BUNDLED_ANNOTATIONS, read_annotated_clauses


@pytest.fixture(scope="module")
def motkraft():
    return read_annotated_clauses(BUNDLED_ANNOTATIONS / "motkraft.jsonl")


def _without(annotated, clause_id, dimension, label):
    out = annotated.copy()
    out[dimension] = [
        [x for x in labels if not (cid == clause_id and x == label)]
        for cid, labels in zip(out["clause_id"], out[dimension])
    ]
    return out


def test_identical_annotations_agree_fully(motkraft):
    agreement = annotator_agreement(motkraft, motkraft).set_index("dimension")
    assert agreement.loc["topic", "f1"] == 1.0
    assert agreement.loc["topic", "kappa"] == 1.0
    assert agreement.loc["coverage", "f1"] == 1.0  # share of coverage cells agreeing
    assert (agreement[["first_only", "second_only"]] == 0).all().all()


def test_one_missing_label_is_one_disagreement(motkraft):
    # motkraft:0027 is the delivery clause that rests on the contract (Art. 6(1)(b)).
    assert "contract" in motkraft.set_index("clause_id").loc["motkraft:0027", "legal_basis"]
    second = _without(motkraft, "motkraft:0027", "legal_basis", "contract")
    agreement = annotator_agreement(motkraft, second).set_index("dimension")
    assert agreement.loc["legal_basis", "first_only"] == 1
    assert agreement.loc["legal_basis", "second_only"] == 0
    assert 0 < agreement.loc["legal_basis", "kappa"] < 1
    assert agreement.loc["topic", "f1"] == 1.0
    sheet = disagreements(motkraft, second)
    assert sheet[["clause_id", "dimension", "label", "first", "second"]].values.tolist() == [
        ["motkraft:0027", "legal_basis", "contract", True, False]
    ]


def test_adjudication_keeps_agreed_and_decided_labels(motkraft, tmp_path):
    second = _without(motkraft, "motkraft:0027", "legal_basis", "contract")
    undecided = adjudicate(motkraft, second)
    assert "contract" not in undecided.set_index("clause_id").loc["motkraft:0027", "legal_basis"]
    decisions = pd.DataFrame([{"clause_id": "motkraft:0027", "dimension": "legal_basis", "label": "contract",
                               "decision": "yes", "reason": "delivery rests on the contract"}])
    gold = adjudicate(motkraft, second, decisions)
    row = gold.set_index("clause_id").loc["motkraft:0027"]
    assert "contract" in row["legal_basis"]
    assert "[Adjudicated +contract (legal_basis): delivery rests on the contract]" in row["note"]
    written = write_annotations(gold, tmp_path)
    assert [p.name for p in written] == ["motkraft.jsonl"]
    reread = read_annotated_clauses(tmp_path)
    assert reread["legal_basis"].tolist() == gold["legal_basis"].tolist()


def test_scoring_a_build_as_a_second_annotator_matches_evaluate(tables):
    """score_tables counts exactly what policylab.evaluate counts for the rules (two
    implementations of the same measure), and adds coverage cells."""
    from policylab.agreement import score_tables
    from policylab.evaluate import evaluate

    scored = score_tables(BUNDLED_ANNOTATIONS, tables).set_index("dimension")
    micro = evaluate(BUNDLED_ANNOTATIONS, methods=("rules",))
    micro = micro[micro["label"] == "micro"].set_index("dimension")
    for dimension in ("topic", "legal_basis", "right"):
        assert scored.loc[dimension, "both"] == micro.loc[dimension, "tp"]
        assert scored.loc[dimension, "first_only"] == micro.loc[dimension, "fn"]
        assert scored.loc[dimension, "second_only"] == micro.loc[dimension, "fp"]
    assert scored.loc["coverage", "n_clauses"] == len(tables.clauses)
    assert 0.9 < scored.loc["coverage", "agreement"] <= 1.0


def test_scores_by_language_sum_to_the_whole(tables):
    """Per-language scores partition the clauses and label counts of the whole."""
    from policylab.agreement import score_tables

    scored = score_tables(BUNDLED_ANNOTATIONS, tables, by="language")
    whole = scored[scored.language == "all"].set_index("dimension")
    parts = scored[scored.language != "all"].groupby("dimension")[["n_clauses", "both", "first_only", "second_only"]].sum()
    assert set(scored.language) == {"all", "nb", "nn"}
    for dimension in ("topic", "legal_basis", "right"):
        assert parts.loc[dimension].tolist() == whole.loc[dimension, ["n_clauses", "both", "first_only", "second_only"]].tolist()
    # The nn row holds the clauses of the nynorsk notices (digdir among them) and no others.
    nynorsk = set(tables.documents.loc[tables.documents.language == "nn", "doc_id"])
    assert "digdir" in nynorsk
    annotated = read_annotated_clauses(BUNDLED_ANNOTATIONS)
    nn = scored[(scored.language == "nn") & (scored.dimension == "topic")]
    assert nn.n_clauses.item() == annotated.doc_id.isin(nynorsk).sum()

"""Reading, validating and aligning gold annotations (policylab.annotations)."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from policylab.annotations import (
    BUNDLED_ANNOTATIONS,
    DIMENSIONS,
    LABEL_COLUMNS,
    AnnotationError,
    align_annotations,
    gold_clauses,
    read_annotated_clauses,
    read_annotations,
)
from policylab.corpus import BUNDLED_CORPUS, PolicylabWarning, read_corpus
from policylab.segment import segment_documents


@pytest.fixture(scope="session")
def bundled():
    """The bundled corpus's documents and clauses, read once per session."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PolicylabWarning)
        documents, _ = read_corpus(BUNDLED_CORPUS, progress=False)
    return documents, segment_documents(documents)


def _record(**changes) -> dict:
    record = {"doc_id": "d", "clause_id": "d:0001", "start": 0, "end": 15, "kind": "heading",
              "text": "Oppbevaringstid", "topic": ["retention"], "legal_basis": [], "right": [], "note": ""}
    record.update(changes)
    return record


def _write(path, lines) -> None:
    path.write_text("".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
                    encoding="utf-8")


# -- the bundled gold standard --------------------------------------------------------


def test_bundled_annotations_cover_every_clause_and_quote_the_text(bundled):
    documents, clauses = bundled
    annotated = read_annotated_clauses(BUNDLED_ANNOTATIONS)
    text_of = documents.set_index("doc_id")["text"]
    assert set(annotated["doc_id"]) == set(documents["doc_id"])
    quoted = [text_of[d][s:e] == t for d, s, e, t in zip(annotated["doc_id"], annotated["start"], annotated["end"], annotated["text"])]
    assert all(quoted)
    aligned = align_annotations(annotated, clauses, warn=False)
    assert (aligned["aligned"] == "offsets").all()
    # One record per clause of every annotated notice.
    assert len(annotated) == len(clauses[clauses["doc_id"].isin(set(annotated["doc_id"]))])


def test_bundled_gold_labels_in_labels_table_shape():
    gold = read_annotations(BUNDLED_ANNOTATIONS)
    assert list(gold.columns[: len(LABEL_COLUMNS)]) == LABEL_COLUMNS
    assert set(gold["source"]) == {"gold"} and (gold["score"] == 1.0).all()
    by_clause = gold.groupby("clause_id")["label"].apply(set)
    assert by_clause["anbudsmarkedet:0022"] == {"complaint"}  # "Du kan også klage til Datatilsynet"
    assert by_clause["24center:0020"] == {"retention"}  # heading "Oppbevaringstid av personopplysninger"
    assert {"consent", "contract", "legal_obligation", "legitimate_interests"} <= by_clause["anbudsmarkedet:0007"]


def test_titles_and_boilerplate_carry_no_gold_labels(bundled):
    _, clauses = bundled
    annotated = read_annotated_clauses(BUNDLED_ANNOTATIONS)
    info = clauses[["clause_id", "kind", "level"]].rename(columns={"kind": "kind_corpus"})
    joined = annotated.merge(info, on="clause_id", how="left")
    unlabelled = (joined["kind_corpus"] == "boilerplate") | ((joined["kind_corpus"] == "heading") & (joined["level"] == 0))
    assert unlabelled.any()
    for dimension in DIMENSIONS:
        assert joined.loc[unlabelled, dimension].map(len).eq(0).all()


def test_gold_clauses_joins_labels_to_the_corpus():
    clauses, documents = gold_clauses()
    assert clauses["annotated"].all()
    row = clauses.set_index("clause_id").loc["digdir:0032"]
    assert row["topic"] == ["complaint"] and row["doc_id"] == "digdir"


def test_gold_clauses_rejects_annotations_of_another_corpus(tmp_path):
    _write(tmp_path / "ghost.jsonl", [_record(doc_id="ghost", clause_id="ghost:0000")])
    with pytest.raises(ValueError, match="ghost"):
        gold_clauses(tmp_path)


# -- validation -------------------------------------------------------------------------


def test_bad_json_names_file_and_line(tmp_path):
    path = tmp_path / "d.jsonl"
    _write(path, [_record(), '{"doc_id": "d", "clause_id": \n'])
    with pytest.raises(AnnotationError) as error:
        read_annotated_clauses(path)
    assert str(error.value).startswith(f"{path}:2:")
    assert "not valid JSON" in str(error.value)
    assert error.value.line == 2


def test_unknown_label_names_file_line_and_suggests(tmp_path):
    path = tmp_path / "d.jsonl"
    _write(path, [_record(), _record(clause_id="d:0002", topic=["retension"])])
    with pytest.raises(AnnotationError, match=r"d\.jsonl:2: unknown topic label 'retension' \(did you mean 'retention'\?\)"):
        read_annotated_clauses(tmp_path)


def test_label_of_another_dimension_is_explained(tmp_path):
    path = tmp_path / "d.jsonl"
    _write(path, [_record(topic=["consent"])])
    with pytest.raises(AnnotationError, match="'consent' belongs to dimension 'legal_basis'"):
        read_annotated_clauses(path)


def test_missing_key_and_wrong_types_are_errors(tmp_path):
    path = tmp_path / "d.jsonl"
    record = _record()
    del record["right"]
    _write(path, [record])
    with pytest.raises(AnnotationError, match=r":1: missing key\(s\) right"):
        read_annotated_clauses(path)
    _write(path, [_record(topic="retention")])
    with pytest.raises(AnnotationError, match="topic must be a list"):
        read_annotated_clauses(path)
    _write(path, [_record(end=99)])
    with pytest.raises(AnnotationError, match="end - start"):
        read_annotated_clauses(path)


def test_clause_annotated_twice_is_an_error(tmp_path):
    path = tmp_path / "d.jsonl"
    _write(path, [_record(), "\n", _record()])
    with pytest.raises(AnnotationError, match=r":3: clause 'd:0001' is annotated twice \(first at .*:1\)"):
        read_annotated_clauses(path)


def test_note_is_optional_and_blank_lines_are_skipped(tmp_path):
    path = tmp_path / "d.jsonl"
    record = _record()
    del record["note"]
    _write(path, ["\n", record])
    frame = read_annotated_clauses(path)
    assert frame["note"].tolist() == [""] and frame["line"].tolist() == [2]


# -- alignment after re-segmentation -----------------------------------------------------


def test_alignment_survives_a_shift_and_reports_changed_clauses(tmp_path, bundled):
    documents, _ = bundled
    annotated = read_annotated_clauses(BUNDLED_ANNOTATIONS / "motkraft.jsonl")
    # A new line at the top shifts every offset; one clause is then edited.
    text = documents.set_index("doc_id").loc["motkraft", "text"]
    changed_clause = annotated.iloc[5]
    edited = "Sist endret 1. mars.\n\n" + text.replace(changed_clause["text"], changed_clause["text"] + " Ny setning.", 1)
    shifted = segment_documents(pd.DataFrame({"doc_id": ["motkraft"], "text": [edited]}))
    with pytest.warns(PolicylabWarning, match=r"1 annotated clause\(s\) no longer align.*motkraft\.jsonl:6 motkraft:0005"):
        aligned = align_annotations(annotated, shifted)
    counts = aligned["aligned"].value_counts()
    assert counts.get("offsets", 0) == 0
    assert counts["unaligned"] == 1
    assert counts["text"] == len(annotated) - 1
    # Aligned by text, each record points at a clause with exactly its text.
    new_text = shifted.set_index("clause_id")["text"]
    ok = aligned[aligned["aligned"] == "text"]
    assert (ok["clause_id"].map(new_text) == ok["text"]).all()
    assert aligned["clause_id"].dropna().is_unique


def test_alignment_prefers_the_nearest_of_repeated_texts():
    clauses = pd.DataFrame({"clause_id": ["d:0000", "d:0001"], "doc_id": "d", "start": [0, 100],
                            "end": [4, 104], "text": ["Navn", "Navn"]})
    annotated = pd.DataFrame({"doc_id": "d", "clause_id": ["d:0005"], "start": [90], "end": [94], "text": ["Navn"]})
    aligned = align_annotations(annotated, clauses, warn=False)
    assert aligned[["clause_id", "aligned"]].values.tolist() == [["d:0001", "text"]]

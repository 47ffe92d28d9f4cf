"""Evaluation beyond labels: retention durations, coverage cells, any corpus, and the
``policylab.evaluate`` name (issue #17 item 1 measures, issue #15)."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

import policylab
from policylab.annotations import BUNDLED_ANNOTATIONS, AnnotationError, read_annotated_clauses
from policylab.corpus import BUNDLED_CORPUS
from policylab.evaluate import coverage_agreement, evaluate_command, retention_outcomes, retention_scores


def _with_days(tmp_path, days_by_snippet: dict[str, list]):
    """motkraft's annotations with ``retention_days`` on the clauses containing each snippet."""
    folder = tmp_path / "ann"
    folder.mkdir()
    lines = []
    for line in (BUNDLED_ANNOTATIONS / "motkraft.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        for snippet, days in days_by_snippet.items():
            if snippet in record["text"]:
                record["retention_days"] = days
        lines.append(json.dumps(record, ensure_ascii=False))
    (folder / "motkraft.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_retention_days_are_read_and_scored(tmp_path):
    folder = _with_days(tmp_path, {"vil derfor bli behandlet i ca. 6 år": [2190], "Vi behandler personopplysninger": []})
    annotated = read_annotated_clauses(folder)
    assert [2190.0] in annotated["retention_days"].tolist()
    rows = retention_outcomes(folder)
    assert ((rows["days"] == 2190.0) & (rows["outcome"] == "tp")).any()
    # Durations the tagger finds in clauses annotated without them are false positives.
    assert set(rows["outcome"]) <= {"tp", "fp", "fn"}
    s = retention_scores(rows)
    assert s["tp"] >= 1 and 0 < s["f1"] <= 1


def test_a_wrong_gold_duration_is_a_miss(tmp_path):
    folder = _with_days(tmp_path, {"vil derfor bli behandlet i ca. 6 år": [365]})
    rows = retention_outcomes(folder)
    assert ((rows["days"] == 365.0) & (rows["outcome"] == "fn")).any()
    assert ((rows["days"] == 2190.0) & (rows["outcome"] == "fp")).any()


def test_no_retention_days_no_rows():
    assert retention_outcomes(BUNDLED_ANNOTATIONS / "digdir.jsonl").empty


@pytest.mark.parametrize("bad,message", [(5, "must be a list"), ([-1], "positive"), ([True], "positive"), (["2 år"], "positive")])
def test_bad_retention_days_name_file_and_line(tmp_path, bad, message):
    record = {"doc_id": "d", "clause_id": "d:0000", "start": 0, "end": 2, "kind": "paragraph", "text": "Hi",
              "topic": [], "legal_basis": [], "right": [], "retention_days": bad}
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(AnnotationError, match=f"d.jsonl:1: .*{message}"):
        read_annotated_clauses(path)


def test_coverage_cells_gold_against_rules():
    cells = coverage_agreement(BUNDLED_ANNOTATIONS / "motkraft.jsonl")
    assert len(cells) == 20 and cells["agree"].mean() >= 0.9
    assert set(cells.columns) == {"doc_id", "item", "gold", "predicted", "agree"}


def test_evaluate_is_a_function_and_a_module():
    # README: policylab.evaluate.outcomes raised AttributeError (the function shadowed the module).
    assert callable(policylab.evaluate.outcomes)
    result = policylab.evaluate(BUNDLED_ANNOTATIONS / "digdir.jsonl", methods=["rules"])
    assert {"micro", "macro"} <= set(result["label"])


def test_command_on_a_folder_without_annotations_fails_clearly(tmp_path):
    run = CliRunner().invoke(evaluate_command, [str(tmp_path)])
    assert run.exit_code != 0 and "no .jsonl annotation files" in run.output


def test_command_on_another_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(BUNDLED_CORPUS / "digdir.txt", corpus / "digdir.txt")
    ann = tmp_path / "ann"
    ann.mkdir()
    shutil.copy(BUNDLED_ANNOTATIONS / "digdir.jsonl", ann / "digdir.jsonl")
    run = CliRunner().invoke(evaluate_command, [str(ann), "--corpus", str(corpus), "--methods", "rules"])
    assert run.exit_code == 0, run.output
    assert "coverage cells agreeing" in run.output and "micro" in run.output

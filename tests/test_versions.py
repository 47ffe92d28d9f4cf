"""Two published versions of Kraftvare's notice (Kraftvare/kraftvare.github.io, terms.html at
fd40854, 2023-02-13, and 1fe93c4, 2023-03-12): the second was rewritten in nynorsk and grew
sections on cookies, usage tracking, change logging and sharing."""

import pandas as pd
import pytest
from click.testing import CliRunner

from policylab.build import BUNDLED_CORPUS, build
from policylab.cli import main
from policylab.versions import compare_versions, word_diff

VERSIONS = BUNDLED_CORPUS.parent / "versions"
OLD, NEW = VERSIONS / "kraftvare-2023-02-13", VERSIONS / "kraftvare-2023-03-12"


@pytest.fixture(scope="module")
def diff():
    return compare_versions(build(OLD, progress=False), build(NEW, progress=False))


def test_provenance_is_kept():
    meta = pd.read_csv(NEW / "metadata.csv")
    assert meta.loc[0, "source_commit"] == "1fe93c44e32e3bcaba7c5c486735b49dae06ee6f"
    assert pd.read_csv(OLD / "metadata.csv").loc[0, "source_commit"] == "fd40854c07e07fd3bc0f601ce1f275c446e68eae"


def test_clause_changes(diff):
    clauses = diff.clauses
    assert diff.only_old == [] and diff.only_new == []
    # Nothing of the first version was dropped: every clause is kept, respelt or rewritten.
    assert (clauses["status"] == "removed").sum() == 0
    respelt = clauses[clauses["old_text"].str.contains("Fornavn og etternavn")].iloc[0]
    assert respelt["status"] == "changed" and "Fornamn og etternamn" in respelt["new_text"]
    intro = clauses[clauses["old_text"].str.startswith("For at du skal kunne bruke")].iloc[0]
    assert "[-trenger-] {+treng+}" in intro["word_diff"]
    added = clauses[clauses["status"] == "added"]
    assert any("cookies i forbindelse med innlogging" in t for t in added["new_text"])
    assert any("deler ingen persondata til tredjepart" in t for t in added["new_text"])
    cookie = added[added["new_text"].str.contains("cookies i forbindelse med innlogging")].iloc[0]
    assert "topic:cookies" in cookie["labels_added"]


def test_coverage_gained_by_the_new_sections(diff):
    gained = set(diff.coverage.loc[diff.coverage["change"] == "gained", "item"])
    # "Kraftvare deler ingen persondata til tredjepart": saying data is NOT shared answers Art. 13(1)(e).
    assert "recipients" in gained
    assert diff.coverage.loc[diff.coverage["change"] == "lost"].empty
    row = diff.coverage[diff.coverage["item"] == "recipients"].iloc[0]
    assert row["evidence_old"] == [] and len(row["evidence_new"]) >= 1


def test_word_diff_marks_both_sides():
    assert word_diff("lagres i to år", "lagres i tre år") == "lagres i [-to-] {+tre+} år"
    assert word_diff("a b", "a b") == "a b"


def test_diff_command(tmp_path):
    result = CliRunner().invoke(main, ["diff", str(OLD), str(NEW), "--out", str(tmp_path), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "kraftvare: 12 clauses added, 0 removed" in result.output
    assert "coverage gained:" in result.output and "recipients" in result.output
    assert (tmp_path / "clauses.csv").exists() and len(pd.read_csv(tmp_path / "summary.csv")) == 1

"""Keyword in context on the bundled notices."""

import pandas as pd
import pytest
from click.testing import CliRunner

from policylab.cli import main
from policylab.kwic import kwic


def test_every_datatilsynet_hit_with_offsets_and_tags(tables):
    hits = kwic(tables.clauses, "Datatilsynet", labels=tables.labels)
    # grep -oiP '(?<![\p{L}\p{N}])datatilsynet(?![\p{L}\p{N}])' data/corpus/*.txt | wc -l
    assert len(hits) == 18
    assert hits["doc_id"].nunique() == 12
    assert (hits["doc_id"] == "motkraft").sum() == 3 + 1  # "Datatilsynets" is another word; www.datatilsynet.no is a hit
    text = tables.documents.set_index("doc_id")["text"]
    for hit in hits.itertuples():
        assert text[hit.doc_id][getattr(hit, "_4"):hit.to].lower() == "datatilsynet"
    klage = hits[hits["pre"].str.endswith("klage til")]
    assert len(klage) >= 5 and klage["topic"].str.contains("complaint").all()


def test_context_window_in_words():
    clauses = pd.DataFrame({"clause_id": ["d:0001"], "doc_id": ["d"], "start": [0],
                            "text": ["Du kan når som helst trekke tilbake samtykket ditt ved å kontakte oss."]})
    hit = kwic(clauses, "trekke  tilbake", window=2).iloc[0]
    assert (hit["pre"], hit["keyword"], hit["post"]) == ("som helst", "trekke tilbake", "samtykket ditt")
    assert hit["from"] == clauses.text[0].index("trekke")


def test_glob_and_stems(tables):
    glob = kwic(tables.clauses, "personopplysning*")
    assert glob["keyword"].str.lower().str.startswith("personopplysning").all()
    assert {"personopplysninger", "personopplysningene"} <= set(glob["keyword"].str.lower())
    stems = kwic(tables.clauses, "slette", stems=True)
    assert {"slette", "slettes", "slettet", "sletter"} <= set(stems["keyword"].str.lower())
    assert not stems["keyword"].str.lower().str.startswith("sletting").any()  # another stem


def test_regex_and_its_time_limit(tables):
    periods = kwic(tables.clauses, r"\b\d+\s+(?:år|måneder)\b", regex=True)
    assert "12 måneder" in set(periods["keyword"])
    slow = pd.DataFrame({"clause_id": ["x:0000"], "doc_id": ["x"], "start": [0], "text": ["a" * 5000 + "!"]})
    with pytest.raises(TimeoutError, match="backtracks catastrophically"):
        kwic(slow, r"(a|aa)+$", regex=True)
    with pytest.raises(ValueError, match="not a valid regular expression"):
        kwic(slow, "(unclosed", regex=True)
    with pytest.raises(ValueError, match="empty"):
        kwic(slow, "   ")


def test_search_command(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["search", "data/corpus", "Datatilsynet", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "[Datatilsynet]" in result.output and "complaint" in result.output
    out = tmp_path / "hits.csv"
    result = runner.invoke(main, ["search", "data/corpus", "personvernombud", "--out", str(out), "--quiet"])
    assert result.exit_code == 0
    hits = pd.read_csv(out)
    assert len(hits) > 0 and set(hits["keyword"].str.lower()) == {"personvernombud"}
    bad = runner.invoke(main, ["search", "data/corpus", "(x", "--regex", "--quiet"])
    assert bad.exit_code != 0 and "not a valid regular expression" in bad.output

"""Languages: one profile per language, and notices in a language without a lexicon
are read and segmented but never tagged with a foreign lexicon (#14 item 3)."""

from __future__ import annotations

import shutil
import tomllib
import warnings
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import policylab
from policylab import tokenize
from policylab.cli import main
from policylab.languages import PROFILES, language_summary, resolve, untagged_reason
from policylab.readers import detect_language
from policylab.stopwords import stop_words
from policylab.tag import tag_clauses, tag_rows

HERE = Path(__file__).parent / "data" / "languages"
GOOD = "Personvernerklæring\n\nVi lagrer navnet ditt i to år. Du kan kreve innsyn i opplysningene vi har om deg.\n"


@pytest.mark.parametrize("code", sorted(PROFILES))
def test_every_profile_is_complete(code):
    from lingua import Language
    from nltk.stem.snowball import SnowballStemmer

    profile = PROFILES[code]
    assert profile.code == code and resolve(code) is profile
    assert profile.lingua and hasattr(Language, profile.lingua)
    if profile.stemmer:
        SnowballStemmer(profile.stemmer).stem("opplysninger")  # offline, no download
    if profile.hyphenation:
        import pyphen

        assert pyphen.language_fallback(profile.hyphenation), profile.hyphenation
    if profile.tagged:
        lexicons = resources.files("policylab").joinpath("lexicons")
        assert lexicons.joinpath(profile.lexicon).is_file()
        retention = tomllib.loads(lexicons.joinpath("retention.toml").read_text("utf-8"))
        assert profile.retention in retention["units"]
        assert profile.stop_words and stop_words(profile.stop_words)
        assert profile.stemmer and profile.hyphenation
        if profile.abbreviations:
            assert getattr(tokenize, profile.abbreviations)


def test_resolve_owns_the_fallback_rule():
    assert resolve("").code == resolve(None).code == "nb"
    assert resolve(" NO ").code == "nb" and resolve("nno").code == "nn"
    assert not resolve("xx").tagged and resolve("xx").code == "xx"
    assert [p.code for p in PROFILES.values() if p.tagged] == ["nb", "nn", "en"]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    shutil.copy(HERE / "sv-hemlandsfonden.md", folder)
    shutil.copy(HERE / "da-hibiscusvej.md", folder)
    (folder / "norsk.txt").write_text(GOOD, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return policylab.build(folder, progress=False)


def test_swedish_and_danish_notices_are_detected(mixed):
    languages = dict(zip(mixed.documents.doc_id, mixed.documents.language))
    assert languages == {"sv-hemlandsfonden": "sv", "da-hibiscusvej": "da", "norsk": "nb"}


def test_a_language_without_lexicon_gets_a_problem_row_and_no_tags(mixed):
    problems = mixed.problems.set_index("doc_id")
    assert problems.loc["sv-hemlandsfonden", "problem"] == "sv: no lexicon; read and segmented, not tagged"
    assert problems.loc["da-hibiscusvej", "problem"] == "da: no lexicon; read and segmented, not tagged"
    tagged = dict(zip(mixed.documents.doc_id, mixed.documents.tagged))
    assert tagged == {"sv-hemlandsfonden": False, "da-hibiscusvej": False, "norsk": True}
    foreign = {"sv-hemlandsfonden", "da-hibiscusvej"}
    assert not mixed.labels.doc_id.isin(foreign).any()
    assert not mixed.retention.doc_id.isin(foreign).any()
    assert not mixed.coverage.doc_id.isin(foreign).any()
    # Read and segmented all the same, with the Markdown's headings.
    clauses = mixed.clauses[mixed.clauses.doc_id == "da-hibiscusvej"]
    assert clauses.loc[clauses.kind == "heading", "text"].tolist()[:2] == ["Privatlivspolitik", "Indsamling af oplysninger"]
    assert (clauses.kind == "list_item").sum() >= 10
    # The Norwegian notice is tagged as before.
    assert mixed.labels.doc_id.eq("norsk").any() and mixed.coverage.doc_id.eq("norsk").any()


def test_the_build_summary_says_how_many_were_left_out_and_why(mixed):
    summary = language_summary(mixed.documents).set_index("language")
    assert summary.loc["sv", "notices"] == 1 and not summary.loc["sv", "tagged"]
    assert summary.loc["da", "reason"] == untagged_reason("da")
    assert summary.loc["nb", "tagged"]


def test_cli_reports_the_untagged_notices(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    shutil.copy(HERE / "sv-hemlandsfonden.md", folder)
    (folder / "norsk.txt").write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "not tagged: 1 notices (1 × sv: no lexicon; read and segmented, not tagged)" in result.output


def test_tag_rows_gives_no_tags_for_a_language_without_lexicon():
    clauses = {"clause_id": ["x:0000"], "doc_id": ["x"], "text": ["Du har rätt att begära tillgång till dina personuppgifter."]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning, and no bokmål tags
        assert tag_rows(clauses, language="sv") == []
    assert tag_rows({**clauses, "text": ["Du kan kreve innsyn."]}, language="") != []


def test_tag_clauses_follows_the_documents_language():
    clauses = pd.DataFrame({"clause_id": ["a:0000", "b:0000"], "doc_id": ["a", "b"],
                            "text": ["Du kan kreve innsyn.", "Du kan kreve innsyn."]})
    documents = pd.DataFrame({"doc_id": ["a", "b"], "language": ["nb", "da"]})
    assert set(tag_clauses(clauses, documents=documents).doc_id) == {"a"}


def test_metadata_language_wins_over_detection(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("doc_id,file,language\na,a.txt,de\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = policylab.build(tmp_path, progress=False)
    assert t.documents.language.item() == "de" and not t.documents.tagged.item()
    assert t.labels.empty and t.coverage.empty


@pytest.mark.parametrize("text, code", [
    ("Vi behandler dine personoplysninger for at kunne levere vores ydelser til dig.", "da"),
    ("Vi behandlar dina personuppgifter för att kunna leverera våra tjänster till dig.", "sv"),
    ("Wir verarbeiten Ihre personenbezogenen Daten, um unsere Dienste zu erbringen.", "de"),
])
def test_neighbouring_languages_are_detected(text, code):
    assert detect_language(text) == code

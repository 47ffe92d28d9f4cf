"""Readability (LIX, OVIX, Flesch) on the bundled notices."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylab.readability import LIX_BANDS, READABILITY_COLUMNS, lix_band, readability, readability_table
from policylab.tokenize import words


@pytest.fixture(scope="session")
def documents_table(tables):
    return readability_table(tables.documents, tables.clauses)


def _one_clause(text: str, *, language: str = "nb") -> tuple[pd.DataFrame, pd.DataFrame]:
    docs = pd.DataFrame({"doc_id": ["x"], "language": [language], "text": [text]})
    clauses = pd.DataFrame({"clause_id": ["x:0000"], "doc_id": ["x"], "kind": ["paragraph"], "section": [""], "text": [text]})
    return docs, clauses


def test_hand_counted_paragraph(tables):
    # kvam-esport, "Sletting og lagring av persondata", counted by hand:
    # S1 "Data om personar som melder seg på eit arrangement vert lagra frå
    #     personen melder seg inn og inntil 30 dagar etter arrangementet."
    #     21 words ("30" is no word); long (> 6 letters): personar, arrangement,
    #     personen, arrangementet = 4
    # S2 "Seinast 30 dagar etter arrangementet vert all persondata om personen
    #     sletta." 10 words; long: Seinast, arrangementet, persondata, personen = 4
    # words 31, sentences 2, long words 8; repeated: melder, seg, dagar, etter,
    # arrangementet, vert, om, personen -> 31 - 8 = 23 unique words.
    # LIX = 31/2 + 100*8/31 = 41.306...
    text = tables.documents.set_index("doc_id").loc["kvam-esport", "text"]
    start = text.index("Data om personar")
    end = text.index("sletta.", start) + len("sletta.")
    row = readability_table(*_one_clause(text[start:end], language="nn")).iloc[0]
    assert (row.words, row.sentences, row.long_words, row.unique_words) == (31, 2, 8, 23)
    assert row.lix == 31 / 2 + 100 * 8 / 31
    assert row.ovix == pytest.approx(math.log(31) / math.log(2 - math.log(23) / math.log(31)))
    assert row.lix_band == "medium"
    assert row.mean_sentence_length == 15.5
    assert np.isnan(row.flesch_reading_ease)
    assert row.flesch_note.startswith("not computed for nn: Flesch reading ease is fitted to English")


def test_columns(documents_table, tables):
    assert list(documents_table.columns) == ["doc_id", *READABILITY_COLUMNS]
    assert documents_table.doc_id.tolist() == tables.documents.doc_id.tolist()
    section = readability(tables, level="section")
    assert list(section.columns[:2]) == ["doc_id", "section"]
    clause = readability(tables, level="clause")
    assert list(clause.columns[:2]) == ["doc_id", "clause_id"]


@pytest.mark.parametrize("doc", sorted(pd.read_csv("data/corpus/metadata.csv").doc_id))
def test_every_notice_has_a_plausible_lix(documents_table, doc):
    row = documents_table.set_index("doc_id").loc[doc]
    assert 25 <= row.lix <= 75
    assert row.lix == row.words / row.sentences + 100 * row.long_words / row.words


def test_identical_across_runs(tables, documents_table):
    again = readability_table(tables.documents, tables.clauses)
    pd.testing.assert_frame_equal(again, documents_table)


@pytest.mark.parametrize("level", ["section", "clause"])
def test_lower_levels_sum_to_documents(tables, documents_table, level):
    lower = readability_table(tables.documents, tables.clauses, level=level)
    sums = lower.groupby("doc_id")[["words", "sentences", "long_words", "syllables", "clauses"]].sum()
    doc = documents_table.set_index("doc_id")[sums.columns]
    pd.testing.assert_frame_equal(sums.loc[doc.index], doc)


def test_boilerplate_is_excluded(tables, documents_table):
    clauses = tables.clauses[tables.clauses.doc_id == "24center"]
    assert (clauses.kind == "boilerplate").any()
    expected = sum(len(words(t)) for t in clauses.loc[clauses.kind != "boilerplate", "text"])
    assert documents_table.set_index("doc_id").loc["24center", "words"] == expected
    assert expected < sum(len(words(t)) for t in clauses.text)


def test_flesch_only_for_english():
    text = "We keep your data for two years. Then we delete it."
    row = readability_table(*_one_clause(text, language="en")).iloc[0]
    assert row.words == 11 and row.sentences == 2
    expected = 206.835 - 1.015 * 11 / 2 - 84.6 * row.syllables / 11
    assert row.flesch_reading_ease == pytest.approx(expected)
    assert row.flesch_note == ""
    assert 11 <= row.syllables <= 16


def test_ovix_undefined_when_every_word_is_new():
    row = readability_table(*_one_clause("Alle ord her er nye.")).iloc[0]
    assert row.unique_words == row.words and np.isnan(row.ovix)


def test_bands():
    assert [b.band for b in LIX_BANDS] == ["very easy", "easy", "medium", "difficult", "very difficult"]
    assert all(a.upper == b.lower for a, b in zip(LIX_BANDS, LIX_BANDS[1:]))
    assert lix_band(pd.Series([10, 30, 45, 59.99, 60, np.nan])).tolist()[:5] == [
        "very easy", "easy", "medium", "difficult", "very difficult",
    ]
    assert list(pd.DataFrame(LIX_BANDS).columns) == ["band", "lower", "upper"]


def test_bad_arguments(tables):
    with pytest.raises(ValueError):
        readability_table(tables.documents, tables.clauses, level="paragraph")
    with pytest.raises(TypeError):
        readability(tables.documents)


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå", min_size=1, max_size=14)
_SENTENCE = st.lists(_WORD, min_size=1, max_size=25).map(lambda ws: " ".join(ws).capitalize() + ".")


@settings(max_examples=150, deadline=None)
@given(st.lists(_SENTENCE, min_size=1, max_size=8), st.sampled_from(["nb", "nn", "en"]))
def test_lix_properties(sentences, language):
    text = " ".join(sentences)
    row = readability_table(*_one_clause(text, language=language)).iloc[0]
    assert row.words == len(words(text))
    assert row.lix >= row.mean_sentence_length
    assert 0 <= row.long_word_share <= 1
    assert row.unique_words <= row.words
    assert np.isnan(row.ovix) or row.ovix > 0
    assert row.sentences >= 1


def test_build_counts_in_workers_as_the_table_does(tables):
    # build() scores per-notice counts made in its workers; they must equal the
    # table computed over the whole clauses table.
    pd.testing.assert_frame_equal(tables.readability, readability_table(tables.documents, tables.clauses))


def test_counts_of_a_notice_without_text():
    from policylab.readability import document_counts, readability_from_counts

    docs = pd.DataFrame({"doc_id": ["a", "b"], "language": ["nb", "en"]})
    rows = [document_counts("a", {"kind": ["boilerplate"], "text": ["Godta alle"], "n_sentences": [1]}, "nb")]
    table = readability_from_counts(docs, rows)
    assert table["doc_id"].tolist() == ["a", "b"]
    assert table["words"].tolist() == [0, 0] and table["lix"].isna().all()


@given(st.lists(st.sampled_from(list("aøÅΣσςİıKß'’- .\n") + ["ΟΔΟΣ", "Straße", "İstanbul", "x\u0301"]),
                max_size=40).map("".join))
@settings(max_examples=200, deadline=None)
def test_clause_words_are_lowered_one_by_one(text):
    # One lower() per clause must give what lowering each word alone gives (final sigma, İ, ß).
    from policylab.readability import _clause_counts
    from policylab.tokenize import words

    assert _clause_counts(text, "nb")[0] == [w.lower() for w in words(text)]

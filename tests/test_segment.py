"""Segmentation of the bundled notices: layout a reader can check, and losslessness."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylab.segment import CLAUSE_COLUMNS, CLAUSE_KINDS, segment_document
from conftest import clause_with


def assert_lossless(text, clauses):
    covered = [0] * len(text)
    for row in clauses.itertuples():
        assert text[row.start:row.end] == row.text
        assert row.text == row.text.strip()
        for i in range(row.start, row.end):
            covered[i] += 1
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert covered[i] == 1, f"character {i} ({ch!r}) lies in {covered[i]} clauses"


def test_columns_and_kinds(clauses):
    assert list(clauses.columns[: len(CLAUSE_COLUMNS)]) == CLAUSE_COLUMNS
    assert set(clauses.kind) == set(CLAUSE_KINDS)


def test_every_bundled_notice_is_lossless(tables):
    for doc in tables.documents.itertuples():
        assert_lossless(doc.text, tables.clauses[tables.clauses.doc_id == doc.doc_id])


def test_clause_ids_are_stable_and_ordered(clauses):
    for doc_id, group in clauses.groupby("doc_id"):
        assert group.position.tolist() == list(range(len(group)))
        assert group.clause_id.tolist() == [f"{doc_id}:{p:04d}" for p in group.position]
        assert group.start.is_monotonic_increasing


def test_numbered_heading_nests_under_its_parent(clauses):
    row = clause_with(clauses, "motkraft", "2.3 Leveranse av produkter og tjenester")
    assert row.kind == "heading" and row.level == 2
    assert row.section == "2 Behandling av personopplysninger > 2.3 Leveranse av produkter og tjenester"
    body = clause_with(clauses, "motkraft", "Opplysningene vil derfor bli behandlet i ca. 6 år.")
    assert body.heading == "2.3 Leveranse av produkter og tjenester"
    assert body.section.startswith("2 Behandling av personopplysninger > 2.3")


def test_heading_ending_in_abbreviation(clauses):
    row = clause_with(clauses, "motkraft", "2.6 Eksisterende og potensielle kunder")
    assert row.kind == "heading"
    assert row.section.endswith("samarbeidspartnere mv.")


def test_section_pops_back_to_top_level(clauses):
    row = clause_with(clauses, "motkraft", "Opplever du at vår behandling")
    assert row.section == "8 Klager"


@pytest.mark.parametrize(
    "doc_id, snippet",
    [
        ("resultat24", "Hvordan oppbevares opplysningene?"),
        ("resultat24", "Behandlingsansvarlig"),
        ("24center", "Oppbevaringstid av personopplysninger"),
        ("balcoo", "Nettstatistikk"),
        ("okorad", "Hva menes med «behandling» i dette tilfellet?"),
        ("turnus-hjelp", "Kor lenge lagrar vi dataa?"),
        ("jodacare", "1. Behandlingsansvarlig"),
    ],
)
def test_plain_headings(clauses, doc_id, snippet):
    hits = clauses[(clauses.doc_id == doc_id) & (clauses.text == snippet)]
    assert hits.kind.tolist() == ["heading"]


def test_all_caps_title(clauses):
    row = clause_with(clauses, "resultat24", "PERSONVERNSERKLÆRING")
    assert row.kind == "heading" and row.level == 0


def test_list_items(clauses):
    assert clause_with(clauses, "okorad", "• Du kan kreve innsyn").kind == "list_item"
    cookies = clauses[(clauses.doc_id == "motkraft") & clauses.text.str.startswith("▫️")]
    assert len(cookies) == 9 and set(cookies.kind) == {"list_item"}


def test_table_rows(clauses):
    header = clause_with(clauses, "resultat24", "OPPLYSNINGSKATEGORI SPESIFISERING GJELDER FOR")
    assert header.kind == "table_row"
    rows = clauses[(clauses.doc_id == "resultat24") & (clauses.kind == "table_row")]
    assert len(rows) == 7
    assert clause_with(clauses, "ndla", "Namn | _gali").kind == "table_row"


def test_boilerplate(clauses):
    assert clause_with(clauses, "resultat24", "Resultat24.no > personvernerklæring").kind == "boilerplate"
    assert clause_with(clauses, "24center", "Nettstedet vårt bruker informasjonskapsler").kind == "boilerplate"
    assert clause_with(clauses, "24center", "har ennå ikke startet driften").kind == "boilerplate"
    obs = clauses[(clauses.doc_id == "24center") & (clauses.text == "Obs!")]
    assert obs.kind.tolist() == ["boilerplate"]
    # Boilerplate is rare: the notices' own text is not flagged.
    assert (clauses.kind == "boilerplate").sum() <= 10


def test_address_lines_do_not_merge_with_the_paragraph_before(clauses):
    before = clause_with(clauses, "balcoo", "Krav fra den registrerte skal besvares")
    assert "Balcoo AS\n" not in before.text and "Stavanger" not in before.text
    for line in ("Prof. Olav Hanssensvei 7a", "4068 Stavanger, Norge"):
        row = clause_with(clauses, "balcoo", line)
        assert row.kind == "paragraph"


def test_company_name_with_a_number_is_not_a_numbered_heading(clauses):
    row = clause_with(clauses, "24center", "Østensjøveien 43")
    assert row.kind == "paragraph"
    assert not ((clauses.doc_id == "24center") & (clauses.text.str.startswith("24 Center AS")) & (clauses.kind == "heading")).any()


def test_word_and_sentence_counts(clauses):
    row = clause_with(clauses, "motkraft", "Opplysningene vil derfor bli behandlet i ca. 6 år.")
    assert row.text == "Opplysningene vil behandles så lenge det er nødvendig for å oppfylle avtalen, om det blir reklamasjon og for regnskapsføring. Opplysningene vil derfor bli behandlet i ca. 6 år."
    assert row.n_sentences == 2
    # 19 letter words in the first sentence, 8 in the second ("ca" counts, "6" does not).
    assert row.n_words == 27


def test_empty_text_gives_empty_table():
    frame = segment_document("x", "")
    assert frame.empty and list(frame.columns) == CLAUSE_COLUMNS


def test_markdown_headings_nest():
    text = "# Personvern\n\n## Innsyn\n\nDu kan be om innsyn.\n\n### Kopi\n\nDu kan be om kopi.\n\n## Klage\n\nKlag til Datatilsynet."
    c = segment_document("md", text)
    assert c.loc[c.text == "Du kan be om kopi.", "section"].item() == "## Innsyn > ### Kopi"
    assert c.loc[c.text == "Klag til Datatilsynet.", "section"].item() == "## Klage"
    assert c.loc[c.text == "# Personvern", "level"].item() == 0


_pieces = st.sampled_from(
    ["\n", "\n\n", " ", "  ", "\t", "• ", "- ", "1. ", "2.3 ", "a) ", "▫️ ", "# ", "## ", "Innsyn", "OPPBEVARING",
     "Vi lagrer data i to år.", "Les mer", "Resultat24.no > personvern", " | ", "Hva gjør vi?", "ca. ", "\u00a0", "\r"]
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=400), st.lists(_pieces, max_size=60).map("".join)))
def test_segmentation_is_lossless_for_any_text(text):
    clauses = segment_document("h", text)
    assert_lossless(text, clauses)
    assert (clauses.end > clauses.start).all()
    assert set(clauses.kind) <= set(CLAUSE_KINDS)


def test_titles(clauses):
    titles = clauses[(clauses.kind == "heading") & (clauses.level == 0)].set_index("doc_id").text
    assert titles["motkraft"] == "Personvernerklæring for Motkraft"
    # A date line before the title does not stop it being the title.
    assert titles["dyktig-regnskapsforer"] == "Personvernerklæring"
    # A notice that opens with a section heading has no title.
    assert "utekos" not in titles.index and "hyperion" not in titles.index
    first = clause_with(clauses, "utekos", "Hvem som er ansvarlig")
    assert first.kind == "heading" and first.level == 1
    assert len(titles) == len(set(titles.index))


def test_boilerplate_prefilter_changes_no_clause(tables, monkeypatch):
    # The one-scan boilerplate prefilter only decides which patterns run; without
    # hyperscan (no prefilter) every notice segments the same.
    import dataclasses

    import pandas as pd

    from policylab import segment

    pytest.importorskip("hyperscan")
    plain = dataclasses.replace(segment._rules(), boilerplate_filter=None)
    monkeypatch.setattr(segment, "_rules", lambda: plain)
    for doc in tables.documents.itertuples():
        with_prefilter = tables.clauses[tables.clauses.doc_id == doc.doc_id].reset_index(drop=True)
        pd.testing.assert_frame_equal(segment_document(doc.doc_id, doc.text), with_prefilter)
    boilerplate = tables.clauses[tables.clauses.kind == "boilerplate"]
    assert len(boilerplate) == 5  # the test would pass vacuously without any

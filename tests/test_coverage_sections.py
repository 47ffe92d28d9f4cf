"""Coverage reads what a section says (issue #17 item 4): a heading alone is no evidence."""

from __future__ import annotations

import pandas as pd

from policylab.coverage import coverage_table
from policylab.segment import segment_document
from policylab.tag import tag_document


def cells(text: str, language: str = "nn", *, with_clauses: bool = True) -> pd.DataFrame:
    clauses = segment_document("d", text)
    labels = tag_document(clauses, language=language)
    cov = coverage_table(labels, pd.DataFrame({"doc_id": ["d"]}), clauses=clauses if with_clauses else None)
    return cov.set_index("item")


def test_question_heading_answered_by_nothing_covers_nothing():
    text = "Personvern\n\nKor lenge lagrar vi opplysningane?\n\nVi deler opplysningane med rekneskapsføraren vår."
    assert bool(cells(text, with_clauses=False).loc["retention_period", "covered"])  # what the heading alone gave
    assert not bool(cells(text).loc["retention_period", "covered"])
    assert bool(cells(text).loc["recipients", "covered"])


def test_empty_section_covers_nothing():
    text = "Personvern\n\nOppbevaringstid\n\nKontakt\n\nRing oss på 22 22 22 22."
    assert not bool(cells(text, "nb").loc["retention_period", "covered"])
    assert bool(cells(text, "nb").loc["controller_identity", "covered"])


def test_answered_section_keeps_heading_and_inheriting_clauses():
    text = "Personvern\n\nOppbevaringstid\n\nVi slettar opplysningane etter fem år.\n\nDet gjeld òg kopiar."
    cov = cells(text)
    assert cov.loc["retention_period", "evidence"] == ["d:0001", "d:0002", "d:0003"]


def test_bare_items_under_a_heading_answer_it(tables):
    # kraftvare: "Personopplysningar og deg" over "• Fornamn og etternamn", "• Mobilnummer".
    cov = tables.coverage.set_index(["doc_id", "item"])
    evidence = cov.loc[("kraftvare", "data_categories"), "evidence"]
    assert "kraftvare:0002" in evidence and "kraftvare:0003" in evidence


def test_a_label_in_a_table_cell_counts_for_its_row():
    text = "Personvern\n\nFøremål | Rettsgrunnlag\nNyhetsbrev | Samtykke\nKundeservice | Avtale"
    cov = cells(text)
    assert cov.loc["legal_basis", "evidence"] == ["d:0002", "d:0003"]
    assert bool(cov.loc["consent_withdrawal", "required"])  # consent is a basis of the notice

"""The Art. 13/14 coverage matrix (policylab.coverage) on the bundled corpus.

The expected matrix of the five original notices was written from reading the
notices (data/corpus/*.txt), cell by cell, before comparing with the tagger.
"""

from __future__ import annotations

import pandas as pd
import pytest

from policylab.coverage import COVERAGE_COLUMNS, coverage_score, coverage_table
from policylab.labels import CHECKLIST_ITEMS
from policylab.tag import tag_clauses


@pytest.fixture(scope="session")
def labels(tables):
    return tag_clauses(tables.clauses, documents=tables.documents)


@pytest.fixture(scope="session")
def coverage(tables, labels):
    return coverage_table(labels, tables.documents)


# 1 = the notice gives the item, 0 = it does not. Columns: resultat24, 24center,
# motkraft, okorad, balcoo.
EXPECTED = {
    "controller_identity": (1, 1, 1, 1, 1),
    # ØkoRåd names a "personvernkontakt" (privacy contact), not a data protection
    # officer; 24 Center's "personopplysningsrepresentant" handles contract changes.
    "dpo_contact": (0, 0, 0, 0, 0),
    # ØkoRåd: "av hensyn til å nå ut til kundene ..."; Balcoo: "Formålet med dette er ...".
    "purposes": (1, 1, 1, 1, 1),
    # Resultat24 states no basis ("innen rammen av gjeldende lov" and a consent
    # declaration among the data are not a basis). 24 Center: "gjennomføre de avtaler"
    # and "Med samtykke fra den registrerte".
    "legal_basis": (0, 1, 1, 1, 1),
    # Motkraft and ØkoRåd rely on 6(1)(f); 24 Center's "legitim årsak" is not one.
    "legitimate_interests": (0, 0, 1, 1, 0),
    # Resultat24: "utleveres ikke til andre virksomheter" + a supplier; ØkoRåd: only
    # employees have access; Balcoo: Siteground is the processor.
    "recipients": (1, 1, 1, 1, 1),
    # Only Motkraft speaks of transfers out of the EEA (LINK Mobility Oy and Hubspot
    # are named by 24 Center, but nothing is said about where data goes).
    "transfer": (0, 0, 1, 0, 0),
    # ØkoRåd says where data is kept and that rules apply, not for how long;
    # Balcoo's only durations are a newsletter frequency and a 30-day answer deadline.
    "retention_period": (1, 1, 1, 0, 0),
    # 24 Center's list of rights after "Den registrerte har følgende rettigheter:" is
    # missing from the text, so only objection remains.
    "right_access": (1, 0, 1, 1, 1),
    "right_rectification": (1, 0, 1, 1, 1),
    # Resultat24's section is headed "Innsyn, retting og sletting av opplysninger" and
    # keeps data "inntil beskjed gis om sletting"; 24 Center only mentions that the
    # data subject's rights may require full deletion while describing archiving.
    "right_erasure": (1, 0, 1, 1, 1),
    "right_restriction": (0, 0, 1, 1, 0),
    # Motkraft: the heading "Rett til å begrense eller protestere" and "reservere deg
    # mot direkte markedsføring".
    "right_objection": (0, 1, 1, 1, 0),
    # ØkoRåd: "overføre personopplysninger om deg til deg eller til annen behandlingsansvarlig".
    "right_portability": (0, 0, 1, 1, 0),
    # ØkoRåd and Balcoo rest on consent but never say it can be withdrawn.
    "consent_withdrawal": (0, 1, 1, 0, 0),
    "complaint": (0, 1, 1, 1, 0),
    # Resultat24's "nødvendige for å kunne administrere kundeforholdet" is a purpose;
    # Balcoo: "Det er frivillig ... å oppgi personopplysninger".
    "requirement": (0, 1, 1, 0, 1),
    "automated_decisions": (0, 0, 1, 0, 0),
    # 24 Center's own lists are missing too, but "Datakategorier: ..." and three
    # clauses announcing the data collected from one-time and contract customers are
    # clauses about data categories, which is what the checklist asks.
    "data_categories": (1, 1, 1, 1, 1),
    # Only Motkraft names sources other than the person (the contact person's
    # employer, the electric car, Folkeinvest).
    "data_source": (0, 0, 1, 0, 0),
}
ORIGINAL = ("resultat24", "24center", "motkraft", "okorad", "balcoo")

# Required where it depends on the notice: consent_withdrawal needs a consent
# basis, legitimate_interests a 6(1)(f) basis, dpo_contact a public authority,
# data_source is never counted.
EXPECTED_REQUIRED = {
    "consent_withdrawal": (0, 1, 1, 1, 1),
    "legitimate_interests": (0, 0, 1, 1, 0),
    "dpo_contact": (0, 0, 0, 0, 0),
    "data_source": (0, 0, 0, 0, 0),
}


@pytest.mark.parametrize("item", list(EXPECTED))
def test_original_notices_cell_by_cell(coverage, item):
    got = coverage[coverage.item == item].set_index("doc_id").loc[list(ORIGINAL)]
    assert tuple(int(v) for v in got.covered) == EXPECTED[item], item
    required = EXPECTED_REQUIRED.get(item, (1,) * 5)
    assert tuple(int(v) for v in got.required) == required, item


def test_expected_matrix_is_the_whole_checklist():
    assert tuple(EXPECTED) == CHECKLIST_ITEMS and len(CHECKLIST_ITEMS) == 20


def test_one_row_per_notice_and_item_in_order(tables, coverage):
    assert list(coverage.columns) == COVERAGE_COLUMNS
    docs = sorted(tables.documents.doc_id)
    assert len(coverage) == 20 * len(docs)
    assert coverage.doc_id.tolist() == [d for d in docs for _ in CHECKLIST_ITEMS]
    assert coverage.item.astype(str).tolist() == list(CHECKLIST_ITEMS) * len(docs)
    assert coverage.article.iloc[:2].tolist() == ["13(1)(a)", "13(1)(b)"]


def test_evidence_is_the_clauses_with_the_label(tables, labels, coverage):
    clause_doc = dict(zip(tables.clauses.clause_id, tables.clauses.doc_id))
    assert (coverage.n_evidence == coverage.evidence.map(len)).all()
    assert (coverage.covered == (coverage.n_evidence > 0)).all()
    for row in coverage[coverage.covered].itertuples():
        assert all(clause_doc[c] == row.doc_id for c in row.evidence)
        assert list(row.evidence) == sorted(row.evidence)
    # Motkraft's complaint evidence: its "8 Klager" heading and section.
    cell = coverage[(coverage.doc_id == "motkraft") & (coverage.item == "complaint")].iloc[0]
    texts = tables.clauses.set_index("clause_id").text
    assert "8 Klager" in [texts[c] for c in cell.evidence]
    lab = labels[(labels.doc_id == "motkraft") & (labels.label == "complaint")]
    assert set(cell.evidence) == set(lab.clause_id)


def test_public_authorities_need_a_dpo(coverage):
    dpo = coverage[coverage.item == "dpo_contact"].set_index("doc_id")
    # NACE section O, and NDLA: the counties' public learning resource (NACE P), a public body.
    assert set(dpo.index[dpo.required]) == {"digdir", "sula-kommune", "ndla"}
    assert dpo.loc["digdir", "covered"] and not dpo.loc["sula-kommune", "covered"]


def test_min_score_keeps_only_own_words(tables, labels):
    strict = coverage_table(labels, tables.documents, min_score=0.6)
    loose = coverage_table(labels, tables.documents)
    assert (strict.n_evidence <= loose.n_evidence).all()
    # Utekos's storage table rows only inherit retention from their heading.
    cell = lambda cov: cov[(cov.doc_id == "utekos") & (cov.item == "retention_period")].iloc[0]
    assert cell(strict).n_evidence < cell(loose).n_evidence


def test_scores(coverage):
    scores = coverage_score(coverage).set_index("doc_id")
    assert list(scores.columns) == ["items_required", "items_covered", "coverage_score"]
    # Motkraft gives all 18 items it needs (not dpo_contact, not data_source).
    assert scores.loc["motkraft"].tolist() == [18, 18, 1.0]
    # Balcoo: 17 required (consent basis, no 6(1)(f)), 9 covered.
    assert scores.loc["balcoo", "items_required"] == 17
    assert scores.loc["balcoo", "items_covered"] == sum(
        EXPECTED[i][4] for i in EXPECTED if EXPECTED_REQUIRED.get(i, (1,) * 5)[4]
    )
    assert scores.coverage_score.between(0, 1).all()


def test_notices_without_labels_and_empty_tables():
    docs = pd.DataFrame({"doc_id": ["b", "a"], "nace_section": ["O", "J"]})
    empty = pd.DataFrame(columns=["clause_id", "doc_id", "dimension", "label", "score", "cue"])
    cov = coverage_table(empty, docs)
    assert cov.doc_id.unique().tolist() == ["a", "b"] and not cov.covered.any()
    assert coverage_score(cov).set_index("doc_id").loc["a", "items_covered"] == 0
    none = coverage_table(empty, pd.DataFrame({"doc_id": []}))
    assert list(none.columns) == COVERAGE_COLUMNS and len(none) == 0
    assert len(coverage_score(none)) == 0

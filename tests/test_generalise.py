"""Cues for the kinds of statement issue #17 saw missed on unseen notices.

Each class has positive and negative cases: real clauses of the bundled notices
where they have one (found by their words with ``clause_with``), and otherwise
sentences in the phrasing the issue names (``Rettsgrunnlaget for behandlingen er
... samtykke``), written for these tests, not copied from any notice.
"""

from __future__ import annotations

import pytest

from policylab.tag import tag_clauses, tag_text
from conftest import clause_with


def labels(text: str, language: str, dimension: str) -> set[str]:
    tags = tag_text(text, language=language)
    return set(tags.loc[tags["dimension"] == dimension, "label"].astype(str))


@pytest.fixture(scope="module")
def bundled(tables):
    return tag_clauses(tables.clauses, documents=tables.documents)


def clause_labels(bundled, clause_id: str, dimension: str) -> set[str]:
    rows = bundled[(bundled["clause_id"] == clause_id) & (bundled["dimension"] == dimension)]
    return set(rows["label"].astype(str))


# ------------------------------------------------------------------ real clauses


def test_rule_of_the_authorities_is_legal_obligation(clauses, bundled):
    c = clause_with(clauses, "okorad", "er underlagt regler fra myndighetene for lagring")
    assert "legal_obligation" in clause_labels(bundled, c.clause_id, "legal_basis")


def test_archive_act_provisions_are_legal_obligation(clauses, bundled):
    c = clause_with(clauses, "sula-kommune", "arkiveres jamfør Arkivlovens bestemmelser")
    assert "legal_obligation" in clause_labels(bundled, c.clause_id, "legal_basis")


def test_documenting_consent_is_not_consent_as_basis(clauses, bundled):
    # A table row: consent is what is processed; the basis cell says Art. 6(1)(c) and (f).
    c = clause_with(clauses, "utekos", "Dokumentere samtykke og personvernvalg")
    assert clause_labels(bundled, c.clause_id, "legal_basis") == {"legal_obligation", "legitimate_interests"}


def test_a_public_body_is_no_public_task(clauses, bundled):
    c = clause_with(clauses, "digdir", "er ei offentleg myndigheit, har vi eit eige personvernombod")
    assert clause_labels(bundled, c.clause_id, "legal_basis") == set()


def test_where_cookies_are_stored_is_no_retention(clauses, bundled):
    c = clause_with(clauses, "ndla", "Ingen personidentifiserbare opplysingar vert lagra i desse.")
    assert "retention" not in clause_labels(bundled, c.clause_id, "topic")


# ------------------------------------------------------------------ classes of the issue

BASIS_AS_SUBJECT = [
    ("Rettsgrunnlaget for behandlingen av personopplysningene dine er ditt samtykke.", "nb", "consent"),
    ("Det rettslige grunnlaget for behandlingen er samtykke fra deg.", "nb", "consent"),
    ("Rettsgrunnlaget for behandlinga av personopplysningane dine er samtykket ditt.", "nn", "consent"),
    ("The legal basis for processing your data for this purpose is your consent.", "en", "consent"),
]


@pytest.mark.parametrize("text,language,label", BASIS_AS_SUBJECT)
def test_basis_as_subject(text, language, label):
    assert label in labels(text, language, "legal_basis")


BULLETS_AND_CELLS = [
    ("• Samtykke: når du har meldt deg på nyhetsbrevet.", "nb", "consent"),
    ("Nyhetsbrev | Samtykke | Til du melder deg av", "nb", "consent"),
    ("Kundeservice | Avtale | 3 år", "nb", "contract"),
    ("Regnskap | Lovkrav | 5 år", "nb", "legal_obligation"),
    ("• Consent: where you have given us permission to send you offers.", "en", "consent"),
    ("• Contract: to deliver the products you order.", "en", "contract"),
    ("Invoices | Legal obligation | 5 years", "en", "legal_obligation"),
    ("• Legitimate interests: to keep the service secure.", "en", "legitimate_interests"),
]


@pytest.mark.parametrize("text,language,label", BULLETS_AND_CELLS)
def test_basis_in_bullets_and_cells(text, language, label):
    assert label in labels(text, language, "legal_basis")


def test_cell_cue_is_the_cell_word():
    tags = tag_text("Nyhetsbrev | Samtykke | 2 år", language="nb")
    row = tags[tags["label"] == "consent"].iloc[0]
    assert row["cue"] == "Samtykke" and (row["cue_start"], row["cue_end"]) == (13, 21)


EXPLICIT = [
    ("Helseopplysninger behandles på grunnlag av ditt uttrykkelige samtykke.", "nb"),
    ("Vi behandlar helseopplysningar med grunnlag i personvernforordninga artikkel 9 nr. 2 bokstav a.", "nn"),
    ("Health data are processed under Article 9(2)(a) GDPR.", "en"),
]


@pytest.mark.parametrize("text,language", EXPLICIT)
def test_explicit_consent_art_9_2_a(text, language):
    assert "consent" in labels(text, language, "legal_basis")


NYNORSK = [
    ("Handsaminga byggjer på samtykket ditt.", "consent"),
    ("Når du samtykkjer til dette, lagrar vi e-postadressa di.", "consent"),
    ("Du har gjeve samtykke til at vi sender deg nyheitsbrev.", "consent"),
    ("Vi er pålagde å ta vare på rekneskapen etter bokføringslova.", "legal_obligation"),
    ("Handsaminga er naudsynt for å oppfylle avtalen du har med klubben.", "contract"),
]


@pytest.mark.parametrize("text,label", NYNORSK)
def test_nynorsk_verb_forms(text, label):
    assert label in labels(text, "nn", "legal_basis")


SOURCES = [
    ("Vi får opplysningar om deg frå arbeidsgjevaren din.", "nn"),
    ("Informasjon vi mottar fra Brønnøysundregistrene brukes til å kontrollere opplysningene.", "nb"),
    ("We receive information about you from your employer.", "en"),
]


@pytest.mark.parametrize("text,language", SOURCES)
def test_data_sources(text, language):
    assert "data_source" in labels(text, language, "topic")


@pytest.mark.parametrize("text,language", [
    ("Vi får opplysningane frå deg når du melder deg inn.", "nn"),
    ("Vi mottar opplysningene fra deg når du registrerer deg.", "nb"),
])
def test_data_from_the_person_is_no_source(text, language):
    assert "data_source" not in labels(text, language, "topic")


TRANSFER = [
    ("Opplysningene lagres innenfor EØS.", "nb"),
    ("Personopplysningane vert lagra på serverar i Noreg.", "nn"),
    ("Opplysningene overføres ikke ut av Norge.", "nb"),
    ("All data are stored on servers in the EU.", "en"),
]


@pytest.mark.parametrize("text,language", TRANSFER)
def test_transfer_without_third_country(text, language):
    assert "transfer" in labels(text, language, "topic")


def test_consent_words_without_a_basis_stay_unlabelled():
    # Withdrawal, conditions and hypothetical grounds are no basis (taxonomy.md §2).
    assert labels("Du kan når som helst trekke tilbake samtykket ditt.", "nb", "legal_basis") == set()
    assert labels("Dersom behandlingen bygger på samtykke, kan du trekke det tilbake.", "nb", "legal_basis") == set()
    assert labels("You may withdraw your consent at any time.", "en", "legal_basis") == set()
    assert labels("Du kan trekkje samtykket tilbake når som helst.", "nn", "legal_basis") == set()

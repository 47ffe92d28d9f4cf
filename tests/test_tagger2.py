"""Classes of error found on the training notices of data/extended (issue #17, tagger2).

Each test tags a real clause of a TRAINING notice of ``data/extended`` (the
``extended`` helper refuses any other split: dev notices are for measuring,
test notices are sealed) or of the bundled corpus, and checks one class of
error is gone, with a negative case beside it where one is needed.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest

from policylab.build import build
from policylab.segment import segment_document
from policylab.tag import tag_clauses, tag_text

EXTENDED = Path(__file__).resolve().parents[1] / "data" / "extended"


@lru_cache(maxsize=None)
def _training_rows() -> dict[str, dict]:
    rows = {}
    for name in ("metadata-nb.csv", "metadata-nnen.csv"):
        with open(EXTENDED / name, encoding="utf-8", newline="") as fh:
            rows.update({r["doc_id"]: r for r in csv.DictReader(fh) if r["split"] == "train"})
    return rows


@lru_cache(maxsize=None)
def extended(doc_id: str):
    """Clauses and rule labels of one training notice of data/extended, as a build makes them."""
    row = _training_rows().get(doc_id)
    if row is None:
        raise ValueError(f"{doc_id} is not a training notice of data/extended")
    folder = Path(tempfile.mkdtemp(prefix="tagger2-"))
    shutil.copyfile(EXTENDED / row["file"], folder / row["file"])
    (folder / "metadata.csv").write_text(f"doc_id,file,language\n{doc_id},{row['file']},{row['language']}\n", encoding="utf-8")
    tables = build(folder, model=None, progress=False)
    return tables.clauses, tables.labels


def labels_of(doc_id: str, starts_with: str, dimension: str = "topic") -> set[str]:
    clauses, tags = extended(doc_id)
    hits = clauses[clauses["text"].str.startswith(starts_with)]
    assert len(hits) == 1, f"{len(hits)} clauses of {doc_id} start with {starts_with!r}"
    rows = tags[(tags["clause_id"] == hits.iloc[0]["clause_id"]) & (tags["dimension"] == dimension)]
    return set(rows["label"].astype(str))


def snippet(text: str, language: str = "nb", dimension: str = "topic") -> set[str]:
    tags = tag_text(text, language=language)
    return set(tags.loc[tags["dimension"] == dimension, "label"].astype(str))


def test_only_training_notices_are_read():
    with pytest.raises(ValueError, match="not a training notice"):
        extended("ower-trafikkskole")  # a dev notice


# ------------------------------------------------------------------ headings


def test_a_heading_numbered_like_a_nearer_one_is_its_sibling_not_its_parent():
    # "6. Bruk av informasjonskapslar" was marked up one level below "3. Utlevering av
    # personopplysningar til tredjepart": it and its clauses are not about recipients.
    assert "recipients" not in labels_of("fresvik-produkt", "6. Bruk av informasjonskapslar")
    assert "cookies" in labels_of("fresvik-produkt", "6. Bruk av informasjonskapslar")
    assert "recipients" not in labels_of("fresvik-produkt", "Føremål: Lagar statistikk")
    # The clauses right under "3. Utlevering ..." still inherit it.
    assert "recipients" in labels_of("fresvik-produkt", "Utlevering av personopplysningar vil ikkje skje")


def test_numbered_children_still_inherit():
    text = "Personvern\n\n## 2. Deling\n\n### 2.1 Leverandører\n\nVi bruker Acme til drift."
    clauses = segment_document("x", text)
    tags = tag_clauses(clauses)
    last = clauses.iloc[-1]["clause_id"]
    assert "recipients" in set(tags.loc[tags["clause_id"] == last, "label"].astype(str))


# ------------------------------------------------------------------ transfer: where a processor keeps the data


@pytest.mark.parametrize("doc_id, start", [
    ("minsponsor", "• Supabase – database og autentisering (EU-basert)"),
    ("rapportly", "Vercel | Frontend-hosting | EU (Frankfurt)"),
    ("iniva-pckasse", "Brevo | E-postutsending | EU"),
    ("vestland-sprakhjelp", "• Hetzner — drift av nettsiden (EU)"),
    ("arbeidmatch-en", "(c) one.com (email services), EU"),
    ("arbeidmatch-en", "(b) Vercel (web hosting), EU region (Frankfurt)"),
    ("sagapay", "8. Internasjonale overføringer"),
])
def test_a_location_beside_a_processor_is_transfer(doc_id, start):
    assert "transfer" in labels_of(doc_id, start)


def test_a_word_in_parentheses_is_no_location():
    assert "transfer" not in snippet("Vi bruker Supabase (database og autentisering) til drift.")
    assert "transfer" not in snippet("Kontakt oss (e-post eller telefon) om du har spørsmål.")
    assert "transfer" not in snippet("We use Vercel (web hosting) for the site.", "en")


# ------------------------------------------------------------------ controller


@pytest.mark.parametrize("doc_id, start", [
    ("skde-helse-nord", "- Dataansvarlig er Helse Nord RHF."),
    ("skde-helse-nord", "Dataansvarlig"),
    ("nav-innbyggerpanelet", "Hvem har ansvar for Innbyggerpanelet?"),
    ("udir-laereplanutvikleren", "Utdanningsdirektoratet er ansvarlig for å behandle dine personopplysninger"),
    ("rapportly", "1. Hvem vi er"),
    ("fresvik-produkt", "1. Om Fresvik Produkt AS"),
    ("udir-laereplanutvikleren", "Hvor kan du henvende deg?"),
])
def test_who_is_responsible_in_other_words(doc_id, start):
    assert "controller" in labels_of(doc_id, start)


def test_another_data_controller_or_a_topic_heading_is_no_controller():
    assert "controller" not in snippet("Om informasjonskapsler")
    assert "controller" not in snippet("Banken er en selvstendig dataansvarlig for betalingen.")


# ------------------------------------------------------------------ legal bases


@pytest.mark.parametrize("doc_id, start, language", [
    ("fresvik-produkt", "Ved å melde deg på Fresvik Produkt AS sitt nyheitsbrev, samtykker du", "nn"),
    ("sagapay", "• Samtykke, der det er påkrevd", "nb"),
    ("nav-sosialhjelp-en", "• NAV has a duty of non-disclosure", "en"),
    ("arbeidmatch-en", "(c) Explicit consent", "en"),
])
def test_the_person_consenting_is_consent(doc_id, start, language):
    assert "consent" in labels_of(doc_id, start, "legal_basis")


def test_withdrawing_consent_is_still_no_consent_basis():
    assert "consent" not in snippet("Du kan når som helst trekke tilbake samtykket du gir oss.", dimension="legal_basis")
    assert "consent" not in snippet("You can withdraw the consent you give us at any time.", "en", "legal_basis")


@pytest.mark.parametrize("doc_id, start", [
    ("sagapay", "• Juridisk forpliktelse"),
    ("sagapay", "Vi oppbevarer personopplysninger kun så lenge det er nødvendig for de beskrevne formålene, eller så lenge loven krever det."),
    ("nav-sosialhjelp-en", "The legal basis for collecting information in connection with your application is the Act"),
])
def test_statutory_duty_in_other_words_is_legal_obligation(doc_id, start):
    assert "legal_obligation" in labels_of(doc_id, start, "legal_basis")


def test_a_law_named_without_a_basis_is_no_legal_obligation():
    assert "legal_obligation" not in snippet("This Privacy Policy is governed by Norwegian law.", "en", "legal_basis")
    assert "legal_obligation" not in snippet("Vesentlige endringer varsles når regelverket krever det.", dimension="legal_basis")


# ------------------------------------------------------------------ data categories and purposes


@pytest.mark.parametrize("doc_id, start", [
    ("forvaltningsxperten", "• Tidspunkt"),
    ("forvaltningsxperten", "• Land, region og by"),
    ("holter-bygg", "Opplysninger som samles inn automatisk:"),
    ("lissom-keramikk", "Hva vi lagrer om deg"),
])
def test_lists_opened_by_a_verb_of_collecting_are_data_categories(doc_id, start):
    assert "data_categories" in labels_of(doc_id, start)


def test_a_lead_in_of_purposes_or_bases_is_no_data_category():
    assert "data_categories" not in labels_of("arbeidmatch-en", "We process personal data based on:")
    assert "data_categories" not in snippet("Vi behandler opplysningene til disse formålene:")


@pytest.mark.parametrize("doc_id, start", [
    ("hallingdal-hyttevask", "Hva brukes opplysningene til?"),
    ("arbeidmatch-en", "(e) Legal requests submitted via the GDPR rights form"),
])
def test_what_data_are_used_for_is_purpose(doc_id, start):
    assert "purpose" in labels_of(doc_id, start)


def test_about_a_tool_is_no_controller_heading():
    assert "controller" not in snippet("Om Google Analytics\n\nVi bruker Google Analytics.")


# ------------------------------------------------------------------ security named as a purpose, data and sources


@pytest.mark.parametrize("doc_id, start", [
    ("arbeidmatch-en", "(b) Legitimate interest (contact form, sourcing operations, security)"),
    ("arbeidmatch-en", "(f) Technical data: IP address, browser type"),
    ("iniva-pckasse", "• Logger og backups slettes eller anonymiseres etter 12 måneder."),
    ("minsponsor", "• Supabase – database og autentisering (EU-basert)"),
    ("sagapay", "Noen tjenesteleverandører kan behandle data utenfor EU/EØS."),
    ("nav-sosialhjelp-en", "The Labour and Welfare Administration is responsible for nav.no"),
])
def test_security_named_as_a_purpose_a_function_or_a_pointer_is_no_security_measure(doc_id, start):
    assert "security" not in labels_of(doc_id, start)


def test_security_measures_are_still_security():
    assert "security" in snippet("All data is encrypted at rest and access is restricted to our staff.", "en")
    assert "security" in snippet("• Tilgangskontroll og autentisering")


@pytest.mark.parametrize("doc_id, start, label", [
    ("rapportly", "2. Hva vi behandler", "data_categories"),
    ("rapportly", "Vi behandler to kategorier opplysninger:", "data_categories"),
    ("rapportly", "Klientdata — regnskapsbyråenes klienter", "data_categories"),
    ("skde-helse-nord", "Eksempler på informasjon som lagres er", "data_categories"),
    ("nav-sosialhjelp-en", "• Information concerning account numbers.", "data_categories"),
    ("nav-sosialhjelp-en", "When you apply for financial assistance digitally", "data_categories"),
    ("nav-sosialhjelp-en", "• Information concerning telephone numbers from the contact and reservation register.", "data_source"),
    ("nav-sosialhjelp-en", "Obtaining your personal information", "data_source"),
])
def test_data_and_sources_in_other_words(doc_id, start, label):
    assert label in labels_of(doc_id, start)


def test_bullets_about_how_or_rights_are_no_data_items():
    assert "data_categories" not in snippet("• Informasjon om hvordan du klager")
    assert "data_categories" not in snippet("• Information about your rights", "en")
    assert "data_source" not in snippet("You can register for the newsletter on our site.", "en")


# ------------------------------------------------------------------ purposes and recipients


@pytest.mark.parametrize("doc_id, start", [
    ("holter-bygg", "For å levere tjenestene våre bruker vi enkelte leverandører"),
    ("rapportly", "Vi benytter følgende underleverandører for å levere tjenesten."),
    ("sagapay", "• Berettiget interesse"),
    ("sagapay", "• Juridisk forpliktelse"),
])
def test_a_lead_in_to_processors_or_a_named_basis_is_no_purpose(doc_id, start):
    assert "purpose" not in labels_of(doc_id, start)


def test_why_in_words_is_still_purpose():
    assert "purpose" in snippet("Vi benytter opplysningene for å levere tjenesten.")
    assert "purpose" in labels_of("iniva-pckasse", "• Tekniske data: IP-adresser, logger og feilmeldinger for drift og sikkerhet.")
    assert "purpose" in labels_of("iniva-pckasse", "Vi bruker nødvendige cookies for innlogging og valg.")


@pytest.mark.parametrize("doc_id, start", [
    ("rapportly", "Rapportly opptrer som databehandler på vegne av regnskapsbyråer"),
    ("fresvik-produkt", "11. Ansvarleg databehandlar"),
    ("skde-helse-nord", "Personvernerklæring – behandling av personopplysninger i Helse Nord RHF."),
])
def test_the_company_as_processor_or_its_own_name_is_no_recipient(doc_id, start):
    assert "recipients" not in labels_of(doc_id, start)


def test_a_vendor_that_handles_the_data_is_a_recipient():
    assert "recipients" in labels_of("iniva-pckasse", "• Betalingsdata: Håndteres av Stripe")
    assert "recipients" in snippet("Betalingen sendes via Stripe.")


# ------------------------------------------------------------------ rights and contact details


@pytest.mark.parametrize("doc_id, start, label", [
    ("lissom-keramikk", "Du kan be om innsyn i det vi har lagret", "erasure"),
    ("oslo-paintball", "Vi lagrer bookinger så lenge det er nødvendig", "erasure"),
    ("rapportly", "Kontoen din — inkludert tilhørende data — kan eksporteres eller slettes på forespørsel.", "erasure"),
    ("nav-innbyggerpanelet", "Ønsker du å se, rette eller slette dine personopplysninger", "access"),
    ("nav-innbyggerpanelet", "Du kan når som helst se, redigere, laste ned eller slette profilen din", "rectification"),
])
def test_rights_told_with_passive_or_everyday_verbs(doc_id, start, label):
    assert label in labels_of(doc_id, start, "right")


def test_a_deletion_routine_is_no_right():
    assert "erasure" not in snippet("Opplysningene slettes etter to år.", dimension="right")


@pytest.mark.parametrize("doc_id, start", [
    ("udir-laereplanutvikleren", "Personvernombudet er også tilgjengelig på telefon"),
    ("udir-laereplanutvikleren", "Du kan kontakte personvernombudet på e-post"),
    ("udir-laereplanutvikleren", "Datatilsynet er klageinstans"),
])
def test_contact_details_of_the_dpo_or_the_authority_are_no_controller(doc_id, start):
    assert "controller" not in labels_of(doc_id, start)


# ------------------------------------------------------------------ rights and complaints beside other topics


@pytest.mark.parametrize("doc_id, start", [
    ("arbeidmatch-en", "(g) Withdraw consent at any time"),
    ("arbeidmatch-en", "(h) Lodge a complaint with Datatilsynet"),
])
def test_a_withdrawal_complaint_or_contact_line_under_a_rights_heading_is_not_rights(doc_id, start):
    assert "rights" not in labels_of(doc_id, start)


def test_a_contact_line_under_a_rights_heading_is_not_rights():
    clauses, tags = extended("holter-bygg")
    line = clauses[clauses["text"].str.startswith("• E-post:") & clauses["heading"].str.contains("rettighetene")]
    assert len(line) == 1
    assert "rights" not in set(tags.loc[tags["clause_id"] == line.iloc[0]["clause_id"], "label"].astype(str))


def test_contact_lines_under_contact_and_complaints_are_not_complaints():
    assert "complaint" not in labels_of("arbeidmatch-en", "General support: support@arbeidmatch.no")
    assert "complaint" in labels_of("arbeidmatch-en", "Supervisory authority: Datatilsynet")


@pytest.mark.parametrize("start", ["Klage:", "Datatilsynet er klageinstans"])
def test_the_authority_as_the_place_of_complaint(start):
    assert "complaint" in labels_of("udir-laereplanutvikleren", start)


def test_a_complaint_under_a_heading_that_names_rights_takes_no_right():
    text = "Personvern\n\n## Din rett til innsyn, retting og sletting\n\nDu har også rett til å klage til Datatilsynet."
    assert snippet(text, dimension="right") == {"access", "rectification", "erasure"}  # the heading's own
    clauses = segment_document("x", text)
    tags = tag_clauses(clauses)
    last = clauses.iloc[-1]["clause_id"]
    assert not set(tags.loc[(tags["clause_id"] == last) & (tags["dimension"] == "right"), "label"].astype(str))
    # A clause that says nothing else still takes the heading's right.
    clauses = segment_document("x", text.replace("Du har også rett til å klage til Datatilsynet.", "Send oss en e-post."))
    tags = tag_clauses(clauses)
    last = clauses.iloc[-1]["clause_id"]
    assert "access" in set(tags.loc[tags["clause_id"] == last, "label"].astype(str))


def test_the_manner_of_processing_is_no_rectification():
    assert "rectification" not in labels_of("nav-sosialhjelp-en", "You can be confident that your personal information", "right")
    assert "rectification" in snippet("You have the right to have incorrect data corrected.", "en", "right")


@pytest.mark.parametrize("text, language", [
    ("Lovgrunnlaget for å samle inn opplysningane er lov om sosiale tenester.", "nn"),
    ("Behandlingsgrunnlaget er arkivloven.", "nb"),
    ("Fakturaer lagres i henhold til regnskapslovens krav.", "nb"),
    ("Overholdelse av lover og regler: dokumentasjonsplikt.", "nb"),
])
def test_statutes_named_or_inflected_are_legal_obligation(text, language):
    assert "legal_obligation" in snippet(text, language, "legal_basis")


@pytest.mark.parametrize("text", [
    "Vi overholder personopplysningsloven og andre relevante forskrifter.",
    "Behandlingsgrunnlaget er samtykke, jf. markedsføringsloven.",
    "Behandlingsgrunnlaget følger av personopplysningsloven.",
])
def test_the_data_protection_or_marketing_law_is_no_legal_obligation(text):
    assert "legal_obligation" not in snippet(text, dimension="legal_basis")


# ------------------------------------------------------------------ nynorsk training notices


@pytest.mark.parametrize("text, label", [
    # Clauses of nynorsk training notices that arrived in data/extended with this branch.
    ("Kva personopplysingar samlar me?\n\n• Namn og adresse – for levering av vara", "purpose"),
    ("Informasjonen blir nytta til å betre innhaldet på nettsidene.", "purpose"),
    ("Acos er vår leverandør av heimesida.", "recipients"),
    ("Personvern\n\n## LAGRING OG HOSTING\n\nNamn og e-post vert lagra.", "recipients"),
])
def test_nynorsk_purposes_and_recipients_in_other_words(text, label):
    assert label in snippet(text, "nn")


def test_a_bullet_without_for_is_no_purpose():
    assert "purpose" not in snippet("• Google Analytics – statistikkverktøy", "nn")


@pytest.mark.parametrize("text, language", [
    ("• Svara dine på spørsmål og den genererte rapporten (lagrast lokalt i nettlesaren under økta)", "nn"),
    ("Vi bruker ingen informasjonskapsler til statistikk, og vi har ingen sporingsverktøy fra andre.", "nb"),
    ("For at siden skal fungere, hentes enkelte ressurser fra eksterne leverandører.", "nb"),
    ("The legal basis for collecting information in connection with your application is the Act.", "en"),
])
def test_generated_reports_fetched_resources_and_collecting_in_passing_are_no_data_source(text, language):
    assert "data_source" not in snippet(text, language)


def test_data_generated_by_a_device_is_still_a_source():
    assert "data_source" in snippet("Data genereres automatisk av enheten din.")
    assert "data_source" in snippet("Obtaining your personal information\n\nWe get it from registers.", "en")

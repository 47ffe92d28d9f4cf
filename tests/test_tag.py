"""Rule-based tagging (policylab.tag) on the real clauses of the bundled corpus.

Cases are real clauses of the 21 bundled notices, positive AND negative; each says
which label a careful reader gives the clause (taxonomy.md) and the test checks the
tagger agrees. Rules were written from the taxonomy and from reading the notices; a
later pass fixed error classes found by comparing with the gold annotations
(data/annotations), always as general cues, never as a notice's own sentence.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policylab.labels import ALL_LABELS, LABELS_BY_DIMENSION, LEGAL_BASES, RIGHTS, TOPICS
from policylab.segment import segment_document
from policylab.tag import TAG_COLUMNS, lexicon_table, tag_clauses, tag_document, tag_text


@pytest.fixture(scope="session")
def labels(tables):
    """Labels of the whole bundled corpus, each notice in its own language."""
    return tag_clauses(tables.clauses, documents=tables.documents)


def the_clause(clauses: pd.DataFrame, doc_id: str, snippet: str) -> pd.Series:
    hits = clauses[(clauses.doc_id == doc_id) & clauses.text.str.contains(snippet, regex=False)]
    assert len(hits) == 1, f"{len(hits)} clauses of {doc_id} contain {snippet!r}"
    return hits.iloc[0]


def labels_of(labels: pd.DataFrame, clause_id: str, dimension: str | None = None) -> set[str]:
    rows = labels[labels.clause_id == clause_id]
    if dimension is not None:
        rows = rows[rows.dimension == dimension]
    return set(rows.label.astype(str))


# --------------------------------------------------------------------------- required cases


def test_motkraft_article_6_1_f_is_legitimate_interests(clauses, labels):
    # Two clauses (2.1 and 2.2) cite "(se GDPR artikkel 6 (1) f)".
    found = clauses[(clauses.doc_id == "motkraft") & clauses.text.str.contains("(se GDPR artikkel 6 (1) f)", regex=False)]
    assert len(found) == 2
    for clause_id in found.clause_id:
        assert labels_of(labels, clause_id, "legal_basis") == {"legitimate_interests"}


def test_motkraft_six_years_is_retention(clauses, labels):
    c = the_clause(clauses, "motkraft", "Opplysningene vil derfor bli behandlet i ca. 6 år.")
    assert "retention" in labels_of(labels, c.clause_id, "topic")


def test_okorad_kreve_innsyn_is_access(clauses, labels):
    c = the_clause(clauses, "okorad", "• Du kan kreve innsyn")
    assert labels_of(labels, c.clause_id, "right") == {"access"}


def test_24center_article_77_is_complaint_not_a_basis(clauses, labels):
    c = the_clause(clauses, "24center", "Etter artikkel 77 i GDPR har den registrerte rett til å klage til tilsynsmyndigheten")
    assert "complaint" in labels_of(labels, c.clause_id, "topic")
    assert labels_of(labels, c.clause_id, "legal_basis") == set()


def test_balcoo_response_deadline_is_not_retention(clauses, labels):
    c = the_clause(clauses, "balcoo", "Krav fra den registrerte skal besvares kostnadsfritt og senest innen 30 dager.")
    assert "retention" not in labels_of(labels, c.clause_id)
    # The same clause tells the person about access, rectification and erasure.
    assert {"access", "rectification", "erasure"} <= labels_of(labels, c.clause_id, "right")


# --------------------------------------------------------------------------- all 21 notices

# (doc_id, snippet of one clause, dimension, label, expected): real clauses; a False
# case is a trap that a naive keyword tagger falls into.
CASES = [
    # resultat24
    ("resultat24", "Alle medlemmer har for øvrig innsyn", "right", "access", True),  # tells members how
    ("resultat24", "Resultat24 AS (organisasjonsnummer", "topic", "controller", True),
    ("resultat24", "Cookie en liten tekstfil", "topic", "cookies", True),
    ("resultat24", "Cookie en liten tekstfil", "topic", "data_categories", False),  # explains a cookie
    ("resultat24", "Personopplysninger er opplysninger som kan knyttes", "topic", "definitions", True),
    ("resultat24", "Personopplysninger er opplysninger som kan knyttes", "topic", "data_categories", False),
    ("resultat24", "Personopplysningene oppbevares så lenge medlemmet", "topic", "retention", True),
    ("resultat24", "Hvordan oppbevares opplysningene?", "topic", "retention", False),  # where, not how long
    # 24center
    ("24center", "Den registrerte kan når som helst tilbakekalle sitt samtykke", "topic", "consent_withdrawal", True),
    ("24center", "Den registrerte kan når som helst tilbakekalle sitt samtykke", "legal_basis", "consent", False),
    ("24center", "Med samtykke fra den registrerte, bruker 24 Center AS", "legal_basis", "consent", True),
    ("24center", "slik at de kan gjennomføre de avtaler", "legal_basis", "contract", True),
    ("24center", "Det fremgår av artikkel 21 i GDPR", "right", "objection", True),
    ("24center", "Det fremgår av artikkel 21 i GDPR", "legal_basis", "legitimate_interests", False),  # art. 21 is no basis
    ("24center", "Bare den informasjon som kreves for oppfyllelse", "topic", "requirement", True),
    ("24center", "fullstendig sletting av informasjonen", "right", "erasure", False),  # archiving routine
    ("24center", "Risikoen for den registrertes rettigheter og friheter", "topic", "rights", False),
    # motkraft
    ("motkraft", "E-poster slettes når de ikke lenger er nødvendige", "topic", "retention", True),
    ("motkraft", "E-poster slettes når de ikke lenger er nødvendige", "right", "erasure", False),  # own routine
    ("motkraft", "vi har en rettslig forpliktelse til det, for eksempel etter regnskaps- og skattelovgivningen", "legal_basis", "legal_obligation", True),
    ("motkraft", "Motkraft overfører ingen personopplysninger til databehandlere etablert i land utenfor", "topic", "transfer", True),
    ("motkraft", "vil overføring kun skje etter de garantier som er oppstilt i GDPR artikkel 46 (2)", "legal_basis", "contract", False),
    ("motkraft", "Det vil ikke bli foretatt automatisert behandling", "topic", "automated_decisions", True),
    ("motkraft", "Vi vil svare på din henvendelse til oss så fort som mulig", "topic", "retention", False),  # response deadline
    ("motkraft", "▫️ _ga, google.com, lagres i to år", "topic", "retention", True),  # cookie lifetime
    ("motkraft", "Kilde for slike opplysninger vil være kontaktpersonens arbeidsgiver", "topic", "data_source", True),
    ("motkraft", "senest innen 72 timer etter bruddet", "topic", "security", True),
    ("motkraft", "senest innen 72 timer etter bruddet", "topic", "retention", False),  # breach deadline
    ("motkraft", "Behandler vi personopplysninger på grunnlag av ditt samtykke, så kan du", "legal_basis", "consent", False),
    # okorad
    ("okorad", "Behandlingsgrunnlaget for dette er personvernforordningens", "legal_basis", "consent", True),
    ("okorad", "Behandlingsgrunnlaget for dette er personvernforordningens", "legal_basis", "contract", True),
    ("okorad", "Behandlingsgrunnlaget for dette er personvernforordningens", "legal_basis", "legitimate_interests", True),
    ("okorad", "En behandling er en eller flere operasjoner", "right", "erasure", False),  # definition list
    ("okorad", "En behandling er en eller flere operasjoner", "right", "restriction", False),
    ("okorad", "til deg eller til annen behandlingsansvarlig", "right", "portability", True),
    ("okorad", "til deg eller til annen behandlingsansvarlig", "topic", "controller", False),
    ("okorad", "Personopplysninger til kundene våre lagres i PowerOffice", "topic", "retention", False),
    # balcoo
    ("balcoo", "sender ut nyhetsbrev cirka 6 ganger per år", "topic", "retention", False),  # a frequency
    ("balcoo", "sender ut nyhetsbrev cirka 6 ganger per år", "topic", "marketing", True),
    ("balcoo", "Behandlingsgrunnlaget er samtykke fra den enkelte", "legal_basis", "consent", True),
    ("balcoo", "hvor lenge besøket varer", "topic", "retention", False),  # visit length, not storage
    # utekos
    ("utekos", "Kundeservice | 24 måneder etter avsluttet sak.", "topic", "retention", True),  # from its heading
    ("utekos", "Kundeservice, garanti og tvister | Art. 6 nr. 1 bokstav b og f", "legal_basis", "legitimate_interests", True),
    ("utekos", "Du kan også slette eller blokkere cookies i nettleseren", "right", "erasure", False),
    ("utekos", "Vi kan be om rimelig identitetsbekreftelse og svarer innen lovpålagt frist", "legal_basis", "legal_obligation", False),
    # jodacare
    ("jodacare", "Du kan også trekke tilbake samtykke der behandlingen er basert på samtykke", "legal_basis", "consent", False),
    ("jodacare", "Du kan også trekke tilbake samtykke der behandlingen er basert på samtykke", "topic", "consent_withdrawal", True),
    ("jodacare", "typisk avtale, rettslig forpliktelse eller berettiget interesse", "legal_basis", "contract", True),
    ("jodacare", "GDPR artikkel 9 og relevant norsk lovgivning", "legal_basis", "contract", False),  # art. 9, not 6(1)(b)
    # turnus-hjelp (nynorsk)
    ("turnus-hjelp", "Du kan be om at vi slettar personopplysningane dine", "right", "erasure", True),
    ("turnus-hjelp", "Du har rett til å få informasjon om kva personopplysningar", "right", "access", True),
    ("turnus-hjelp", "vil vi slette eller anonymisere personopplysningane dine innan 30 dagar", "topic", "retention", True),
    ("turnus-hjelp", "Turnus-Hjelp er ikkje berekna for born under 18 år", "topic", "children", True),
    ("turnus-hjelp", "Du har også rett til å klage til Datatilsynet", "topic", "complaint", True),
    # kvam-esport (nynorsk)
    ("kvam-esport", "inntil 30 dagar etter arrangementet", "topic", "retention", True),
    ("kvam-esport", "• Fødselsdato: Fødselsdato vert samla inn", "topic", "data_categories", True),
    ("kvam-esport", "• Fødselsdato: Fødselsdato vert samla inn", "topic", "children", True),
    ("kvam-esport", "Kvam E-sport er ansvarleg for behandlinga", "topic", "controller", True),
    # digdir (nynorsk)
    ("digdir", "har vi eit eige personvernombod", "topic", "dpo", True),
    ("digdir", "IP-adresse og user-agent vert logga i 1 år", "topic", "retention", True),
    ("digdir", "Kravet ditt vil bli behandla kostnadsfritt og seinast innan 30 dagar", "topic", "retention", False),
    ("digdir", "Personvern er eit lovpålagt vern", "legal_basis", "legal_obligation", False),  # a definition
    ("digdir", "jf. personvernforordninga art. 6", "legal_basis", "consent", False),  # no letter, no basis
    # ndla (nynorsk)
    ("ndla", "Vert fjerna etter | 90 dagar", "topic", "retention", True),  # cookie lifetime
    ("ndla", "Cookies er ein standard teknologi", "topic", "definitions", True),
    ("ndla", "Cookies er ein standard teknologi", "topic", "data_categories", False),
    ("ndla", "vil cookien bli sletta frå nettlesaren", "right", "erasure", False),
    # kraftvare (nynorsk)
    ("kraftvare", "ynskjer å slette dine data, kan du ta kontakt", "right", "erasure", True),
    ("kraftvare", "Eventuelle endingar (endre, slette eller legge til)", "right", "erasure", False),  # change log
    ("kraftvare", "utelukkande å få statestikk og innsyn i kva funksjonalitet", "right", "access", False),
    ("kraftvare", "Kraftvare deler ingen persondata til tredjepart", "topic", "recipients", True),
    # tm-legetjenester
    ("tm-legetjenester", "For spørsmål om journalinnsyn", "right", "access", True),
    ("tm-legetjenester", "Oppfylle lovpålagte krav til journalføring", "legal_basis", "legal_obligation", True),
    # partners
    ("partners", "Du har også rett til ikke å være gjenstand for en avgjørelse", "topic", "automated_decisions", True),
    ("partners", "Overføring av personopplysninger til USA vil bare skje", "topic", "transfer", True),
    ("partners", "kan du rette en klage til Datatilsynet", "right", "rectification", False),  # "rette en klage"
    ("partners", "kan du rette en klage til Datatilsynet", "topic", "controller", False),  # Datatilsynet's address
    ("partners", "Du kan slette cookies fra din harddisk", "right", "erasure", False),
    # anbudsmarkedet
    ("anbudsmarkedet", "Grunnlaget kan være samtykke, avtaleforhold, lovpålagte krav", "legal_basis", "legitimate_interests", True),
    ("anbudsmarkedet", "Data lagres som hovedregel ikke mer enn fem år", "topic", "retention", True),
    # mytxs
    ("mytxs", "har du rett til å protestere på vår behandling", "right", "objection", True),
    ("mytxs", "har du rett til å protestere på vår behandling", "legal_basis", "legitimate_interests", False),  # a condition
    ("mytxs", "der behandlingsgrunnlaget for disse er samtykke", "legal_basis", "consent", True),
    # dyktig-regnskapsforer
    ("dyktig-regnskapsforer", "• Retting: Få rettet eller supplert", "right", "rectification", True),
    ("dyktig-regnskapsforer", "Protester mot behandling basert på berettiget interesse", "legal_basis", "legitimate_interests", False),
    ("dyktig-regnskapsforer", "klagebehandling og feilretting", "right", "rectification", False),
    ("dyktig-regnskapsforer", "klagebehandling og feilretting", "topic", "complaint", False),
    # hyperion
    ("hyperion", "Om du har innsigelser med hensyn til vår behandling", "topic", "complaint", True),
    ("hyperion", "Om du har innsigelser med hensyn til vår behandling", "right", "objection", False),
    ("hyperion", "Normalt sletter vi én gang i året.", "topic", "retention", True),
    # hellestad-maskin
    ("hellestad-maskin", "art. 6(1)(f) (berettiget interesse)", "legal_basis", "legitimate_interests", True),
    ("hellestad-maskin", "mot uautorisert tilgang, endring og sletting", "topic", "retention", False),
    ("hellestad-maskin", "mot uautorisert tilgang, endring og sletting", "right", "erasure", False),
    ("hellestad-maskin", "Vi foretar ikke automatisert beslutningstaking", "topic", "automated_decisions", True),
    # sula-kommune
    ("sula-kommune", "artikkel 6.e) behandlingen er nødvendig", "legal_basis", "public_task", True),
    ("sula-kommune", "artikkel 9 nr. 2 b) Behandlingen", "legal_basis", "contract", False),
    ("sula-kommune", "Inngått samtykke kan også bestemme oppbevaringstiden", "topic", "retention", True),
    # klarlinje
    ("klarlinje", "Rettslig grunnlag er ditt samtykke", "legal_basis", "consent", True),
    ("klarlinje", "Opplysninger slettes etter 12 måneder uten aktivitet", "topic", "retention", True),
    ("klarlinje", "• Kreve innsyn i hvilke opplysninger vi har om deg", "topic", "data_categories", False),
    # error classes of the rules (issue 3)
    ("ndla", "Namn | IDE", "topic", "cookies", True),  # a cookie name cell
    ("ndla", "2. som er nødvendig for å levere ei informasjonssamfunnsteneste", "topic", "cookies", True),  # from the title
    ("motkraft", "▫️ fr, facebook.com, lagres i tre måneder", "topic", "cookies", True),  # a name beside its domain
    ("digdir", "Kjelder for innhenting av personopplysningar:", "topic", "purpose", False),  # "Kva ... og kvifor?" above
    ("dyktig-regnskapsforer", "for å bruke rettighetene dine", "topic", "purpose", False),  # the person's errand
    ("hyperion", "Opplysninger som ikke lenger er nødvendig for det formål", "topic", "purpose", False),  # a storage criterion
    ("anbudsmarkedet", "• Sikkerhet, drift og forebygging av svindel.", "topic", "security", False),  # a purpose
    ("motkraft", "på grunnlag av ditt samtykke slettes hvis du trekker ditt samtykke", "legal_basis", "consent", True),
    ("motkraft", "på grunnlag av ditt samtykke slettes hvis du trekker ditt samtykke", "topic", "consent_withdrawal", False),
    ("motkraft", "Opplysningene vil behandles så lenge det er nødvendig for å oppfylle avtalen", "legal_basis", "contract", False),
    ("tm-legetjenester", "Vi deler ikke opplysninger med tredjeparter uten ditt samtykke", "legal_basis", "consent", True),
    ("partners", "melde deg av Googles bruk av cookies", "topic", "consent_withdrawal", False),
    ("dyktig-regnskapsforer", "Du kan reservere deg når som helst", "topic", "consent_withdrawal", False),
    ("hyperion", "En informasjonskapsel (cookie) er en liten tekstfil", "topic", "definitions", True),
    ("motkraft", "dvs. bestemmer hvorfor og hvordan", "topic", "definitions", True),
    ("okorad", "Ta da først kontakt med vår personvernkontakt", "topic", "dpo", False),  # a contact, no DPO
    ("klarlinje", "• Klage til Datatilsynet", "topic", "rights", False),  # complaint only, under "Dine rettigheter"
    ("klarlinje", "• Klage til Datatilsynet", "topic", "complaint", True),
    ("dyktig-regnskapsforer", "Her forklarer vi hva vi lagrer", "topic", "rights", False),  # announces the notice
    # error classes of the rules (tagging-rules session)
    # list items take the enumerated topics of their lead-in "...:" (lexicon [lead_in])
    ("partners", "• Beregne og rapportere brukerantall og trafikk.", "topic", "purpose", True),  # lead-in "Formål:"
    ("partners", "• som ledd i eiendomsmeglingsforetakets kontrolltiltak", "topic", "purpose", True),
    ("digdir", "• Ansattporten", "topic", "data_source", True),  # lead-in "Kjelder for innhenting ...:"
    ("partners", "• Du kan endre innstillingene i din webleser", "topic", "retention", False),  # not an enumerated topic
    # telling the person which data are processed states no data
    ("partners", "Det er viktig for oss at du vet hvilke opplysninger vi innhenter", "topic", "data_categories", False),
    ("ndla", "er informert om kva for opplysingar som vert handsama", "topic", "data_categories", False),
    # a named vendor that stores or receives data is a recipient; a place is not; third-party cookies are cookies
    ("hyperion", "Vi lagrer informasjonen hos Heroku.", "topic", "recipients", True),
    ("okorad", "Personopplysninger til kundene våre lagres i PowerOffice", "topic", "recipients", True),
    ("ndla", "Ingen personleg identifiserbar informasjon vert sendt til Google Analytics", "topic", "recipients", True),
    ("partners", "vil vi kun dele navn, mailadresser", "topic", "recipients", True),
    ("anbudsmarkedet", "Deling og lagring av data", "topic", "recipients", True),  # a sharing heading
    ("jodacare", "Data lagres kryptert i EU (Stockholm)", "topic", "recipients", False),
    ("ndla", "Første- og tredjeparts informasjonskapslar", "topic", "recipients", False),
    # security: risk assessment and staff-only access are measures; security as a purpose, an intro's
    # commitment, or a clause about processors under a security heading are not
    ("24center", "Risikobedømmelsen er gjennomført", "topic", "security", True),
    ("24center", "Risiko for den registrertes rettigheter og friheter", "topic", "security", True),  # heading
    ("okorad", "Det er kun våre ansatte som har oppdrag", "topic", "security", True),
    ("utekos", "Nødvendige teknologier støtter blant annet sikkerhet, handlekurv", "topic", "security", False),
    ("hellestad-maskin", "(for sikkerhet og feilsøking)", "topic", "security", False),
    ("turnus-hjelp", "• Å sikre tryggleik og førebygge misbruk", "topic", "security", False),
    ("turnus-hjelp", "• Å sikre tryggleik og førebygge misbruk", "topic", "purpose", True),
    ("digdir", "• Fødselsnummer vert nytta for autentisere sluttbrukar", "topic", "security", False),
    ("partners", "Ditt personvern er viktig for &Partner", "topic", "security", False),
    ("motkraft", "er vi avhengig av å bruke leverandører og samarbeidspartnere", "topic", "security", False),
    # purposes said in other words; mentions of a purpose that state none
    ("kraftvare", "Dette er nødvendig for at du skal kunne halde deg innlogga", "topic", "purpose", True),
    ("turnus-hjelp", "Hjelper oss med å hugse innstillingane", "topic", "purpose", True),
    ("partners", "Vi sender ut nyhetsbrev for bl.a. å informere", "topic", "purpose", True),
    ("motkraft", "E-postadressen benyttes ikke til annet enn", "topic", "purpose", True),
    ("digdir", "nyttar vi SiteImprove med cookieless tracking for webanalyse", "topic", "purpose", True),
    ("turnus-hjelp", "som hjelper oss med å levere tenesta", "topic", "purpose", False),  # a processor's help
    ("ndla", "• Tid/dato", "topic", "purpose", False),  # the lead-in's last sentence introduces data items
    ("motkraft", "Vi samler inn og bruker personopplysninger til ulike formål", "topic", "purpose", False),
    ("motkraft", "nødvendig for å gjennomføre tiltak før en arbeidsavtale", "topic", "purpose", False),  # Art. 6(1)(b)
    ("kvam-esport", "nyttar fylgjande tenester for å behandla data på vegne", "topic", "purpose", False),
    ("dyktig-regnskapsforer", "Merk: opplysninger vi er lovpålagt å oppbevare", "topic", "purpose", False),
    # a heading naming one data category; a source clause under a data heading
    ("turnus-hjelp", "Bruksdata", "topic", "data_categories", True),
    ("turnus-hjelp", "Vi lagrar turnusplanane du lagar", "topic", "data_categories", True),  # from "Turnusdata"
    ("partners", "Kontaktinformasjon", "topic", "data_categories", False),
    ("mytxs", "Personopplysningene samles enten inn direkte fra deg", "topic", "data_categories", False),
    # advertising platforms are marketing; a cookie table's rows below them are not
    ("partners", "Google AdWords", "topic", "marketing", True),
    ("partners", "Facebook Custom Audience", "topic", "marketing", True),
    ("ndla", "Namn | IDE", "topic", "marketing", False),  # under "Google Marketing Platform"
    # retention: deletions the person asks for or does, and clauses about place, holders or cookies
    ("partners", "Slik sletter du cookies, eller forhindrer at de lagres:", "topic", "retention", False),
    ("utekos", "kan kontakte oss for vurdering og sletting", "topic", "retention", False),
    ("motkraft", "7.3 Endring og sletting", "topic", "retention", False),
    ("jodacare", "Data lagres kryptert i EU (Stockholm)", "topic", "retention", False),  # under "Lagring og overføring"
    ("hyperion", "En informasjonskapsel (cookie) er en liten tekstfil", "topic", "retention", False),
    ("hyperion", "Normalt sletter vi én gang i året.", "topic", "retention", True),
    # legal bases: hypothetical grounds and the portability condition state no basis; a concrete one does
    ("motkraft", "Eksempler på slikt grunnlag vil typisk være en avtale", "legal_basis", "contract", False),
    ("motkraft", "Eksempler på slikt grunnlag vil typisk være en avtale", "legal_basis", "consent", False),
    ("motkraft", "Eksempler på slikt grunnlag vil typisk være en avtale", "legal_basis", "legal_obligation", True),
    ("motkraft", "og er nødvendig for å gjennomføre en avtale med oss, og som behandles automatisk", "legal_basis", "contract", False),
    ("motkraft", "og er nødvendig for å gjennomføre en avtale med oss, og som behandles automatisk", "right", "portability", True),
]


@pytest.mark.parametrize("doc_id, snippet, dimension, label, expected", CASES,
                         ids=[f"{c[0]}:{c[3]}:{'yes' if c[4] else 'no'}:{i}" for i, c in enumerate(CASES)])
def test_real_clause(clauses, labels, doc_id, snippet, dimension, label, expected):
    c = the_clause(clauses, doc_id, snippet)
    got = labels_of(labels, c.clause_id, dimension)
    assert (label in got) == expected, f"{c.clause_id} {c.text!r}: {dimension} {sorted(got)}"


def test_cases_cover_every_notice_and_both_polarities(tables):
    docs = {c[0] for c in CASES}
    assert docs == set(tables.documents.doc_id)
    assert sum(c[4] for c in CASES) >= 20 and sum(not c[4] for c in CASES) >= 20


# --------------------------------------------------------------------------- invariants on the corpus


def test_columns_and_names(labels):
    assert list(labels.columns) == TAG_COLUMNS
    assert set(labels.dimension.astype(str)) == {"topic", "legal_basis", "right"}
    for dim, names in LABELS_BY_DIMENSION.items():
        assert set(labels.loc[labels.dimension == dim, "label"].astype(str)) <= set(names)
    assert labels.score.between(0, 1).all()
    assert not labels.duplicated(["clause_id", "dimension", "label"]).any()


def test_every_cue_is_evidence_from_the_text(tables, labels):
    texts = dict(zip(tables.clauses.clause_id, tables.clauses.text))
    doc_text = dict(zip(tables.documents.doc_id, tables.documents.text))
    assert (labels.cue.str.strip() != "").all()
    for row in labels.itertuples():
        # A rule cue is in the clause; an inherited cue is in the heading it came from.
        source_text = texts[row.clause_id] if row.source == "rule" else texts[row.from_clause]
        for cue in row.cue.split(" | "):
            assert cue.lower() in source_text.lower(), (row.clause_id, cue)
        assert doc_text[row.doc_id][row.cue_start:row.cue_end].lower() in source_text.lower()


def test_boilerplate_and_titles_get_no_labels(tables, labels):
    c = tables.clauses
    silent = c[(c.kind == "boilerplate") | ((c.kind == "heading") & (c.level == 0))]
    assert len(silent) > 20
    assert not labels.clause_id.isin(silent.clause_id).any()


def test_headings_pass_topics_down_but_not_legal_bases(clauses, labels):
    # "7.4 Behandling på grunnlag av samtykke" names consent; its paragraph only
    # says consent can be withdrawn and inherits no basis.
    under = the_clause(clauses, "motkraft", "så kan du til enhver tid trekke tilbake samtykket")
    assert labels_of(labels, under.clause_id, "legal_basis") == set()
    # A table row of "Hvor lenge opplysningene lagres" states only a period: its
    # topic comes from the heading, at the nearest-heading score.
    row = labels[(labels.clause_id == the_clause(clauses, "utekos", "Kundeservice | 24 måneder").clause_id)
                 & (labels.label == "retention")].iloc[0]
    assert row.source == "heading" and row.score == pytest.approx(0.5)
    assert row.from_clause == the_clause(clauses, "utekos", "Hvor lenge opplysningene lagres").clause_id


def test_rights_come_down_only_from_a_heading_that_names_them(clauses, labels):
    # "7.5 Rett til å begrense eller protestere mot behandlingen": the paragraph
    # speaks of restriction only, the heading adds objection.
    c = the_clause(clauses, "motkraft", "Du har rett til å få behandlingen begrenset")
    rights = labels[(labels.clause_id == c.clause_id) & (labels.dimension == "right")]
    assert set(rights.label.astype(str)) == {"restriction", "objection"}
    assert rights.set_index("label").loc["objection", "source"] == "heading"
    # "Dine rettigheter" names no right: its paragraphs get topic `rights` only.
    c = the_clause(clauses, "motkraft", "Vi vil svare på din henvendelse")
    assert labels_of(labels, c.clause_id) == {"rights"}


def test_a_row_of_column_titles_inherits_nothing(clauses, labels):
    # ndla's cookie tables open every record with "Kva | Forklaring".
    rows = clauses[(clauses.doc_id == "ndla") & (clauses.text == "Kva | Forklaring")]
    assert len(rows) >= 5
    assert not labels.clause_id.isin(rows.clause_id).any()


def test_only_a_topical_title_passes_its_topic_down():
    body = "\n\nParagrafen seier følgjande om dette."
    cookie_notice = tag_document(segment_document("d", "Cookies og lovtekst" + body), language="nn")
    assert cookie_notice[["clause_id", "label", "score", "source"]].values.tolist() == [
        ["d:0001", "cookies", 0.25, "heading"]
    ]
    # A title naming the notice passes nothing down, even where it names cookies too.
    general = tag_document(segment_document("d", "Personvern og informasjonskapslar" + body), language="nn")
    assert len(general) == 0


def test_language_picks_the_lexicon(tables):
    # "Databehandlarar" is nynorsk: only the nynorsk lexicon knows it.
    kvam = tables.clauses[tables.clauses.doc_id == "kvam-esport"]
    heading = kvam[kvam.text == "Databehandlarar"].clause_id.item()
    nn = tag_document(kvam, language="nn")
    nb = tag_document(kvam, language="nb")
    assert "recipients" in set(nn.loc[nn.clause_id == heading, "label"].astype(str))
    assert "recipients" not in set(nb.loc[nb.clause_id == heading, "label"].astype(str))
    by_documents = tag_clauses(kvam, documents=tables.documents)
    pd.testing.assert_frame_equal(by_documents, nn)


def test_every_label_has_cues_in_every_language():
    for language in ("nb", "nn", "en"):
        cues = lexicon_table(language)
        assert set(cues.label) == set(ALL_LABELS), language


# --------------------------------------------------------------------------- snippets


def test_tag_text_detects_the_language_and_finds_retention():
    tags = tag_text("Vi lagrer opplysningene i to år.")
    assert tags[["clause_id", "dimension", "label", "source"]].values.tolist() == [
        ["snippet:0000", "topic", "retention", "rule"]
    ]
    assert tags.cue.item() == "lagrer opplysningene i to år"


@pytest.mark.parametrize(
    "text, basis",
    [
        ("Vi behandler opplysningene etter GDPR artikkel 6 (1) b.", {"contract"}),
        ("Grunnlaget er artikkel 6 nr. 1 bokstav f.", {"legitimate_interests"}),
        ("Behandlingen skjer etter art. 6 (1) c.", {"legal_obligation"}),
        ("Grunnlaget er personvernforordningen art. 6.1.a.", {"consent"}),
        ("Grunnlaget er artikkel 6 nr. 1 a) i forordningen.", {"consent"}),
        ("Grunnlaget er art. 6 første ledd bokstav a.", {"consent"}),
        ("Behandlingsgrunnlaget er artikkel 6 nr. 1 a), artikkel 6 nr. 1 b) og artikkel 6 nr. 1 f).",
         {"consent", "contract", "legitimate_interests"}),
        ("Dette følger av art. 6 nr. 1 bokstav c og f.", {"legal_obligation", "legitimate_interests"}),
        ("Vi er pålagt å oppbevare bilag etter bokføringsloven.", {"legal_obligation"}),
        ("Opplysningene behandles for å oppfylle avtalen med deg.", {"contract"}),
        ("Vi har en berettiget interesse av å svare deg.", {"legitimate_interests"}),
        ("Behandlingen er nødvendig for å utøve offentlig myndighet.", {"public_task"}),
        ("Behandlingen er nødvendig for å verne den registrertes vitale interesser.", {"vital_interests"}),
        ("Du kan klage etter GDPR artikkel 77.", set()),
        ("Overføring skjer etter artikkel 46 (2).", set()),
        ("Du kan protestere, se GDPR artikkel 21.", set()),
        ("Du kan når som helst trekke tilbake samtykket ditt.", set()),
    ],
)
def test_legal_basis_spellings(text, basis):
    tags = tag_text(text, language="nb")
    assert set(tags.loc[tags.dimension == "legal_basis", "label"].astype(str)) == basis


@pytest.mark.parametrize(
    "text, label",
    [
        ("We keep your account data for two years after you close it.", "retention"),
        ("You can request access to the personal data we hold about you.", "access"),
        ("We process the data on the basis of Article 6(1)(f) GDPR.", "legitimate_interests"),
        ("You may withdraw your consent at any time.", "consent_withdrawal"),
        ("You have the right to lodge a complaint with the supervisory authority.", "complaint"),
        ("Card payments are processed by Stripe.", "recipients"),
    ],
)
def test_english_lexicon(text, label):
    assert label in set(tag_text(text, language="en").label.astype(str))


def test_a_snippet_heading_passes_its_topic_down():
    tags = tag_text("Oppbevaringstid\n\nDet gjelder i fem år fra kjøpet.", language="nb")
    para = tags[tags.clause_id == "snippet:0001"]
    assert para[["label", "source", "cue"]].values.tolist() == [["retention", "heading", "Oppbevaringstid"]]


def test_empty_inputs_give_typed_empty_frames():
    for out in (tag_text("   "), tag_clauses(pd.DataFrame(columns=["clause_id", "doc_id", "text"])),
                tag_document(segment_document("x", ""), language="nb")):
        assert list(out.columns) == TAG_COLUMNS and len(out) == 0


def test_unknown_language_is_an_error():
    with pytest.raises(ValueError, match="language"):
        tag_text("Hei", language="sv")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
    | st.lists(st.sampled_from(["Du kan", "kreve", "innsyn", "slettes", "i to år", "samtykke", "\n\n", "•",
                                "artikkel 6 (1)", "f", ".", "Oppbevaringstid", "İ", "ß", "(", ")", "|"]),
               max_size=30).map(" ".join),
    language=st.sampled_from([None, "nb", "nn", "en"]),
)
def test_tag_text_never_raises(text, language):
    tags = tag_text(text, language=language)
    assert list(tags.columns) == TAG_COLUMNS
    assert tags.score.between(0, 1).all()
    assert set(tags.label.astype(str)) <= set(TOPICS + LEGAL_BASES + RIGHTS)
    for row in tags[tags.source == "rule"].itertuples():
        assert text[row.cue_start:row.cue_end] and re.sub(r"\s+", " ", text[row.cue_start:row.cue_end]).strip() != ""


def test_a_language_without_lexicon_gets_no_tags():
    # #14: a Danish notice is never tagged with the bokmål lexicon (policylab.languages.resolve).
    clauses = segment_document("dk", "Vi sletter dine oplysninger efter to år.\n\nDu kan kreve innsyn.")
    assert tag_document(clauses, language="da").empty
    assert not tag_document(clauses, language="nb").empty


# --------------------------------------------------------------------------- prefilter


def _without_prefilter(monkeypatch):
    import functools

    from policylab.tagger import lexicon, rules

    # tag_rows looks the lexicon up in policylab.tagger.rules.
    plain = functools.lru_cache(maxsize=None)(lambda language, prefilter=True: lexicon._compile_lexicon(language, False))
    monkeypatch.setattr(rules, "_lexicon", plain)
    assert rules._lexicon("nb").prefilter is None  # the patch reaches the tagger


def test_prefilter_is_in_use():
    pytest.importorskip("hyperscan")
    from policylab.tag import _lexicon

    assert all(_lexicon(lang).prefilter is not None for lang in ("nb", "nn", "en"))


def test_prefilter_changes_no_label_on_the_corpus(tables, monkeypatch):
    # The hyperscan prefilter only decides where the Python patterns run.
    pytest.importorskip("hyperscan")
    _without_prefilter(monkeypatch)
    languages = dict(zip(tables.documents.doc_id, tables.documents.language))
    for doc_id, clauses in tables.clauses.groupby("doc_id", sort=False):
        plain = tag_document(clauses, language=languages[doc_id] or "nb")
        with_prefilter = tables.labels[tables.labels.doc_id == doc_id].reset_index(drop=True)[list(plain.columns)]  # the build adds confidence, evidence
        pd.testing.assert_frame_equal(plain, with_prefilter, check_categorical=False)


_CUE_WORDS = st.sampled_from([
    "vi", "lagrer", "opplysningene", "i", "to", "år", "samtykke", "trekke", "tilbake", "du", "kan", "kreve",
    "innsyn", "personvernombud", "Datatilsynet", "klage", "deler", "med", "leverandører", "informasjonskapsler",
    "artikkel", "6", "(1)", "f", "berettiget", "interesse", "DPO", "Æ", "ø", "slettes", "etter", ".", ",", "\n",
    "behandlingsansvarlig", "formål", "for", "å", "sikkerhet", "kryptering", "nyhetsbrev", "barn", "under", "13",
])


@given(st.lists(_CUE_WORDS, min_size=1, max_size=40).map(" ".join), st.sampled_from(["nb", "nn", "en"]))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_prefilter_never_hides_a_cue(monkeypatch, text, language):
    pytest.importorskip("hyperscan")
    from policylab import tag

    clauses = segment_document("h", text)
    with_prefilter = tag.tag_rows(clauses, language=language)
    with monkeypatch.context() as m:
        _without_prefilter(m)
        plain = tag.tag_rows(clauses, language=language)
    assert with_prefilter == plain


def _hyperscan_matches(pattern: str, text: str, flags: int = 0) -> bool:
    from policylab import scan

    return bool(scan.prefilter([(re.compile(pattern, flags), 0)]).possible(text))


def test_superset_regex_widens():
    from policylab.scan import superset_regex

    wide = superset_regex(r"(?<!\w)personvern\w*\s+(?:ombud|råd)(?!\w)")
    assert wide.startswith("personvern(?:[") and wide.endswith(r"(?:ombud|r\xc3\xa5d)")
    assert superset_regex(r"\bDPO\b") == "dpo"  # ASCII case is the caseless database's to fold
    # The scanned text is canonical: "VÅR", "vår" and "VÅR" (Ångström sign) all read "vår".
    assert superset_regex("VÅR", re.IGNORECASE) == superset_regex("vår") == r"v\xc3\xa5r"
    assert _hyperscan_matches("vår", "VÅR og ſ", re.IGNORECASE) and not _hyperscan_matches("vår", "var")


def test_superset_regex_keeps_character_classes():
    # A phone number cue has no literal: its classes and counts keep the prefilter
    # from reporting every clause.
    pytest.importorskip("hyperscan")
    from policylab.scan import superset_regex

    phone = r"(?<!\d)\d{2}\s\d{2}\s\d{2}\s\d{2}(?!\d)"
    assert superset_regex(phone).startswith("(?:[\\x30-\\x39]")
    assert _hyperscan_matches(phone, "Ring oss på 22 33 44 55.")
    assert not _hyperscan_matches(phone, "Ring oss på telefon.")
    assert not _hyperscan_matches(phone, "Org.nr. 927 605")


_SUPERSET_PATTERNS = [
    r"(?<!\d)\d{2}\s\d{2}\s\d{2}\s\d{2}(?!\d)", r"(?-i:(?<![\d-])\d{4}\s+[A-ZÆØÅ][A-ZÆØÅa-zæøå]+)(?!\w)",
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", r"(?<!\w)lagr\w*\s+(?:i\s+)?\d+\s+år", r"^\W*[\w-]{1,30},\s*(?:[\w-]+\.)+(?:com|no)\b",
    r"art(?:ikkel|\.)?\s*6\s*\(?1\)?\s*[a-f]", r"[^\s.]{3,}\.\s+[A-ZÆØÅ]", r"slett\w*.{0,20}?etter", r"(?i:vårt) (?-i:Nettsted)", "kk|ss|ii|åÅ", "(?-i:İs|Σ)", r"[^i\s]{2}",
]


@given(st.sampled_from(_SUPERSET_PATTERNS),
       st.lists(st.sampled_from(list("aeilnorstgå æøÅÆ0123456789.,@-_\n\t()ARTKSIkıİΣσς\u212a\u212b\u017f") + ["\u00a0", "٣", "lagres", "år", "6(1)", "Nettsted"]),
                max_size=40).map("".join))
@settings(max_examples=300, deadline=None)
def test_superset_regex_never_misses(pattern, text):
    # Wherever Python's pattern matches, its widened form matches too (the prefilter's promise).
    pytest.importorskip("hyperscan")
    import re

    for flags in (0, re.IGNORECASE):
        if re.search(pattern, text, flags):
            assert _hyperscan_matches(pattern, text, flags)

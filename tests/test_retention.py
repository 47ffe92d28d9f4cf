"""Storage periods (taxonomy.md §4) on the 21 bundled notices.

The table below is what a careful reader finds in each notice, read by hand;
the decisions behind the borderline cases are written down at the top of
``policylab/lexicons/retention.toml``. Every row must be found, and the count per
notice must match, so spurious rows fail too.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylab.retention import (
    KINDS,
    QUALIFIERS,
    RETENTION_COLUMNS,
    SPAN_COLUMNS,
    document_retention,
    find_retention_spans,
    retention_spans,
)


@pytest.fixture(scope="session")
def retention(tables):
    return retention_spans(tables.documents, tables.clauses)


@pytest.fixture(scope="session")
def texts(tables):
    return dict(zip(tables.documents["doc_id"], tables.documents["text"]))


D, E, U = "duration", "event", "unspecified"
NA = None

# (doc_id, raw, days, kind, qualifier, subject)
EXPECTED = [
    ("24center", "den tiden som kreves for å gjennomføre avtalen", NA, U, NA, ""),
    ("24center", "så lenge kundeforholdet består", NA, E, NA, ""),
    ("24center", "maksimalt 10 år", 3650, D, "max", ""),
    ("24center", "så lenge den registrerte ikke trekker sitt samtykke tilbake tidligere", NA, E, NA, ""),
    ("anbudsmarkedet", "ikke mer enn fem år", 1825, D, "max", ""),
    ("anbudsmarkedet", "inntil tre år", 1095, D, "max", "analyser"),
    ("digdir", "1 år", 365, D, "exact", "IP-adresse"),
    ("digdir", "når nettleserøkta vert avslutta", NA, E, NA, ""),
    ("dyktig-regnskapsforer", "før lovens frister er utløpt", NA, U, NA, ""),
    ("hellestad-maskin", "12 måneder", 360, D, "exact", "Henvendelser uten oppdrag"),
    ("hellestad-maskin", "avtaletid + lovpålagt oppbevaring", NA, E, NA, "Kunde-/oppdragsdata"),
    ("hellestad-maskin", "90 dager", 90, D, "exact", "Tekniske logger"),
    ("hellestad-maskin", "når de ikke lenger er nødvendige", NA, U, NA, ""),
    ("hyperion", "ikke lenger er nødvendig for det formål de er laget for", NA, U, NA, ""),
    ("jodacare", "ikke lenger enn nødvendig for formålet", NA, U, NA, ""),
    ("jodacare", "så lenge lovpålagte krav tilsier", NA, U, NA, ""),
    ("klarlinje", "12 måneder", 360, D, "exact", ""),
    # "inntil 30 dagar etter arrangementet" and "Seinast 30 dagar etter arrangementet ... sletta"
    ("kvam-esport", "inntil 30 dagar", 30, D, "max", ""),
    ("kvam-esport", "Seinast 30 dagar", 30, D, "max", ""),
    # Motkraft: 2.1 .. 2.10, the cookie list and section 3
    ("motkraft", "inntil vi regner med at det ikke vil bli videre oppfølgning av kontakten", NA, E, NA, ""),
    ("motkraft", "normalt i to år", 730, D, "approx", ""),
    ("motkraft", "når de ikke lenger er nødvendige", NA, U, NA, "e-post"),
    ("motkraft", "så lenge det er nødvendig for å oppfylle avtalen", NA, U, NA, ""),
    ("motkraft", "ca. 6 år", 2190, D, "approx", ""),
    ("motkraft", "så lenge de er nødvendig for å oppfylle avtalen med brukeren", NA, U, NA, ""),
    ("motkraft", "så lenge kunden er en registrert bruker av GreenFlex", NA, E, NA, "bildata"),
    ("motkraft", "så snart kunden ikke lenger er registrert bruker av GreenFlex", NA, E, NA, "bildata"),
    ("motkraft", "opp til seks måneder", 180, D, "max", "posisjonsdata"),
    ("motkraft", "inntil du enten har mottatt forespurt informasjon", NA, E, NA, ""),
    ("motkraft", "så lenge du mottar nyhetsbrevet", NA, E, NA, ""),
    ("motkraft", "så lenge vi mener det kan bli bruk for dem", NA, U, NA, ""),
    ("motkraft", "inntil forholdet til kunde, leverandør eller samarbeidspart opphører", NA, E, NA, ""),
    ("motkraft", "til kontaktpersonen opphører å være kontaktperson", NA, E, NA, ""),
    ("motkraft", "så snart rekrutteringen er gjennomført", NA, E, NA, ""),
    ("motkraft", "så lenge en er aksjeeier i Motkraft", NA, E, NA, ""),
    ("motkraft", "inntil det er klart at man ikke vil investere som potensiell investor", NA, E, NA, ""),
    ("motkraft", "så lenge poster/kommentarer er tilgjengelig på det sosiale mediet", NA, E, NA, ""),
    ("motkraft", "90 dager", 90, D, "exact", "_glc-au"),
    ("motkraft", "én dag", 1, D, "exact", "_gid"),
    ("motkraft", "to år", 730, D, "exact", "_ga"),
    ("motkraft", "ett minutt", 1 / 1440, D, "exact", "_gat"),
    ("motkraft", "ni måneder", 270, D, "exact", "intercom-id"),
    ("motkraft", "ett år og 24 dager", 389, D, "exact", "sc_at"),
    ("motkraft", "ett år", 365, D, "exact", "X-AB"),
    ("motkraft", "tre måneder", 90, D, "exact", "_fbp"),
    ("motkraft", "tre måneder", 90, D, "exact", "fr"),
    ("motkraft", "5 år", 1825, D, "exact", "chat"),
    ("motkraft", "så lenge de er nødvendige for formålene som nevnt ovenfor", NA, U, NA, ""),
    ("motkraft", "så lenge du benytter deg av appen", NA, E, NA, ""),
    ("motkraft", "så lenge det er nødvendig for det formål personopplysningene ble samlet inn for", NA, U, NA, ""),
    ("motkraft", "hvis du trekker ditt samtykke", NA, E, NA, ""),
    ("motkraft", "når avtalen er oppfylt og alle plikter som følger av avtaleforholdet er oppfylt", NA, E, NA, ""),
    ("motkraft", "så snart vi ikke har plikt til å oppbevare opplysningene", NA, U, NA, ""),
    # NDLA cookie tables: "Vert fjerna etter | ..." and "levetid på kun 24 timar"
    ("ndla", "Pr økt", NA, E, NA, "_gali"),
    ("ndla", "24 mnd", 720, D, "exact", "_ga"),
    ("ndla", "24 timar", 1, D, "exact", "_gid"),
    ("ndla", "24 timar", 1, D, "exact", "_gid"),
    ("ndla", "Pr økt", NA, E, NA, "_gat_UA-xxxxxxx-xx"),
    ("ndla", "24 mnd", 720, D, "exact", "IDE"),
    ("ndla", "90 dagar", 90, D, "exact", "fr"),
    ("ndla", "Pr økt", NA, E, NA, "_js_reg_fb_ref _js_reg_fb_gate"),
    ("ndla", "24 mnd", 720, D, "exact", "datr"),
    ("ndla", "24 mnd", 720, D, "exact", "personalization_id, guest_id"),
    ("partners", "lenger enn det som er nødvendig for å oppfylle formålet med behandlingen eller lovpålagte plikter vi har", NA, U, NA, ""),
    ("partners", "ti år", 3650, D, "exact", ""),
    ("resultat24", "så lenge medlemmet innehar medlemskap", NA, E, NA, ""),
    ("resultat24", "inntil prosessen med avslutning av medlemsforholdet er gjennomført", NA, E, NA, ""),
    ("resultat24", "inntil beskjed gis om sletting", NA, E, NA, ""),
    ("sula-kommune", "så lenge dette oppfyller formålet", NA, U, NA, ""),
    ("sula-kommune", "så lenge særlover eller forskrifter krever det", NA, U, NA, ""),
    ("turnus-hjelp", "så lenge du har ein aktiv konto", NA, E, NA, ""),
    # "Når du slettar kontoen din, vil vi slette eller anonymisere ... innan 30 dagar"
    ("turnus-hjelp", "innan 30 dagar", 30, D, "max", ""),
    # Utekos: the table under "Datakategori | Maksimal lagring" gives maxima
    ("utekos", "når formålet er oppfylt", NA, U, NA, ""),
    ("utekos", "14 måneder", 420, D, "max", "Rå nettleser-, attribusjons-, checkout- og providerdata"),
    ("utekos", "senest etter 90 dager", 90, D, "max", "Uløste providerpayloads"),
    ("utekos", "inntil 14 måneder", 420, D, "max", "Uløste providerpayloads"),
    ("utekos", "3 år", 1095, D, "max", "Samtykkebevis"),
    ("utekos", "24 måneder", 720, D, "max", "Kundeservice"),
    ("utekos", "relevant rettslig frist", NA, U, NA, "Kundeservice"),
    ("utekos", "Maksimalt 12 måneder", 360, D, "max", "Venteliste"),
    ("utekos", "innen 30 dager", 30, D, "max", "Venteliste"),
    ("utekos", "til avmelding", NA, E, NA, "Nyhetsbrev"),
    ("utekos", "maksimalt 14 måneder", 420, D, "max", "Nyhetsbrev"),
    ("utekos", "3 år", 1095, D, "max", "Nyhetsbrev"),
    ("utekos", "5 år", 1825, D, "max", "Ordre og regnskap"),
    ("utekos", "3,5 år", 1277.5, D, "max", "Ordre og regnskap"),
    ("utekos", "30 dager", 30, D, "max", "Rå Shopify GraphQL-svar og overflødige payloadkopier"),
    ("utekos", "Maksimalt 30 dager", 30, D, "max", "Tekniske applogger"),
    ("utekos", "uten tidsgrense", NA, U, NA, "Fullt anonymiserte aggregater"),
]

# Every notice, including those that state no period at all.
EXPECTED_COUNTS = {
    "24center": 4, "anbudsmarkedet": 2, "balcoo": 0, "digdir": 2, "dyktig-regnskapsforer": 1,
    "hellestad-maskin": 4, "hyperion": 1, "jodacare": 2, "klarlinje": 1, "kraftvare": 0,
    "kvam-esport": 2, "motkraft": 34, "mytxs": 0, "ndla": 10, "okorad": 0, "partners": 2,
    "resultat24": 3, "sula-kommune": 2, "tm-legetjenester": 0, "turnus-hjelp": 2, "utekos": 17,
}

_MULTIPLICITY = Counter(EXPECTED)


def _matching(retention: pd.DataFrame, doc: str, raw: str, subject: str) -> pd.DataFrame:
    return retention[(retention.doc_id == doc) & (retention.raw == raw) & (retention.subject == subject)]


def test_expected_table_agrees_with_counts():
    assert Counter(e[0] for e in EXPECTED) == Counter({d: n for d, n in EXPECTED_COUNTS.items() if n})


@pytest.mark.parametrize(("doc", "raw", "days", "kind", "qualifier", "subject"), list(_MULTIPLICITY))
def test_every_period_a_reader_finds(retention, doc, raw, days, kind, qualifier, subject):
    rows = _matching(retention, doc, raw, subject)
    assert len(rows) == _MULTIPLICITY[(doc, raw, days, kind, qualifier, subject)], rows
    for row in rows.itertuples():
        assert row.kind == kind
        if days is None:
            assert np.isnan(row.days)
        else:
            assert row.days == pytest.approx(days)
        assert row.qualifier == qualifier if qualifier else pd.isna(row.qualifier)


@pytest.mark.parametrize("doc", sorted(EXPECTED_COUNTS))
def test_period_count_per_notice(retention, tables, doc):
    assert doc in set(tables.documents.doc_id)
    assert (retention.doc_id == doc).sum() == EXPECTED_COUNTS[doc]


# The named cases of the brief, asserted on their own so a failure reads plainly.
@pytest.mark.parametrize(
    ("doc", "context", "raw", "days", "qualifier"),
    [
        ("motkraft", "normalt i to år", "normalt i to år", 730, "approx"),
        ("motkraft", "behandlet i ca. 6 år", "ca. 6 år", 2190, "approx"),
        ("motkraft", "lagret opp til seks måneder", "opp til seks måneder", 180, "max"),
        ("motkraft", "sc_at, snapchat.com, lagres i ett år og 24 dager", "ett år og 24 dager", 389, "exact"),
        ("motkraft", "_gat, google.com, lagres i ett minutt", "ett minutt", 1 / 1440, "exact"),
        ("motkraft", "Chatten blir lagret i 5 år", "5 år", 1825, "exact"),
        ("24center", "forlenges med maksimalt 10 år", "maksimalt 10 år", 3650, "max"),
    ],
)
def test_named_periods(retention, texts, doc, context, raw, days, qualifier):
    where = texts[doc].index(context) + context.index(raw)
    row = retention[(retention.doc_id == doc) & (retention.start == where)]
    assert row.raw.tolist() == [raw]
    assert row.days.item() == pytest.approx(days)
    assert row.kind.item() == "duration"
    assert row.qualifier.item() == qualifier


@pytest.mark.parametrize(
    ("doc", "phrase"),
    [
        ("motkraft", "senest innen 72 timer"),  # breach notice to Datatilsynet
        ("motkraft", "senest innen én måned"),  # answering a request
        ("motkraft", "lenger tid enn én måned"),
        ("balcoo", "senest innen 30 dager"),
        ("balcoo", "cirka 6 ganger per år"),  # newsletter frequency
        ("digdir", "seinast innan 30 dagar"),
        ("hyperion", "én gang i året"),  # deletion frequency
        ("kvam-esport", "under 18 år"),  # age
        ("turnus-hjelp", "under 18 år"),
        ("24center", "25.05.2018"),
        ("24center", "årlig granskning"),
        ("partners", "14 dager før de iverksettes"),  # notice of policy changes
        ("utekos", "svarer innen lovpålagt frist"),
        ("utekos", "satt fail-closed inntil koblingen"),
        ("mytxs", "ikke vil bli slettet"),
        ("turnus-hjelp", "forplikta til å oppbevare etter lov"),
    ],
)
def test_traps_give_no_row(retention, texts, doc, phrase):
    text = texts[doc]
    start = text.index(phrase)
    while start >= 0:
        end = start + len(phrase)
        rows = retention[(retention.doc_id == doc) & (retention.start < end) & (retention.end > start)]
        assert rows.empty, rows
        start = text.find(phrase, end)


def test_offsets_and_clauses(retention, tables, texts):
    clauses = tables.clauses.set_index("clause_id")
    for row in retention.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.raw
        clause = clauses.loc[row.clause_id]
        assert clause.doc_id == row.doc_id
        assert clause.start <= row.start < row.end <= clause.end
        assert clause.kind != "boilerplate"


def test_columns_and_values(retention):
    assert list(retention.columns) == RETENTION_COLUMNS
    assert set(retention.kind) <= set(KINDS)
    durations = retention[retention.kind == "duration"]
    assert set(durations.qualifier) <= set(QUALIFIERS)
    assert (durations.days > 0).all()
    others = retention[retention.kind != "duration"]
    assert others.days.isna().all() and others.qualifier.isna().all()


def test_find_spans_equals_document_rows(retention, tables, texts):
    # document_retention adds clause ids to the spans of find_retention_spans and
    # drops none on the bundled notices (no period sits in boilerplate).
    for doc, lang in zip(tables.documents.doc_id, tables.documents.language):
        spans = find_retention_spans(texts[doc], language=lang)
        mine = retention[retention.doc_id == doc]
        assert spans[["start", "end", "raw"]].values.tolist() == mine[["start", "end", "raw"]].values.tolist()


def test_boilerplate_clauses_are_dropped(tables, texts):
    clauses = tables.clauses[tables.clauses.doc_id == "motkraft"].copy()
    before = document_retention("motkraft", texts["motkraft"], clauses)
    chat = before.loc[before.raw == "5 år", "clause_id"].item()
    clauses.loc[clauses.clause_id == chat, "kind"] = "boilerplate"
    after = document_retention("motkraft", texts["motkraft"], clauses)
    assert len(after) == len(before) - 1
    assert chat not in set(after.clause_id)


def test_span_is_cut_at_clause_end(texts):
    text = "Vi lagrer opplysningene så lenge kundeforholdet består og avtalen gjelder."
    whole = find_retention_spans(text)
    assert whole.raw.tolist() == ["så lenge kundeforholdet består og avtalen gjelder"]
    cut = text.index(" og avtalen")
    clauses = pd.DataFrame(
        {"clause_id": ["x:0000", "x:0001"], "doc_id": "x", "start": [0, cut + 1], "end": [cut, len(text)], "kind": "paragraph"}
    )
    rows = document_retention("x", text, clauses)
    assert rows.raw.tolist() == ["så lenge kundeforholdet består"]
    assert rows.end.item() <= cut


def test_empty_inputs_keep_columns(tables):
    empty = retention_spans(tables.documents.iloc[:0], tables.clauses.iloc[:0])
    assert empty.empty and list(empty.columns) == RETENTION_COLUMNS
    assert list(find_retention_spans("").columns) == SPAN_COLUMNS
    assert list(document_retention("x", "Ingen perioder her.", tables.clauses.iloc[:0]).columns) == RETENTION_COLUMNS


def test_ranges_and_english():
    nb = find_retention_spans("Vi lagrer søknader i mellom tre og fem år.")
    assert nb[["raw", "days", "days_min", "qualifier"]].values.tolist() == [["mellom tre og fem år", 1825.0, 1095.0, "max"]]
    en = find_retention_spans("We keep your data for up to 6 months. We respond within 30 days.", language="en")
    assert en[["raw", "days", "qualifier"]].values.tolist() == [["for up to 6 months", 180.0, "max"]]


def test_deletion_on_request_is_a_response_deadline():
    # Art. 12(3): erasing on request within a month is not a storage period.
    assert find_retention_spans("Dersom du ber om sletting, vil vi slette opplysningene innen 30 dager.").empty


# ---------------------------------------------------------------------------
# Properties

_ONES_NO = ["én", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni"]
_TEENS_NO = ["ti", "elleve", "tolv", "tretten", "fjorten", "femten", "seksten", "sytten", "atten", "nitten"]
_TENS_NO = {2: "tjue", 3: "tretti", 4: "førti", 5: "femti", 6: "seksti", 7: "sytti", 8: "åtti", 9: "nitti"}
_ONES_EN = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS_EN = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS_EN = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}

_UNITS = {
    "nb": {"år": 365, "måneder": 30, "uker": 7, "dager": 1, "timer": 1 / 24, "minutter": 1 / 1440, "døgn": 1},
    "nn": {"år": 365, "månader": 30, "veker": 7, "dagar": 1, "timar": 1 / 24, "minutt": 1 / 1440},
    "en": {"years": 365, "months": 30, "weeks": 7, "days": 1, "hours": 1 / 24, "minutes": 1 / 1440},
}
_SENTENCE = {
    "nb": "Vi lagrer opplysningene i {} i henhold til loven.",
    "nn": "Vi lagrar opplysningane i {} etter lova.",
    "en": "We store the data for {} as the law requires.",
}


def _spell(n: int, language: str) -> str:
    """A number from 1 to 199 in words (the renderer the parser must invert)."""
    en = language == "en"
    ones, teens, tens = (_ONES_EN, _TEENS_EN, _TENS_EN) if en else (_ONES_NO, _TEENS_NO, _TENS_NO)
    if n >= 100:
        rest = n - 100
        head = "one hundred" if en else "hundre"
        return head if rest == 0 else f"{head} {'and' if en else 'og'} {_spell(rest, language)}"
    if n < 10:
        return ones[n - 1]
    if n < 20:
        return teens[n - 10]
    t, o = divmod(n, 10)
    if o == 0:
        return tens[t]
    return f"{tens[t]}-{ones[o - 1]}" if en else tens[t] + ("en" if o == 1 else ones[o - 1])


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=199),
    language=st.sampled_from(["nb", "nn", "en"]),
    data=st.data(),
    as_digits=st.booleans(),
)
def test_number_phrases_round_trip(n, language, data, as_digits):
    unit, days = data.draw(st.sampled_from(sorted(_UNITS[language].items())))
    phrase = f"{n if as_digits else _spell(n, language)} {unit}"
    spans = find_retention_spans(_SENTENCE[language].format(phrase), language=language)
    assert spans.raw.tolist() == [phrase]
    assert spans.days.item() == pytest.approx(n * days)
    assert spans.kind.item() == "duration"


_FRAGMENTS = [
    "Opplysningene lagres i ett år og 24 dager.", "slettes etter 30 dagar", "inntil du trekker samtykket",
    "senest innen 72 timer", "ca. 6 år", "så lenge det er nødvendig", "under 18 år", "\n\nOppbevaringstid\n\n",
    "Tekniske logger: 90 dager.", "_ga, google.com, lagres i to år", "mellom tre og fem år", " | ", ", ",
    "halvannet år", "3,5 år", "Vi svarer innen én måned.", "tjuefire timer", "når som helst", "• ",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=12)), max_size=14))
def test_spans_hold_their_text(parts):
    text = " ".join(parts)
    spans = find_retention_spans(text)
    for row in spans.itertuples():
        assert text[row.start : row.end] == row.raw
        assert row.raw == row.raw.strip()
        assert row.kind in KINDS
        assert np.isnan(row.days) or row.days >= 0
        assert np.isnan(row.days_min) or 0 <= row.days_min <= row.days
    assert spans.start.is_monotonic_increasing


def test_an_item_with_its_period_is_no_heading_that_closes_the_storage_section():
    # issue #17 (tagger2): "(a) Employer leads: 24 months ..." after a blank line, short and
    # unpunctuated, was read as a heading, so the period lay outside "How Long We Keep It".
    from policylab.retention import find_retention_spans

    text = "7. How Long We Keep It\n\n(a) Employer leads: 24 months from last interaction\n"
    assert find_retention_spans(text, language="en")["days"].tolist() == [720.0]
    text = "Oppbevaringstid\n\nKundedata: 24 måneder\n"
    assert find_retention_spans(text, language="nb")["days"].tolist() == [720.0]
    # Outside a storage section such a line is still no storage period.
    assert find_retention_spans("Om oss\n\nKundedata: 24 måneder\n", language="nb").empty

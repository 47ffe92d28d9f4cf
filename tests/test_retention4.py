"""Storage periods on unseen notices (issue #17, retention4): general classes of miss
and false alarm found on the TRAIN notices of data/extended, each with a real clause
(quoted from the train notice named) that fails without the change, and a negative.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylab.retention import find_retention_spans


def days(text: str, language: str = "nb") -> list[float]:
    spans = find_retention_spans(text, language=language)
    return [round(d, 3) for d in spans.loc[spans["kind"] == "duration", "days"]]


# --- lifetimes of cookies and sessions ---------------------------------------------


def test_cookie_table_lifetime_column_admits_its_periods():
    # kling-systems: a cookie table whose header names the column "Varighet".
    text = (
        "Navn | Formål | Varighet\n"
        "kling-analytics-consent | Husker personvernvalget ditt | 6 måneder\n"
        "_ga og _ga_* | Måler samlet bruk av nettsiden når analyse er tillatt | Fastsettes av Google, normalt opptil 2 år\n"
    )
    assert days(text) == [180.0, 730.0]


def test_table_without_a_storage_column_gives_no_period():
    text = "Kurs | Pris | Lengde\nFørstehjelp | 900 kr | 2 dager\nSvømming | 500 kr | 6 uker\n"
    assert days(text) == []


def test_english_expiry_column():
    text = "Cookie | Purpose | Expiry\n_ga | analytics | 2 years\n_gid | analytics | 24 hours\n"
    assert days(text, "en") == [730.0, 1.0]


@pytest.mark.parametrize(
    "text, expected",
    [
        # lissom-keramikk
        ("Den er nødvendig for at innloggingen skal virke, varer i tre timer uten aktivitet, "
         "og forsvinner når du logger ut.", [0.125]),
        # forvaltningsxperten
        ("Besøkende kjennes igjen på en verdi som regnes ut fra selve forespørselen, og den "
         "forkastes etter 24 timer.", [1.0]),
        # molde-bibliotek
        ("• Lånerens navn ligger i historikken til det lånte eksemplaret i 14 dager etter innlevering.", [14.0]),
    ],
)
def test_norwegian_lifetime_and_discard_verbs(text, expected):
    assert days(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # kollokvie-ifi-en
        ("• sb-…-auth-token: keeps you signed in. Lasts up to 400 days, or until you sign out.", [400.0]),
        ("• lang: your chosen language. Lasts one year.", [365.0]),
        # inifini-en
        ("When you delete your account, your data is removed from our database immediately. "
         "Backups are rotated within 30 days.", [30.0]),
        ("Your data remains in our backup systems for 30 days.", [30.0]),
    ],
)
def test_english_lifetime_and_rotation_verbs(text, expected):
    assert days(text, "en") == expected


def test_varer_as_goods_is_no_lifetime():
    assert days("Vi selger varer i 3 år gamle butikker.") == []
    assert days("Varer i handlekurven koster 200 kr.") == []


# --- under/over: ages are in years -------------------------------------------------


def test_under_a_minute_is_a_period_but_under_18_years_an_age():
    # kollokvie-ifi-en
    text = ("The abuse-protection counters delete themselves after a few hours (per user) or in "
            "under a minute (per IP address, in the server's memory).")
    assert days(text, "en") == [round(1 / 1440, 3)]
    assert days("Vi lagrer ikke opplysninger om barn under 18 år.") == []
    assert days("We do not store data of children under 16 years.", "en") == []
    assert days("Barn under tretten (13) år får ikke konto, og data slettes.") == []


# --- not storage periods ---------------------------------------------------------


def test_a_second_is_the_ordinal():
    # auto-tournament-en
    text = ("Once you are signed in, one cookie keeps you signed in for up to 30 days (we keep a "
            "one-way hash of it), and a second one remembers which of your organizations you last opened.")
    assert days(text, "en") == [30.0]
    assert days("Cached results are deleted after one second.", "en") == [round(1 / 86400, 3)]


def test_link_validity_is_no_storage_period():
    # auto-tournament-en
    text = ("When you invite someone, we email them a link through Postmark, and keep their email "
            "address, the role and a one-way hash of the link. The link works once, for 7 days; the "
            "invite is deleted 30 days after it is used, withdrawn or expired.")
    assert days(text, "en") == [30.0]
    assert days("Lenken er gyldig i 24 timer, og brukeren slettes etter 30 dager.") == [30.0]


def test_senest_alone_is_a_deadline_without_storage_cue():
    # capra-consulting: the consent is collected at the latest 30 days after; the storage
    # period of the next sentence stays.
    text = ("Vi innhenter samtykke senest 30 dager fra kandidatenes data blir behandlet av rekruttering. "
            "Opplysninger oppbevares i systemene så lenge de er oppdaterte og relevante å beholde, men "
            "maksimalt 2 år såfremt samtykke er innhentet.")
    assert days(text) == [730.0]
    # kvam-esport form (bundled): seinast ... sletta keeps its storage cue.
    assert days("Seinast 30 dagar etter arrangementet vert all persondata sletta.") == [30.0]


# --- purposes and labels that look like deadlines ------------------------------------


def test_for_aa_besvare_names_a_purpose_not_a_deadline():
    # hamnvik-handelssted
    text = ("• Kontakthenvendelser: Lagres så lenge det er nødvendig for å besvare og følge opp "
            "henvendelsen, normalt inntil 12 måneder etter siste korrespondanse.")
    assert days(text) == [360.0]
    assert days("Vi besvarer henvendelsen innen 30 dager.") == []
    assert days("Henvendelser lagres, og vi svarer innen 30 dager.") == []


def test_deadline_cue_in_a_label_of_a_storage_section():
    # arbeidmatch-en
    text = ("7. How Long We Keep It\n\n(a) Employer leads: 24 months from last interaction\n"
            "(d) Legal requests log: 36 months after resolution\n")
    assert days(text, "en") == [720.0, 1080.0]
    # the label rule reads only storage sections; a deadline after the colon still vetoes
    assert days("Legal requests log: 36 months after resolution\n", "en") == []
    assert days("Hvor lenge lagrer vi\n\nHenvendelser: besvares innen 30 dager.\n") == []


# --- the number written twice ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("Opplysningene lagres i tre (3) år.", "nb", [1095.0]),
        ("Opplysningane vert lagra i inntil tre (3) år.", "nn", [1095.0]),
        ("We keep the data for three (3) years.", "en", [1095.0]),
        ("We keep the data for 3 (three) years.", "en", [1095.0]),
    ],
)
def test_number_written_twice(text, language, expected):
    spans = find_retention_spans(text, language=language)
    assert spans["kind"].tolist() == ["duration"]  # no event span "inntil tre"
    assert days(text, language) == expected


@settings(max_examples=40, deadline=None)
@given(n=st.integers(min_value=1, max_value=99), unit=st.sampled_from([("år", 365), ("måneder", 30), ("dager", 1)]))
def test_number_twice_property(n, unit):
    word, per = unit
    text = f"Opplysningene slettes etter {n} ({n}) {word}."
    spans = find_retention_spans(text, language="nb")
    assert spans["days"].tolist() == [float(n * per)]
    assert text[spans["start"][0] : spans["end"][0]] == f"{n} ({n}) {word}"


def test_long_table_header_is_read_once():
    """A long header row over many rows with a period each: the header is searched
    once per table (it was searched once per row: rows x header length)."""
    import time

    rows = "c | slettes etter | 6 måneder\n" * 1500

    def timed(header: str) -> float:
        t0 = time.perf_counter()
        spans = find_retention_spans(header + "\n" + rows)
        assert len(spans) == 1500 and (spans["qualifier"] == "max").all()
        return time.perf_counter() - t0

    short = timed("Navn | Formål | Maksimal varighet")
    long = timed("Navn | Formål " + "x " * 40000 + "| Maksimal varighet")
    assert long < 5 * short + 0.5

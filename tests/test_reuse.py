"""Text reuse and template lineage on the bundled notices and on edited copies of them.

The expectations on the bundled corpus come from reading the passages side by
side: tests/data/reuse_review.csv holds every passage text_reuse reports on it
at ``REVIEW_SETTING`` (6+ words, any weight: 56 passages, more than the 50 of
a sample), each with pair, offsets, both texts, verdict, kind and reason.
tests/data/reuse_review_extended.csv holds a random sample of 50 passages the
defaults report on 85 real notices (the bundled 21 and data/extended's 64),
and every light passage of score 24+ there, read the same way.
"""

import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import policylab
from policylab.compare import align as aln
from policylab.compare.figures import borrowed_share_bars, lineage_network
from policylab.compare.lineage import EDGE_COLUMNS, LINEAGE_COLUMNS, OUTDATED_COLUMNS
from policylab.compare.reuse import REUSE_COLUMNS, REUSE_KINDS, text_reuse
from policylab.compare.stock import stock_mask, stock_phrases
from policylab.compare.words import corpus_words
from policylab.segment import segment_document
from policylab.tokenize import WORD_RE, stem

REVIEW = Path(__file__).parent / "data" / "reuse_review.csv"
# The setting the review was read at: every passage of 6+ equal words, whatever it weighs.
REVIEW_SETTING = {"min_weight": 0, "min_words": 6, "min_pair_words": 0}
# The quote is ØkoRåd's; Resultat24 says "samler altså informasjon om ...".
COOKIE = ("informasjon om nettsider du har besøkt og kan blant annet huske passord til steder du logger "
          "deg inn eller når du ønsker å forbli pålogget")


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def reuse(tables):
    return text_reuse(tables.clauses, documents=tables.documents)


@pytest.fixture(scope="module")
def review():
    return pd.read_csv(REVIEW, dtype={"verdict": str})


def corpus_with(tables, extra: dict[str, str], dates: dict[str, str] | None = None):
    """The bundled documents and clauses plus some made-up notices."""
    docs = tables.documents[["doc_id", "company", "date_stated", "text"]].copy()
    rows = [{"doc_id": d, "company": d, "date_stated": "", "text": t} for d, t in extra.items()]
    docs = pd.concat([docs, pd.DataFrame(rows)], ignore_index=True)
    for d, date in (dates or {}).items():
        docs.loc[docs.doc_id == d, "date_stated"] = date
    clauses = pd.concat([tables.clauses] + [segment_document(d, t) for d, t in extra.items()], ignore_index=True)
    return docs, clauses


# --------------------------------------------------------------------------- the bundled corpus


def test_columns_and_exact_offsets(reuse, tables):
    assert list(reuse.columns) == REUSE_COLUMNS
    texts = tables.documents.set_index("doc_id").text
    clauses = tables.clauses.set_index("clause_id")
    for row in reuse.itertuples():
        assert row.doc_a < row.doc_b
        assert texts[row.doc_a][row.start_a:row.end_a] == row.text_a
        assert texts[row.doc_b][row.start_b:row.end_b] == row.text_b
        assert 0 < row.matching_words <= min(row.words_a, row.words_b)
        for side, start, end in (("a", row.start_a, row.end_a), ("b", row.start_b, row.end_b)):
            ids = getattr(row, f"clauses_{side}")
            assert ids and all(i.startswith(getattr(row, f"doc_{side}") + ":") for i in ids)
            # every clause listed overlaps the passage, and the passage lies in them
            spans = clauses.loc[ids, ["start", "end"]]
            assert (spans.start < end).all() and (spans.end > start).all()
            assert spans.start.min() <= start and spans.end.max() >= end


def test_the_resultat24_okorad_cookie_passage_is_found_with_offsets(reuse, tables):
    hits = reuse[(reuse.doc_a == "okorad") & (reuse.doc_b == "resultat24")
                 & reuse.text_a.map(flat).str.contains(COOKIE) & reuse.text_b.map(flat).str.contains(COOKIE)]
    assert len(hits) == 1
    row = hits.iloc[0]
    oko = tables.documents.set_index("doc_id").text["okorad"]
    r24 = tables.documents.set_index("doc_id").text["resultat24"]
    # the aligned passage holds the whole shared run on each side
    assert flat(oko[row.start_a:row.end_a]).find(COOKIE) >= 0 and flat(r24[row.start_b:row.end_b]).find(COOKIE) >= 0
    assert row.matching_words >= 60  # the cookie and the analytics paragraphs, around a dropped sentence
    assert "okorad:0039" in row.clauses_a and "resultat24:0024" in row.clauses_b


# The cross-company passages the defaults report besides the cookie one: pair, a phrase
# each side's passage holds, and the offsets read (characters of documents.text).
OTHERS = [
    ("balcoo", "digdir", "Alle som spør har rett på grunnleggende informasjon om",
     "Alle som spør, har rett på grunnleggande informasjon om", (2630, 2987), (2918, 3151)),
    ("dyktig-regnskapsforer", "mytxs", "kopi av alle opplysninger vi behandler om deg",
     "supplere opplysninger som er feilaktige eller misvisende", (1317, 1447), (2179, 2440)),
    ("hellestad-maskin", "jodacare", "tekniske og organisatoriske tiltak for å beskytte personopplysninger",
     "tekniske og organisatoriske tiltak for å beskytte personopplysninger", (2344, 2412), (2002, 2070)),
    ("hyperion", "resultat24", "Dersom de registrerte opplysninger ikke er riktige",
     "krav på innsyn i de opplysninger som er registrert", (1295, 1508), (2586, 2866)),
    ("motkraft", "mytxs", "i et strukturert, alminnelig anvendt og maskinlesbart format",
     "i et strukturert, alminnelig anvendt og maskinlesbart format", (26547, 26607), (3386, 3446)),
    ("motkraft", "okorad", "sammenstilling eller samkjøring, begrensning, sletting eller tilintetgjøring",
     "innsamling, registrering, organisering, strukturering, lagring", (1630, 1915), (522, 782)),
    ("motkraft", "partners", "avhengig av hvem du er og hvordan vi kommer i kontakt med deg",
     "avhengig av hvem du er og hvordan vi kommer i kontakt med deg", (1132, 1274), (6865, 7008)),
    ("motkraft", "partners", "men du kan selv velge å endre innstillingene slik at",
     "men du kan selv velge å endre innstillingene slik at", (16212, 16459), (14389, 14618)),
    ("mytxs", "okorad", "på bakgrunn av en interesseavveining, har du rett til å protestere",
     "på bakgrunn av en interesseavveining, har du rett til å protestere", (2807, 3189), (1306, 1540)),
    ("mytxs", "okorad", "Vi håper du vil si ifra dersom du mener vi ikke overholder reglene",
     "Vi håper du vil si ifra dersom du mener vi ikke overholder reglene", (3582, 3829), (1734, 1933)),
    ("motkraft", "partners", "All behandling av personopplysninger skjer i overensstemmelse med",
     "All behandling av personopplysninger i &Partners skal følge", (1257, 1403), (297, 425)),
]


# Not reported at the defaults. GDPR art. 20 quoted by Motkraft and TSS/TKS (statute, 8 words:
# boilerplate, which the issue says should not make a pair on its own), GDPR art. 32's formula
# (Hellestad Maskin / JodaCare, false), and Dyktig Regnskapsfører / TSS-TKS's condensed model
# rights list (true: 18 equal words, 11 of them outside stock phrases in runs of 3+, under the
# bar of 12): the price of the bar.
LOST_TO_THE_PAIR_BAR = {("motkraft", "mytxs"), ("hellestad-maskin", "jodacare"), ("dyktig-regnskapsforer", "mytxs")}
# Reported only as a light passage of a pair shown to copy (weight 2.5, under min_weight):
# Motkraft and &Partners share two heavy passages, and this sentence edited.
LIGHT_OF_A_PROVEN_PAIR = ("motkraft", "partners", 1257)


def _others(reuse, tables):
    company = tables.documents.set_index("doc_id").company
    cross = reuse[reuse.doc_a.map(company) != reuse.doc_b.map(company)]
    return cross[~cross.text_a.map(flat).str.contains(COOKIE)]


def test_other_cross_company_passages(reuse, tables, review):
    texts = tables.documents.set_index("doc_id").text
    company = tables.documents.set_index("doc_id").company
    others = _others(reuse, tables)
    assert len(others) == 8
    assert not set(zip(others.doc_a, others.doc_b)) & LOST_TO_THE_PAIR_BAR
    loose = text_reuse(tables.clauses, documents=tables.documents, min_pair_words=0)
    assert LOST_TO_THE_PAIR_BAR <= set(zip(loose.doc_a, loose.doc_b))
    true_ones = 0
    for doc_a, doc_b, phrase_a, phrase_b, (sa, ea), (sb, eb) in OTHERS:
        if (doc_a, doc_b) in LOST_TO_THE_PAIR_BAR:
            continue
        assert company[doc_a] != company[doc_b]
        pair = others[(others.doc_a == doc_a) & (others.doc_b == doc_b)]
        hits = pair[pair.text_a.map(flat).str.contains(phrase_a, regex=False)
                    & pair.text_b.map(flat).str.contains(phrase_b, regex=False)]
        assert len(hits) == 1, (doc_a, doc_b, phrase_a)
        row = hits.iloc[0]
        # found where it was read (a few words of slack for a changed segmentation)
        assert abs(row.start_a - sa) <= 40 and abs(row.end_a - ea) <= 40, (doc_a, row.start_a, row.end_a)
        assert abs(row.start_b - sb) <= 40 and abs(row.end_b - eb) <= 40, (doc_b, row.start_b, row.end_b)
        assert texts[doc_a][row.start_a:row.end_a] == row.text_a and texts[doc_b][row.start_b:row.end_b] == row.text_b
        true_ones += _reviewed(row, review).verdict == "true"
    # every one reported is true reuse
    assert true_ones == len(OTHERS) - len(LOST_TO_THE_PAIR_BAR) == len(others)


@pytest.mark.xfail(strict=True, reason="issue #16 asks the cookie passage and 10 others on the bundled corpus: "
                   "8 others are reported, all true. The bundled review (every passage of 6+ equal words) holds 11 "
                   "true others in all; the 3 left out are single passages of 8-18 equal words: GDPR art. 20 "
                   "quoted (boilerplate), 'til å analysere trender, slik at vi kan' (8 words) and Dyktig / "
                   "TSS-TKS's rights list (11 words of evidence), see docs/notes/reuse5.md")
def test_ten_other_cross_company_passages(reuse, tables):
    assert len(_others(reuse, tables)) >= 10


def test_a_light_passage_is_reported_with_a_pair_shown_to_copy(reuse, tables):
    # Motkraft / &Partners' "All behandling av personopplysninger ... til enhver tid gjeldende
    # personvern..., herunder ..." weighs 2.5 (common words): alone it would be a formula, but the
    # pair shares two heavy passages, so it is reported with them. Light passages never make a pair.
    doc_a, doc_b, start = LIGHT_OF_A_PROVEN_PAIR
    pair = reuse[(reuse.doc_a == doc_a) & (reuse.doc_b == doc_b)]
    light = pair[(pair.start_a - start).abs() <= 20]
    assert len(light) == 1 and light.weight.iloc[0] < 8 and light.score.iloc[0] < 34
    assert (pair.weight >= 8).sum() == 2
    # without a pair bar there is no proven pair, and light passages are not reported
    loose = text_reuse(tables.clauses, documents=tables.documents, min_pair_words=0)
    assert ((loose.weight >= 8) | (loose.score >= 34)).all()
    assert loose[(loose.doc_a == doc_a) & (loose.doc_b == doc_b) & ((loose.start_a - start).abs() <= 20)].empty


def _reviewed(row, review):
    """The review row for a passage: same pair, spans overlapping by half of the shorter."""
    same = review[(review.doc_a == row.doc_a) & (review.doc_b == row.doc_b)]
    for k, r in same.iterrows():
        over_a = min(row.end_a, r.end_a) - max(row.start_a, r.start_a)
        over_b = min(row.end_b, r.end_b) - max(row.start_b, r.start_b)
        if over_a >= 0.5 * min(row.end_a - row.start_a, r.end_a - r.start_a) and \
           over_b >= 0.5 * min(row.end_b - row.start_b, r.end_b - r.start_b):
            return r
    return None


def test_review_file_holds_the_passages_read_side_by_side(review, tables):
    assert len(review) >= 50
    assert set(review.verdict) == {"true", "false"}
    assert set(review.kind) <= {"copied", "template", "statute", "formula"}
    assert (review.verdict == "true").eq(review.kind != "formula").all()
    assert review.reason.str.len().min() > 20
    texts = tables.documents.set_index("doc_id").text
    for r in review.itertuples():  # the texts read are the texts at the offsets
        assert flat(texts[r.doc_a][r.start_a:r.end_a]) == r.text_a
        assert flat(texts[r.doc_b][r.start_b:r.end_b]) == r.text_b


@pytest.fixture(scope="module")
def reported_at_review_setting(tables):
    return text_reuse(tables.clauses, documents=tables.documents, **REVIEW_SETTING)


def test_a_random_sample_of_fifty_reported_passages_is_reviewed_and_still_reported(reported_at_review_setting,
                                                                                    review):
    found = reported_at_review_setting
    assert len(found) >= 50
    sample = found.sample(50, random_state=16)
    assert all(_reviewed(row, review) is not None for row in sample.itertuples())
    # and every reviewed passage is still reported (the review stays the review of what is reported)
    for r in review.itertuples():
        assert _reviewed(r, found) is not None, f"reviewed passage {r.doc_a}:{r.start_a} / {r.doc_b}:{r.start_b} gone"


def test_reported_passages_are_at_least_ninety_percent_true_reuse(reuse, review):
    verdicts = []
    for row in reuse.itertuples():
        r = _reviewed(row, review)
        assert r is not None, f"passage {row.doc_a}:{row.start_a}-{row.end_a} / {row.doc_b}:{row.start_b} not reviewed"
        verdicts.append(r.verdict == "true")
    assert len(verdicts) >= 8
    assert np.mean(verdicts) == 1.0  # the formula reported before the pair bar is gone


def test_formulas_alone_are_not_reported(reuse, review):
    # The reviewed formulas ("Du har også rett til å klage til Datatilsynet", ...) weigh too little.
    reported = [_reviewed(row, review) for row in reuse.itertuples()]
    reported_keys = {(r.doc_a, r.start_a, r.doc_b, r.start_b) for r in reported if r is not None}
    formulas = review[review.verdict == "false"]
    leaked = [f for f in formulas.itertuples() if (f.doc_a, f.start_a, f.doc_b, f.start_b) in reported_keys]
    assert len(leaked) <= 1


def test_rarity_weighting_silences_text_that_most_notices_share(tables):
    boiler = ("Du kan klage til Datatilsynet, Postboks 458 Sentrum, 0105 Oslo, telefon 22 39 69 00, "
              "dersom du mener at vi behandler personopplysninger om deg i strid med personvernregelverket "
              "og reglene i personopplysningsloven og personvernforordningen.")
    rare = ("Hos Fjellbekk Snekkeri lagres tilbudsskisser i tegneprogrammet vårt i tre sesonger "
            "før de slettes automatisk av leverandøren av programmet.")
    docs = tables.documents[["doc_id", "text"]].copy()
    many = docs.doc_id.tolist()[:14]  # two thirds of the notices
    docs["text"] = [t + "\n\n" + boiler + "\n" if d in many else t for d, t in zip(docs.doc_id, docs.text)]
    # at the start of two notices (at the end it would join the boilerplate before it into one copied run)
    two = docs.doc_id.isin(["balcoo", "kraftvare"])
    docs.loc[two, "text"] = rare + "\n\n" + docs.loc[two, "text"]
    clauses = pd.concat([segment_document(d, t) for d, t in zip(docs.doc_id, docs.text)], ignore_index=True)
    # the rare sentence is one copied sentence of 19 words: under the pair bar (min_pair_words=20)
    found = text_reuse(clauses, documents=docs, min_pair_words=0)
    assert not found.text_a.str.contains("Postboks 458").any()
    pair = found[(found.doc_a == "balcoo") & (found.doc_b == "kraftvare")]
    assert len(pair) == 1 and "tilbudsskisser" in pair.text_a.iloc[0]
    # with the share cap lifted, the boilerplate is found but weighs little
    loose = text_reuse(clauses, documents=docs, max_df_share=1.0, min_weight=0, min_pair_words=0)
    boiler_rows = loose[loose.text_a.str.contains("Postboks 458")]
    assert len(boiler_rows) and boiler_rows.weight.max() < pair.weight.iloc[0]


def test_bokmal_and_nynorsk_forms_of_one_text_align_by_their_stems(tables, reuse):
    # Balcoo (bokmål) and Digdir (nynorsk) both use Datatilsynet's old model text on rights:
    # "grunnleggende"/"grunnleggande", "personopplysninger"/"personopplysningar" share a stem.
    pair = reuse[(reuse.doc_a == "balcoo") & (reuse.doc_b == "digdir")]
    assert len(pair) == 1 and pair.matching_words.iloc[0] >= 18
    assert "rett på innsyn i" in flat(pair.text_a.iloc[0]) and "rett på innsyn i" in flat(pair.text_b.iloc[0])
    # compared as written, only the first eight equal words are left, too light to report
    exact = text_reuse(tables.clauses, documents=tables.documents, stems=False)
    assert exact[(exact.doc_a == "balcoo") & (exact.doc_b == "digdir")].empty
    loose = text_reuse(tables.clauses, documents=tables.documents, stems=False, **REVIEW_SETTING)
    assert loose[(loose.doc_a == "balcoo") & (loose.doc_b == "digdir")].matching_words.max() <= 8


def test_a_formula_of_common_words_weighs_no_more_than_its_words(tables, reuse, reported_at_review_setting):
    # JodaCare and TM Legetjenester both say "... er behandlingsansvarlig for personopplysning(en)e som
    # behandles i forbindelse med bruk(en) av ...": 11 equal words, each used by most notices. Held
    # by two of 21 notices, its 4-grams weighed log(21 / 2) each (16.4 in all, reported); capped by
    # their words' own rarity they weigh 6.1.
    formula = reported_at_review_setting[(reported_at_review_setting.doc_a == "jodacare")
                                         & (reported_at_review_setting.doc_b == "tm-legetjenester")]
    assert len(formula) == 1 and "i forbindelse med" in formula.text_a.iloc[0]
    assert formula.weight.iloc[0] < 8
    assert reuse[(reuse.doc_a == "jodacare") & (reuse.doc_b == "tm-legetjenester")].empty
    # a copy of rare words keeps its weight: the cookie passage still weighs far more than the threshold
    assert reuse.weight.max() > 100


# --------------------------------------------------------------------------- 85 real notices

# The bundled 21 and the 64 real notices of data/extended, read together (no file name clashes).
EXTENDED = Path(__file__).parent.parent / "data" / "extended"
REVIEW_EXTENDED = Path(__file__).parent / "data" / "reuse_review_extended.csv"


def organisation(doc_id: str) -> str:
    """One key per organisation: a translation (``-en``) and the services of one public body are one."""
    doc_id = re.sub(r"-en$", "", doc_id)
    for prefix, org in (("nav-", "nav"), ("telemark-", "telemark-fk"), ("chatvtfk", "telemark-fk"), ("ssb-", "ssb")):
        if doc_id.startswith(prefix):
            return org
    return doc_id


REVIEWED_METADATA = ("metadata-nb.csv", "metadata-nnen.csv")


@pytest.fixture(scope="module")
def eighty_five(tables):
    # The 64 extended notices the reviews were read on (notices added later are not part of them).
    meta = pd.concat([pd.read_csv(EXTENDED / name, dtype=str, keep_default_na=False) for name in REVIEWED_METADATA],
                     ignore_index=True)
    texts = {r.doc_id: (EXTENDED / r.file).read_text(encoding="utf-8") for r in meta.itertuples()}
    assert len(texts) == 64 and not set(texts) & set(tables.documents.doc_id)
    docs = pd.concat([tables.documents[["doc_id", "company", "date_stated", "text"]],
                      meta[["doc_id", "company", "date_stated"]].assign(text=meta.doc_id.map(texts))], ignore_index=True)
    clauses = pd.concat([tables.clauses] + [segment_document(d, t) for d, t in texts.items()], ignore_index=True)
    return docs, clauses


@pytest.fixture(scope="module")
def reuse_85(eighty_five):
    docs, clauses = eighty_five
    return text_reuse(clauses, documents=docs)


@pytest.fixture(scope="module")
def reuse_85_before(eighty_five):
    """What the defaults of reuse3 reported (no pair bar): the first review (part ``sample``) was read on it."""
    docs, clauses = eighty_five
    return text_reuse(clauses, documents=docs, min_pair_words=0)


@pytest.fixture(scope="module")
def review_85():
    return pd.read_csv(REVIEW_EXTENDED, dtype={"verdict": str})


def test_extended_review_holds_the_texts_read(review_85, eighty_five):
    docs, _ = eighty_five
    texts = docs.set_index("doc_id").text
    assert set(review_85.part) == {"sample", "light", "sample2"} and (review_85.part == "sample").sum() == 50
    assert set(review_85.verdict) == {"true", "false"}
    assert (review_85.verdict == "true").eq(review_85.kind != "formula").all()
    assert review_85.reason.str.len().min() > 20
    assert (review_85.doc_a.map(organisation) != review_85.doc_b.map(organisation)).all()
    for r in review_85.itertuples():
        assert flat(texts[r.doc_a][r.start_a:r.end_a]) == r.text_a
        assert flat(texts[r.doc_b][r.start_b:r.end_b]) == r.text_b


def _cross_organisation(found):
    return found[found.doc_a.map(organisation) != found.doc_b.map(organisation)]


def test_a_sample_of_fifty_passages_on_85_notices_is_reviewed_and_still_reported(reuse_85_before, review_85):
    # Pairs of one organisation (a notice and its translation, two services of one agency) are
    # left out: they are not evidence of copying between organisations.
    cross = _cross_organisation(reuse_85_before)
    assert len(reuse_85_before) - len(cross) <= 2 and len(cross) >= 100
    sample = cross.sample(50, random_state=16)
    read = review_85[review_85.part == "sample"]
    assert all(_reviewed(row, read) is not None for row in sample.itertuples())
    for r in read.itertuples():  # and every passage read is still reported
        assert _reviewed(r, cross) is not None, f"reviewed passage {r.doc_a}:{r.start_a} / {r.doc_b}:{r.start_b} gone"


def test_the_copies_found_on_85_notices(reuse_85_before, review_85):
    # What the defaults find on 85 notices beyond the bundled pairs: Hyperion's access paragraph in
    # Fresvik Produkt's nynorsk, one contact-form template in four small businesses' notices, one
    # nynorsk notice of two small sites.
    true = review_85[(review_85.part == "sample") & (review_85.verdict == "true")]
    pairs = set(zip(true.doc_a, true.doc_b))
    assert {("fresvik-produkt", "hyperion"), ("forvaltningsxperten", "hallingdal-hyttevask"),
            ("hallingdal-hyttevask", "nigardsbreen-camping"), ("nigardsbreen-camping", "skathelle")} <= pairs
    lin = policylab.lineage(reuse_85_before).set_index("doc_id")
    assert lin.family["fresvik-produkt"] == lin.family["hyperion"] == lin.family["resultat24"] >= 0


@pytest.mark.xfail(strict=True, reason="issue #16's 90 % is not met on 85 notices: 7 of the 50 sampled passages "
                   "are copies, the rest stock phrases held by few notices (docs/notes/reuse3.md)")
def test_a_sample_of_fifty_passages_on_85_notices_is_ninety_percent_true(review_85):
    sample = review_85[review_85.part == "sample"]
    assert (sample.verdict == "true").mean() >= 0.9


def test_a_long_alignment_of_common_words_is_reported_whatever_its_weight(eighty_five, reuse_85_before, review_85):
    # Fresvik Produkt rewrote Hyperion's access paragraph in nynorsk: 28 equal stems, all common
    # words (weight 6.8, under min_weight), alignment score 34 = min_score.
    docs, clauses = eighty_five
    reuse_85 = reuse_85_before
    light = reuse_85[reuse_85.weight < 8]
    assert {("fresvik-produkt", "hyperion"), ("hallingdal-hyttevask", "nigardsbreen-camping")} <= \
        set(zip(light.doc_a, light.doc_b))
    weight_only = text_reuse(clauses, documents=docs, min_score=None, min_pair_words=0)
    assert (weight_only.weight >= 8).all() and len(weight_only) == len(reuse_85) - len(light)
    # every light passage of score 24+ was read: those reported at the defaults are copies, the
    # formulas among them (stock rights and retention sentences, scores up to 31) are not reported
    read = review_85[review_85.part == "light"]
    for row in light.itertuples():
        assert _reviewed(row, read).verdict == "true"
    for r in read[read.verdict == "false"].itertuples():
        assert _reviewed(r, light) is None
    # on the bundled corpus no light passage scores 34: the defaults report what they did
    assert len(light[light.doc_a.map(organisation).isin(BUNDLED) & light.doc_b.map(organisation).isin(BUNDLED)]) == 0


# ---- the pair bar and the stock-phrase lexicon (reuse4)



def test_sample2_was_every_passage_the_reuse4_defaults_reported(review_85):
    """Part ``sample2``: drawn after reuse4's rule was fixed (sample(min(50, n), random_state=2027)) on
    the 16 cross-organisation passages its defaults reported on 85 notices, so all of them."""
    read = review_85[review_85.part == "sample2"]
    assert len(read) == 16
    assert {("fresvik-produkt", "hyperion"), ("forvaltningsxperten", "hallingdal-hyttevask"),
            ("nigardsbreen-camping", "skathelle"), ("bartelopet", "passvakten")} <= set(zip(read.doc_a, read.doc_b))


def test_sample2_share_is_what_was_measured(review_85):
    sample = review_85[review_85.part == "sample2"]
    assert (sample.verdict == "true").sum() == 14 and len(sample) == 16
    first = review_85[review_85.part == "sample"]
    assert (first.verdict == "true").mean() < 0.15  # the defaults before the pair bar: 7 of 50


def _read_before(row, review_85, review):
    """The verdict read for a passage in any development review (85 notices or bundled), or None."""
    r = _reviewed(row, review_85)
    if r is None:
        r = _reviewed(row, review)
    return None if r is None else r.verdict


def test_every_passage_the_defaults_report_on_85_notices_was_read_and_is_true(reuse_85, review_85, review):
    # In-sample (the rules were tuned on these notices): the defaults report 15 cross-organisation
    # passages on the 85 notices, each read before in a development review, all true.
    cross = _cross_organisation(reuse_85)
    verdicts = [_read_before(row, review_85, review) for row in cross.itertuples()]
    assert None not in verdicts and len(verdicts) == 15
    assert verdicts.count("true") == 15


def test_notices_written_from_one_outline_are_not_a_pair(eighty_five, reuse_85):
    # Barteløpet (bokmål) and Turnus-hjelp (nynorsk) share a rights section under the same headings
    # with the sentences worded apart, and the 'changes' paragraph: 105 equal stems aligned, 26
    # outside stock phrases, but scattered ("personopplysninger", "regelmessig"), 6 in runs of 3+.
    docs, clauses = eighty_five
    pair = ("bartelopet", "turnus-hjelp")
    assert pair not in set(zip(reuse_85.doc_a, reuse_85.doc_b))
    every_word = text_reuse(clauses, documents=docs, evidence_run=1)
    assert pair in set(zip(every_word.doc_a, every_word.doc_b))
    # while the copies read keep their evidence in runs (an edited copy keeps runs between its edits)
    for copy in [("fresvik-produkt", "hyperion"), ("balcoo", "digdir"), ("forvaltningsxperten", "hallingdal-hyttevask")]:
        assert copy in set(zip(reuse_85.doc_a, reuse_85.doc_b))


def test_the_pair_bar_drops_the_stock_phrases_of_the_development_review(reuse_85, reuse_85_before, review_85):
    # Every formula read in the first review (part "sample", 43 of 50) was reported before the bar;
    # none is now. Fails with min_pair_words=0 or stock=False.
    read = review_85[review_85.part == "sample"]
    cross = _cross_organisation(reuse_85)
    leaked = [(r.doc_a, r.doc_b) for r in read[read.verdict == "false"].itertuples() if _reviewed(r, cross) is not None]
    assert leaked == []
    # and 5 of its 7 copies stay (lost: Hallingdal Hyttevask / Nigardsbreen Camping's rights sentence,
    # and Barteløpet / PassVakten's rights list, whose shared words are the rights-list formula)
    kept = [r for r in read[read.verdict == "true"].itertuples() if _reviewed(r, cross) is not None]
    assert len(kept) == 5


def test_without_the_lexicon_stock_phrases_count_as_evidence(eighty_five):
    docs, clauses = eighty_five
    with_lexicon = _cross_organisation(text_reuse(clauses, documents=docs))
    without = _cross_organisation(text_reuse(clauses, documents=docs, stock=False))
    assert len(without) > len(with_lexicon) + 10
    # GDPR art. 32's "tekniske og organisatoriske tiltak" makes pairs only without the lexicon
    assert without.text_a.str.contains("organisatoriske tiltak").any()
    assert not with_lexicon.text_a.map(flat).str.fullmatch(r".{0,40}tekniske og organisatoriske tiltak.{0,80}").any()


def test_the_stock_lexicon_has_a_note_kind_and_source_per_entry(tmp_path):
    table = stock_phrases()
    assert len(table) >= 20 and table.id.is_unique
    assert set(table.kind) == {"statute", "formula"}
    assert table.note.str.len().min() > 30 and table.source.str.len().min() > 5
    bad = tmp_path / "bad.toml"
    bad.write_text('[[phrase]]\nid = "x"\nlang = "nb"\nkind = "formula"\nregex = "a"\nnote = "n"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.toml.*lacks source"):
        stock_phrases(bad)


def test_stock_mask_marks_the_words_of_a_phrase_with_their_offsets():
    text = ("Vi bruker passende tekniske og organisatoriske tiltak for å beskytte personopplysninger mot "
            "uautorisert tilgang, tap eller misbruk. Hos oss lagres tilbudsskisser i tre sesonger.")
    words = corpus_words(pd.DataFrame({"clause_id": ["x:0"], "doc_id": ["x"], "start": [0], "end": [len(text)],
                                       "text": [text]}))
    mask = stock_mask(words)
    marked = [text[a:b] for a, b, m in zip(words.start, words.end, mask) if m]
    assert marked[0] == "passende" and marked[-1] == "misbruk" and "tilbudsskisser" not in marked
    assert not mask[:2].any() and not mask[-5:].any()


# ---- independent review (reuse5): notices collected after the rules were frozen

# The rules of reuse5 were committed (9baffbe) before these notices were read: the collections
# of the collect5a and collect5b branches (data/extended/metadata-c5a.csv, metadata-c5b.csv),
# every one of their notices committed when the review was drawn. Every cross-organisation
# passage the defaults report on all the real notices then available (the bundled 21, the 64
# of data/extended and these) that touches one of them was read side by side
# (tests/data/reuse_review_independent.csv, part "independent"). The tests skip until both
# branches are merged; POLICYLAB_REUSE_EXTRA (folders, os.pathsep between them) points at their
# data/extended folders before that.
REVIEW_INDEPENDENT = Path(__file__).parent / "data" / "reuse_review_independent.csv"
INDEPENDENT_PARTS = ("c5a", "c5b", "c6")


def _independent_notices():
    """doc_id -> (metadata row, text) of the notices of the independent collections found."""
    import os
    folders = [EXTENDED] + [Path(f) for f in os.environ.get("POLICYLAB_REUSE_EXTRA", "").split(os.pathsep) if f]
    found = {}
    for folder in folders:
        for part in INDEPENDENT_PARTS:
            path = folder / f"metadata-{part}.csv"
            if not path.exists():
                continue
            for r in pd.read_csv(path, dtype=str, keep_default_na=False).itertuples():
                if r.doc_id not in found and (folder / r.file).exists():
                    found[r.doc_id] = (r, (folder / r.file).read_text(encoding="utf-8"))
    return found


def _corpus_of(eighty_five, *lists):
    """The 85 notices and the new notices of some corpus lists (tests/data/*_corpus.csv), as read."""
    import hashlib
    docs, clauses = eighty_five
    meta = pd.concat([pd.read_csv(Path(__file__).parent / "data" / name, dtype=str, keep_default_na=False)
                      for name in lists], ignore_index=True)
    notices = _independent_notices()
    missing = sorted(set(meta.doc_id) - set(notices))
    if missing:
        pytest.skip(f"the independent review needs {len(missing)} notices of the collect5a/collect5b/collect6 "
                    f"branches not found in data/extended: {', '.join(missing[:5])}...")
    new = {d: notices[d] for d in meta.doc_id}
    changed = [d for d, digest in zip(meta.doc_id, meta.sha256)
               if hashlib.sha256(new[d][1].encode("utf-8")).hexdigest() != digest]
    assert not changed, f"notices changed since the independent review was read: {changed}"
    extra = pd.DataFrame([{"doc_id": d, "company": r.company, "date_stated": r.date_stated, "text": t}
                          for d, (r, t) in new.items()])
    all_docs = pd.concat([docs, extra], ignore_index=True)
    all_clauses = pd.concat([clauses] + [segment_document(d, t) for d, (_, t) in new.items()], ignore_index=True)
    return all_docs, all_clauses, set(new)


@pytest.fixture(scope="module")
def review_independent():
    return pd.read_csv(REVIEW_INDEPENDENT, dtype={"verdict": str})


@pytest.fixture(scope="module")
def independent(eighty_five):
    """The corpus the first independent review was read on: the 85 notices and the 27 of collect5a/5b."""
    return _corpus_of(eighty_five, "reuse_review_independent_corpus.csv")


def test_independent_review_holds_every_passage_touching_a_new_notice(independent, review_independent, tmp_path):
    # The review was drawn on the rules frozen before it (commit 9baffbe): every passage they reported
    # touching a new notice, 49. The English stock phrases added after it (lexicon entries marked
    # so) leave 1 of them reported, and nothing that was not read.
    docs, clauses, new = independent
    texts = docs.set_index("doc_id").text
    read = review_independent
    assert len(read) == 49 and set(read.part) == {"independent"}
    for r in read.itertuples():  # the texts read are the texts at the offsets
        assert flat(texts[r.doc_a][r.start_a:r.end_a]) == r.text_a and flat(texts[r.doc_b][r.start_b:r.end_b]) == r.text_b
    found = _cross_organisation(text_reuse(clauses, documents=docs))
    touching = found[found.doc_a.isin(new) | found.doc_b.isin(new)]
    verdicts = [_reviewed(row, read) for row in touching.itertuples()]
    assert all(v is not None for v in verdicts)
    assert [(v.doc_a, v.doc_b, v.verdict) for v in verdicts] == [("omega365-design", "snakkomspill", "true")]
    # with the lexicon as it was when the review was drawn, the 49 passages read come back
    from policylab.compare.stock import STOCK_LEXICON
    blocks = STOCK_LEXICON.read_text(encoding="utf-8").split("\n[[phrase]]\n")
    kept = [b for b in blocks[1:] if not any(f'id = "{i}"' in b for i in ENGLISH_AFTER_THE_REVIEW)]
    assert len(kept) == len(blocks) - 1 - len(ENGLISH_AFTER_THE_REVIEW)
    lexicon = tmp_path / "frozen.toml"
    lexicon.write_text("\n[[phrase]]\n".join([blocks[0]] + kept), encoding="utf-8")
    before = _cross_organisation(text_reuse(clauses, documents=docs, stock=lexicon))
    before = before[before.doc_a.isin(new) | before.doc_b.isin(new)]
    assert len(before) == len(read) and all(_reviewed(row, read) is not None for row in before.itertuples())


ENGLISH_AFTER_THE_REVIEW = {"law_names_en", "transfers_en", "children_en", "changes_en_more", "complaint_en_more",
                            "processors_en", "retention_en_more", "basis_and_security_en", "rights_items_en_more",
                            "art6_glosses_nb"}


def test_independent_review_file(review_independent):
    read = review_independent
    assert set(read.verdict) <= {"true", "false"} and read.reason.str.len().min() > 20
    assert (read.verdict == "true").eq(read.kind != "formula").all()
    assert set(read.kind) <= {"copied", "template", "statute", "formula"}
    assert list(read.columns) == list(pd.read_csv(REVIEW_EXTENDED, nrows=0).columns)


def test_independent_share_is_what_was_measured(review_independent):
    # 49 passages touch a new notice (fewer than 50: all read). 1 is a copy (Omega365 Design's
    # nynorsk Google Analytics paragraph on snakkomspill.no); 48 are formulas of English notices
    # written from one outline (law names, transfers, children, changes, complaint), which the
    # stock lexicon (mostly Norwegian) does not hold and the bar of 12 lets through.
    read = review_independent
    assert len(read) == 49 and (read.verdict == "true").sum() == 1


@pytest.mark.xfail(strict=True, reason="independent review (notices collected after the rules were frozen): 1 of 49 "
                   "passages touching a new notice is true reuse (2 %), far from issue #16's 90 % "
                   "(docs/notes/reuse5.md)")
def test_independent_review_is_ninety_percent_true(review_independent):
    assert (review_independent.verdict == "true").mean() >= 0.9


# Review 2: the rules as they stand (commit d1d5dcd, English stock phrases added after review 1),
# frozen before the notices of the collect6 branch (data/extended/metadata-c6.csv, 25 notices at
# its commit 5441756) were read; run on those 137 notices, every cross-organisation passage
# touching a collect6 notice was read (40, fewer than 50).
REVIEW_INDEPENDENT2 = Path(__file__).parent / "data" / "reuse_review_independent2.csv"


@pytest.fixture(scope="module")
def review_independent2():
    return pd.read_csv(REVIEW_INDEPENDENT2, dtype={"verdict": str})


def test_second_independent_review_file(review_independent2):
    read = review_independent2
    assert set(read.part) == {"independent2"} and set(read.verdict) == {"true", "false"}
    assert (read.verdict == "true").eq(read.kind != "formula").all() and read.reason.str.len().min() > 20
    assert list(read.columns) == list(pd.read_csv(REVIEW_EXTENDED, nrows=0).columns)
    # 20 of 40 true (50 %); 3 read as borderline (2 true, 1 false): 47.5 % to 55 %
    assert len(read) == 40 and (read.verdict == "true").sum() == 20
    assert read.reason.str.startswith("borderline").sum() == 3


def test_second_independent_review_holds_every_passage_touching_a_collect6_notice(eighty_five, review_independent2):
    docs, clauses, new = _corpus_of(eighty_five, "reuse_review_independent_corpus.csv",
                                    "reuse_review_independent2_corpus.csv")
    c6 = set(pd.read_csv(Path(__file__).parent / "data" / "reuse_review_independent2_corpus.csv").doc_id)
    texts = docs.set_index("doc_id").text
    found = _cross_organisation(text_reuse(clauses, documents=docs))
    touching = found[found.doc_a.isin(c6) | found.doc_b.isin(c6)]
    read = review_independent2
    assert len(touching) == len(read)
    assert all(_reviewed(row, read) is not None for row in touching.itertuples())
    for r in read.itertuples():
        assert flat(texts[r.doc_a][r.start_a:r.end_a]) == r.text_a and flat(texts[r.doc_b][r.start_b:r.end_b]) == r.text_b


@pytest.mark.xfail(strict=True, reason="second independent review (collect6's notices, read after the rules were "
                   "frozen again): 20 of 40 passages are true reuse (50 %), not issue #16's 90 % (docs/notes/reuse5.md)")
def test_second_independent_review_is_ninety_percent_true(review_independent2):
    assert (review_independent2.verdict == "true").mean() >= 0.9


BUNDLED = {"24center", "anbudsmarkedet", "balcoo", "digdir", "dyktig-regnskapsforer", "hellestad-maskin", "hyperion",
           "jodacare", "klarlinje", "kraftvare", "kvam-esport", "motkraft", "mytxs", "ndla", "okorad", "partners",
           "resultat24", "sula-kommune", "tm-legetjenester", "turnus-hjelp", "utekos"}


# --------------------------------------------------------------------------- edited copies


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def _edit(text: str, rng: random.Random, *, company: tuple[str, str] | None) -> str:
    """Word order changed within each sentence, a name swapped, one sentence dropped."""
    sentences = _sentences(text)
    if len(sentences) > 2:
        del sentences[rng.randrange(1, len(sentences) - 1)]
    out = []
    for s in sentences:
        tokens = s.split()
        if len(tokens) > 6:
            k = rng.randrange(1, len(tokens) - 3)
            tokens[k], tokens[k + 1] = tokens[k + 1], tokens[k]
        out.append(" ".join(tokens))
    edited = " ".join(out)
    if company:
        edited = edited.replace(*company)
    return edited


_PARAGRAPHS = None


def _words_outside_stock_phrases(text: str) -> int:
    """A copy made mostly of stock phrases is, by design, not evidence (min_pair_words)."""
    words = corpus_words(pd.DataFrame({"clause_id": ["x:0"], "doc_id": ["x"], "start": [0], "end": [len(text)],
                                       "text": [text]}))
    return int((~stock_mask(words)).sum())


def _long_paragraphs(tables):
    global _PARAGRAPHS
    if _PARAGRAPHS is None:
        c = tables.clauses
        body = c[(c.kind == "paragraph") & (c.n_words >= 45) & (c.n_sentences >= 3)]
        _PARAGRAPHS = body[["clause_id", "doc_id", "text"]].values.tolist()
    return _PARAGRAPHS


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pick=st.integers(0, 10_000), seed=st.integers(0, 10_000))
def test_edited_copies_of_real_paragraphs_are_still_aligned(tables, pick, seed):
    paragraphs = _long_paragraphs(tables)
    clause_id, doc_id, text = paragraphs[pick % len(paragraphs)]
    rng = random.Random(seed)
    company = tables.documents.set_index("doc_id").company[doc_id]
    edited = _edit(text, rng, company=(company, "Fjordlys Rådgivning AS"))
    # A copy of under 30 words with two words swapped in every sentence keeps runs
    # too short to outweigh a legal formula (min_weight): a limit, not tested here.
    assume(len(WORD_RE.findall(edited)) >= 30 and _words_outside_stock_phrases(edited) >= 35)
    new = f"Personvernerklæring for Fjordlys Rådgivning AS\n\n{edited}\n"
    docs, clauses = corpus_with(tables, {"zz-copy": new})
    found = text_reuse(clauses, documents=docs)
    mine = found[((found.doc_a == doc_id) & (found.doc_b == "zz-copy"))]
    assert len(mine) >= 1, (clause_id, edited)
    # (the source may hold the paragraph twice, as &Partners does: any place counts)
    covered = mine
    copy_words = len(WORD_RE.findall(edited))
    # most of the copy's words are aligned with the source, despite the edits. Not all: a
    # short tail after the dropped sentence whose 4-grams hold under two content words
    # seeds nothing (Motkraft's "... er opp til deg og frivillig": 24 of 36 words)
    assert covered.matching_words.sum() >= 0.6 * copy_words, (clause_id, covered.matching_words.sum(), copy_words)


# Endings that turn one form of a word into another of the same stem (inflection, bokmål/nynorsk).
_ENDINGS = [("ene", "ane"), ("ende", "ande"), ("ingen", "inga"), ("er", "ar"), ("en", "a"), ("et", "a")]


def _reinflect(text: str, rng: random.Random) -> str:
    """Change the ending of about a third of the words whose stem the change keeps."""
    def swap(m):
        w = m.group()
        if len(w) < 5 or rng.random() > 0.35:
            return w
        for old, new in _ENDINGS:
            if w.endswith(old) and stem(w[: -len(old)].lower() + new) == stem(w.lower()):
                return w[: -len(old)] + new
        return w
    return WORD_RE.sub(swap, text)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pick=st.integers(0, 10_000), host=st.integers(0, 10_000), seed=st.integers(0, 10_000))
def test_edited_copies_inside_another_real_notice_are_aligned_where_they_lie(tables, pick, host, seed):
    """A paragraph of one notice, edited (sentence dropped, words swapped, endings changed, name
    replaced), pasted between two paragraphs of another company's notice, is aligned there."""
    paragraphs = _long_paragraphs(tables)
    clause_id, doc_id, text = paragraphs[pick % len(paragraphs)]
    docs = tables.documents.set_index("doc_id")
    rng = random.Random(seed)
    edited = _reinflect(_edit(text, rng, company=(docs.company[doc_id], "Fjordlys Rådgivning AS")), rng)
    assume(len(WORD_RE.findall(edited)) >= 30 and _words_outside_stock_phrases(edited) >= 35)
    others = [d for d in docs.index if docs.company[d] != docs.company[doc_id]]
    host_id = others[host % len(others)]
    host_text = docs.text[host_id]
    breaks = [m.end() for m in re.finditer(r"\n\n", host_text)]
    cut = breaks[len(breaks) // 2] if breaks else len(host_text)
    new = host_text[:cut] + edited + "\n\n" + host_text[cut:]
    lo, hi = cut, cut + len(edited)
    extra = {"zz-host": new}
    all_docs, clauses = corpus_with(tables, extra)
    found = text_reuse(clauses, documents=all_docs)
    mine = found[(found.doc_a == doc_id) & (found.doc_b == "zz-host") & (found.end_b > lo) & (found.start_b < hi)]
    assert len(mine) >= 1, (clause_id, host_id, edited)
    # the copy side lies in the pasted paragraph (a word or two of the host may join at its edges)
    assert (mine.start_b >= lo - 40).all() and (mine.end_b <= hi + 40).all()
    # the source side lies in the copied paragraph (or in an identical one elsewhere in the notice)
    same_text = tables.clauses[(tables.clauses.doc_id == doc_id) & (tables.clauses.text == text)]
    assert any(((same_text.start < row.end_a) & (same_text.end > row.start_a)).any() for row in mine.itertuples())
    assert mine.matching_words.sum() >= 0.6 * len(WORD_RE.findall(edited)), (clause_id, host_id)


def test_a_dropped_sentence_and_swapped_names_leave_one_passage(tables):
    oko = tables.documents.set_index("doc_id").text["okorad"]
    start = oko.index("En informasjonskapsel (ofte omtalt")
    end = oko.index("Google Analytics.") + len("Google Analytics.")
    section = oko[start:end]
    dropped = section.replace("Du har kanskje sett at noen nettsteder du ofte logger inn på husker ditt brukernavn og "
                              "passord, slik at du slipper å fylle dette ut hver gang du skal logge inn.", "")
    assert dropped != section
    swapped = dropped.replace("ØkoRåd Gruppen", "Nordlys Regnskap").replace("informasjonskapsler", "cookies")
    docs, clauses = corpus_with(tables, {"zz-copy": f"Personvern\n\n{swapped}\n"})
    found = text_reuse(clauses, documents=docs)
    mine = found[(found.doc_a == "okorad") & (found.doc_b == "zz-copy")]
    assert len(mine) == 1
    row = mine.iloc[0]
    assert row.start_a <= start + 20 and row.end_a >= end - 20
    assert row.matching_words >= len(WORD_RE.findall(swapped)) - 10


# --------------------------------------------------------------------------- scale, engines, aligners


def test_no_pair_of_notices_is_compared_beyond_the_neighbour_bound(tables):
    # 40 copies of one notice: all-pairs would align 780 pairs; each copy meets at most 2 x neighbours others.
    oko = tables.documents.set_index("doc_id").text["okorad"]
    extra = {f"copy{k:02d}": oko.replace("ØkoRåd Gruppen", f"Firma {k}") for k in range(40)}
    docs = pd.DataFrame({"doc_id": list(extra), "text": list(extra.values())})
    clauses = pd.concat([segment_document(d, t) for d, t in extra.items()], ignore_index=True)
    # text that every notice holds weighs log(40 / 40) = 0: min_weight=0 to see it
    found = text_reuse(clauses, documents=docs, neighbours=3, max_df_share=1.0, min_weight=0)
    pairs = found[["doc_a", "doc_b"]].drop_duplicates()
    assert len(pairs) <= 40 * 3
    lin = policylab.lineage(found, documents=docs)
    assert lin.family.nunique() == 1 and (lin.family == 0).all()
    assert (lin.borrowed_share > 0.9).all()


def test_dask_engine_gives_the_serial_result(tables):
    serial = text_reuse(tables.clauses, documents=tables.documents)
    for scheduler in ("synchronous", "threads"):
        parallel = text_reuse(tables.clauses, documents=tables.documents, engine="dask", scheduler=scheduler)
        pd.testing.assert_frame_equal(serial, parallel)


def test_many_blocks_give_the_one_block_result(tables, reuse, monkeypatch):
    # Blocks bound the memory of large corpora; their postings are found in one pass (Index.split).
    from policylab.compare import reuse as reuse_module
    monkeypatch.setattr(reuse_module, "_BLOCK_HITS", 100)
    words = reuse_module.corpus_words(tables.clauses, documents=tables.documents, include_kinds=REUSE_KINDS, stems=True)
    rank = reuse_module._order(words.doc_ids, tables.documents)
    index = reuse_module._Index(words, rank, n=4, max_df_share=0.5, neighbours=10)
    blocks = reuse_module._blocks(words, index, rank)
    assert len(blocks) >= 5
    for docs, mine in zip(blocks, index.split(blocks)):
        assert mine.tolist() == np.flatnonzero(np.isin(index.doc, docs)).tolist()
    pd.testing.assert_frame_equal(reuse, text_reuse(tables.clauses, documents=tables.documents))


def test_numpy_aligner_finds_the_same_passages(tables, reuse):
    slow = text_reuse(tables.clauses, documents=tables.documents, aligner="numpy")
    key = ["doc_a", "doc_b", "matching_words", "score"]
    pd.testing.assert_frame_equal(reuse[key], slow[key])


@settings(max_examples=60, deadline=None)
@given(a=st.lists(st.integers(0, 5), min_size=1, max_size=25), b=st.lists(st.integers(0, 5), min_size=1, max_size=25))
def test_both_aligners_reach_the_same_best_score(a, b):
    pytest.importorskip("Bio")
    x, y = np.array(a), np.array(b)
    bio, num = aln.align_words(x, y, use="biopython"), aln.align_words(x, y, use="numpy")
    assert bio.score == num.score
    for r in (bio, num):
        if r.score > 0:  # the span's words score what the alignment says: at least 2 per match less the edits
            assert r.matches >= 1 and r.score <= aln.MATCH * r.matches
            assert r.end_a - r.start_a >= r.matches and r.end_b - r.start_b >= r.matches


@settings(max_examples=60, deadline=None)
@given(a=st.lists(st.integers(0, 5), min_size=1, max_size=25), b=st.lists(st.integers(0, 5), min_size=1, max_size=25))
def test_both_aligners_give_the_equal_words_they_align(a, b):
    pytest.importorskip("Bio")
    x, y = np.array(a), np.array(b)
    for use in ("biopython", "numpy"):
        r = aln.align_words(x, y, use=use, pairs=True)
        pa, pb = r.pairs
        assert len(pa) == len(pb) == r.matches
        if r.matches:  # equal words, in order on both sides, inside the spans
            assert (x[pa] == y[pb]).all() and (np.diff(pa) > 0).all() and (np.diff(pb) > 0).all()
            assert r.start_a <= pa.min() and pa.max() < r.end_a and r.start_b <= pb.min() and pb.max() < r.end_b


def test_evidence_counts_equal_words_in_runs_outside_stock_phrases():
    from policylab.compare.reuse import _run_words
    # one passage: equal words at a/b positions; runs of 4 (0-3), 1 (10), 2 (20-21), 3 (30-32)
    pos_a = np.array([0, 1, 2, 3, 10, 20, 21, 30, 31, 32])
    pos_b = pos_a + 100
    row = np.zeros(pos_a.size, dtype=np.int64)
    free = np.ones(200, dtype=bool)
    assert _run_words(row, pos_a, pos_b, free, 1, 1).tolist() == [10]
    assert _run_words(row, pos_a, pos_b, free, 3, 1).tolist() == [7]
    assert _run_words(row, pos_a, pos_b, free, 4, 1).tolist() == [4]
    # a stock word breaks a run (either side); a gap on one side breaks it too
    free[131] = False
    assert _run_words(row, pos_a, pos_b, free, 3, 1).tolist() == [4]
    shifted = pos_b.copy()
    shifted[2:] += 1  # a word inserted in b after the second: the first run splits into two of 2
    assert _run_words(row, pos_a, shifted, np.ones(200, dtype=bool), 3, 1).tolist() == [3]
    # runs do not cross passages
    two = np.array([0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
    assert _run_words(two, pos_a, pos_b, np.ones(200, dtype=bool), 3, 2).tolist() == [0, 3]  # joined: [2, 5]


def test_the_rights_list_formula_is_a_stock_phrase():
    text = "Rett til retting Du kan be om at feil opplysninger rettes. Du kan be om en kopi av opplysningene vi har om deg."
    words = corpus_words(pd.DataFrame({"clause_id": ["x:0"], "doc_id": ["x"], "start": [0], "end": [len(text)],
                                       "text": [text]}))
    marked = {text[a:b] for a, b, m in zip(words.start, words.end, stock_mask(words)) if m}
    assert {"be", "om", "at", "kopi", "vi", "har", "deg"} <= marked
    assert not {"feil", "rettes"} & marked
    assert {"rights_request_nb", "held_about_you_nb"} <= set(stock_phrases().id)


def test_bad_arguments_say_what_is_wrong(tables):
    with pytest.raises(ValueError, match="engine"):
        text_reuse(tables.clauses, engine="spark")
    with pytest.raises(ValueError, match="lacks column"):
        text_reuse(tables.clauses.drop(columns=["start"]))
    empty = text_reuse(tables.clauses.head(0))
    assert list(empty.columns) == REUSE_COLUMNS and len(empty) == 0


def test_order_of_the_input_does_not_matter(tables, reuse):
    shuffled = tables.clauses.sample(frac=1.0, random_state=1)
    docs = tables.documents.sample(frac=1.0, random_state=2)
    pd.testing.assert_frame_equal(reuse, text_reuse(shuffled, documents=docs))


def test_without_documents_offsets_still_point_into_the_text(tables):
    found = text_reuse(tables.clauses)
    texts = tables.documents.set_index("doc_id").text
    assert len(found) >= 8
    for row in found.itertuples():
        assert flat(texts[row.doc_a][row.start_a:row.end_a]) == flat(row.text_a)


# --------------------------------------------------------------------------- lineage


def test_lineage_of_the_bundled_corpus(reuse, tables):
    lin = policylab.lineage(reuse, documents=tables.documents)
    assert list(lin.columns) == LINEAGE_COLUMNS
    assert len(lin) == len(tables.documents)
    by = lin.set_index("doc_id")
    assert by.family["okorad"] == by.family["resultat24"] >= 0
    assert by.shares_most_with["okorad"] == "resultat24" and by.shares_most_with["resultat24"] == "okorad"
    assert by.borrowed_share.between(0, 1).all()
    assert 0.15 < by.borrowed_share["okorad"] < 0.5
    alone = by[by.n_partners == 0]
    assert (alone.family == -1).all() and (alone.borrowed_chars == 0).all() and len(alone) >= 8
    # a family is a connected group: every member shares with another member
    for f, members in lin[lin.family >= 0].groupby("family"):
        assert len(members) >= 2 and all(set(p) <= set(members.doc_id) for p in members.partners)


def test_direction_comes_from_the_dates(reuse, tables):
    docs = tables.documents.copy()
    docs.loc[docs.doc_id == "okorad", "date_stated"] = "2016-03-01"
    docs.loc[docs.doc_id == "resultat24", "date_stated"] = "2021-09-15"
    edges = policylab.lineage_edges(reuse, documents=docs)
    assert list(edges.columns) == EDGE_COLUMNS
    pair = edges[(edges.doc_a == "okorad") & (edges.doc_b == "resultat24")].iloc[0]
    assert (pair.source, pair.target) == ("okorad", "resultat24")
    undated = edges[(edges.doc_a == "mytxs") & (edges.doc_b == "okorad")].iloc[0]
    assert (undated.source, undated.target) == ("", "")
    lin = policylab.lineage(reuse, documents=docs).set_index("doc_id")
    assert lin.first_in_family["okorad"] is True or bool(lin.first_in_family["okorad"])
    assert not bool(lin.first_in_family["resultat24"])
    assert pd.isna(lin.first_in_family["mytxs"]) and pd.isna(lin.first_in_family["ndla"])


def test_coverage_items_travel_with_the_shared_passages(reuse, tables):
    lin = policylab.lineage(reuse, documents=tables.documents)
    items = policylab.family_labels(reuse, lin, coverage=tables.coverage)
    assert len(items)
    by_family = lin.set_index("doc_id").family
    shared = set()
    for row in reuse.itertuples():
        shared |= set(row.clauses_a) | set(row.clauses_b)
    cov = tables.coverage.set_index(["doc_id", "item"]).evidence
    for row in items.itertuples():
        assert {by_family[d] for d in row.documents} == {row.family}
        assert set(row.clauses) <= shared
        for d in row.documents:
            assert set(cov[(d, row.item)]) & set(row.clauses)
    # the right to object comes to ØkoRåd and TSS/TKS from the same Datatilsynet sentence
    obj = items[(items.item == "right_objection") & items.documents.map(lambda d: {"mytxs", "okorad"} <= set(d))]
    assert len(obj) == 1
    by_label = policylab.family_labels(reuse, lin, labels=tables.labels)
    assert by_label.item.str.contains(":").all() and len(by_label)


def test_an_outdated_reference_spreads_through_a_copy(tables):
    balcoo = tables.documents.set_index("doc_id").text["balcoo"]
    start = balcoo.index("Alle som spør har rett på grunnleggende informasjon")
    end = balcoo.index(".", balcoo.index("personopplysningslovens § 18", start)) + 1
    paragraph = balcoo[start:balcoo.index("\n", end)] if "\n" in balcoo[end:] else balcoo[start:]
    copy = paragraph.replace("Balcoo AS", "Fjordlys Rådgivning AS")
    docs, clauses = corpus_with(tables, {"zz-copy": f"Personvern\n\n{copy}\n", "zz-old": f"Personvern\n\n{copy}\n"},
                                dates={"zz-copy": "2023-02-01", "zz-old": "2017-01-01"})
    found = text_reuse(clauses, documents=docs)
    old = policylab.outdated_passages(found, documents=docs)
    assert list(old.columns) == OUTDATED_COLUMNS
    assert {"zz-copy", "balcoo"} <= set(old.doc_id)
    assert "zz-old" not in set(old.doc_id)  # written before the 2018 act: right at the time
    texts = docs.set_index("doc_id").text
    for row in old.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.match
    assert set(old[old.doc_id == "zz-copy"].pattern) == {"act_2000_section"}
    patterns = policylab.compare.outdated_patterns()
    assert patterns.note.str.len().min() > 20 and patterns.source.notna().all()


def test_the_bundled_copy_citing_the_repealed_act_is_flagged(reuse, tables):
    # Balcoo's copy of Datatilsynet's old model text keeps "personopplysningslovens § 18" (the 2000
    # act); Digdir's nynorsk copy of the same passage dropped the citation.
    old = policylab.outdated_passages(reuse, documents=tables.documents)
    assert old[["doc_id", "other_doc", "pattern"]].values.tolist() == [["balcoo", "digdir", "act_2000_section"]]
    row = old.iloc[0]
    assert tables.documents.set_index("doc_id").text["balcoo"][row.start:row.end] == "personopplysningslovens § 18"


def test_figures(reuse, tables, tmp_path):
    lin = policylab.lineage(reuse, documents=tables.documents)
    edges = policylab.lineage_edges(reuse, documents=tables.documents)
    fig = lineage_network(lin, edges)
    assert "template famil" in fig.axes[0].get_title()
    fig.savefig(tmp_path / "network.png")
    bars = borrowed_share_bars(lin)
    assert len(bars.axes[0].patches) == len(lin)
    bars.savefig(tmp_path / "bars.png")
    assert (tmp_path / "network.png").stat().st_size > 10_000
    empty = lineage_network(lin.head(0), edges.head(0))
    assert empty.axes[0].texts

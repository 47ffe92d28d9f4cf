"""Classes of error fixed by the tagger3 branch (issue #17: rules that generalise).

Each class is a general form (a morphology, a cue family, a layout), tested with
taxonomy-style sentences in the three languages (positive) and with real clauses
of the bundled corpus or of TRAINING notices of ``data/extended`` that must keep
their labels (negative). Dev notices are for measuring only; test notices are
sealed: ``extended`` (from tests/test_tagger2.py) refuses both.
"""

from __future__ import annotations

import pytest

from test_tagger2 import labels_of, snippet



def rights(text: str, language: str) -> set[str]:
    return snippet(text, language, "right")


# ------------------------------------------------------------------ rights: inflected forms


@pytest.mark.parametrize("language, text, right", [
    ("nb", "Du kan kreve at vi retter uriktige opplysninger.", "rectification"),
    ("nn", "Du kan krevje at vi rettar uriktige opplysningar om deg.", "rectification"),
    ("en", "You can request that we correct inaccurate information about you.", "rectification"),
    ("nb", "Du kan kreve at vi sletter personopplysningene dine.", "erasure"),
    ("nn", "Du kan krevje at me slettar opplysningane dine.", "erasure"),
    ("en", "You may request that we erase your personal data.", "erasure"),
    ("nb", "Du har rett til å bli glemt.", "erasure"),
    ("nn", "Du har rett til å bli gløymd.", "erasure"),
    ("en", "You have the right to be forgotten.", "erasure"),
    ("nb", "Du kan be om at behandlingen begrenses.", "restriction"),
    ("nn", "Du kan be om at handsaminga vert avgrensa.", "restriction"),
    ("en", "You can ask us to limit how we use your data.", "restriction"),
    ("nb", "Du kan motsette deg at vi bruker opplysningene til direkte markedsføring.", "objection"),
    ("nn", "Du kan motsetje deg at vi nyttar opplysningane til direkte marknadsføring.", "objection"),
    ("nn", "Du kan kome med motsegn mot behandlinga av personopplysningane dine.", "objection"),
    ("en", "You can oppose our use of your data for direct marketing.", "objection"),
    ("nb", "Du har rett til å se hvilke opplysninger vi har om deg.", "access"),
    ("nn", "Du har rett til å sjå opplysningane vi har om deg.", "access"),
    ("en", "You may ask us what information we hold about you.", "access"),
    ("en", "Right of access", "access"),
])
def test_rights_in_inflected_forms(language, text, right):
    assert right in rights(text, language)


@pytest.mark.parametrize("language, text", [
    # real clauses: the controller's own deletion routine, limits on transfers or data
    ("nb", "Sier du opp medlemskapet, sletter vi kontoen etter tre måneder hvis du ikke ber om noe annet."),
    ("nb", "Vi oppbevarer henvendelsen så lenge det er nødvendig for å følge den opp, og sletter den når den ikke lenger har noen hensikt."),
    ("nb", "Data lagres kryptert i EU (Stockholm). Vi begrenser overføring av personopplysninger utenfor EU/EØS, og benytter lovlige overføringsmekanismer dersom slik overføring er nødvendig."),
    ("nb", "Sikkerhet, feilretting og misbruksforebygging | Art. 6 nr. 1 bokstav f (berettiget interesse) | Nødvendig for en sikker og stabil tjeneste; datamengden begrenses."),
    ("nb", "Normalt sletter vi én gang i året."),
    ("en", "Access to your data is limited to staff who need it."),
])
def test_routines_and_limits_are_no_rights(language, text):
    assert rights(text, language) == set()


def test_nynorsk_complaint_and_withdrawal_forms():
    assert "complaint" in snippet("Du har rett til å klaga til Datatilsynet dersom du meiner vi bryt regelverket.", "nn")
    assert "consent_withdrawal" in snippet("Du kan ta attende samtykket ditt når som helst.", "nn")
    assert "consent_withdrawal" in snippet("Du kan når som helst trekkja samtykket attende.", "nn")
    # a storage period that ends with a withdrawal is no withdrawal
    assert "consent_withdrawal" not in snippet("Vi lagrar opplysningane inntil du tek samtykket attende.", "nn")

"""Public authorities and bodies must name a data protection officer (GDPR Art. 37(1)(a))."""

import pandas as pd
import pytest

from policylab.coverage import coverage_table
from policylab.labels import public_bodies


@pytest.fixture(scope="module")
def documents(tables):
    return tables.documents


def test_bundled_public_bodies(documents):
    public = dict(zip(documents["doc_id"], public_bodies(documents)))
    # A municipality, a directorate (NACE O) and NDLA, the counties' learning
    # resource (NACE P: education, but run by the public sector).
    assert {d for d, p in public.items() if p} == {"sula-kommune", "digdir", "ndla"}


@pytest.mark.parametrize(
    "company, nace, sector, expected",
    [
        ("Bergen kommune", "", "", True),
        ("Vestland fylkeskommune", "", "", True),
        ("Haukeland universitetssjukehus", "Q", "", True),   # a public hospital: NACE Q, not O
        ("Helse Bergen HF", "Q", "", True),
        ("Arbeidstilsynet", "", "", True),
        ("Universitetet i Oslo", "P", "", True),
        ("Nordahl Grieg videregående skole", "P", "", True),
        ("Tannlegene i Sentrum AS", "Q", "Dental clinic", False),
        ("Kommunikasjonsbyrået AS", "M", "Advertising", False),  # 'kommune' only inside another word
        ("Acme AS", "G", "Retail", False),
    ],
)
def test_default_rule(company, nace, sector, expected):
    docs = pd.DataFrame({"doc_id": ["x"], "company": [company], "nace_section": [nace], "sector": [sector]})
    assert public_bodies(docs).tolist() == [expected]


def test_metadata_overrides_the_rule():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "company": ["Sula kommune", "Acme AS"],
                         "nace_section": ["O", "G"], "public_body": ["false", "ja"]})
    assert public_bodies(docs).tolist() == [False, True]


def test_dpo_required_for_a_public_school_without_nace_o(tables):
    documents = tables.documents.copy()
    cov = coverage_table(tables.labels, documents).set_index(["doc_id", "item"])
    assert cov.loc[("ndla", "dpo_contact"), "required"]          # NACE P, but a public body
    assert not cov.loc[("motkraft", "dpo_contact"), "required"]   # an electricity retailer
    documents["public_body"] = documents["doc_id"].eq("motkraft")  # metadata says otherwise
    cov = coverage_table(tables.labels, documents).set_index(["doc_id", "item"])
    assert cov.loc[("motkraft", "dpo_contact"), "required"]
    assert not cov.loc[("ndla", "dpo_contact"), "required"]

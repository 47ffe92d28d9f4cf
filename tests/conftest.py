"""Shared fixtures: the bundled corpus is built once per test session."""

import warnings

import pytest

import policylab


@pytest.fixture(scope="session")
def tables():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", policylab.PolicylabWarning)
        return policylab.build(progress=False)


@pytest.fixture(scope="session")
def clauses(tables):
    return tables.clauses


def clause_with(clauses, doc_id, snippet):
    """The one clause of ``doc_id`` whose text contains ``snippet``."""
    hits = clauses[(clauses.doc_id == doc_id) & clauses.text.str.contains(snippet, regex=False)]
    assert len(hits) == 1, f"{len(hits)} clauses of {doc_id} contain {snippet!r}"
    return hits.iloc[0]

"""The HTML report: every notice, every figure with the clauses behind it, and
one actionable line per missing required item, on the bundled corpus."""

import matplotlib

matplotlib.use("Agg")

import base64
import dataclasses
import html
import re
import warnings

import pandas as pd
import pytest

import policylab
from policylab.report import (
    ITEM_PHRASES,
    coverage_evidence,
    legal_basis_clauses,
    missing_items,
    retention_clauses,
    shared_templates,
    write_report,
)

MISSING_LINE = re.compile(r'<li class="missing" data-doc-id="([^"]*)" data-item="([^"]*)">([^<]*)</li>')


@pytest.fixture(scope="module")
def report(tables, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    path = write_report(tables, out)
    return path, path.read_text(encoding="utf-8")


def section(text: str, anchor: str) -> str:
    """The part of the report from the heading ``anchor`` to the next figure heading."""
    start = text.index(f'<h2 id="{anchor}">')
    end = text.find('<h2 id="', start + 1)
    return text[start:] if end == -1 else text[start:end]


def test_report_writes_html_figures_and_summary(report):
    path, text = report
    assert path.name == "report.html"
    assert (path.parent / "summary.txt").read_text(encoding="utf-8").startswith("policylab summary: 21 notices")
    pngs = sorted((path.parent / "figures").glob("*.png"))
    names = {p.stem for p in pngs}
    assert {"coverage_heatmap", "sector_benchmark", "lix_vs_length", "lix_by_section", "retention_days",
            "legal_basis_shares", "clause_map"} <= names
    # One embedded image per figure file, and it is that very file.
    embedded = re.findall(r'<img alt="[^"]*" src="data:image/png;base64,([^"]+)">', text)
    assert len(embedded) == text.count("<img ") == len(pngs)
    assert {base64.b64decode(e) for e in embedded} == {p.read_bytes() for p in pngs}
    for png in pngs:
        assert png.read_bytes().startswith(b"\x89PNG")
        assert f'<h2 id="{png.stem}">' in text


def test_report_names_every_company(report, tables):
    _, text = report
    for company in tables.documents["company"]:
        assert html.escape(company) in text, company


def test_report_lists_the_evidence_clause_ids(report, tables):
    _, text = report
    heatmap = section(text, "coverage_heatmap")
    evidence = {i for ids in tables.coverage["evidence"] for i in ids}
    assert len(evidence) > 100
    missing = sorted(i for i in evidence if f">{html.escape(i)}</code>" not in heatmap)
    assert not missing, missing[:5]


def test_every_actionable_line_is_a_required_item_not_covered(report, tables):
    _, text = report
    lines = MISSING_LINE.findall(text)
    coverage = tables.coverage
    gaps = coverage[~coverage["covered"].astype(bool) & coverage["required"].astype(bool)]
    assert len(lines) == len(gaps) > 0
    assert {(d, i) for d, i, _ in lines} == set(zip(gaps["doc_id"], gaps["item"].astype(str)))
    company = tables.documents.set_index("doc_id")["company"]
    article = coverage.drop_duplicates("item").set_index(coverage.drop_duplicates("item")["item"].astype(str))
    for doc_id, item, message in lines:
        expected = f"{company[doc_id]}: {ITEM_PHRASES[item]} (GDPR Art. {article.loc[item, 'article']})"
        assert message == html.escape(expected)


def test_missing_items_on_bundled_corpus(tables):
    gaps = missing_items(tables.coverage, tables.documents)
    assert list(gaps.columns) == ["doc_id", "company", "item", "article", "message"]
    merged = gaps.merge(tables.coverage.assign(item=tables.coverage["item"].astype(str)), on=["doc_id", "item"])
    assert len(merged) == len(gaps)
    assert not merged["covered"].any() and merged["required"].all()
    # Not required items (data_source is never required) never become a line.
    assert "data_source" not in set(gaps["item"])


def test_retention_figure_is_followed_by_its_periods_and_clauses(report, tables):
    _, text = report
    part = section(text, "retention_days")
    behind = retention_clauses(tables.retention, tables.clauses)
    assert len(behind) == len(tables.retention) > 10
    assert behind["text"].notna().all()
    for row in behind.itertuples():
        assert f"<td>{html.escape(row.clause_id)}</td>" in part
        assert html.escape(row.raw) in part
        assert html.escape(row.raw) in html.escape(row.text)


def test_section_figure_is_followed_by_the_clauses_of_its_notice(report, tables):
    _, text = report
    hardest = tables.readability.sort_values("lix")["doc_id"].iloc[-1]
    part = section(text, "lix_by_section")
    company = tables.documents.set_index("doc_id").loc[hardest, "company"]
    assert html.escape(company) in part
    body = tables.clauses[(tables.clauses["doc_id"] == hardest) & (tables.clauses["kind"] != "boilerplate")]
    assert len(body) > 10
    for clause_id in body["clause_id"]:
        assert f"<td>{html.escape(clause_id)}</td>" in part


def test_legal_basis_figure_is_followed_by_its_clauses(report, tables):
    _, text = report
    part = section(text, "legal_basis_shares")
    behind = legal_basis_clauses(tables.labels, tables.clauses)
    assert set(behind["clause_id"]) == set(tables.labels.loc[tables.labels["dimension"] == "legal_basis", "clause_id"])
    for clause_id in behind["clause_id"]:
        assert f"<td>{html.escape(clause_id)}</td>" in part


def test_shared_templates_pair_clauses_of_different_companies(report, tables):
    from policylab.cluster import near_duplicates

    _, text = report
    pairs = shared_templates(near_duplicates(tables.clauses, progress=False), tables.clauses, tables.documents)
    assert len(pairs) > 0
    assert (pairs["company_a"] != pairs["company_b"]).all()
    part = section(text, "clause_map")
    for row in pairs.itertuples():
        assert f"<td>{html.escape(row.clause_a)}</td>" in part and f"<td>{html.escape(row.clause_b)}</td>" in part


def test_coverage_evidence_joins_clause_ids(tables):
    table = coverage_evidence(tables.coverage)
    assert len(table) == len(tables.coverage)
    covered = table[table["covered"].astype(bool)]
    assert (covered["evidence"] != "").all()
    assert (table.loc[~table["covered"].astype(bool), "evidence"] == "").all()


def test_report_escapes_text(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(
        "Personvern\n\nVi lagrer <script>alert(1)</script> i to år.\n\nDu kan klage til Datatilsynet.",
        encoding="utf-8")
    (corpus / "metadata.csv").write_text(
        'doc_id,file,company,sector,nace_section,language\nevil,evil.txt,"<b>Evil & Co</b>",Retail,G,nb\n',
        encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = policylab.build(corpus, progress=False)
    text = write_report(t, tmp_path / "out").read_text(encoding="utf-8")
    assert "<script>" not in text and "<b>Evil" not in text
    assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in text


def test_report_without_derived_tables(tables, tmp_path):
    """A corpus whose labels, retention, readability and coverage are empty still reports."""
    empty = pd.DataFrame()
    bare = dataclasses.replace(tables, labels=empty, retention=empty, readability=empty, coverage=empty)
    path = write_report(bare, tmp_path)
    text = path.read_text(encoding="utf-8")
    pngs = list((tmp_path / "figures").glob("*.png"))
    assert text.count("<img ") == len(pngs) >= 6
    assert "no coverage table" in text
    assert not MISSING_LINE.findall(text)

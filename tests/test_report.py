"""The report as a static site, on the bundled corpus: contents, sectors, notices, one page per notice with
the evidence quoted and linked, what is missing with the article and what is expected, figures with their n and
the CSV behind each; untagged notices listed as left out; size linear in the number of notices."""

import matplotlib

matplotlib.use("Agg")

import dataclasses
import html
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

import policylab
from synthetic import copies

from policylab.labels import CHECKLIST_ITEMS
from policylab.report import (
    FIGURES,
    ITEM_EXPECTED,
    ITEM_PHRASES,
    clause_anchor,
    coverage_evidence,
    human_days,
    left_out,
    legal_basis_clauses,
    missing_items,
    notice_overview,
    retention_clauses,
    sector_overview,
    shared_templates,
    write_report,
)

HREF = re.compile(r'href="([^"]+)"')
ID = re.compile(r'\bid="([^"]+)"')


@pytest.fixture(scope="module")
def report(tables, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    path = write_report(tables, out, progress=False)
    return path, path.read_text(encoding="utf-8")


def page(report, doc_id: str) -> str:
    return (report[0].parent / "notices" / f"{doc_id}.html").read_text(encoding="utf-8")


def section(text: str, anchor: str) -> str:
    """The part of a page from the element with id ``anchor`` to the next ``<section`` or ``<figure``."""
    start = text.index(f'id="{anchor}"')
    ends = [i for i in (text.find("<section", start), text.find("<figure", start)) if i != -1]
    return text[start:min(ends)] if ends else text[start:]


def test_site_layout(report, tables):
    path, _ = report
    out = path.parent
    assert path.name == "report.html"
    assert (out / "summary.txt").read_text(encoding="utf-8").startswith("policylab summary: 21 notices")
    assert sorted(p.stem for p in (out / "notices").glob("*.html")) == sorted(tables.documents["doc_id"])
    assert {p.name for p in (out / "static").iterdir()} >= {"tablesort.min.js", "tablesort.number.min.js",
                                                            "LICENCE-tablesort.txt", "report.js", "report.css"}
    # Nothing is loaded from the network: every src and href is relative (or a fragment).
    for html_file in [path, *(out / "notices").glob("*.html")]:
        body = html_file.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', body), html_file.name


def test_every_link_of_every_page_resolves(report):
    path, _ = report
    out = path.parent
    for html_file in [path, *(out / "notices").glob("*.html")]:
        body = html_file.read_text(encoding="utf-8")
        ids = set(ID.findall(body))
        for href in HREF.findall(body):
            target, _, fragment = html.unescape(href).partition("#")
            if target:
                linked = (html_file.parent / target).resolve()
                assert linked.is_file(), (html_file.name, href)
                if fragment:
                    assert f'id="{fragment}"' in linked.read_text(encoding="utf-8"), (html_file.name, href)
            else:
                assert fragment in ids, (html_file.name, href)


def test_contents_names_every_section_and_figure(report):
    _, text = report
    toc = section(text, "toc")
    for anchor in ("how-to-read", "sectors", "notices", "figures", "templates", "left-out", "problems", "downloads"):
        assert f'href="#{anchor}"' in toc and f'id="{anchor}"' in text
    for spec in FIGURES:
        if spec.name != "cluster_bars":  # clusters are computed only on request
            assert f'href="#{spec.name}"' in toc, spec.name


def test_notice_table_carries_the_filter_attributes(report, tables):
    _, text = report
    table = section(text, "notices")
    rows = re.findall(r"<tr data-sector=\"([^\"]*)\" data-language=\"([^\"]*)\" data-company=\"([^\"]*)\">", table)
    assert len(rows) == len(tables.documents)
    docs = tables.documents.set_index("doc_id")
    assert sorted(html.unescape(c) for _, _, c in rows) == sorted(docs["company"])
    assert {lang for _, lang, _ in rows} == set(docs["language"])
    for option in {s for s, _, _ in rows}:
        assert f'<option value="{option}">' in table


def test_each_covered_item_quotes_its_clause_and_links_to_it(report, tables):
    clauses = tables.clauses.set_index("clause_id")
    for doc_id, cov in tables.coverage.groupby("doc_id"):
        body = page(report, doc_id)
        covers = section(body, "covers")
        given = cov[cov["covered"].astype(bool)]
        evidence = {str(r.item): set(r.evidence) for r in given.itertuples()}
        rows = re.findall(r'<tr><td>(.*?)</td>\n<td class="quote"><blockquote class="evidence">(.*?)</blockquote>'
                          r'<a href="#([^"]+)">clause ([^<]+)</a>', covers, flags=re.DOTALL)
        shown = [item for cell, *_ in rows for item in re.findall(r"(\w+) \(Art\.", cell)]
        # Every item given is listed once, beside a clause that gives it.
        assert sorted(shown) == sorted(evidence), doc_id
        for cell, quote, anchor, clause_id in rows:
            assert anchor == clause_anchor(clause_id) == "c" + clause_id.rsplit(":", 1)[1]
            assert all(clause_id in evidence[item] for item in re.findall(r"(\w+) \(Art\.", cell))
            clause_text = " ".join(clauses.loc[clause_id, "text"].split())
            assert clause_text.startswith(html.unescape(quote).rstrip("…"))
            # The clause itself, with that id, is on the page.
            assert f'id="{anchor}"' in section(body, "text")


def test_each_missing_item_names_its_article_and_what_is_expected(report, tables):
    gaps = missing_items(tables.coverage, tables.documents)
    assert len(gaps) > 50
    for doc_id, part in gaps.groupby("doc_id"):
        misses = section(page(report, doc_id), "misses")
        items = re.findall(r'<li><b>([^<]+)</b> \(GDPR (Art\. [^ ]+?)\): ([^\n]+)\.<br>\n'
                           r'Expected: ([^<]+)</li>', misses)
        assert [i for i, *_ in items] == part["item"].tolist(), doc_id
        for (item, article, missing, expected), row in zip(items, part.itertuples()):
            assert article == f"Art. {row.article}"
            assert html.unescape(missing) == ITEM_PHRASES[item]
            assert html.unescape(expected) == ITEM_EXPECTED[item]


def test_every_checklist_item_has_its_texts():
    assert set(ITEM_PHRASES) == set(ITEM_EXPECTED) == set(CHECKLIST_ITEMS)
    assert all(text.endswith(".") for text in ITEM_EXPECTED.values())


def test_notice_page_lists_its_storage_periods_with_their_clause(report, tables):
    behind = retention_clauses(tables.retention, tables.clauses)
    assert len(behind) > 10
    for doc_id, part in behind.groupby("doc_id"):
        periods = section(page(report, doc_id), "retention")
        for row in part.itertuples():
            assert html.escape(row.raw) in periods
            assert f'<a href="#{clause_anchor(row.clause_id)}">{html.escape(row.clause_id)}</a>' in periods
    # A notice stating none says so.
    none = set(tables.documents["doc_id"]) - set(tables.retention["doc_id"])
    assert none and all("No storage period is stated." in page(report, d) for d in none)


def test_notice_page_places_its_readability_in_the_corpus(report, tables):
    lix = tables.readability.set_index("doc_id")["lix"]
    hardest = lix.idxmax()
    text = section(page(report, hardest), "readability")
    assert f"{len(lix)} of {len(lix)} notices by LIX (1 = easiest to read)" in text
    assert f"corpus median {lix.median():.0f}" in text


def test_notice_page_names_the_notices_it_shares_text_with(report, tables):
    reuse = policylab.text_reuse(tables.clauses, documents=tables.documents, progress=False)
    lineage = policylab.lineage(reuse, documents=tables.documents)
    company = tables.documents.set_index("doc_id")["company"]
    sharing = lineage[lineage["borrowed_share"] > 0]
    assert len(sharing) >= 6
    for row in sharing.itertuples():
        text = section(page(report, row.doc_id), "templates")
        assert f"Template family {row.family} " in text
        assert f"{100 * row.borrowed_share:.0f}% of its" in text
        for partner in row.partners:
            assert f'<a href="../notices/{partner}.html">{html.escape(company[partner])}</a>' in text
    alone = lineage.loc[lineage["borrowed_share"] == 0, "doc_id"]
    assert all("It shares no passage with another notice." in page(report, d) for d in alone)


def test_figures_state_their_n_and_link_the_table_behind(report):
    path, text = report
    figures = re.findall(r'<figure id="([^"]+)">', text)
    assert len(figures) >= 7
    for name in figures:
        part = section(text, name)
        assert f'<img src="figures/{name}.png"' in part
        assert (path.parent / "figures" / f"{name}.png").read_bytes().startswith(b"\x89PNG")
        csv = path.parent / "csv" / f"{name}.csv"
        rows = len(pd.read_csv(csv)) if csv.stat().st_size > 1 else 0
        assert f'<a href="csv/{name}.csv">{name}.csv</a> ({rows} rows)' in part
    # No figure is embedded in the page: the page stays small however many figures there are.
    assert "base64" not in text


def test_sector_overview_hides_medians_below_three_notices(tables):
    sectors = sector_overview(notice_overview(tables), tables.coverage)
    small = sectors[sectors["tagged"] < 3]
    assert len(small) and small["median_coverage"].isna().all() and small["median_lix"].isna().all()
    big = sectors[sectors["tagged"] >= 3]
    assert len(big) and big["median_coverage"].notna().all()
    assert sectors["notices"].sum() == len(tables.documents)


def test_notice_without_metadata_is_named_by_its_doc_id(tables):
    bare = dataclasses.replace(tables, documents=tables.documents.assign(company=None))
    overview = notice_overview(bare)
    assert (overview["company"] == overview["doc_id"]).all()
    assert not overview["company"].astype(str).str.contains("nan").any()


@pytest.fixture(scope="module")
def with_swedish(tmp_path_factory):
    """Two Norwegian notices and one Swedish one (no Swedish lexicon: read, not tagged)."""
    corpus = tmp_path_factory.mktemp("swedish")
    source = Path(policylab.__file__).resolve().parents[1] / "data" / "corpus"
    for name in ("balcoo.txt", "digdir.txt"):
        (corpus / name).write_bytes((source / name).read_bytes())
    (corpus / "svensk.txt").write_text(
        "Integritetspolicy\n\nVi behandlar dina personuppgifter för att kunna leverera våra tjänster till dig. "
        "Du har rätt att begära tillgång till de personuppgifter som vi behandlar om dig och att få felaktiga "
        "uppgifter rättade. Uppgifterna sparas i två år efter att kundförhållandet har upphört.\n", encoding="utf-8")
    (corpus / "metadata.csv").write_text(
        "doc_id,file,company,sector,nace_section,language\n"
        "balcoo,balcoo.txt,Balcoo AS,Construction,F,nb\ndigdir,digdir.txt,Digdir,Government,O,nn\n"
        "svensk,svensk.txt,Svensk AB,Retail,G,sv\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return policylab.build(corpus, progress=False)


def test_a_new_report_in_the_same_folder_leaves_no_page_of_the_old_one(tables, with_swedish, tmp_path):
    write_report(tables, tmp_path, progress=False)
    assert len(list((tmp_path / "notices").glob("*.html"))) == 21
    write_report(with_swedish, tmp_path, progress=False)
    assert sorted(p.stem for p in (tmp_path / "notices").glob("*.html")) == ["balcoo", "digdir", "svensk"]
    keep = tmp_path / "notes.txt"
    keep.write_text("mine", encoding="utf-8")
    write_report(with_swedish, tmp_path, progress=False)
    assert keep.read_text(encoding="utf-8") == "mine"


def test_untagged_notices_are_left_out_with_the_reason_not_scored(with_swedish, tmp_path):
    t = with_swedish
    assert t.documents.set_index("doc_id").loc["svensk", "tagged"] == False
    assert left_out(t.documents).values.tolist() == [["svensk", "sv", "sv: no lexicon; read and segmented, not tagged"]]
    overview = notice_overview(t).set_index("doc_id")
    assert pd.isna(overview.loc["svensk", "coverage_score"]) and overview.loc["svensk", "missing"] == ""
    path = write_report(t, tmp_path, progress=False)
    text = path.read_text(encoding="utf-8")
    assert "2 notices were tagged and scored; 1 were read but left out" in text
    left = section(text, "left-out")
    assert 'Svensk AB</a> (svensk): sv: no lexicon; read and segmented, not tagged' in left
    row = re.search(r'<tr data-sector="G Wholesale, retail" data-language="sv"[^>]*>(.*?)</tr>', text).group(1)
    assert "not scored" in row and "left out" in row
    notice = (tmp_path / "notices" / "svensk.html").read_text(encoding="utf-8")
    assert "<strong>Left out:</strong> sv: no lexicon; read and segmented, not tagged" in notice
    assert "Integritetspolicy" in notice  # its text is still there to read
    assert "What it misses</h2>\n<p>Not scored (left out).</p>" in notice


def test_human_days():
    assert human_days(1) == "1 day" and human_days(365) == "1 year" and human_days(45) == "45 days"
    assert human_days(None) == "" and human_days(0) == ""


def test_missing_items_on_bundled_corpus(tables):
    gaps = missing_items(tables.coverage, tables.documents)
    assert list(gaps.columns) == ["doc_id", "company", "item", "article", "message"]
    merged = gaps.merge(tables.coverage.assign(item=tables.coverage["item"].astype(str)), on=["doc_id", "item"])
    assert len(merged) == len(gaps)
    assert not merged["covered"].any() and merged["required"].all()
    assert "data_source" not in set(gaps["item"])


def test_legal_basis_clauses_are_the_labelled_ones(tables):
    behind = legal_basis_clauses(tables.labels, tables.clauses)
    assert set(behind["clause_id"]) == set(tables.labels.loc[tables.labels["dimension"] == "legal_basis", "clause_id"])
    assert behind["text"].notna().all()


def test_shared_templates_pair_clauses_of_different_companies(tables):
    from policylab.cluster import near_duplicates

    pairs = shared_templates(near_duplicates(tables.clauses, progress=False), tables.clauses, tables.documents)
    assert len(pairs) > 0
    assert (pairs["company_a"] != pairs["company_b"]).all()


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
    path = write_report(t, tmp_path / "out", progress=False)
    for body in (path.read_text(encoding="utf-8"), (path.parent / "notices" / "evil.html").read_text(encoding="utf-8")):
        assert "<script>alert" not in body and "<b>Evil" not in body
        assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in body


def test_report_without_derived_tables(tables, tmp_path):
    """A corpus whose labels, retention, readability and coverage are empty still reports."""
    empty = pd.DataFrame()
    bare = dataclasses.replace(tables, labels=empty, retention=empty, readability=empty, coverage=empty)
    path = write_report(bare, tmp_path, progress=False)
    text = path.read_text(encoding="utf-8")
    assert len(list((tmp_path / "figures").glob("*.png"))) >= 6
    assert len(list((tmp_path / "notices").glob("*.html"))) == len(tables.documents)
    assert "Expected:" not in (tmp_path / "notices" / "balcoo.html").read_text(encoding="utf-8")
    assert "Notices: who misses what" in text


def test_size_grows_linearly_and_stays_small(tables, tmp_path):
    """Three copies of the corpus make a report about three times as large, far from the 20 KB a notice allows."""

    def html_bytes(folder):
        return sum(p.stat().st_size for p in folder.rglob("*.html"))

    one = write_report(copies(tables, 1), tmp_path / "one", progress=False, reuse=pd.DataFrame(
        columns=policylab.compare.REUSE_COLUMNS)).parent
    three = write_report(copies(tables, 3), tmp_path / "three", progress=False, reuse=pd.DataFrame(
        columns=policylab.compare.REUSE_COLUMNS)).parent
    ratio = html_bytes(three) / html_bytes(one)
    assert 2.5 < ratio < 3.5, ratio
    assert html_bytes(three) / (3 * len(tables.documents)) < 40_000

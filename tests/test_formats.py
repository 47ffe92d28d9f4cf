"""The format a notice arrives in does not change what policylab measures (#14).

The bundled notices are rendered from their ``.txt`` and its clause table as
HTML (headings ``<h1>``-``<h6>`` by level, lists ``<ul>``, tables ``<table>``),
Markdown, Word and PDF; each rendering is built like any corpus and compared
with the ``.txt`` build notice by notice. Also: every reader keeps the
structure contract of :mod:`policylab.readers.types`.
"""

from __future__ import annotations

import warnings
from collections import Counter

import pandas as pd
import pytest
from renderings import cells, heading_text, list_text, one_line, to_docx, to_html, to_markdown, to_pdf

import policylab
from policylab.readers import BLOCK_KINDS, READERS, read_bytes

DOC_IDS = sorted(p.stem for p in policylab.BUNDLED_CORPUS.glob("*.txt"))
# Eight notices of every kind (long, short, nynorsk, tables, bullets) for Word and PDF.
OFFICE_DOC_IDS = ["kvam-esport", "sula-kommune", "ndla", "partners", "utekos", "motkraft", "resultat24", "digdir"]


def build_quietly(folder):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return policylab.build(folder, progress=False)


def rendered_corpus(tmp_path_factory, tables, suffix, render, doc_ids=DOC_IDS):
    folder = tmp_path_factory.mktemp(suffix)
    for doc_id in doc_ids:
        content = render(tables.clauses[tables.clauses.doc_id == doc_id])
        path = folder / f"{doc_id}.{suffix}"
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    metadata = pd.read_csv(policylab.BUNDLED_CORPUS / "metadata.csv", dtype=str, keep_default_na=False)
    metadata = metadata[metadata.doc_id.isin(doc_ids)]
    metadata["file"] = metadata["doc_id"] + f".{suffix}"
    metadata.to_csv(folder / "metadata.csv", index=False)
    return build_quietly(folder)


@pytest.fixture(scope="module")
def as_html(tmp_path_factory, tables):
    return rendered_corpus(tmp_path_factory, tables, "html", to_html)


@pytest.fixture(scope="module")
def as_markdown(tmp_path_factory, tables):
    return rendered_corpus(tmp_path_factory, tables, "md", to_markdown)


@pytest.fixture(scope="module")
def as_docx(tmp_path_factory, tables):
    pytest.importorskip("docx", reason="the 'formats' extra (python-docx) is not installed")
    return rendered_corpus(tmp_path_factory, tables, "docx", to_docx, OFFICE_DOC_IDS)


@pytest.fixture(scope="module")
def as_pdf(tmp_path_factory, tables):
    pytest.importorskip("pypdf", reason="the 'formats' extra (pypdf) is not installed")
    pytest.importorskip("fpdf", reason="fpdf2 (to write the test PDFs) is not installed")
    return rendered_corpus(tmp_path_factory, tables, "pdf", to_pdf, OFFICE_DOC_IDS)


def normalised(clauses):
    """Clause texts without the markup a format adds or drops (bullets, #, cell separators)."""
    out = []
    for c in clauses.itertuples():
        if c.kind == "list_item":
            text = list_text(c.text)
        elif c.kind == "heading":
            text = heading_text(c.text)
        elif c.kind == "table_row":
            text = " | ".join(cells(c.text))
        else:
            text = c.text
        out.append(one_line(text))
    return out


def positional_labels(tables, doc_id):
    """Labels and retention rows of a notice keyed by clause position."""
    labels = tables.labels[tables.labels.doc_id == doc_id]
    retention = tables.retention[tables.retention.doc_id == doc_id]
    keys = {(int(r.clause_id.rsplit(":", 1)[1]), r.dimension, str(r.label)) for r in labels.itertuples()}
    keys |= {(int(r.clause_id.rsplit(":", 1)[1]), "retention", f"{r.kind}:{r.days}") for r in retention.itertuples()}
    return keys


def label_counts(tables, doc_id):
    """Labels and retention periods of a notice as a multiset (clause boundaries may differ)."""
    labels = tables.labels[tables.labels.doc_id == doc_id]
    retention = tables.retention[tables.retention.doc_id == doc_id]
    return Counter(zip(labels.dimension, labels.label.astype(str))) + Counter(("retention", f"{r.kind}:{r.days}") for r in retention.itertuples())


def agreement(a, b) -> float:
    if isinstance(a, Counter):
        return sum((a & b).values()) / max(1, sum(a.values()), sum(b.values()))
    return len(a & b) / max(1, len(a | b))


@pytest.mark.parametrize("fmt", ["as_html", "as_markdown"])
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_html_and_markdown_give_the_clauses_and_labels_of_the_text(request, tables, fmt, doc_id):
    rendered = request.getfixturevalue(fmt)
    assert rendered.problems.empty, rendered.problems.to_dict("records")
    mine = rendered.clauses[rendered.clauses.doc_id == doc_id]
    txt = tables.clauses[tables.clauses.doc_id == doc_id]
    assert normalised(mine) == normalised(txt)
    # A boilerplate heading of the .txt is rendered as a paragraph (its kind is not kept).
    assert (mine.kind.to_numpy() != txt.kind.to_numpy()).mean() <= 0.03
    assert agreement(positional_labels(rendered, doc_id), positional_labels(tables, doc_id)) >= 0.98
    # The text is free of markup: no Markdown markers, no tags.
    text = rendered.documents.set_index("doc_id").loc[doc_id, "text"]
    original = tables.documents.set_index("doc_id").loc[doc_id, "text"]
    for mark in ("<", "**", "\n#", "\\"):
        assert text.count(mark) <= original.count(mark), mark


def test_html_sections_follow_the_heading_levels(as_html, tables):
    # The whole corpus, not notice by notice: the same section paths.
    assert as_html.clauses.section.tolist() == [s.replace("#", "").strip() for s in tables.clauses.section] or \
        (as_html.clauses.section == tables.clauses.section.str.replace(r"#+ ", "", regex=True)).mean() >= 0.98


@pytest.mark.parametrize("doc_id", OFFICE_DOC_IDS)
def test_word_gives_the_clauses_and_labels_of_the_text(as_docx, tables, doc_id):
    mine = as_docx.clauses[as_docx.clauses.doc_id == doc_id]
    assert normalised(mine) == normalised(tables.clauses[tables.clauses.doc_id == doc_id])
    assert agreement(label_counts(as_docx, doc_id), label_counts(tables, doc_id)) >= 0.95
    assert mine.page.isna().all()


@pytest.mark.parametrize("doc_id", OFFICE_DOC_IDS)
def test_pdf_gives_pages_and_nearly_the_labels_of_the_text(as_pdf, tables, doc_id):
    assert as_pdf.problems.empty, as_pdf.problems.to_dict("records")
    mine = as_pdf.clauses[as_pdf.clauses.doc_id == doc_id]
    assert mine.page.notna().all()
    assert mine.page.is_monotonic_increasing and mine.page.iloc[0] == 1
    # Hard-wrapped lines make a few clause boundaries differ; labels stay within 10 %.
    assert agreement(label_counts(as_pdf, doc_id), label_counts(tables, doc_id)) >= 0.90
    text = as_pdf.documents.set_index("doc_id").loc[doc_id, "text"]
    assert (mine.apply(lambda c: text[c.start:c.end] == c.text, axis=1)).all()


def test_pdf_labels_agree_within_five_percent_over_the_eight_notices(as_pdf, tables):
    scores = [agreement(label_counts(as_pdf, d), label_counts(tables, d)) for d in OFFICE_DOC_IDS]
    assert sum(scores) / len(scores) >= 0.95, dict(zip(OFFICE_DOC_IDS, scores))
    assert sum(s >= 0.95 for s in scores) >= 5, dict(zip(OFFICE_DOC_IDS, scores))


def test_pdf_pages_match_where_the_text_lies(as_pdf):
    doc = as_pdf.clauses[as_pdf.clauses.doc_id == "motkraft"]
    assert doc.page.max() >= 5


# --- the structure contract, reader by reader ------------------------------------

SAMPLES = {
    ".txt": b"Innsyn\n\nDu kan kreve innsyn.\n",
    ".md": "# Personvern\n\n## Innsyn\n\nDu kan **kreve** innsyn.\n\n- Navn\n- E-post\n\n| Navn | Levetid |\n|---|---|\n| _ga | 2 år |\n".encode(),
    ".markdown": b"## Innsyn\n\nDu kan kreve innsyn.\n",
    ".html": "<h1>Personvern</h1><h2>Innsyn</h2><p>Du kan kreve innsyn.</p><ul><li>Navn</li></ul><table><tr><td>_ga</td><td>2 år</td></tr></table>".encode(),
    ".htm": b"<h2>Innsyn</h2><p>Du kan kreve innsyn.</p>",
}


def office_sample(suffix):
    frame = pd.DataFrame({"kind": ["heading", "heading", "paragraph", "list_item", "table_row"],
                          "level": [0, 1, None, None, None],
                          "text": ["Personvern", "Innsyn", "Du kan kreve innsyn i opplysningene.", "• Navn", "_ga\t2 år"]})
    if suffix == ".docx":
        pytest.importorskip("docx", reason="the 'formats' extra is not installed")
        return to_docx(frame)
    pytest.importorskip("pypdf", reason="the 'formats' extra is not installed")
    pytest.importorskip("fpdf", reason="fpdf2 is not installed")
    return to_pdf(frame)


@pytest.mark.parametrize("suffix", sorted(READERS))
def test_every_reader_keeps_the_structure_contract(suffix):
    data = SAMPLES[suffix] if suffix in SAMPLES else office_sample(suffix)
    reading = read_bytes(f"x{suffix}", data)
    text = reading.text
    assert "Innsyn" in text and "**" not in text and "<" not in text
    if reading.blocks is None:
        return
    last_end = 0
    for block in reading.blocks:
        assert block.kind in BLOCK_KINDS
        assert last_end <= block.start < block.end <= len(text)
        assert text[block.start:block.end] == text[block.start:block.end].strip()
        last_end = block.end
        if block.kind == "heading":
            assert 1 <= block.level <= 6
        if block.kind == "table_row" and block.cells:
            assert text[block.start:block.end] == " | ".join(text[s:e] for s, e in block.cells)
    covered = set()
    for block in reading.blocks:
        covered.update(range(block.start, block.end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_markdown_front_matter_and_markup_stay_out_of_the_text():
    src = b"---\ntitle: 'Privatlivspolitik'\n---\n\n# Privatlivspolitik\n\nVi bruger **ingen** [cookies](https://x.dk).\n"
    reading = read_bytes("p.md", src)
    assert reading.text == "Privatlivspolitik\n\nVi bruger ingen cookies."
    assert reading.blocks[0].source == (4, 5)  # lines of the source file, front matter counted


def test_a_heading_in_markdown_gets_readable_lix(tmp_path):
    # "# Title" no longer reads as a 1-word sentence with a "#" word.
    (tmp_path / "a.md").write_text("# Personvernerklæring\n\nVi lagrer navnet ditt i to år. Du kan kreve innsyn.\n", encoding="utf-8")
    t = build_quietly(tmp_path)
    assert t.clauses.text.tolist()[0] == "Personvernerklæring"
    assert t.clauses.kind.tolist() == ["heading", "paragraph"]


def test_retention_in_an_html_table_cell_is_found(tmp_path):
    (tmp_path / "c.html").write_text(
        "<h1>Informasjonskapsler</h1><table><tr><th>Navn</th><th>Lagringstid</th></tr>"
        "<tr><td>_ga</td><td>Lagres i 2 år</td></tr></table>", encoding="utf-8")
    t = build_quietly(tmp_path)
    assert t.retention.days.tolist() == [730]
    assert t.clauses.loc[t.clauses.kind == "table_row", "text"].tolist() == ["Navn | Lagringstid", "_ga | Lagres i 2 år"]


def test_the_lead_paragraph_of_an_html_page_is_not_a_heading(tmp_path):
    (tmp_path / "l.html").write_text(
        "<h1>Personvern</h1><p>Sist oppdatert 1. mars 2024</p><h2>Innsyn</h2><p>Du kan kreve innsyn.</p>", encoding="utf-8")
    t = build_quietly(tmp_path)
    assert t.clauses.kind.tolist() == ["heading", "paragraph", "heading", "paragraph"]
    assert t.problems.empty  # no warning for a good HTML file


@pytest.mark.parametrize("suffix, module", [(".pdf", "pypdf"), (".docx", "docx")])
def test_a_missing_formats_extra_gets_a_clear_problem(tmp_path, monkeypatch, suffix, module):
    import sys

    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    (tmp_path / f"a{suffix}").write_bytes(b"%PDF-1.4" if suffix == ".pdf" else b"PK\x03\x04")
    (tmp_path / "b.txt").write_text("Vi lagrer navn i to år.", encoding="utf-8")
    t = build_quietly(tmp_path)
    assert t.documents.doc_id.tolist() == ["b"]
    assert "pip install 'policylab[formats]'" in t.problems.set_index("file").loc[f"a{suffix}", "problem"]


def test_pages_without_blocks_still_number_the_clauses():
    from policylab.readers import Reading

    text = "Innsyn\n\nDu kan kreve innsyn i opplysningene.\n\nSletting\n\nDu kan kreve sletting av opplysningene."
    reading = Reading(text, "pdf", pages=((0, 44), (46, len(text))), format="pdf")
    clauses = policylab.segment_document("p", text, reading)
    assert clauses.page.tolist() == [1, 1, 2, 2]
    assert clauses.kind.tolist() == ["heading", "paragraph", "heading", "paragraph"]

"""User-supplied strings in figures and tables (#13 item 9, #15 small defects)."""

from __future__ import annotations

import io
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest

import policylab
from policylab import plots
from policylab.report import write_report

MATH = "$\\foo$"


@pytest.fixture(scope="module")
def hostile_tables(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for name in ("balcoo", "motkraft", "digdir"):
        shutil.copy(policylab.BUNDLED_CORPUS / f"{name}.txt", folder / f"{name}.txt")
    shutil.copy(policylab.BUNDLED_CORPUS / "klarlinje.txt", folder / f"x{MATH}.txt")
    (folder / "metadata.csv").write_text(
        "doc_id,file,company,nace_section,sector,language\n"
        f"balcoo,balcoo.txt,{MATH} AS,J,IT,nb\n"
        f"motkraft,motkraft.txt,Mot $\\alpha$ AS,D,{MATH},nb\n"
        "digdir,digdir.txt,Digdir,O,offentlig,$x$\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", policylab.PolicylabWarning)
        return policylab.build(folder, progress=False)


def test_report_renders_with_mathtext_in_company_file_sector_and_language(hostile_tables, tmp_path):
    assert f"x{MATH}" in hostile_tables.documents.doc_id.tolist()  # a notice without metadata, named by its file
    path = write_report(hostile_tables, tmp_path / "report")
    html = path.read_text(encoding="utf-8")
    assert f"{MATH} AS" in html and "Mot $\\alpha$ AS" in html
    figures = sorted(p.name for p in (tmp_path / "report" / "figures").iterdir())
    assert "coverage_heatmap.png" in figures and "retention_days.png" in figures


def _texts(fig):
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_text()]


def test_each_figure_draws_user_strings_literally(hostile_tables):
    t = hostile_tables
    sections = policylab.readability(t, level="section")
    figures = [
        plots.coverage_heatmap(t.coverage, t.documents),
        plots.sector_benchmark(t.coverage, t.readability, t.documents),
        plots.lix_vs_length(t.readability, documents=t.documents),
        plots.lix_by_section(sections, f"x{MATH}"),
        plots.lix_by_section(sections, "no such notice $\\bar$"),
        plots.retention_days(t.retention, t.documents),
        plots.legal_basis_shares(t.labels, t.clauses, documents=t.documents),
    ]
    for fig in figures:
        fig.savefig(io.BytesIO(), format="png")  # raised ValueError (mathtext) before
        user = [x for x in _texts(fig) if "\\foo" in x.get_text() or "\\alpha" in x.get_text() or "\\bar" in x.get_text()]
        assert all(not x.get_parse_math() for x in user)
    assert any("\\foo" in x.get_text() for fig in figures for x in _texts(fig))


def test_numeric_log_axis_keeps_its_mathtext_ticks():
    readability = pd.DataFrame({"doc_id": ["a", "b"], "words": [300, 12000], "lix": [38.0, 52.5]})
    fig = plots.lix_vs_length(readability)
    fig.savefig(io.BytesIO(), format="png")
    ticks = [t for t in fig.axes[0].xaxis.get_ticklabels() if "mathdefault" in t.get_text()]
    assert ticks and all(t.get_parse_math() for t in ticks)


def test_notice_without_metadata_row_has_empty_company_not_nan(hostile_tables, tmp_path):
    docs = hostile_tables.documents.set_index("doc_id")
    assert docs.loc[f"x{MATH}", "company"] == "" and docs.loc[f"x{MATH}", "sector"] == ""
    assert not docs.drop(columns=["n_chars", "n_words"]).isna().any().any()
    hostile_tables.write(tmp_path / "out", format="csv")
    raw = (tmp_path / "out" / "documents.csv").read_text(encoding="utf-8")
    assert ",nan," not in raw.lower()
    # The figures name such a notice by its doc_id.
    fig = plots.coverage_heatmap(hostile_tables.coverage, hostile_tables.documents)
    assert any(t.get_text().startswith(f"x{MATH}") for t in fig.axes[0].get_yticklabels())


def test_flesch_says_why_it_is_missing(tables):
    r = tables.readability
    assert r.loc[r.language != "en", "flesch_reading_ease"].isna().all()
    notes = r.loc[r.language != "en", "flesch_note"]
    assert len(notes) and notes.str.contains("fitted to English").all()
    assert (r.loc[r.language == "en", "flesch_note"] == "").all()
    assert not np.isnan(r.loc[r.language == "en", "flesch_reading_ease"]).any()

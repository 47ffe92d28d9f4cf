"""Figures draw what the tables hold: one row, bar or point per notice or period.

Small frames with exactly the columns of tables.md pin down what each figure
draws; the bundled corpus checks the same counts on real tables; hypothesis
checks the counts on random tables.
"""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from policylab import plots
from policylab.coverage import coverage_score
from policylab.readability import readability

ITEMS = [("controller_identity", "13(1)(a)"), ("retention_period", "13(2)(a)"), ("data_source", "14(2)(f)")]


# ---------------------------------------------------------------- small frames


def coverage_frame(rows):
    """rows: (doc_id, item, covered, required) -> a coverage table."""
    article = dict(ITEMS)
    frame = pd.DataFrame(rows, columns=["doc_id", "item", "covered", "required"])
    frame["article"] = frame["item"].map(article)
    frame["evidence"] = [[f"{d}:0001"] if c else [] for d, c in zip(frame["doc_id"], frame["covered"])]
    frame["n_evidence"] = frame["evidence"].map(len)
    return frame[["doc_id", "item", "article", "covered", "evidence", "n_evidence", "required"]]


@pytest.fixture
def small():
    documents = pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "company": ["Alfa AS", "Beta AS", "Gamma kommune"],
        "sector": ["Retail", "Retail", "Municipality"],
        "nace_section": ["G", "G", "O"],
        "language": ["nb", "nn", "nb"],
    })
    coverage = coverage_frame([
        ("a", "controller_identity", True, True), ("a", "retention_period", False, True),
        ("a", "data_source", False, False),
        ("b", "controller_identity", True, True), ("b", "retention_period", True, True),
        ("b", "data_source", True, False),
        ("c", "controller_identity", False, True), ("c", "retention_period", False, True),
        ("c", "data_source", False, False),
    ])
    readability_table = pd.DataFrame({"doc_id": ["a", "b", "c"], "words": [250, 1800, 600],
                                      "sentences": [20, 90, 40], "long_words": [60, 700, 150],
                                      "lix": [36.5, 58.9, 40.0]})
    retention = pd.DataFrame({
        "clause_id": ["a:0003", "a:0004", "a:0004", "b:0007", "b:0008", "b:0009"],
        "doc_id": ["a", "a", "a", "b", "b", "b"],
        "start": [10, 40, 60, 100, 150, 190], "end": [16, 50, 70, 110, 160, 200],
        "raw": ["to år", "tre måneder", "så lenge kundeforholdet består", "inntil 5 år", "så lenge nødvendig",
                "mellom ett og to år"],
        "kind": ["duration", "duration", "event", "duration", "unspecified", "duration"],
        "days": [730.0, 90.0, np.nan, 1825.0, np.nan, 730.0],
        "days_min": [np.nan, np.nan, np.nan, np.nan, np.nan, 365.0],
        "qualifier": ["exact", "approx", None, "max", None, "exact"],
        "subject": "",
    })
    clauses = pd.DataFrame({
        "clause_id": ["a:0001", "a:0002", "a:0003", "a:0004", "b:0001", "b:0002", "c:0001", "c:0002"],
        "doc_id": ["a"] * 4 + ["b"] * 2 + ["c"] * 2,
        "kind": ["heading", "paragraph", "paragraph", "boilerplate", "paragraph", "paragraph", "heading", "paragraph"],
        "text": ["Personvern", "Vi behandler ... basert på samtykke.", "Avtalen ...", "Les mer",
                 "Berettiget interesse ...", "Regnskapsloven ...", "Personvern", "Kontakt oss"],
    })
    labels = pd.DataFrame({
        "clause_id": ["a:0002", "a:0003", "b:0001", "b:0002", "b:0002", "a:0002"],
        "doc_id": ["a", "a", "b", "b", "b", "a"],
        "dimension": ["legal_basis", "legal_basis", "legal_basis", "legal_basis", "topic", "topic"],
        "label": ["consent", "contract", "legitimate_interests", "legal_obligation", "retention", "purpose"],
        "score": 1.0, "cue": ["samtykke", "avtalen", "berettiget interesse", "regnskapsloven", "lagres", "formål"],
        "source": "rule",
    })
    clusters = pd.DataFrame({
        "clause_id": ["a:0002", "a:0003", "b:0001", "b:0002", "c:0002", "c:0001"],
        "doc_id": ["a", "a", "b", "b", "c", "c"],
        "cluster": [0, 1, 0, 1, 2, -1],
        "cluster_label": ["samtykke", "avtale", "samtykke", "avtale", "kontakt", "(singletons)"],
        "x": [0.0, 1.0, 0.1, 1.1, -1.0, 2.0], "y": [0.0, 1.0, 0.1, 0.9, 0.5, -1.0],
    })
    pairs = pd.DataFrame({"clause_a": ["a:0002", "a:0003"], "clause_b": ["b:0001", "b:0002"],
                          "doc_a": ["a", "a"], "doc_b": ["b", "b"], "similarity": [0.95, 0.85]})
    return dict(documents=documents, coverage=coverage, readability=readability_table, retention=retention,
                clauses=clauses, labels=labels, clusters=clusters, pairs=pairs)


def ytick_texts(ax):
    return [t.get_text() for t in ax.get_yticklabels()]


def n_points(ax):
    """Points drawn by scatter (PathCollections), not lines or bars."""
    from matplotlib.collections import PathCollection

    return sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))


# ---------------------------------------------------------------- coverage heatmap


def test_heatmap_rows_are_notices_grouped_by_sector_and_ordered_by_score(small):
    fig = plots.coverage_heatmap(small["coverage"], small["documents"])
    ax = fig.axes[0]
    assert isinstance(fig, Figure)
    # G (Beta 100%, Alfa 50%) comes before O (Gamma 0%); within G the higher score first.
    assert ytick_texts(ax) == ["Beta AS (100%)", "Alfa AS (50%)", "Gamma kommune (0%)"]
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"{i} ({a})" for i, a in ITEMS]
    assert "item" in ax.get_xlabel() and "notice" in ax.get_ylabel()
    # One cross per required item not covered: a:retention, c:controller, c:retention.
    assert n_points(ax) == 3
    matrix = ax.images[0].get_array()
    assert matrix.shape == (3, 3)
    # Beta's data_source is covered although not required: drawn as covered (2);
    # Alfa's is neither: greyed (0).
    assert matrix[0, 2] == 2 and matrix[1, 2] == 0
    sector_axis = [a for a in ax.child_axes] or fig.axes
    assert any("O Public administration" in t.get_text() for a in sector_axis for t in a.get_yticklabels())


def test_heatmap_on_bundled_corpus(tables):
    fig = plots.coverage_heatmap(tables.coverage, tables.documents)
    ax = fig.axes[0]
    assert len(ax.get_yticks()) == len(tables.documents) == 21
    assert len(ax.get_xticks()) == tables.coverage["item"].nunique()
    missing = (~tables.coverage["covered"].astype(bool) & tables.coverage["required"].astype(bool)).sum()
    assert n_points(ax) == missing
    # Row labels carry the notice's own coverage score.
    scores = coverage_score(tables.coverage).set_index("doc_id")["coverage_score"]
    motkraft = next(t for t in ytick_texts(ax) if t.startswith("Motkraft AS"))
    assert motkraft == f"Motkraft AS ({scores['motkraft']:.0%})"


# ---------------------------------------------------------------- sector benchmark


def test_sector_benchmark_shows_every_notice_in_both_panels(small):
    fig = plots.sector_benchmark(small["coverage"], small["readability"], small["documents"])
    ax_cov, ax_lix = fig.axes[:2]
    assert n_points(ax_cov) == n_points(ax_lix) == 3
    assert ytick_texts(ax_cov) == ["G Wholesale, retail (n=2: too few for a median)",
                                   "O Public administration (n=1: too few for a median)"]
    assert ax_cov.get_xlabel() == "coverage score (% of required items)"
    assert ax_lix.get_xlabel() == "LIX (readability index)"
    covered = sorted(x for c in ax_cov.collections for x, _ in c.get_offsets())
    assert covered == [0.0, 50.0, 100.0]


def medians(ax):
    """The sector-median bars: two-point lines of width 2.2."""
    return [line for line in ax.get_lines() if line.get_linewidth() == 2.2]


def test_sector_benchmark_draws_no_median_below_three_notices(small):
    docs = small["documents"].assign(nace_section=["G", "G", "G"])
    fig = plots.sector_benchmark(small["coverage"], small["readability"], docs)
    assert len(medians(fig.axes[0])) == 1
    assert ytick_texts(fig.axes[0]) == ["G Wholesale, retail (n=3)"]
    fig = plots.sector_benchmark(small["coverage"], small["readability"], small["documents"])
    assert medians(fig.axes[0]) == [] and medians(fig.axes[1]) == []
    assert "n = 3 notices" in fig.get_suptitle()


def test_sector_benchmark_on_bundled_corpus(tables):
    fig = plots.sector_benchmark(tables.coverage, tables.readability, tables.documents)
    ax_cov, ax_lix = fig.axes[:2]
    assert n_points(ax_cov) == n_points(ax_lix) == 21
    assert len(ax_cov.get_yticks()) == tables.documents["nace_section"].nunique()


# ---------------------------------------------------------------- readability


def test_lix_vs_length_one_point_per_notice_on_log_words(small):
    fig = plots.lix_vs_length(small["readability"], documents=small["documents"])
    ax = fig.axes[0]
    assert n_points(ax) == 3
    assert ax.get_xscale() == "log"
    assert ax.get_xlabel() == "length of the notice (words, log scale)"
    assert sorted(t.get_text() for t in ax.texts if t.get_text() in {"Alfa AS", "Beta AS", "Gamma kommune"}) == [
        "Alfa AS", "Beta AS", "Gamma kommune"]
    # The LIX bands are shaded: 36.5-58.9 spans "easy", "medium" and "difficult".
    band_names = {t.get_text() for t in ax.texts} & {"easy", "medium", "difficult"}
    assert band_names == {"easy", "medium", "difficult"}


def test_lix_vs_length_on_bundled_corpus(tables):
    ax = plots.lix_vs_length(tables.readability, documents=tables.documents).axes[0]
    assert n_points(ax) == 21
    offsets = np.concatenate([c.get_offsets() for c in ax.collections])
    expected = tables.readability[["words", "lix"]].to_numpy(float)
    assert sorted(map(tuple, offsets.round(6))) == sorted(map(tuple, expected.round(6)))


def test_lix_by_section_one_bar_per_section_in_document_order(tables):
    sections = readability(tables, level="section")
    mine = sections[sections["doc_id"] == "motkraft"].dropna(subset=["lix"])
    ax = plots.lix_by_section(sections, "motkraft").axes[0]
    bars = ax.containers[0]
    assert len(bars) == len(mine) > 5
    assert [round(p.get_width(), 6) for p in bars] == [round(v, 6) for v in mine["lix"]]
    hatched = sum(bool(p.get_hatch()) for p in bars)
    assert hatched == (mine["words"] < 20).sum()
    assert ax.get_xlabel() == "LIX (readability index)"


# ---------------------------------------------------------------- retention


def test_retention_days_one_marker_per_duration_and_row_per_notice(small):
    fig = plots.retention_days(small["retention"], small["documents"])
    ax, ax_n = fig.axes[:2]
    assert ax.get_xscale() == "log"
    assert "days" in ax.get_xlabel()
    assert n_points(ax) == 4
    # Rows: every notice, the one with the longer median period on top; Gamma states none.
    assert ytick_texts(ax) == ["Beta AS", "Alfa AS", "Gamma kommune"]
    assert any(t.get_text() == "no length stated" for t in ax.texts)
    marks = [t.get_text() for t in ax.get_xticklabels()]
    assert marks == ["1 day", "1 week", "1 month", "6 months", "1 year", "5 years", "10 years"]
    assert "n = 4 periods with a length, 2 without, in 3 notices" in ax.get_title()
    # The range "between one and two years" is a line from 365 to 730 days.
    line_x = sorted(x for c in ax.collections if type(c).__name__ == "LineCollection"
                    for seg in c.get_segments() for x, _ in seg)
    assert line_x == [365.0, 730.0]
    # Right panel: event-bound and unspecified counts per notice, in the same row order.
    event, unspecified = ax_n.containers
    assert [b.get_width() for b in event] == [0, 1, 0]
    assert [b.get_width() for b in unspecified] == [1, 0, 0]


def test_retention_axis_of_a_cookie_in_minutes_keeps_years_apart(small):
    """A cookie kept 30 minutes: the axis gains minute and hour ticks; a year and two years stay apart."""
    cookie = pd.DataFrame({"clause_id": ["c:0002"], "doc_id": ["c"], "start": [0], "end": [10],
                           "raw": ["30 minutter"], "kind": ["duration"], "days": [30 / 1440], "days_min": [np.nan],
                           "qualifier": ["exact"], "subject": ""})
    fig = plots.retention_days(pd.concat([small["retention"], cookie]), small["documents"])
    ax = fig.axes[0]
    marks = [t.get_text() for t in ax.get_xticklabels()]
    assert marks[:2] == ["1 hour", "1 day"] and marks[-1] == "10 years"
    lo, hi = ax.get_xlim()
    width = ax.bbox.width
    # On a log axis one year and two years lie a fixed share of the axis apart however short the cookie.
    share = np.log(730 / 365) / np.log(hi / lo)
    assert share * width > 20


def test_retention_by_sector_past_max_rows(small):
    fig = plots.retention_days(small["retention"], small["documents"], max_rows=2)
    ax = fig.axes[0]
    assert ytick_texts(ax) == ["G Wholesale, retail (n=2): too few", "O Public administration (n=1): too few"]
    assert "one row per sector (more than 2 notices)" in ax.get_title()
    assert n_points(ax) == 4


def test_retention_days_on_bundled_corpus(tables):
    fig = plots.retention_days(tables.retention, tables.documents)
    ax = fig.axes[0]
    durations = tables.retention[(tables.retention["kind"] == "duration") & (tables.retention["days"] > 0)]
    assert len(durations) > 10
    assert n_points(ax) == len(durations)
    assert len(ax.get_yticks()) == 21
    days = sorted(x for c in ax.collections if type(c).__name__ == "PathCollection" for x, _ in c.get_offsets())
    assert days == sorted(durations["days"].astype(float))


# ---------------------------------------------------------------- legal bases


def test_legal_basis_shares_stacks_one_bar_per_notice(small):
    fig = plots.legal_basis_shares(small["labels"], small["clauses"], documents=small["documents"])
    ax = fig.axes[0]
    assert [c.get_label() for c in ax.containers] == ["consent", "contract", "legal_obligation",
                                                      "legitimate_interests"]
    assert all(len(c) == 3 for c in ax.containers)
    # a: 3 non-boilerplate clauses, one consent and one contract -> 33.3% each;
    # b: 2 clauses, one legal obligation and one legitimate interests -> 50% each; c: none.
    assert ytick_texts(ax) == ["Beta AS", "Alfa AS", "Gamma kommune"]
    widths = {c.get_label(): [round(b.get_width(), 1) for b in c] for c in ax.containers}
    assert widths == {"consent": [0, 33.3, 0], "contract": [0, 33.3, 0], "legal_obligation": [50, 0, 0],
                      "legitimate_interests": [50, 0, 0]}
    assert any(t.get_text() == "no legal basis stated" for t in ax.texts)
    normalised = plots.legal_basis_shares(small["labels"], small["clauses"], share_of="labels").axes[0]
    totals = np.sum([[b.get_width() for b in c] for c in normalised.containers], axis=0)
    assert sorted(totals.round(6)) == [0, 100, 100]
    with pytest.raises(ValueError):
        plots.legal_basis_shares(small["labels"], small["clauses"], share_of="words")


def test_legal_basis_shares_on_bundled_corpus(tables):
    ax = plots.legal_basis_shares(tables.labels, tables.clauses, documents=tables.documents).axes[0]
    assert len(ax.get_yticks()) == 21
    assert all(len(c) == 21 for c in ax.containers)
    bases = tables.labels[tables.labels["dimension"] == "legal_basis"]
    assert {c.get_label() for c in ax.containers} == set(bases["label"].astype(str))


# ---------------------------------------------------------------- clause map


def test_clause_map_draws_every_clause_and_joins_pairs(small):
    fig = plots.clause_map(small["clusters"], highlight=small["pairs"])
    ax = fig.axes[0]
    lines = [c for c in ax.collections if type(c).__name__ == "LineCollection"]
    assert len(lines) == 1 and len(lines[0].get_segments()) == 2
    # Every clause once, plus a ring around each of the 4 clauses in a pair.
    assert n_points(ax) == 6 + 4
    by_doc = plots.clause_map(small["clusters"], color_by="doc_id").axes[0]
    assert n_points(by_doc) == 6
    assert "map dimension 1" in ax.get_xlabel()
    with pytest.raises(ValueError):
        plots.clause_map(small["clusters"], color_by="topic")


def test_clause_map_on_bundled_corpus(tables):
    from policylab.cluster import cluster_clauses, near_duplicates

    clusters = cluster_clauses(tables.clauses, random_state=0, progress=False)
    pairs = near_duplicates(tables.clauses, progress=False)
    ax = plots.clause_map(clusters, highlight=pairs).axes[0]
    ringed = len(pd.unique(pd.concat([pairs["clause_a"], pairs["clause_b"]])))
    assert n_points(ax) == len(clusters) + ringed
    lines = [c for c in ax.collections if type(c).__name__ == "LineCollection"]
    assert len(lines[0].get_segments()) == len(pairs) > 0


# ---------------------------------------------------------------- empty input


EMPTY_CALLS = {
    "coverage_heatmap": lambda e: plots.coverage_heatmap(e, e),
    "sector_benchmark": lambda e: plots.sector_benchmark(e, e, e),
    "lix_vs_length": lambda e: plots.lix_vs_length(e),
    "lix_by_section": lambda e: plots.lix_by_section(e, "a"),
    "retention_days": lambda e: plots.retention_days(e, e),
    "legal_basis_shares": lambda e: plots.legal_basis_shares(e, e),
    "clause_map": lambda e: plots.clause_map(e, highlight=e),
}


@pytest.mark.parametrize("name", sorted(EMPTY_CALLS))
@pytest.mark.parametrize("empty", [pd.DataFrame(), None], ids=["no-columns", "none"])
def test_empty_tables_give_an_empty_axes_with_a_note(name, empty):
    fig = EMPTY_CALLS[name](empty)
    assert isinstance(fig, Figure)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any(t.startswith("no ") for t in texts), texts
    fig.savefig(__import__("io").BytesIO(), format="png")


def test_empty_tables_with_the_right_columns(small):
    for name, frame in small.items():
        empty = frame.iloc[0:0]
        small[name] = empty
    fig = plots.retention_days(small["retention"], small["documents"])
    assert any(t.get_text() == "no retention table" for a in fig.axes for t in a.texts)
    assert isinstance(plots.coverage_heatmap(small["coverage"], small["documents"]), Figure)
    assert isinstance(plots.lix_vs_length(small["readability"]), Figure)


def test_a_notice_without_readable_words_is_left_out():
    frame = pd.DataFrame({"doc_id": ["a", "b"], "words": [0, 300], "lix": [np.nan, 41.0]})
    assert n_points(plots.lix_vs_length(frame).axes[0]) == 1


# ---------------------------------------------------------------- properties


@st.composite
def coverage_tables(draw):
    n_docs = draw(st.integers(1, 6))
    rows = []
    for d in range(n_docs):
        for item, _ in ITEMS:
            rows.append((f"d{d}", item, draw(st.booleans()), draw(st.booleans())))
    return coverage_frame(rows)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coverage_tables())
def test_heatmap_draws_one_row_per_notice_and_one_cross_per_gap(coverage):
    ax = plots.coverage_heatmap(coverage).axes[0]
    assert len(ax.get_yticks()) == coverage["doc_id"].nunique()
    assert n_points(ax) == (~coverage["covered"] & coverage["required"]).sum()


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(1 / 1440, 36500)), min_size=0, max_size=12),
       st.integers(1, 4))
def test_retention_draws_one_marker_per_positive_duration(days, n_docs):
    retention = pd.DataFrame({
        "clause_id": [f"d{i % n_docs}:{i:04d}" for i in range(len(days))],
        "doc_id": [f"d{i % n_docs}" for i in range(len(days))],
        "kind": ["duration" if d is not None else "event" for d in days],
        "days": [np.nan if d is None else d for d in days],
        "qualifier": "exact",
    })
    documents = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n_docs)]})
    ax = plots.retention_days(retention, documents).axes[0]
    assert n_points(ax) == sum(d is not None for d in days)
    assert len(ax.get_yticks()) == n_docs

"""Figures draw what the tables hold: one row, bar or point per notice or period.

Small frames with exactly the columns of tables.md pin down what each figure
draws; the bundled corpus checks the same counts on real tables; hypothesis
checks the counts on random tables.
"""

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.text
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
    return {"documents": documents, "coverage": coverage, "readability": readability_table, "retention": retention,
                "clauses": clauses, "labels": labels, "clusters": clusters, "pairs": pairs}


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


# ---------------------------------------------------------------- readable at 10 and at 1,000 notices


def many_notices(n, seed=0):
    """Tables of ``n`` notices spread over eight sectors (one of them with two notices only)."""
    rng = np.random.default_rng(seed)
    doc_ids = [f"n{i:04d}" for i in range(n)]
    sections = np.array(list("CGJKLMQ"))[rng.integers(0, 7, n)]
    sections[:2] = "S"
    sections[2:] = np.where(sections[2:] == "S", "C", sections[2:])
    documents = pd.DataFrame({"doc_id": doc_ids, "company": [f"Selskap nummer {i} AS" for i in range(n)],
                              "nace_section": sections, "sector": "", "language": rng.choice(["nb", "nn"], n)})
    items = [item for item, _ in ITEMS]
    coverage = coverage_frame([(d, item, bool(rng.random() < 0.7), True) for d in doc_ids for item in items])
    readability_table = pd.DataFrame({"doc_id": doc_ids, "words": rng.integers(200, 3000, n),
                                      "lix": rng.normal(47, 6, n)})
    k = rng.integers(0, 4, n)
    retention = pd.DataFrame({
        "clause_id": [f"{d}:{j:04d}" for d, m in zip(doc_ids, k) for j in range(m)],
        "doc_id": [d for d, m in zip(doc_ids, k) for _ in range(m)],
    })
    retention["kind"] = "duration"
    retention["days"] = np.exp(rng.uniform(np.log(1 / 1440), np.log(3650), len(retention)))
    retention["qualifier"] = "exact"
    clauses = pd.DataFrame({"clause_id": [f"{d}:{j:04d}" for d in doc_ids for j in range(10)],
                            "doc_id": [d for d in doc_ids for _ in range(10)], "kind": "paragraph"})
    labels = clauses.sample(frac=0.2, random_state=seed).assign(
        dimension="legal_basis", label=lambda f: rng.choice(["consent", "contract", "legal_obligation"], len(f)))
    return {"documents": documents, "coverage": coverage, "readability": readability_table,
            "retention": retention, "clauses": clauses, "labels": labels}


def overlapping(fig, labels):
    """Pairs of non-empty text labels whose drawn boxes overlap."""
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in labels if t.get_text() and t.get_visible()]
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)
            and min(a.x1, b.x1) - max(a.x0, b.x0) > 1 and min(a.y1, b.y1) - max(a.y0, b.y0) > 1]


@pytest.mark.parametrize("n", [10, 1000])
def test_figures_stay_readable_at_10_and_1000_notices(n):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    t = many_notices(n)
    figures = {
        "heatmap": plots.coverage_heatmap(t["coverage"], t["documents"]),
        "by_sector": plots.coverage_by_sector(t["coverage"], t["documents"]),
        "benchmark": plots.sector_benchmark(t["coverage"], t["readability"], t["documents"]),
        "lix": plots.lix_vs_length(t["readability"], documents=t["documents"]),
        "retention": plots.retention_days(t["retention"], t["documents"]),
        "bases": plots.legal_basis_shares(t["labels"], t["clauses"], documents=t["documents"]),
        "overview": plots.legal_basis_overview(t["labels"], t["clauses"]),
    }
    for name, fig in figures.items():
        FigureCanvasAgg(fig)
        fig.draw_without_rendering()
        _, height = fig.get_size_inches()
        assert height <= 30, (name, height)  # a page or two, not 6,000 pixels
        for ax in fig.axes:
            assert overlapping(fig, ax.get_yticklabels()) == [], (name, n)
            assert len(ax.get_yticklabels()) <= 60, name
        # Each figure states its n in a title.
        titles = [fig.get_suptitle()] + [ax.get_title() for ax in fig.axes]
        assert any(re.search(r"\bn = \d", title) for title in titles), (name, titles)
    if n == 1000:
        assert "one row per sector" in figures["heatmap"].axes[0].get_title()
        assert "one row per sector" in figures["retention"].axes[0].get_title()
        assert "first 60 of 1000 notices shown" in figures["bases"].axes[0].get_title()
        assert "points not named" in figures["lix"].axes[0].get_title()


def test_bars_start_at_zero(tables):
    sections = readability(tables, level="section")
    hardest = tables.readability.sort_values("lix")["doc_id"].iloc[-1]
    assert plots.lix_by_section(sections, hardest).axes[0].get_xlim()[0] == 0
    overview = plots.legal_basis_overview(tables.labels, tables.clauses)
    assert [ax.get_xlim()[0] for ax in overview.axes] == [0, 0]
    lineage = pd.DataFrame({"doc_id": ["a", "b"], "family": [0, 0], "borrowed_share": [0.4, 0.2]})
    assert plots.borrowed_share(lineage).axes[0].get_xlim() == (0, 100)


def test_legal_basis_per_notice_and_per_clause_are_labelled_which(small):
    fig = plots.legal_basis_overview(small["labels"], small["clauses"])
    per_notice, per_clause = fig.axes[:2]
    assert per_notice.get_title() == "per notice, n = 3 notices"
    assert per_clause.get_title() == "per clause, n = 7 clauses"  # boilerplate left out
    consent = {t.get_text(): b.get_width() for t, b in zip(per_notice.get_yticklabels(), per_notice.containers[0])}
    # Two of three notices state a basis at all; consent is stated by one of them.
    assert round(consent["consent"], 1) == 33.3
    assert "% of each notice's clauses" in plots.legal_basis_shares(small["labels"], small["clauses"]).axes[0].get_title()


def test_one_colour_and_hatch_per_basis_across_figures(small):
    from matplotlib.colors import to_hex

    from policylab.style import style_of

    stacked = plots.legal_basis_shares(small["labels"], small["clauses"], documents=small["documents"]).axes[0]
    overview = plots.legal_basis_overview(small["labels"], small["clauses"]).axes[0]
    seen = {}
    for container in stacked.containers:
        seen[container.get_label()] = {(to_hex(b.get_facecolor()), b.get_hatch()) for b in container}
    for label, bar in zip([t.get_text() for t in overview.get_yticklabels()], overview.containers[0]):
        if label in seen:
            assert seen[label] == {(to_hex(bar.get_facecolor()), bar.get_hatch())}, label
        style = style_of(label)
        assert (to_hex(bar.get_facecolor()), bar.get_hatch()) == (to_hex(style.colour), style.hatch)
    assert len(seen) == 4
    assert len({v.pop() for v in seen.values()}) == 4  # four bases, four looks


def test_clause_map_names_clusters_by_their_top_terms(small):
    fig = plots.clause_map(small["clusters"])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "0: samtykke" in texts and "1: avtale" in texts
    assert "n = 6 clauses of 3 notices" in fig.axes[0].get_title()
    bars = plots.cluster_bars(small["clusters"]).axes[0]
    assert [t.get_text() for t in bars.get_yticklabels()] == ["0: samtykke", "1: avtale", "2: kontakt"]
    assert [b.get_width() for b in bars.containers[0]] == [2, 2, 1]


def test_new_figures_draw_user_strings_literally():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    math = "$\\foo{x}$ & Co"
    lineage = pd.DataFrame({"doc_id": [math, "b"], "family": [0, 0], "borrowed_share": [0.4, 0.2]})
    clusters = pd.DataFrame({"clause_id": ["a:1", "b:1"], "doc_id": ["a", "b"], "cluster": [0, 0],
                             "cluster_label": [math, math], "x": [0.0, 1.0], "y": [0.0, 1.0]})
    documents = pd.DataFrame({"doc_id": ["a", "b"], "nace_section": ["J", "J"], "sector": [math, math]})
    coverage = coverage_frame([("a", "controller_identity", True, True), ("b", "controller_identity", False, True)])
    for fig in (plots.borrowed_share(lineage), plots.cluster_bars(clusters), plots.clause_map(clusters),
                plots.coverage_by_sector(coverage, documents.assign(nace_section=None))):
        FigureCanvasAgg(fig)
        fig.draw_without_rendering()  # raises on invalid mathtext
        assert any(math in t.get_text() for t in fig.findobj(matplotlib.text.Text)), fig.axes[0].get_title()

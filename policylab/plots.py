"""Figures of a corpus: one function per figure, each returning a matplotlib Figure.

Every function takes the tidy tables of :func:`policylab.build` (or any frames
with the same columns) and returns a :class:`matplotlib.figure.Figure` without
showing it, so the same figure serves a notebook, a script and the HTML report.
Figures are built on :class:`~matplotlib.figure.Figure` directly rather than
through ``pyplot``: no global state, nothing left open when a loop draws a
thousand of them.

All figures read in black and white: categories differ by marker, hatch and grey
level, never by colour alone. A table that is empty (or lacks the needed
columns) gives an empty axes with a note instead of an error.

Examples
--------
>>> import pandas as pd
>>> readability = pd.DataFrame({"doc_id": ["a", "b"], "words": [300, 1200], "lix": [38.0, 52.5]})
>>> fig = lix_vs_length(readability)
>>> fig.axes[0].get_ylabel()
'LIX (readability index)'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

__all__ = [
    "DAY_MARKS",
    "NACE_SECTIONS",
    "clause_map",
    "coverage_heatmap",
    "legal_basis_shares",
    "lix_by_section",
    "lix_vs_length",
    "retention_days",
    "sector_benchmark",
]

#: Reference lines of the retention axis, in days (taxonomy.md: month = 30, year = 365).
DAY_MARKS: dict[str, float] = {"1 day": 1, "1 week": 7, "1 month": 30, "1 year": 365, "10 years": 3650}

#: Short names of the NACE Rev. 2 sections, used to name sector groups.
NACE_SECTIONS: dict[str, str] = {
    "A": "Agriculture, forestry, fishing",
    "B": "Mining",
    "C": "Manufacturing",
    "D": "Electricity, gas",
    "E": "Water, waste",
    "F": "Construction",
    "G": "Wholesale, retail",
    "H": "Transport",
    "I": "Accommodation, food",
    "J": "Information, communication",
    "K": "Finance, insurance",
    "L": "Real estate",
    "M": "Professional services",
    "N": "Administrative services",
    "O": "Public administration",
    "P": "Education",
    "Q": "Health, social work",
    "R": "Arts, recreation",
    "S": "Other services",
    "T": "Households",
    "U": "Extraterritorial bodies",
}

# Black-and-white encodings: markers and (face grey, hatch) pairs that stay
# distinguishable on a laser printer.
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">", "h", "p")
_GREYS = ("black", "0.55", "white")
_FILLS = (("0.15", ""), ("white", "///"), ("0.6", ""), ("white", "..."), ("0.85", "xx"), ("white", "\\\\\\"))
_LANGUAGE_MARKERS = {"nb": "o", "nn": "s", "en": "^"}
_QUALIFIER_MARKERS = {  # marker, face colour, legend text
    "exact": ("o", "black", "exact"),
    "approx": ("o", "white", "approximate (ca., normalt)"),
    "max": ("<", "0.6", "at most (inntil, maksimalt)"),
    "min": (">", "0.6", "at least (minst)"),
}
_MAX_LABEL = 32


# ---------------------------------------------------------------- helpers


def _literal_text(make):
    """Decorator: every text of the returned figure is drawn literally, never as mathtext.

    Company names, file names, section headings and cluster terms are user
    input; matplotlib would read ``$\\foo$`` in them as (invalid) mathtext and
    fail when the figure is drawn. Tick labels of numeric axes keep their
    formatter's mathtext (log-axis powers of ten); tick labels that name
    notices or sections do not.
    """

    @functools.wraps(make)
    def wrapper(*args, **kwargs):
        from matplotlib.text import Text
        from matplotlib.ticker import LogFormatter, ScalarFormatter

        fig = make(*args, **kwargs)
        numeric: set[int] = set()
        for ax in fig.axes:
            for axis in ax._axis_map.values():
                # get_*_ticks() makes every tick now, as findobj below would.
                for ticks, formatter in ((axis.get_major_ticks(), axis.get_major_formatter()),
                                         (axis.get_minor_ticks(), axis.get_minor_formatter())):
                    if isinstance(formatter, (ScalarFormatter, LogFormatter)):
                        numeric.update(id(label) for tick in ticks for label in (tick.label1, tick.label2))
        for text in fig.findobj(Text):
            if id(text) not in numeric:
                text.set_parse_math(False)
        return fig

    return wrapper


def _lacks(frame: pd.DataFrame | None, columns: Iterable[str]) -> bool:
    """True where ``frame`` cannot be drawn: missing, empty, or without ``columns``."""
    return frame is None or frame.empty or not set(columns) <= set(frame.columns)


def _note(ax, text: str) -> None:
    """Say on an axes why it is empty."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="0.3", style="italic")


def _empty_figure(text: str, *, xlabel: str = "", ylabel: str = "", title: str = "") -> Figure:
    fig = Figure(figsize=(6, 3), layout="constrained")
    ax = fig.subplots()
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    _note(ax, text)
    return fig


def _shorten(text: str, limit: int = _MAX_LABEL) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _notice_labels(documents: pd.DataFrame | None, doc_ids: Iterable[str]) -> dict[str, str]:
    """A readable, unique label per notice: its company, else its doc_id."""
    doc_ids = list(doc_ids)
    company = {}
    if documents is not None and {"doc_id", "company"} <= set(documents.columns):
        company = documents.set_index("doc_id")["company"].dropna().astype(str).to_dict()
    labels = {d: _shorten(company.get(d) or d) for d in doc_ids}
    counts = pd.Series(list(labels.values())).value_counts()
    # Two notices of one company (or truncated alike) stay apart by their doc_id.
    return {d: (f"{label} [{d}]" if counts[label] > 1 else label) for d, label in labels.items()}


def _sector_groups(documents: pd.DataFrame | None, doc_ids: Iterable[str]) -> pd.Series:
    """The sector group of each notice: its NACE section with a short name, else its sector."""
    doc_ids = list(doc_ids)
    groups = pd.Series("unknown sector", index=pd.Index(doc_ids, name="doc_id"), dtype=object)
    if documents is None or "doc_id" not in documents.columns:
        return groups
    docs = documents.drop_duplicates("doc_id").set_index("doc_id")
    for doc_id in doc_ids:
        if doc_id not in docs.index:
            continue
        nace = str(docs.at[doc_id, "nace_section"]).strip() if "nace_section" in docs.columns else ""
        sector = str(docs.at[doc_id, "sector"]).strip() if "sector" in docs.columns else ""
        if nace and nace.lower() != "nan":
            groups[doc_id] = f"{nace} {NACE_SECTIONS.get(nace.upper(), '')}".strip()
        elif sector and sector.lower() != "nan":
            groups[doc_id] = _shorten(sector, 28)
    return groups


def _spread(n: int, width: float = 0.5) -> np.ndarray:
    """Offsets that place ``n`` points of one row side by side instead of on top of each other."""
    return np.zeros(1) if n <= 1 else np.linspace(-width / 2, width / 2, n)


def _lix_bands() -> list[tuple[float, float, str]]:
    """The LIX bands of :mod:`policylab.readability` as ``(low, high, name)``."""
    from .readability import LIX_BANDS

    return [(float(b.lower), float(b.upper), str(b.band)) for b in LIX_BANDS]


def _shade_bands(ax, *, axis: str, lo: float, hi: float) -> None:
    """Shade the LIX bands between ``lo`` and ``hi`` (alternating greys) and name them."""
    centres, names = [], []
    for i, (low, high, name) in enumerate(_lix_bands()):
        low, high = max(low, lo), min(high, hi)
        if high <= low:
            continue
        shade = "0.93" if i % 2 == 0 else "0.85"
        if axis == "y":
            ax.axhspan(low, high, color=shade, zorder=0, lw=0)
            ax.text(0.99, (low + high) / 2, name, transform=ax.get_yaxis_transform(), ha="right", va="center",
                    fontsize=7, color="0.25", zorder=1)
        else:
            ax.axvspan(low, high, color=shade, zorder=0, lw=0)
            centres.append((low + high) / 2)
            names.append(name)
    if axis == "x" and centres:
        # Band names as a top axis: the layout then makes room for them.
        top = ax.secondary_xaxis("top")
        top.set_xticks(centres, names, fontsize=6.5, rotation=30, ha="left", color="0.25")
        top.tick_params(length=0, pad=1)


def _label_points(ax, x: np.ndarray, y: np.ndarray, texts: list[str], *, fontsize: float = 6.5) -> None:
    """Write a label beside each point, trying four sides so that labels rarely overlap.

    Greedy and approximate (text size estimated from the font size, positions
    taken before the final layout), which is enough for a few dozen points.
    """
    scale = ax.figure.dpi / 72
    xy = ax.transData.transform(np.column_stack([x, y]))
    placed: list[tuple[float, float, float, float]] = []
    for (px, py), text in zip(xy, texts):
        width, height = 0.55 * fontsize * len(text) * scale, 1.2 * fontsize * scale
        for dx, dy, ha, va in ((4, 2, "left", "bottom"), (4, -2, "left", "top"), (-4, 2, "right", "bottom"),
                               (-4, -2, "right", "top")):
            x0 = px + dx * scale - (width if ha == "right" else 0)
            y0 = py + dy * scale - (height if va == "top" else 0)
            box = (x0, y0, x0 + width, y0 + height)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                break
        placed.append(box)
        ax.annotate(text, ax.transData.inverted().transform((px, py)), xytext=(dx, dy), textcoords="offset points",
                    ha=ha, va=va, fontsize=fontsize, color="0.15", zorder=4)


def _row_height(n: int, per_row: float = 0.28, base: float = 1.8, cap: float = 40.0) -> float:
    return min(cap, base + per_row * n)


# ---------------------------------------------------------------- coverage


@_literal_text
def coverage_heatmap(coverage: pd.DataFrame, documents: pd.DataFrame | None = None) -> Figure:
    """Notices × GDPR Art. 13/14 items: covered, missing, or not required.

    Rows are notices grouped by sector (NACE section, named on the right) and,
    within a sector, ordered by coverage score (shown beside each notice). A
    dark cell is covered, a white cell with a cross is a required item the
    notice does not give, a light grey cell an item it need not give.

    Parameters
    ----------
    coverage
        ``doc_id, item, article, covered, required`` (one row per notice and item).
    documents
        ``doc_id, company, nace_section`` (or ``sector``) to name and group notices.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> coverage = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "item": ["purposes", "complaint"] * 2,
    ...     "article": ["13(1)(c)", "13(2)(d)"] * 2, "covered": [True, False, True, True],
    ...     "evidence": [["a:0001"], [], ["b:0002"], ["b:0004"]], "required": True})
    >>> fig = coverage_heatmap(coverage)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['b (100%)', 'a (50%)']
    """
    xlabel, ylabel = "GDPR Art. 13/14 checklist item (article)", "notice (coverage score: % of required items)"
    if _lacks(coverage, ["doc_id", "item", "covered"]):
        return _empty_figure("no coverage table", xlabel=xlabel, ylabel=ylabel)
    from .coverage import coverage_score

    cov = coverage.copy()
    cov["item"] = cov["item"].astype(str)
    cov["doc_id"] = cov["doc_id"].astype(str)
    if "required" not in cov.columns:
        cov["required"] = True
    cov["covered"] = cov["covered"].fillna(False).astype(bool)
    cov["required"] = cov["required"].fillna(False).astype(bool)
    items = list(dict.fromkeys(cov["item"]))
    first = cov.drop_duplicates("item").set_index("item")
    articles = first["article"].astype(str).to_dict() if "article" in cov.columns else {}
    scores = coverage_score(cov).set_index("doc_id")["coverage_score"]
    doc_ids = list(dict.fromkeys(cov["doc_id"]))
    groups = _sector_groups(documents, doc_ids)
    order = (
        pd.DataFrame({"doc_id": doc_ids, "group": groups.reindex(doc_ids).to_numpy(),
                      "score": scores.reindex(doc_ids).fillna(0).to_numpy()})
        .sort_values(["group", "score", "doc_id"], ascending=[True, False, True], kind="stable")
    )
    rows = order["doc_id"].tolist()

    # 0 = not required (and not given), 1 = missing, 2 = covered.
    state = np.where(cov["covered"], 2, np.where(cov["required"], 1, 0))
    matrix = (
        pd.DataFrame({"doc_id": cov["doc_id"], "item": cov["item"], "state": state})
        .pivot_table(index="doc_id", columns="item", values="state", aggfunc="max")
        .reindex(index=rows, columns=items)
        .fillna(0)
        .to_numpy()
    )

    # The base height leaves room for the rotated item names under the matrix.
    fig = Figure(figsize=(3.5 + 0.32 * len(items), _row_height(len(rows), base=3.6)), layout="constrained")
    ax = fig.subplots()
    ax.imshow(matrix, cmap=ListedColormap(["0.85", "white", "0.2"]), vmin=0, vmax=2, aspect="auto",
              interpolation="nearest")
    missing_y, missing_x = np.nonzero(matrix == 1)
    ax.scatter(missing_x, missing_y, marker="x", color="black", s=22, linewidths=1.2, zorder=3)
    labels = _notice_labels(documents, rows)
    score_text = {d: f"{scores[d]:.0%}" if pd.notna(scores.get(d)) else "n/a" for d in rows}
    ax.set_yticks(range(len(rows)), [f"{labels[d]} ({score_text[d]})" for d in rows],
                  fontsize=7 if len(rows) <= 120 else 4)
    ax.set_xticks(range(len(items)), [f"{i} ({articles[i]})" if i in articles else i for i in items],
                  rotation=90, fontsize=7)
    ax.set_xticks(np.arange(-0.5, len(items)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
    ax.grid(which="minor", color="0.6", linewidth=0.4)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)

    # Sector groups: a rule between them and their names on the right.
    group_of_row = order["group"].to_numpy()
    bounds = [i for i in range(1, len(rows)) if group_of_row[i] != group_of_row[i - 1]]
    for b in bounds:
        ax.axhline(b - 0.5, color="black", linewidth=1.2)
    starts = [0] + bounds
    ends = bounds + [len(rows)]
    right = ax.secondary_yaxis("right")
    right.set_yticks([(s + e - 1) / 2 for s, e in zip(starts, ends)], [group_of_row[s] for s in starts], fontsize=7)
    right.set_ylabel("sector (NACE section)")
    fig.legend(
        handles=[
            Patch(facecolor="0.2", edgecolor="0.6", label="covered"),
            Line2D([], [], marker="x", color="black", linestyle="", label="missing (required)"),
            Patch(facecolor="0.85", edgecolor="0.6", label="not given, not required here"),
        ],
        loc="outside lower center", ncol=3, fontsize=7, frameon=False,
    )
    ax.set_title("Which Art. 13/14 items does each notice give?", fontsize=10)
    return fig


@_literal_text
def sector_benchmark(coverage: pd.DataFrame, readability: pd.DataFrame, documents: pd.DataFrame) -> Figure:
    """Coverage score and LIX per sector, every notice shown as a point.

    Two panels share the sector axis: on the left the coverage score (% of the
    required checklist items a notice gives), on the right its LIX with the
    LIX bands shaded. A vertical bar marks each sector's median; marker shape
    gives the notice's language.

    Parameters
    ----------
    coverage
        ``doc_id, item, covered, required``.
    readability
        ``doc_id, lix`` (one row per notice).
    documents
        ``doc_id, nace_section`` (or ``sector``) and ``language``.

    Examples
    --------
    >>> import pandas as pd
    >>> coverage = pd.DataFrame({"doc_id": ["a", "b"], "item": "purposes", "article": "13(1)(c)",
    ...     "covered": [True, False], "evidence": [["a:0001"], []], "required": True})
    >>> readability = pd.DataFrame({"doc_id": ["a", "b"], "lix": [41.0, 55.0]})
    >>> documents = pd.DataFrame({"doc_id": ["a", "b"], "nace_section": ["J", "J"], "language": ["nb", "nn"]})
    >>> fig = sector_benchmark(coverage, readability, documents)
    >>> [ax.get_xlabel() for ax in fig.axes[:2]]
    ['coverage score (% of required items)', 'LIX (readability index)']
    """
    fig = Figure(figsize=(9, _row_height(0, base=1.6) + 0.45 * _n_groups(documents)), layout="constrained")
    ax_cov, ax_lix = fig.subplots(1, 2, sharey=True)
    ax_cov.set_xlabel("coverage score (% of required items)")
    ax_lix.set_xlabel("LIX (readability index)")
    ax_cov.set_ylabel("sector (NACE section)")

    values = {}
    if not _lacks(coverage, ["doc_id", "item", "covered"]):
        from .coverage import coverage_score

        scores = coverage_score(coverage).set_index("doc_id")["coverage_score"].astype(float)
        values["coverage"] = scores.dropna() * 100
    if not _lacks(readability, ["doc_id", "lix"]):
        values["lix"] = readability.drop_duplicates("doc_id").set_index("doc_id")["lix"].astype(float).dropna()
    doc_ids = list(dict.fromkeys([d for v in values.values() for d in v.index]))
    if not doc_ids:
        ax_cov.set_yticks([])
        _note(ax_cov, "no coverage table")
        _note(ax_lix, "no readability table")
        return fig
    groups = _sector_groups(documents, doc_ids)
    group_names = sorted(groups.unique())
    position = {g: i for i, g in enumerate(group_names)}
    language = {}
    if documents is not None and {"doc_id", "language"} <= set(documents.columns):
        language = documents.set_index("doc_id")["language"].astype(str).to_dict()

    used_markers = set()
    for ax, key, empty_text in ((ax_cov, "coverage", "no coverage table"), (ax_lix, "lix", "no readability table")):
        if key not in values:
            _note(ax, empty_text)
            continue
        frame = pd.DataFrame({"value": values[key]})
        frame["group"] = groups.reindex(frame.index).fillna("unknown sector").to_numpy()
        frame["language"] = [language.get(d, "") for d in frame.index]
        frame = frame.sort_values(["group", "value"], kind="stable")
        frame["y"] = [position.get(g, 0) for g in frame["group"]]
        frame["y"] = frame["y"] + frame.groupby("group")["value"].transform(lambda v: pd.Series(_spread(len(v), 0.5), index=v.index))
        for lang, part in frame.groupby("language", sort=True):
            marker = _LANGUAGE_MARKERS.get(lang, "D")
            used_markers.add((lang, marker))
            ax.scatter(part["value"], part["y"], marker=marker, s=30, facecolor="white", edgecolor="black",
                       linewidths=0.9, zorder=3)
        for g, part in frame.groupby("group"):
            median = part["value"].median()
            ax.plot([median, median], [position[g] - 0.38, position[g] + 0.38], color="black", linewidth=2.2,
                    solid_capstyle="butt", zorder=2)
        ax.grid(axis="x", color="0.85", linewidth=0.5)
    if "coverage" in values:
        ax_cov.set_xlim(-3, 103)
    if "lix" in values:
        lo, hi = values["lix"].min() - 5, values["lix"].max() + 5
        ax_lix.set_xlim(lo, hi)
        _shade_bands(ax_lix, axis="x", lo=lo, hi=hi)
    counts = groups.value_counts()
    ax_cov.set_yticks(range(len(group_names)), [f"{g} (n={counts[g]})" for g in group_names], fontsize=8)
    ax_cov.set_ylim(len(group_names) - 0.5, -0.5)
    handles = [Line2D([], [], marker=m, linestyle="", markerfacecolor="white", markeredgecolor="black",
                      label=f"notice ({lang or 'unknown language'})") for lang, m in sorted(used_markers)]
    handles.append(Line2D([], [], color="black", linewidth=2.2, label="sector median"))
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=7, frameon=False)
    return fig


def _n_groups(documents: pd.DataFrame | None) -> int:
    if documents is None or "doc_id" not in documents.columns:
        return 1
    return max(1, _sector_groups(documents, documents["doc_id"]).nunique())


# ---------------------------------------------------------------- readability


@_literal_text
def lix_vs_length(readability: pd.DataFrame, *, documents: pd.DataFrame | None = None) -> Figure:
    """LIX of each notice against its length in words, with the LIX bands shaded.

    Parameters
    ----------
    readability
        ``doc_id, words, lix`` (one row per notice).
    documents
        Optional ``doc_id, company`` to name the points (else their doc_id).

    Examples
    --------
    >>> import pandas as pd
    >>> readability = pd.DataFrame({"doc_id": ["a", "b", "c"], "words": [300, 1200, 800], "lix": [38.0, 52.5, 47.0]})
    >>> len(lix_vs_length(readability).axes[0].collections[0].get_offsets())
    3
    """
    xlabel, ylabel = "length of the notice (words, log scale)", "LIX (readability index)"
    if _lacks(readability, ["doc_id", "words", "lix"]):
        return _empty_figure("no readability table", xlabel=xlabel, ylabel=ylabel)
    data = readability.dropna(subset=["words", "lix"])
    data = data[data["words"] > 0]
    fig = Figure(figsize=(7, 4.5), layout="constrained")
    ax = fig.subplots()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if data.empty:
        _note(ax, "no notice with words")
        return fig
    lo, hi = float(data["lix"].min()) - 5, float(data["lix"].max()) + 5
    ax.set_ylim(lo, hi)
    _shade_bands(ax, axis="y", lo=lo, hi=hi)
    ax.scatter(data["words"], data["lix"], marker="o", s=28, facecolor="black", edgecolor="white", linewidths=0.6,
               zorder=3)
    ax.set_xscale("log")
    if len(data) <= 40:
        labels = _notice_labels(documents, data["doc_id"]) if documents is not None else {d: d for d in data["doc_id"]}
        _label_points(ax, data["words"].to_numpy(float), data["lix"].to_numpy(float),
                      [_shorten(labels[d], 22) for d in data["doc_id"]])
    ax.set_title("Readability against length", fontsize=10)
    return fig


@_literal_text
def lix_by_section(section_readability: pd.DataFrame, doc_id: str, *, min_words: int = 20) -> Figure:
    """LIX of each section of one notice, in document order.

    Sections with fewer than ``min_words`` words are hatched: their LIX rests on
    too few words to compare.

    Parameters
    ----------
    section_readability
        ``doc_id, section, words, lix`` (``policylab.readability(t, level="section")``).
    doc_id
        The notice to draw.

    Examples
    --------
    >>> import pandas as pd
    >>> sections = pd.DataFrame({"doc_id": "a", "section": ["Formål", "Lagring"], "words": [80, 12],
    ...     "lix": [44.0, 30.0]})
    >>> len(lix_by_section(sections, "a").axes[0].containers[0])
    2
    """
    xlabel, ylabel = "LIX (readability index)", "section (in document order)"
    title = f"LIX per section: {doc_id}"
    if _lacks(section_readability, ["doc_id", "section", "lix"]):
        return _empty_figure("no section readability table", xlabel=xlabel, ylabel=ylabel, title=title)
    data = section_readability[section_readability["doc_id"] == doc_id].dropna(subset=["lix"])
    if data.empty:
        return _empty_figure(f"no sections of {doc_id!r}", xlabel=xlabel, ylabel=ylabel, title=title)
    words = data["words"].to_numpy() if "words" in data.columns else np.full(len(data), min_words)
    few = words < min_words
    fig = Figure(figsize=(7.5, _row_height(len(data), per_row=0.25, base=1.6)), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(data))
    lo = max(0.0, min(20.0, float(data["lix"].min()) - 5))
    hi = max(float(data["lix"].max()) + 5, 65.0)
    ax.set_xlim(lo, hi)
    _shade_bands(ax, axis="x", lo=lo, hi=hi)
    bars = ax.barh(y, data["lix"], color=np.where(few, "white", "0.45"), edgecolor="black", linewidth=0.6,
                   zorder=2)
    for patch, is_few in zip(bars, few):
        if is_few:
            patch.set_hatch("///")
    section_names = [str(s).split(" > ")[-1] or "(before the first heading)" for s in data["section"]]
    ax.set_yticks(y, [f"{_shorten(s, 45)} ({int(w)} w.)" for s, w in zip(section_names, words)], fontsize=7)
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10, pad=14)
    if few.any():
        ax.legend(handles=[Patch(facecolor="white", edgecolor="black", hatch="///",
                                 label=f"fewer than {min_words} words: LIX unstable")],
                  loc="lower right", fontsize=7)
    return fig


# ---------------------------------------------------------------- retention


@_literal_text
def retention_days(retention: pd.DataFrame, documents: pd.DataFrame | None = None) -> Figure:
    """Every stated storage period per notice on a log-scale day axis.

    The left panel has one row per notice and one marker per duration (its
    ``days``; a line back to ``days_min`` where a range is stated); marker shape
    gives the qualifier. Dotted lines mark 1 day, 1 week, 1 month, 1 year and
    10 years. The right panel counts the terms without a length: event-bound
    ("as long as the customer relationship lasts") and unspecified ("as long as
    necessary").

    Parameters
    ----------
    retention
        ``doc_id, kind, days, qualifier`` (+ ``days_min``), one row per period.
    documents
        ``doc_id, company``: every notice gets a row, also those stating no period.

    Examples
    --------
    >>> import pandas as pd
    >>> retention = pd.DataFrame({"clause_id": ["a:0001", "a:0002", "b:0003"], "doc_id": ["a", "a", "b"],
    ...     "kind": ["duration", "event", "duration"], "days": [730, None, 30], "qualifier": "exact"})
    >>> fig = retention_days(retention)
    >>> sum(len(c.get_offsets()) for c in fig.axes[0].collections)
    2
    """
    xlabel = "storage period (days, log scale)"
    doc_ids: list[str] = []
    if documents is not None and "doc_id" in documents.columns:
        doc_ids = list(dict.fromkeys(documents["doc_id"].astype(str)))
    has_table = not _lacks(retention, ["doc_id", "kind"])
    if has_table:
        doc_ids += [d for d in dict.fromkeys(retention["doc_id"].astype(str)) if d not in set(doc_ids)]
    if not doc_ids:
        return _empty_figure("no retention table", xlabel=xlabel, ylabel="notice")
    ret = retention.copy() if has_table else pd.DataFrame(columns=["doc_id", "kind", "days", "qualifier"])
    ret["doc_id"] = ret["doc_id"].astype(str)
    if "days" not in ret.columns:
        ret["days"] = np.nan
    ret["days"] = pd.to_numeric(ret["days"], errors="coerce")
    durations = ret[(ret["kind"] == "duration") & (ret["days"] > 0)].copy()
    # Top row: the notice keeping data longest (by median stated period).
    median = durations.groupby("doc_id")["days"].median()
    rank = {d: i for i, d in enumerate(doc_ids)}
    rows = sorted(doc_ids, key=lambda d: (d not in median.index, -median.get(d, 0), rank[d]))
    y_of = {d: i for i, d in enumerate(rows)}

    fig = Figure(figsize=(9, _row_height(len(rows))), layout="constrained")
    ax, ax_n = fig.subplots(1, 2, sharey=True, width_ratios=[3.2, 1])
    lo = min(0.5, float(durations["days"].min()) / 2) if len(durations) else 0.5
    hi = max(3650 * 2.0, float(durations["days"].max()) * 2) if len(durations) else 3650 * 2.0
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    for days in DAY_MARKS.values():
        ax.axvline(days, color="0.5", linestyle=":", linewidth=0.8, zorder=1)
    top = ax.secondary_xaxis("top")
    top.set_xticks(list(DAY_MARKS.values()), list(DAY_MARKS), fontsize=7)
    top.tick_params(length=0)

    if len(durations):
        durations = durations.sort_values(["doc_id", "days"], kind="stable")
        durations["y"] = durations["doc_id"].map(y_of) + durations.groupby("doc_id")["days"].transform(
            lambda v: pd.Series(_spread(len(v), 0.45), index=v.index))
        if "days_min" in durations.columns:
            low = pd.to_numeric(durations["days_min"], errors="coerce")
            ranged = durations[(low > 0) & (low < durations["days"])]
            ax.hlines(ranged["y"], low[ranged.index], ranged["days"], color="black", linewidth=1, zorder=2)
        qualifier = durations["qualifier"].fillna("exact").astype(str) if "qualifier" in durations else "exact"
        durations["qualifier"] = qualifier
        handles = []
        for q, part in durations.groupby("qualifier", sort=True):
            marker, face, text = _QUALIFIER_MARKERS.get(q, ("D", "0.85", q))
            ax.scatter(part["days"], part["y"], marker=marker, s=34, facecolor=face, edgecolor="black",
                       linewidths=0.8, zorder=3)
            handles.append(Line2D([], [], marker=marker, linestyle="", markerfacecolor=face,
                                  markeredgecolor="black", label=text))
    else:
        handles = []
    for d in rows:
        if d not in median.index:
            ax.text(lo * 1.15, y_of[d], "no length stated", va="center", fontsize=6.5, color="0.35",
                    style="italic")

    counts = (
        ret[ret["kind"].isin(["event", "unspecified"])]
        .groupby(["doc_id", "kind"]).size().unstack(fill_value=0)
        .reindex(index=rows, columns=["event", "unspecified"], fill_value=0)
    )
    y = np.arange(len(rows))
    ax_n.barh(y, counts["event"], color="white", edgecolor="black", hatch="///", linewidth=0.6)
    ax_n.barh(y, counts["unspecified"], left=counts["event"], color="0.7", edgecolor="black", linewidth=0.6)
    ax_n.set_xlabel("terms without a length\n(count)")
    ax_n.set_xlim(0, max(1, int(counts.sum(axis=1).max())) * 1.1)
    ax_n.xaxis.get_major_locator().set_params(integer=True)
    handles += [Patch(facecolor="white", edgecolor="black", hatch="///", label="event-bound (until …)"),
                Patch(facecolor="0.7", edgecolor="black", label="unspecified (as long as necessary)")]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=7, frameon=False)

    labels = _notice_labels(documents, rows)
    ax.set_yticks(y, [labels[d] for d in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("notice (longest median period on top)")
    ax.grid(axis="y", color="0.92", linewidth=0.5)
    return fig


# ---------------------------------------------------------------- legal bases


@_literal_text
def legal_basis_shares(
    labels: pd.DataFrame,
    clauses: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    share_of: str = "clauses",
) -> Figure:
    """Share of each notice's clauses that state each legal basis (stacked bars).

    Parameters
    ----------
    labels
        ``clause_id, doc_id, dimension, label`` (only ``dimension == "legal_basis"`` is used).
    clauses
        ``clause_id, doc_id`` (+ ``kind``): the denominator, every non-boilerplate
        clause of the notice; notices without any basis keep an (empty) bar.
    documents
        Optional ``doc_id, company`` to name the bars.
    share_of
        ``"clauses"``: % of the notice's clauses stating each basis (bars differ in
        length); ``"labels"``: % of the notice's basis statements (bars sum to 100).

    Examples
    --------
    >>> import pandas as pd
    >>> clauses = pd.DataFrame({"clause_id": ["a:0001", "a:0002", "b:0001"], "doc_id": ["a", "a", "b"]})
    >>> labels = pd.DataFrame({"clause_id": ["a:0001"], "doc_id": ["a"], "dimension": ["legal_basis"],
    ...     "label": ["consent"], "score": [1.0], "cue": ["samtykke"]})
    >>> bars = legal_basis_shares(labels, clauses).axes[0].containers[0]
    >>> [round(b.get_width()) for b in bars]
    [50, 0]
    """
    if share_of not in ("clauses", "labels"):
        raise ValueError(f"share_of must be 'clauses' or 'labels', not {share_of!r}")
    from .labels import LEGAL_BASES

    xlabel = ("clauses stating the basis (% of the notice's clauses)" if share_of == "clauses"
              else "share of the notice's legal-basis statements (%)")
    if _lacks(clauses, ["clause_id", "doc_id"]):
        return _empty_figure("no clause table", xlabel=xlabel, ylabel="notice")
    body = clauses[clauses["kind"] != "boilerplate"] if "kind" in clauses.columns else clauses
    n_clauses = body.groupby("doc_id")["clause_id"].nunique()
    doc_ids = list(dict.fromkeys(clauses["doc_id"].astype(str)))
    bases = pd.DataFrame(columns=["doc_id", "label", "n"])
    if not _lacks(labels, ["clause_id", "doc_id", "dimension", "label"]):
        stated = labels[labels["dimension"] == "legal_basis"]
        bases = stated.groupby(["doc_id", "label"], observed=True)["clause_id"].nunique().rename("n").reset_index()
    counts = bases.pivot_table(index="doc_id", columns="label", values="n", aggfunc="sum", fill_value=0,
                               observed=True) if len(bases) else pd.DataFrame(index=pd.Index([], name="doc_id"))
    counts = counts.reindex(index=doc_ids, fill_value=0).fillna(0)
    counts.columns = counts.columns.astype(str)
    present = [b for b in LEGAL_BASES if b in counts.columns and counts[b].sum() > 0]
    present += [b for b in counts.columns if b not in LEGAL_BASES and counts[b].sum() > 0]
    if share_of == "clauses":
        shares = counts[present].div(n_clauses.reindex(doc_ids).replace(0, np.nan), axis=0) * 100
    else:
        shares = counts[present].div(counts[present].sum(axis=1).replace(0, np.nan), axis=0) * 100
    shares = shares.fillna(0)
    total = shares.sum(axis=1)
    rows = sorted(doc_ids, key=lambda d: (-total[d], d))
    shares = shares.reindex(rows)

    fig = Figure(figsize=(8, _row_height(len(rows))), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(rows))
    left = np.zeros(len(rows))
    for i, basis in enumerate(present):
        face, hatch = _FILLS[i % len(_FILLS)]
        ax.barh(y, shares[basis].to_numpy(), left=left, color=face, hatch=hatch, edgecolor="black", linewidth=0.6,
                label=basis)
        left += shares[basis].to_numpy()
    for yi, d in enumerate(rows):
        if total[d] == 0:
            ax.text(0.5, yi, "no legal basis stated", va="center", fontsize=6.5, color="0.35", style="italic")
    if not present:
        _note(ax, "no legal-basis labels")
    names = _notice_labels(documents, rows)
    ax.set_yticks(y, [names[d] for d in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("notice")
    ax.set_xlim(0, max(5.0, float(left.max()) * 1.08) if share_of == "clauses" else 100)
    if present:
        fig.legend(title="legal basis (Art. 6(1))", loc="outside lower center", ncol=min(6, len(present)),
                   fontsize=7, title_fontsize=7, frameon=False)
    ax.grid(axis="x", color="0.88", linewidth=0.5)
    ax.set_axisbelow(True)
    return fig


# ---------------------------------------------------------------- clause map


@_literal_text
def clause_map(
    clusters: pd.DataFrame,
    *,
    color_by: str = "cluster",
    highlight: pd.DataFrame | None = None,
    n_labels: int = 12,
) -> Figure:
    """A 2-D map of clauses: near points say similar things; shared templates joined.

    Parameters
    ----------
    clusters
        ``clause_id, doc_id, cluster, cluster_label, x, y``
        (``policylab.cluster_clauses``).
    color_by
        ``"cluster"`` (the ``n_labels`` largest clusters get their own marker and
        their label written at their centre) or ``"doc_id"`` (a marker per notice).
    highlight
        Near-duplicate pairs ``clause_a, clause_b`` (``policylab.near_duplicates``):
        each pair is joined by a line and ringed.
    n_labels
        How many clusters (or notices) get a marker and a label of their own.

    Examples
    --------
    >>> import pandas as pd
    >>> clusters = pd.DataFrame({"clause_id": ["a:1", "a:2", "b:1"], "doc_id": ["a", "a", "b"],
    ...     "cluster": [0, 1, 0], "cluster_label": ["lagring", "klage", "lagring"],
    ...     "x": [0.0, 1.0, 0.1], "y": [0.0, 1.0, 0.1]})
    >>> pairs = pd.DataFrame({"clause_a": ["a:1"], "clause_b": ["b:1"], "doc_a": ["a"], "doc_b": ["b"],
    ...     "similarity": [0.93]})
    >>> fig = clause_map(clusters, highlight=pairs)
    >>> len(fig.axes[0].collections[-1].get_segments())
    1
    """
    if color_by not in ("cluster", "doc_id"):
        raise ValueError(f"color_by must be 'cluster' or 'doc_id', not {color_by!r}")
    xlabel, ylabel = "map dimension 1 (no unit: nearby clauses use similar words)", "map dimension 2"
    if _lacks(clusters, ["clause_id", "doc_id", "x", "y"]) or (color_by == "cluster" and "cluster" not in clusters):
        return _empty_figure("no clause map", xlabel=xlabel, ylabel=ylabel)
    data = clusters.dropna(subset=["x", "y"])
    fig = Figure(figsize=(9, 7), layout="constrained")
    ax = fig.subplots()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    key = data[color_by].astype(str)
    noise = key.isin(["-1"]) if color_by == "cluster" else pd.Series(False, index=data.index)
    sizes = key[~noise].value_counts()
    named = list(sizes.index[:n_labels])
    handles = []
    # The rest first, in light grey, so the named groups are drawn on top.
    rest = data[~key.isin(named)]
    if len(rest):
        ax.scatter(rest["x"], rest["y"], s=8, marker=".", color="0.7", linewidths=0, zorder=1)
        handles.append(Line2D([], [], marker=".", linestyle="", color="0.7",
                              label="other clauses" if color_by == "doc_id" else "smaller clusters / unclustered"))
    label_of = {}
    if color_by == "cluster" and "cluster_label" in data.columns:
        label_of = data.assign(key=key).drop_duplicates("key").set_index("key")["cluster_label"].astype(str).to_dict()
    for i, name in enumerate(named):
        part = data[key == name]
        marker = _MARKERS[i % len(_MARKERS)]
        face = _GREYS[(i // len(_MARKERS)) % len(_GREYS)]
        ax.scatter(part["x"], part["y"], s=22, marker=marker, facecolor=face, edgecolor="black", linewidths=0.5,
                   zorder=2)
        text = f"{name}: {_shorten(label_of.get(name, ''), 30)}" if color_by == "cluster" else name
        handles.append(Line2D([], [], marker=marker, linestyle="", markerfacecolor=face, markeredgecolor="black",
                              label=text))
        if color_by == "cluster":
            # Only the cluster number at its centre: full labels would cover the points.
            ax.annotate(name, (part["x"].mean(), part["y"].mean()), fontsize=7, ha="center", va="center",
                        zorder=5, bbox=dict(boxstyle="circle,pad=0.2", facecolor="white", edgecolor="0.3",
                                            alpha=0.85))
    if highlight is not None and not _lacks(highlight, ["clause_a", "clause_b"]):
        where = data.drop_duplicates("clause_id").set_index("clause_id")[["x", "y"]]
        pairs = highlight[highlight["clause_a"].isin(where.index) & highlight["clause_b"].isin(where.index)]
        a = where.loc[pairs["clause_a"]].to_numpy()
        b = where.loc[pairs["clause_b"]].to_numpy()
        ringed = where.loc[pd.unique(pd.concat([pairs["clause_a"], pairs["clause_b"]]))]
        ax.scatter(ringed["x"], ringed["y"], s=80, facecolor="none", edgecolor="black", linewidths=1.1, zorder=4)
        from matplotlib.collections import LineCollection

        ax.add_collection(LineCollection(np.stack([a, b], axis=1) if len(a) else np.zeros((0, 2, 2)),
                                         colors="black", linewidths=1.2, zorder=4))
        handles.append(Line2D([], [], marker="o", markerfacecolor="none", markeredgecolor="black", color="black",
                              label=f"shared template: near-duplicate pair ({len(pairs)})"))
    fig.legend(handles=handles, loc="outside right upper", fontsize=7, frameon=False,
              title="cluster: label" if color_by == "cluster" else "notice", title_fontsize=7)
    ax.set_title("Clauses mapped by wording", fontsize=10)
    return fig

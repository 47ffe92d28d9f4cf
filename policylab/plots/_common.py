"""Helpers shared by the figure modules: empty figures, labels, sector groups, literal text."""

from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

__all__ = ["DAY_MARKS", "NACE_SECTIONS"]

#: Ticks of every storage-period axis, in days (taxonomy.md: month = 30, year = 365):
#: a log-day axis labelled in minutes, hours, days, months and years.
DAY_MARKS: dict[str, float] = {
    "1 min": 1 / 1440, "1 hour": 1 / 24, "1 day": 1, "1 week": 7, "1 month": 30, "6 months": 180, "1 year": 365,
    "5 years": 5 * 365, "10 years": 3650, "30 years": 30 * 365,
}

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
        if nace and nace.lower() not in ("nan", "none", "<na>"):
            groups[doc_id] = f"{nace} {NACE_SECTIONS.get(nace.upper(), '')}".strip()
        elif sector and sector.lower() not in ("nan", "none", "<na>"):
            groups[doc_id] = _shorten(sector, 28)
    return groups


def _spread(n: int, width: float = 0.5) -> np.ndarray:
    """Offsets that place ``n`` points of one row side by side instead of on top of each other."""
    return np.zeros(1) if n <= 1 else np.linspace(-width / 2, width / 2, n)


def _lix_bands() -> list[tuple[float, float, str]]:
    """The LIX bands of :mod:`policylab.readability` as ``(low, high, name)``."""
    from ..readability import LIX_BANDS

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


def _label_points(ax, x: np.ndarray, y: np.ndarray, texts: list[str], *, fontsize: float = 6.5,
                  box: bool = False) -> None:
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
                    ha=ha, va=va, fontsize=fontsize, color="0.15", zorder=5 if box else 4,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "0.4", "alpha": 0.85} if box else None)


def _row_height(n: int, per_row: float = 0.28, base: float = 1.8, cap: float = 40.0) -> float:
    return min(cap, base + per_row * n)




def _n_title(ax, title: str, n: str, *, fontsize: float = 10) -> None:
    """A title that states what the figure counts: ``title (n = 21 notices)``."""
    ax.set_title(f"{title} ({n})" if n else title, fontsize=fontsize)


def _day_axis(ax, lo: float, hi: float, *, axis: str = "x") -> None:
    """A log-day axis from ``lo`` to ``hi`` days, ticked in minutes, hours, days, months and years."""
    from matplotlib.ticker import NullFormatter, NullLocator

    marks = {k: v for k, v in DAY_MARKS.items() if lo <= v <= hi}
    if axis == "x":
        ax.set_xscale("log")
        ax.set_xlim(lo, hi)
        ax.set_xticks(list(marks.values()), list(marks), fontsize=7, rotation=30, ha="right")
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_minor_formatter(NullFormatter())
        for days in marks.values():
            ax.axvline(days, color="0.8", linestyle=":", linewidth=0.8, zorder=1)
    else:
        ax.set_yscale("log")
        ax.set_ylim(lo, hi)
        ax.set_yticks(list(marks.values()), list(marks), fontsize=7)
        ax.yaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_minor_formatter(NullFormatter())
        for days in marks.values():
            ax.axhline(days, color="0.8", linestyle=":", linewidth=0.8, zorder=1)


def _day_limits(days) -> tuple[float, float]:
    """Axis limits around ``days`` (at least 1 day to 10 years), with room at both ends."""
    days = pd.Series(days, dtype=float)
    days = days[days > 0]
    lo = min(0.7, float(days.min()) / 1.6) if len(days) else 0.7
    hi = max(3650 * 1.5, float(days.max()) * 1.6) if len(days) else 3650 * 1.5
    return lo, hi


def _capped(rows: list, max_rows: int) -> tuple[list, str]:
    """The first ``max_rows`` of ``rows`` and a note saying how many were left out ('' if none)."""
    if len(rows) <= max_rows:
        return rows, ""
    return rows[:max_rows], f"first {max_rows} of {len(rows)} notices shown"

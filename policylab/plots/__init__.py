"""Figures of a corpus: one function per figure, each returning a matplotlib Figure.

Every function takes the tidy tables of :func:`policylab.build` (or any frames
with the same columns) and returns a :class:`matplotlib.figure.Figure` without
showing it, so the same figure serves a notebook, a script and the HTML report.
Figures are built on :class:`~matplotlib.figure.Figure` directly rather than
through ``pyplot``: no global state, nothing left open when a loop draws a
thousand of them.

Every label has one colour, hatch and marker across all figures
(:mod:`policylab.style`), so figures also read in black and white. Every figure
states its n (notices, clauses or periods drawn); sector statistics of fewer
than three notices are greyed and not summarised; a figure with more than
:data:`policylab.style.MAX_ROWS` notices switches to one row per sector or shows
the first rows only, and says so. A table that is empty (or lacks the needed
columns) gives an empty axes with a note instead of an error.

Examples
--------
>>> import pandas as pd
>>> readability = pd.DataFrame({"doc_id": ["a", "b"], "words": [300, 1200], "lix": [38.0, 52.5]})
>>> fig = lix_vs_length(readability)
>>> fig.axes[0].get_ylabel()
'LIX (readability index)'
"""

from ._common import DAY_MARKS, NACE_SECTIONS
from .clauses import borrowed_share, clause_map, cluster_bars
from .coverage import coverage_by_sector, coverage_heatmap, sector_benchmark
from .legal import legal_basis_overview, legal_basis_shares
from .readability import lix_by_section, lix_vs_length
from .retention import retention_days

__all__ = [
    "DAY_MARKS",
    "NACE_SECTIONS",
    "borrowed_share",
    "clause_map",
    "cluster_bars",
    "coverage_by_sector",
    "coverage_heatmap",
    "legal_basis_overview",
    "legal_basis_shares",
    "lix_by_section",
    "lix_vs_length",
    "retention_days",
    "sector_benchmark",
]

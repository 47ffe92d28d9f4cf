"""The report of a corpus: what ``policylab report`` and ``make report`` write.

Examples
--------
>>> import tempfile
>>> from policylab.build import build
>>> write_report(build(), tempfile.mkdtemp()).name
'summary.txt'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["summary_text", "write_report"]


def summary_text(tables) -> str:
    """A plain-text summary: notices, clauses per kind, problems met while reading.

    >>> from policylab.build import build
    >>> summary_text(build()).splitlines()[0]
    'policylab summary: 21 notices'
    """
    docs, clauses = tables.documents, tables.clauses
    kinds = clauses.pivot_table(index="doc_id", columns="kind", values="clause_id", aggfunc="count", fill_value=0)
    per_doc = docs.set_index("doc_id")[["company", "language", "n_words"]].join(kinds)
    lines = [f"policylab summary: {len(docs)} notices", f"corpus: {tables.corpus}", ""]
    lines.append(per_doc.to_string())
    lines.append("")
    if len(tables.problems):
        lines.append("problems met while reading:")
        lines += [f"  {r.severity}: {r.file}: {r.problem}" for r in tables.problems.itertuples()]
    else:
        lines.append("no problems met while reading")
    return "\n".join(lines) + "\n"


def write_report(tables, out: Path | str) -> Path:
    """Write the report of ``tables`` into ``out`` and return its main file."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "summary.txt"
    path.write_text(summary_text(tables), encoding="utf-8")
    return path

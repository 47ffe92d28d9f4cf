"""Render a notice's clause table as HTML, Markdown, Word or PDF (for the format tests).

The renderings use only what a real page would hold: headings as ``<h1>``-``<h6>``
by level (the title as ``<h1>``), list items as ``<ul><li>`` without their bullet,
table rows as ``<table>`` cells, other clauses as paragraphs.
"""

from __future__ import annotations

import html
import re

from policylab.segment import _rules

_CELL_SPLIT = re.compile(r"\t+|\s*\|\s*")


def list_text(text: str) -> str:
    m = _rules().list_item.match(text)
    return text[m.end():] if m else text


def heading_text(text: str) -> str:
    return text.lstrip("#").strip()


def cells(text: str) -> list[str]:
    return [c for c in _CELL_SPLIT.split(text.strip().strip("|")) if c.strip()]


def one_line(text: str) -> str:
    return " ".join(text.split())


def items(clauses):
    """(kind, level, text) per clause, grouped runs of list items and table rows."""
    out = []
    for c in clauses.itertuples():
        kind = c.kind
        if kind == "heading":
            level = 1 if c.level == 0 else min(int(c.level) + 1, 6)
            out.append(("heading", level, heading_text(c.text)))
        elif kind == "list_item":
            out.append(("list_item", None, list_text(c.text)))
        elif kind == "table_row":
            out.append(("table_row", None, cells(c.text)))
        else:
            out.append(("paragraph", None, c.text))
    return out


def to_html(clauses) -> str:
    parts = ["<!doctype html><html><head><title>x</title><style>p{}</style></head><body><main>"]
    open_group = None
    for kind, level, text in items(clauses):
        group = "ul" if kind == "list_item" else "table" if kind == "table_row" else None
        if open_group and group != open_group:
            parts.append(f"</{open_group}>")
            open_group = None
        if group and not open_group:
            parts.append(f"<{group}>")
            open_group = group
        if kind == "heading":
            parts.append(f"<h{level}>{html.escape(one_line(text))}</h{level}>")
        elif kind == "list_item":
            parts.append(f"<li>{html.escape(one_line(text))}</li>")
        elif kind == "table_row":
            parts.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in text) + "</tr>")
        else:
            parts.append(f"<p>{html.escape(one_line(text))}</p>")
    if open_group:
        parts.append(f"</{open_group}>")
    parts.append("</main></body></html>")
    return "\n".join(parts)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&!{}#~])")
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([-+=>])")


def md_escape(text: str) -> str:
    text = _MD_SPECIAL.sub(r"\\\1", one_line(text))
    return _MD_LINE_START.sub(lambda m: (m.group(1) or "") + m.group(2) + "\\" + m.group(3) if m.group(2) else (m.group(4) or "") + "\\" + m.group(5), text)


def to_markdown(clauses) -> str:
    parts = []
    rows: list[list[str]] = []

    def flush_rows():
        if rows:
            width = max(len(r) for r in rows)
            padded = [r + [""] * (width - len(r)) for r in rows]
            lines = ["| " + " | ".join(md_escape(c) for c in padded[0]) + " |", "|" + "---|" * width]
            lines += ["| " + " | ".join(md_escape(c) for c in r) + " |" for r in padded[1:]]
            parts.append("\n".join(lines))
            rows.clear()

    last = None
    for kind, level, text in items(clauses):
        if kind != "table_row":
            flush_rows()
        if kind == "heading":
            parts.append("#" * level + " " + md_escape(text))
        elif kind == "list_item":
            entry = "- " + md_escape(text)
            if last == "list_item":
                parts[-1] += "\n" + entry
            else:
                parts.append(entry)
        elif kind == "table_row":
            rows.append(text)
        else:
            parts.append(md_escape(text))
        last = kind
    flush_rows()
    return "\n\n".join(parts) + "\n"


def to_docx(clauses) -> bytes:
    import io

    import docx

    document = docx.Document()
    rows: list[list[str]] = []

    def flush_rows():
        if rows:
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for i, r in enumerate(rows):
                for j, c in enumerate(r):
                    table.cell(i, j).text = c
            rows.clear()

    for kind, level, text in items(clauses):
        if kind != "table_row":
            flush_rows()
        if kind == "heading":
            document.add_heading(one_line(text), level=min(level, 9) if level > 1 else 0)
        elif kind == "list_item":
            document.add_paragraph(one_line(text), style="List Bullet")
        elif kind == "table_row":
            rows.append(text)
        else:
            document.add_paragraph(one_line(text))
    flush_rows()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_pdf(clauses) -> bytes:
    """A PDF set in DejaVu Sans (matplotlib's copy), one block per clause, several pages."""
    from pathlib import Path

    import matplotlib
    from fpdf import FPDF

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", fname=str(font))
    pdf.add_page()
    for kind, level, text in items(clauses):
        if kind == "heading":
            pdf.set_font("DejaVu", size=16 if level == 1 else 13)
            pdf.multi_cell(0, 8, one_line(text), new_x="LMARGIN", new_y="NEXT")
        elif kind == "list_item":
            # A bullet with a hanging indent, as word processors set lists.
            pdf.set_font("DejaVu", size=10)
            pdf.cell(6, 6, "•")
            pdf.multi_cell(0, 6, one_line(text), new_x="LMARGIN", new_y="NEXT")
        elif kind == "table_row":
            pdf.set_font("DejaVu", size=10)
            pdf.multi_cell(0, 6, " | ".join(text), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("DejaVu", size=10)
            pdf.multi_cell(0, 6, one_line(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    return bytes(pdf.output())

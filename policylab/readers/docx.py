"""Word notices (``.docx``), read with python-docx (the ``formats`` extra).

Paragraphs and tables in document order. Heading styles give heading levels
("Title" and "Heading 1" level 1, "Heading N" level N), list styles and
numbered paragraphs give list items, table rows give rows (merged cells once).
"""

from __future__ import annotations

import io
import re

from .types import NoticeError, Reading, TextBuilder

__all__ = ["read_docx_bytes"]

MISSING = "reading Word files needs the 'formats' extra: pip install 'policylab[formats]'"
_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)


def read_docx_bytes(data: bytes, *, name: str = "<docx>") -> Reading:
    """The text of a Word document and its blocks."""
    try:
        import docx
    except ImportError as exc:
        raise NoticeError(name, MISSING) from exc
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise NoticeError(name, "an old Word (.doc) file under a .docx name: save it as .docx")
    if not data.startswith(b"PK"):
        raise NoticeError(name, "not a Word .docx file (not a ZIP package): check the file's suffix")
    try:
        document = docx.Document(io.BytesIO(data))
        builder = TextBuilder()
        for item in document.iter_inner_content():
            if hasattr(item, "rows"):
                _table(item, builder)
            else:
                _paragraph(item, builder)
    except NoticeError:
        raise
    except Exception as exc:
        raise NoticeError(name, f"the Word file cannot be read ({type(exc).__name__}: {exc}): it may be damaged; re-save it or convert it to text") from exc
    if not builder.blocks:
        raise NoticeError(name, "the Word file holds no text")
    return Reading(builder.text, "docx", blocks=tuple(builder.blocks), format="docx")


def _paragraph(paragraph, builder: TextBuilder) -> None:
    text = paragraph.text
    if not text.strip():
        return
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    m = _HEADING_STYLE.match(style.strip())
    if m:
        builder.add(text, "heading", level=max(1, min(6, int(m.group(1)))))
    elif style.strip().lower() == "title":
        builder.add(text, "heading", level=1)
    elif style.lower().startswith("list") or _numbered(paragraph):
        builder.add(text, "list_item")
    else:
        builder.add(text, "paragraph")


def _numbered(paragraph) -> bool:
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.numPr is not None


def _table(table, builder: TextBuilder) -> None:
    for row in table.rows:
        seen: list = []  # the cells' XML elements (kept alive, so identity holds)
        cells = []
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):
                continue  # a merged cell appears once per grid column it spans
            seen.append(cell._tc)
            cells.append(cell.text)
        builder.add_row(cells)

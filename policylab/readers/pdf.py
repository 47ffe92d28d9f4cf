"""PDF notices, read with pypdf (the ``formats`` extra).

The text of each page in order (pypdf's layout mode, so that the vertical gap
between paragraphs becomes a blank line; runs of spaces that justify a line
become one space), pages joined by a blank line (a paragraph that runs over a
page break becomes two clauses; one that starts a page stays apart from the
last of the page before, which is far more common); ``Reading.pages`` holds each page's span
and a clause's page is the page of its first character. Blocks come from the
blank lines (:func:`_blocks`); without any, the segmenter reads the layout from
the text as for ``.txt``. A PDF without a text layer (a scan) or an encrypted
one gets a clear problem.
"""

from __future__ import annotations

import io
import logging
import re

from .types import NoticeError, Reading

__all__ = ["read_pdf_bytes"]

MISSING = "reading PDF needs the 'formats' extra: pip install 'policylab[formats]'"


def read_pdf_bytes(data: bytes, *, name: str = "<pdf>") -> Reading:
    """The text of a PDF and the span of each page."""
    try:
        import pypdf
    except ImportError as exc:
        raise NoticeError(name, MISSING) from exc
    # pypdf logs every repair it makes ("EOF marker not found"); the problem row says enough.
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return _read(pypdf, data, name)
    finally:
        logger.setLevel(level)


def _read(pypdf, data: bytes, name: str) -> Reading:
    if b"%PDF" not in data[:1024]:
        raise NoticeError(name, "not a PDF file (no %PDF header): check the file's suffix")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:
                raise NoticeError(name, "the PDF is encrypted: save an unprotected copy") from exc
        pages = [_page_text(page) for page in reader.pages]
    except NoticeError:
        raise
    except Exception as exc:
        raise NoticeError(name, f"the PDF cannot be read ({type(exc).__name__}: {exc}): it may be damaged; re-save it or convert it to text") from exc
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    for page in pages:
        if parts:
            parts.append("\n\n")
            length += 2
        spans.append((length, length + len(page)))
        parts.append(page)
        length += len(page)
    text = "".join(parts)
    if not text.strip():
        raise NoticeError(name, "the PDF has no text layer (a scan?): run OCR on it first")
    return Reading(text, "pdf", blocks=_blocks(text), pages=tuple(spans), format="pdf")


def _blocks(text: str):
    """Paragraph blocks from the blank lines of layout mode, or None (the segmenter guesses).

    Lines of a PDF paragraph are wrapped by the typesetter, not by the author: a
    block of lines between blank lines is one paragraph, a list item runs until
    the next bullet, a block with cell separators is a table row. Without any
    blank line (no vertical gaps found) the segmenter reads the text as plain text.
    """
    if "\n\n" not in text.strip():
        return None
    from ..segment import _rules
    from .types import Block

    rules = _rules()
    blocks: list[Block] = []
    for chunk in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", text):
        lines = [(m.start() + chunk.start(), m.end() + chunk.start()) for m in re.finditer(r"\S(?:.*\S)?", chunk.group())]
        if rules.list_item.match(text[lines[0][0]:lines[0][1]]):
            start, end = lines[0]
            for s, e in lines[1:]:
                if rules.list_item.match(text[s:e]):
                    blocks.append(Block(start, end, "list_item"))
                    start = s
                end = e
            blocks.append(Block(start, end, "list_item"))
        else:
            kind = "table_row" if rules.table_row.search(chunk.group()) else "paragraph"
            blocks.append(Block(lines[0][0], lines[-1][1], kind))
    return tuple(blocks)


def _page_text(page) -> str:
    try:
        raw = page.extract_text(extraction_mode="layout")
    except Exception:  # noqa: BLE001 - layout mode fails on some fonts; plain mode still reads
        raw = page.extract_text() or ""
    raw_lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # Indentation relative to the page's left edge survives as two spaces: a
    # wrapped list item's hanging indent tells the segmenter the item goes on.
    margin = min((len(line) - len(line.lstrip()) for line in raw_lines if line.strip()), default=0)
    lines: list[str] = []
    for line in raw_lines:
        indent = "  " if len(line) - len(line.lstrip()) > margin else ""
        line = " ".join(line.split())
        if line:
            lines.append(indent + line)
        elif lines and lines[-1]:
            lines.append("")
    return "\n".join(lines).strip("\n")

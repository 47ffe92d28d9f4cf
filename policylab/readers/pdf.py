"""PDF notices, read with pypdf (the ``formats`` extra).

The text of each page in order, pages joined by a newline (so a paragraph that
runs over a page break can still join); ``Reading.pages`` holds each page's span
and a clause's page is the page of its first character. There are no blocks:
the segmenter reads the layout from the text, as for ``.txt``. A PDF without a
text layer (a scan) or an encrypted one gets a clear problem.
"""

from __future__ import annotations

import io

from .types import NoticeError, Reading

__all__ = ["read_pdf_bytes"]

MISSING = "reading PDF needs the 'formats' extra: pip install 'policylab[formats]'"


def read_pdf_bytes(data: bytes, *, name: str = "<pdf>") -> Reading:
    """The text of a PDF and the span of each page."""
    try:
        import pypdf
    except ImportError as exc:
        raise NoticeError(name, MISSING) from exc
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - pypdf raises several kinds
                raise NoticeError(name, "the PDF is encrypted: save an unprotected copy") from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except NoticeError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged PDF fails in many ways inside pypdf
        raise NoticeError(name, f"the PDF cannot be read ({type(exc).__name__}: {exc}): it may be damaged; re-save it or convert it to text") from exc
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    for page in pages:
        page = "\n".join(line.rstrip() for line in page.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip("\n")
        if parts:
            parts.append("\n")
            length += 1
        spans.append((length, length + len(page)))
        parts.append(page)
        length += len(page)
    text = "".join(parts)
    if not text.strip():
        raise NoticeError(name, "the PDF has no text layer (a scan?): run OCR on it first")
    return Reading(text, "pdf", pages=tuple(spans), format="pdf")

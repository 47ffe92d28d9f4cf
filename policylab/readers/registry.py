"""The registry of readers: one reader per file suffix.

A reader takes the bytes of a file and its name and returns a
:class:`~policylab.readers.types.Reading`; it raises
:class:`~policylab.readers.types.NoticeError` with a message that says what to
do. A new format is one module and one line here.

>>> sorted(READERS)
['.docx', '.htm', '.html', '.markdown', '.md', '.pdf', '.txt']
>>> read_bytes("a.md", b"## Innsyn\\n\\nDu kan kreve innsyn.").text
'Innsyn\\n\\nDu kan kreve innsyn.'
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .docx import read_docx_bytes
from .html import read_html_bytes
from .markdown import read_markdown_bytes
from .pdf import read_pdf_bytes
from .text import read_text_bytes
from .types import NoticeError, Reading

__all__ = ["NOTICE_SUFFIXES", "READERS", "RECOGNISED_SUFFIXES", "read_bytes"]

Reader = Callable[..., Reading]

READERS: dict[str, Reader] = {
    ".txt": read_text_bytes,
    ".md": read_markdown_bytes,
    ".markdown": read_markdown_bytes,
    ".html": read_html_bytes,
    ".htm": read_html_bytes,
    ".pdf": read_pdf_bytes,
    ".docx": read_docx_bytes,
}
NOTICE_SUFFIXES = tuple(READERS)
#: Formats we recognise but cannot read; they get a problem row, not a crash.
RECOGNISED_SUFFIXES = {".doc": "old Word (.doc)", ".odt": "OpenDocument", ".rtf": "RTF", ".pages": "Pages"}


def check_suffix(name: str) -> str:
    """The suffix of ``name`` if a reader exists for it; :class:`NoticeError` otherwise."""
    suffix = Path(name).suffix.lower()
    if suffix in RECOGNISED_SUFFIXES:
        raise NoticeError(name, f"{RECOGNISED_SUFFIXES[suffix]} files are not supported: save it as .docx, .pdf or .txt")
    if suffix not in READERS:
        raise NoticeError(name, f"unknown file type {suffix or '(none)'}: notices must be {', '.join(NOTICE_SUFFIXES)}")
    return suffix


def read_bytes(name: str, data: bytes) -> Reading:
    """Read the bytes of the notice file ``name`` with the reader of its suffix."""
    return READERS[check_suffix(name)](data, name=name)

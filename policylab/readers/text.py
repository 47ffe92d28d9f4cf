"""Plain-text notices: the decoded text, no structure (the segmenter reads the layout).

A ``.txt`` file that is really an HTML page (it starts with ``<!doctype html``
or ``<html>``) is read as HTML.

>>> read_text_bytes("Innsyn\\n\\nDu kan kreve innsyn.".encode()).blocks is None
True
"""

from __future__ import annotations

from .decode import decode_bytes
from .types import Reading

__all__ = ["read_text_bytes"]


def read_text_bytes(data: bytes, *, name: str = "<text>") -> Reading:
    """Decode a text file; its blocks are ``None`` (the segmenter guesses the layout)."""
    decoded = decode_bytes(data, name=name)
    if _looks_like_html(decoded.text):
        from .html import read_html

        reading = read_html(decoded.text, name=name)
        return Reading(reading.text, decoded.encoding, decoded.notes + ("an HTML page saved as text: read as HTML",),
                       reading.blocks, format="html")
    return decoded


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)

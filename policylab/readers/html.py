"""HTML notices: the text a browser shows, with headings, list items and table rows.

lxml parses (``huge_tree``, so a thousand nested ``<div>`` still parse) and
lxml_html_clean's :class:`~lxml_html_clean.Cleaner` removes scripts, styles,
comments and processing instructions. One iterative walk (no recursion over the
tree's depth) then drops what a browser does not render or what is not part of
the notice (``hidden``, ``display:none``, ``<template>``, ``<textarea>``,
``<option>``, MathML, SVG, navigation, headers, footers, forms) and emits the
blocks: ``<h1>``-``<h6>`` as headings with their level, ``<li>`` as list
items, ``<tr>`` as table rows (cells joined by ``" | "``), other block elements
as paragraphs.

Examples
--------
>>> r = read_html("<h2>Innsyn</h2><p hidden>skjult</p><ul><li>Du kan <b>kreve</b> innsyn</li></ul>")
>>> r.text
'Innsyn\\n\\nDu kan kreve innsyn'
>>> [(b.kind, b.level) for b in r.blocks]
[('heading', 2), ('list_item', None)]
"""

from __future__ import annotations

import re

from .decode import decode_bytes
from .types import NoticeError, Reading, TextBuilder

__all__ = ["read_html", "read_html_bytes"]

# Not rendered, or not part of the notice.
_DROP_TAGS = frozenset({
    "script", "style", "noscript", "template", "textarea", "option", "select", "datalist", "math", "svg",
    "head", "title", "meta", "link", "iframe", "object", "embed", "canvas", "audio", "video", "map",
    "nav", "header", "footer", "form", "button", "dialog",
})
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo"})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = frozenset({
    "p", "div", "section", "article", "main", "aside", "blockquote", "pre", "address", "dd", "dt",
    "figcaption", "figure", "caption", "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "body",
    "html", "hr", "details", "summary", "fieldset", "legend", "center",
})
_CELLS = frozenset({"td", "th"})
#: Deeper elements join their ancestor at this depth (as browsers cap the DOM depth).
MAX_DEPTH = 512
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.IGNORECASE)


def read_html_bytes(data: bytes, *, name: str = "<html>") -> Reading:
    """Decode an HTML file and read it (see :func:`read_html`)."""
    decoded = decode_bytes(data, name=name)
    reading = read_html(decoded.text, name=name)
    return Reading(reading.text, decoded.encoding, decoded.notes + reading.notes, reading.blocks, format="html")


def read_html(html: str, *, name: str = "<html>") -> Reading:
    """The visible text of an HTML notice and its blocks.

    Raises :class:`NoticeError` when nothing visible is left.
    """
    import lxml.etree
    import lxml.html
    from lxml_html_clean import Cleaner

    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        if not html.strip() or "empty" in str(exc).lower():
            raise NoticeError(name, "the HTML holds no visible text (only scripts, styles or markup)") from exc
        # Encoding declarations in a str, say: parse the bytes instead.
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    notes: tuple[str, ...] = ()
    if any("Excessive depth" in str(e) for e in parser.error_log):
        # libxml2 stops at 2048 levels; browsers keep the text and stop nesting
        # (Blink at 512): so does the fallback tree builder.
        root = _shallow_tree(html)
        notes = (f"HTML nested deeper than {MAX_DEPTH} levels: read with the nesting capped",)
    cleaner = Cleaner(scripts=True, javascript=False, comments=True, style=True, inline_style=False,
                      processing_instructions=True, page_structure=False, forms=False, embedded=False,
                      frames=False, annoying_tags=False, meta=False, links=False, remove_unknown_tags=False,
                      safe_attrs_only=False)
    cleaner(root)
    builder = TextBuilder()
    _walk(root, builder)
    if not builder.blocks:
        raise NoticeError(name, "the HTML holds no visible text (only scripts, styles or markup)")
    return Reading(builder.text, "utf-8", notes=notes, blocks=tuple(builder.blocks), format="html")


def _hidden(el) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag.lower() in _DROP_TAGS:
        return True
    attrib = el.attrib
    if "hidden" in attrib or attrib.get("role", "").lower() in _DROP_ROLES:
        return True
    if tag.lower() == "input" and attrib.get("type", "").lower() == "hidden":
        return True
    style = attrib.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


class _State:
    """The block being collected: its kind and inline text (or the cells of a row)."""

    def __init__(self, builder: TextBuilder):
        self.builder = builder
        self.inline: list[str] = []
        self.contexts: list[tuple[str, int | None]] = [("paragraph", None)]
        self.row: list[list[str]] | None = None
        self.nested_rows = 0

    def text(self, s: str | None) -> None:
        if s:
            if self.row is not None:
                if not self.row:
                    self.row.append([])
                self.row[-1].append(s)
            else:
                self.inline.append(s)

    def flush(self) -> None:
        if self.row is not None:
            return
        raw = "".join(self.inline)
        self.inline.clear()
        lines = [" ".join(part.split()) for part in raw.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            kind, level = self.contexts[-1]
            self.builder.add(text, kind, level=level)


def _walk(root, builder: TextBuilder) -> None:
    state = _State(builder)
    # An explicit stack of (element, entering?) instead of recursion.
    stack: list[tuple[object, bool]] = [(root, True)]
    while stack:
        el, entering = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if entering:
            if not tag or _hidden(el):
                state.text(el.tail)
                continue
            _open(el, tag, state)
            state.text(el.text)
            stack.append((el, False))
            stack.extend((child, True) for child in reversed(el))
        else:
            _close(tag, state)
            state.text(el.tail)
    state.flush()


def _open(el, tag: str, state: _State) -> None:
    if state.row is not None:
        # Inside a table row every cell is one piece of text.
        if tag in _CELLS:
            state.row.append([])
        elif tag == "tr":
            state.nested_rows += 1  # a table inside a cell: its rows join the outer row
        elif tag == "br" or tag in _BLOCKS or tag in _HEADINGS or tag == "li":
            state.text(" ")
        return
    if tag == "br":
        state.text("\n")
    elif tag in _HEADINGS:
        state.flush()
        state.contexts.append(("heading", _HEADINGS[tag]))
    elif tag == "li":
        state.flush()
        state.contexts.append(("list_item", None))
    elif tag == "tr":
        state.flush()
        state.row = []
    elif tag in _BLOCKS:
        state.flush()
        # A paragraph inside a list item or a heading keeps its kind.
        state.contexts.append(state.contexts[-1])


def _close(tag: str, state: _State) -> None:
    if state.row is not None:
        if tag == "tr" and state.nested_rows:
            state.nested_rows -= 1
        elif tag == "tr":
            cells = ["".join(parts) for parts in state.row]
            state.row = None
            state.builder.add_row(cells)
        elif tag in _CELLS:
            pass
        return
    if tag in _HEADINGS or tag == "li" or tag in _BLOCKS:
        state.flush()
        if len(state.contexts) > 1:
            state.contexts.pop()


def _shallow_tree(html: str):
    """An lxml tree of ``html`` built from the standard library's event parser,
    with nesting capped at :data:`MAX_DEPTH` (no recursion, no depth limit)."""
    from html.parser import HTMLParser

    import lxml.html

    root = lxml.html.Element("html")
    body = lxml.html.etree.SubElement(root, "body")

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.stack = [body]
            self.skipped: dict[str, int] = {}

        def handle_starttag(self, tag, attrs):
            if len(self.stack) >= MAX_DEPTH and tag not in _VOID:
                self.skipped[tag] = self.skipped.get(tag, 0) + 1
                return
            el = lxml.html.etree.SubElement(self.stack[-1], tag)
            for k, v in attrs:
                try:
                    el.set(k, v or "")
                except ValueError:
                    pass
            if tag not in _VOID:
                self.stack.append(el)

        def handle_endtag(self, tag):
            if self.skipped.get(tag):
                self.skipped[tag] -= 1
                return
            for i in range(len(self.stack) - 1, 0, -1):
                if self.stack[i].tag == tag:
                    del self.stack[i:]
                    return

        def handle_data(self, data):
            parent = self.stack[-1]
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + data
            else:
                parent.text = (parent.text or "") + data

    parser = Parser()
    parser.feed(html)
    parser.close()
    return root

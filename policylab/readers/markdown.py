"""Markdown notices, read with markdown-it-py (CommonMark plus GFM tables).

The text is the rendered text, free of markup (no ``##``, ``**`` or link
targets); each block keeps the source lines it came from (``Block.source``,
markdown-it's source map). A YAML front matter block (``---`` ... ``---``) is
not part of the notice and is skipped.

Examples
--------
>>> r = read_markdown("# Personvern\\n\\n## Innsyn\\n\\nDu kan **kreve** [innsyn](/x).\\n\\n- Navn\\n- E-post\\n")
>>> r.text.split("\\n\\n")
['Personvern', 'Innsyn', 'Du kan kreve innsyn.', 'Navn', 'E-post']
>>> [(b.kind, b.level, b.source) for b in r.blocks][:3]
[('heading', 1, (0, 1)), ('heading', 2, (2, 3)), ('paragraph', None, (4, 5))]
"""

from __future__ import annotations

import re
from functools import lru_cache

from .decode import decode_bytes
from .types import NoticeError, Reading, TextBuilder

__all__ = ["read_markdown", "read_markdown_bytes"]

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n.*?\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def read_markdown_bytes(data: bytes, *, name: str = "<markdown>") -> Reading:
    """Decode a Markdown file and read it (see :func:`read_markdown`)."""
    decoded = decode_bytes(data, name=name)
    reading = read_markdown(decoded.text, name=name)
    return Reading(reading.text, decoded.encoding, decoded.notes + reading.notes, reading.blocks, format="markdown")


def read_markdown(source: str, *, name: str = "<markdown>") -> Reading:
    """The rendered text of a Markdown notice and its blocks."""
    front = _FRONT_MATTER.match(source)
    skipped_lines = source[: front.end()].count("\n") if front else 0
    body = source[front.end():] if front else source
    tokens = _parser().parse(body)
    builder = TextBuilder()
    kinds: list[str] = []  # open containers: list_item, blockquote, ...
    row: list[str] | None = None
    row_map = None
    heading_level: int | None = None

    def shift(m):
        return (m[0] + skipped_lines, m[1] + skipped_lines) if m else None

    for i, token in enumerate(tokens):
        t = token.type
        if t == "heading_open":
            heading_level = int(token.tag[1])
        elif t == "heading_close":
            heading_level = None
        elif t == "list_item_open":
            kinds.append("list_item")
        elif t == "list_item_close":
            kinds.pop()
        elif t == "tr_open":
            row, row_map = [], token.map
        elif t == "tr_close":
            builder.add_row(row or [], source=shift(row_map))
            row = None
        elif t == "inline":
            text = _inline_text(token)
            if row is not None:
                row.append(text)
            elif heading_level is not None:
                builder.add(text, "heading", level=heading_level, source=shift(token.map))
            else:
                builder.add(text, kinds[-1] if kinds else "paragraph", source=shift(token.map))
        elif t in ("fence", "code_block"):
            builder.add(token.content, "paragraph", source=shift(token.map))
        elif t == "html_block":
            from .html import read_html

            try:
                snippet = read_html(token.content)
            except NoticeError:
                continue
            for block in snippet.blocks:
                if block.kind == "table_row":
                    builder.add_row([snippet.text[s:e] for s, e in block.cells], source=shift(token.map))
                else:
                    builder.add(snippet.text[block.start:block.end], block.kind, level=block.level, source=shift(token.map))
    if not builder.blocks:
        raise NoticeError(name, "the Markdown holds no text")
    return Reading(builder.text, "utf-8", blocks=tuple(builder.blocks), format="markdown")


def _inline_text(token) -> str:
    parts: list[str] = []
    for child in token.children or ():
        t = child.type
        if t in ("text", "code_inline"):
            parts.append(child.content)
        elif t in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif t == "image":
            parts.append(child.content)
    lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)

"""The types every reader returns: a :class:`Reading` with its :class:`Block` structure.

The structure contract (tested for every reader in ``tests/test_formats.py``):

- ``Reading.text`` is the notice's text free of markup; every offset refers to it.
- ``Reading.blocks`` is ``None`` for plain text (the segmenter guesses the layout
  from the text) or a tuple of :class:`Block` in document order, one per heading,
  paragraph, list item or table row, that do not overlap and cover every
  non-white-space character of the text.
- A heading block has a ``level`` from 1 (``<h1>``, ``#``, Word's "Heading 1" or
  "Title") to 6. A table row's text is its cells joined by ``" | "`` and
  ``cells`` holds the span of each cell.
- ``Reading.pages`` holds the ``(start, end)`` span of each page (PDF), so that a
  clause's page is the page its first character lies on.

Examples
--------
>>> r = Reading("Innsyn\\n\\nDu kan kreve innsyn.", "utf-8",
...             blocks=(Block(0, 6, "heading", level=2), Block(8, 28, "paragraph")))
>>> [r.text[b.start:b.end] for b in r.blocks]
['Innsyn', 'Du kan kreve innsyn.']
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["BLOCK_KINDS", "Block", "NoticeError", "PolicylabWarning", "Reading", "TextBuilder"]

#: The kinds of block a reader may hand the segmenter.
BLOCK_KINDS = ("heading", "paragraph", "list_item", "table_row")


class PolicylabWarning(UserWarning):
    """Warnings about the input (a file skipped, a metadata row missing...)."""


class NoticeError(ValueError):
    """A notice file that cannot be read; the message names the file and what to do."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class Block:
    """One structural unit a reader found: ``text[start:end]`` of the reading."""

    start: int
    end: int
    kind: str
    level: int | None = None
    #: Spans of the cells of a table row.
    cells: tuple[tuple[int, int], ...] = ()
    #: Where the block came from in the source file (lines for Markdown), if known.
    source: tuple[int, int] | None = None


@dataclass(frozen=True)
class Reading:
    """One read notice: its text, how it was decoded, and the structure the reader found."""

    text: str
    encoding: str
    notes: tuple[str, ...] = ()
    blocks: tuple[Block, ...] | None = None
    pages: tuple[tuple[int, int], ...] = ()
    format: str = "text"

    def page_of(self, offset: int) -> int | None:
        """The 1-based page of a character offset, or None without pages.

        >>> Reading("a\\nb", "pdf", pages=((0, 1), (2, 3))).page_of(2)
        2
        """
        if not self.pages:
            return None
        from bisect import bisect_right

        return max(1, bisect_right([start for start, _ in self.pages], offset))


@dataclass
class TextBuilder:
    """Builds a reading's text block by block, blank lines between blocks.

    >>> b = TextBuilder()
    >>> b.add("Innsyn", "heading", level=2); b.add_row(["_ga", "2 år"])
    >>> b.text, [(x.kind, x.start, x.end) for x in b.blocks]
    ('Innsyn\\n\\n_ga | 2 år', [('heading', 0, 6), ('table_row', 8, 18)])
    """

    parts: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    length: int = 0

    def _start(self) -> int:
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        return self.length

    def add(self, text: str, kind: str, *, level: int | None = None, source: tuple[int, int] | None = None) -> None:
        text = text.strip()
        if not text:
            return
        start = self._start()
        self.parts.append(text)
        self.length += len(text)
        self.blocks.append(Block(start, self.length, kind, level=level, source=source))

    def add_row(self, cells: list[str], *, source: tuple[int, int] | None = None) -> None:
        cells = [" ".join(c.split()) for c in cells]
        cells = [c for c in cells if c]
        if not cells:
            return
        start = self._start()
        spans = []
        for i, cell in enumerate(cells):
            if i:
                self.parts.append(" | ")
                self.length += 3
            spans.append((self.length, self.length + len(cell)))
            self.parts.append(cell)
            self.length += len(cell)
        self.blocks.append(Block(start, self.length, "table_row", cells=tuple(spans), source=source))

    @property
    def text(self) -> str:
        return "".join(self.parts)

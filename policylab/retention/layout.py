"""Reading a notice's layout: lines, sentences, storage sections and table rows.

A :class:`_Layout` is made once per text and computes each part on demand (the
lines that hold a trigger word, the sentences of a line, the headings that open
a storage section, the header row of a table), caching what it has read so a
notice with many candidates is read in linear time.
"""

from __future__ import annotations

import bisect
import re

from ..tokenize import sentence_spans
from .lexicon import _Lexicon


class _Layout:
    """Lines, sentences and storage sections of one text, computed on demand."""

    def __init__(self, text: str, lex: _Lexicon):
        self.text = text
        self.lex = lex
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self._sentences: dict[int, tuple[list[int], list[tuple[int, int]]]] = {}
        self._sections: tuple[list[int], list[bool]] | None = None
        self._lower: str | None = None
        # Per sentence (or line): cue positions, subject terms, label; per line:
        # table header and subject. Each is computed once, so a sentence or a
        # table with many candidates is read once, not once per candidate.
        self._cues: dict[tuple[int, int, int], tuple[list[int], list[int]]] = {}
        self._terms: dict[int, list] = {}
        self._table_top: dict[int, int] = {}
        self._header_hits: dict[tuple[int, str], bool] = {}
        self._line_subject: dict[int, tuple] = {}
        self._lead: dict[int, int] = {}
        self._bars: dict[int, bool] = {}

    def finditer(self, pattern: re.Pattern, triggers: tuple[str, ...]):
        """Matches of ``pattern`` on the lines that hold one of ``triggers`` (lower case).

        Python's ``re`` scans slowly; ``str.find`` on the lower-cased text is
        fast, so only lines with a trigger are searched. Where lower-casing
        changes the length (rare characters), the whole text is searched.
        """
        if self._lower is None:
            lower = self.text.lower()
            self._lower = lower if len(lower) == len(self.text) else ""
        if not self._lower:
            yield from pattern.finditer(self.text)
            return
        lines = set()
        for trigger in triggers:
            i = self._lower.find(trigger)
            while i >= 0:
                lo, hi = self.line(i)
                lines.add((lo, hi))
                i = self._lower.find(trigger, hi + 1)
        for lo, hi in sorted(lines):
            yield from pattern.finditer(self.text, lo, hi)

    def line(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.line_starts, pos) - 1
        lo = self.line_starts[i]
        hi = self.line_starts[i + 1] - 1 if i + 1 < len(self.line_starts) else len(self.text)
        return lo, hi

    def sentence(self, pos: int) -> tuple[int, int]:
        lo, hi = self.line(pos)
        cached = self._sentences.get(lo)
        if cached is None:
            # Only lines holding a candidate are split into sentences.
            spans = [(lo + s, lo + e) for s, e in sentence_spans(self.text[lo:hi])]
            cached = self._sentences[lo] = ([s for s, _ in spans], spans)
        starts, spans = cached
        # Sentences of a line are sorted and disjoint: the one holding ``pos``
        # by bisection (a long line has thousands).
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and pos < spans[i][1]:
            return spans[i]
        return lo, hi

    def _has_bar(self, lo: int, hi: int) -> bool:
        """Whether the line ``text[lo:hi]`` holds a "|", looked up once per line
        (a long line with many periods is not searched again for each)."""
        bar = self._bars.get(lo)
        if bar is None:
            bar = self._bars[lo] = self.text.find("|", lo, hi) >= 0
        return bar

    def cues(self, pattern: re.Pattern, lo: int, hi: int) -> tuple[list[int], list[int]]:
        """Starts and ends of the matches of ``pattern`` in ``text[lo:hi]`` (sorted,
        disjoint), found once per sentence."""
        key = (lo, hi, id(pattern))
        found = self._cues.get(key)
        if found is None:
            spans = [m.span() for m in pattern.finditer(self.text, lo, hi)]
            found = self._cues[key] = ([s for s, _ in spans], [e for _, e in spans])
        return found

    def in_storage_section(self, pos: int) -> bool:
        if self._sections is None:
            starts, flags = [], []
            text = self.text
            prev_blank = True
            for m in re.finditer(r"[^\n]*", text):
                line = m.group().strip()
                if not line:
                    prev_blank = True
                    continue
                if prev_blank and _looks_like_heading(line):
                    starts.append(m.start())
                    flags.append(bool(self.lex.section.search(line)))
                prev_blank = False
            self._sections = (starts, flags)
        starts, flags = self._sections
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and flags[i]

    def in_storage_column(self, pos: int) -> bool:
        """Is ``pos`` in a table whose header row names a storage period
        ("Navn | Formål | Varighet", "Cookie | Purpose | Expiry")? A cookie table's
        lifetimes ("kling-analytics-consent | Husker personvernvalget ditt | 6
        måneder") carry no verb of their own. The header row itself is not counted."""
        header = self.table_header(pos)
        if header is None:
            return False
        lo, _ = self.line(pos)
        top = self.line_starts[self._table_top[bisect.bisect_right(self.line_starts, pos) - 1]]
        if top == lo:
            return False
        return self.header_matches(pos, self.lex.storage) or self.header_matches(pos, self.lex.section)

    def header_matches(self, pos: int, pattern: re.Pattern) -> bool:
        """Does the header row of the table holding ``pos`` match ``pattern``? Each
        header is searched once per pattern, so a table of many rows with a period
        each stays linear however long its header row."""
        header = self.table_header(pos)
        if header is None:
            return False
        top = self._table_top[bisect.bisect_right(self.line_starts, pos) - 1]
        key = (top, pattern.pattern)
        if key not in self._header_hits:
            self._header_hits[key] = bool(pattern.search(header))
        return self._header_hits[key]

    def table_header(self, pos: int) -> str | None:
        """First row of the table (``a | b`` lines) that holds ``pos``."""
        lo, hi = self.line(pos)
        if not self._has_bar(lo, hi):
            return None
        i = bisect.bisect_right(self.line_starts, pos) - 1
        # Walk up the table once: every row passed remembers its top row, so a
        # table of many rows with a period each is read in linear time.
        passed = []
        while i > 0 and i not in self._table_top:
            plo, phi = self.line(self.line_starts[i - 1])
            if not self._has_bar(plo, phi):
                break
            passed.append(i)
            i -= 1
        top = self._table_top.get(i, i)
        for k in passed:
            self._table_top[k] = top
        self._table_top[i] = top
        lo, hi = self.line(self.line_starts[top])
        return self.text[lo:hi]


# A line that names an item and gives its value ("Kundedata: 24 måneder", "(a) Employer
# leads: 24 months from last interaction") or opens with a letter or number in
# parentheses is a list entry, not a heading, though short and unpunctuated.
_ENTRY = re.compile(r"^(?:\(?[a-zA-Z0-9]{1,3}\)\s|[^:]{1,60}:\s+\S)")


def _looks_like_heading(line: str) -> bool:
    # A short line without end punctuation after a blank line; table rows and
    # list items are not headings.
    return (
        len(line) <= 90
        and len(line.split()) <= 12
        and line[-1] not in ".,;:"
        and "|" not in line
        and line[0] not in "•▫◦*-–·"
        and not _ENTRY.match(line)
    )

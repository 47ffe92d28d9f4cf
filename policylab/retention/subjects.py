"""What a storage period applies to: a cookie name, a table row's data category,
a "Label: period" line, or the subject terms of its sentence ("chat").
"""

from __future__ import annotations

import bisect
import re

from .layout import _Layout
from .lexicon import _Lexicon


def _line_subject(text: str, lex: _Lexicon, layout: _Layout, lo: int, hi: int) -> tuple:
    """What the line at ``lo`` says about the subject of every period on it:
    ``(name row above, cookie name and where it ends, first "|")``, read once per line."""
    found = layout._line_subject.get(lo)
    if found is not None:
        return found
    name = None
    # A "Namn | _ga" row above, in the same table block.
    i = bisect.bisect_right(layout.line_starts, lo) - 1
    for k in range(i - 1, max(-1, i - 10), -1):
        plo, phi = layout.line(layout.line_starts[k])
        line = text[plo:phi]
        if not line.strip() or "|" not in line:
            break
        m = lex.name_row.match(line)
        if m:
            name = m.group("name")
            break
    m = lex.cookie_line.match(text[lo:hi])
    cookie = (m.group("name"), lo + m.end("name")) if m else None
    found = layout._line_subject[lo] = (name, cookie, text.find("|", lo, hi))
    return found


def _sentence_terms(lex: _Lexicon, layout: _Layout, s_lo: int, s_hi: int) -> list:
    """The first match of every subject term in the sentence at ``s_lo``, once per sentence."""
    found = layout._terms.get(s_lo)
    if found is None:
        sentence = layout.text[s_lo:s_hi]
        found = layout._terms[s_lo] = [(pattern.search(sentence), pattern, subject) for pattern, subject in lex.terms]
    return found


def _subject(text: str, lex: _Lexicon, layout: _Layout, start: int) -> str:
    lo, hi = layout.line(start)
    name, cookie, bar = _line_subject(text, lex, layout, lo, hi)
    if name is not None:
        return name
    if cookie is not None and cookie[1] < start:
        return cookie[0]
    if bar >= 0 and bar < start:
        return text[lo:bar].strip()
    s_lo, s_hi = layout.sentence(start)
    k = start - s_lo
    # A "Tekniske logger: 90 dager" label: the sentence before the period is at
    # most 80 characters and a colon (checked backwards first, so a long sentence
    # is not reread for each of its periods).
    colon = start
    while colon > s_lo and text[colon - 1].isspace():
        colon -= 1
    if colon > s_lo and text[colon - 1] == ":":
        lead = layout._lead.get(s_lo)
        if lead is None:
            lead = layout._lead[s_lo] = _SPACES.match(text, s_lo).end()
        words_end = colon - 1
        while words_end > lead and text[words_end - 1].isspace():
            words_end -= 1
        if words_end - lead <= 80:
            # The regex on the sentence from one character before its first non-space.
            label = _LABEL.fullmatch(text, max(s_lo, lead - 1), start)
            if label and len(label.group(1).split()) <= lex.label_max_words:
                return label.group(1)
    found: list[str] = []
    for m, pattern, subject in _sentence_terms(lex, layout, s_lo, s_hi):
        if m is None or m.start() >= k:
            continue
        if m.end() > k:
            # The first match runs past the period: read the part before it.
            m = pattern.search(layout.text[s_lo:start])
            if m is None:
                continue
        if subject not in (f for _, f in found):
            found.append((m.start(), subject))
    return lex.subject_joiner.join(s for _, s in sorted(found))


_LABEL = re.compile(r"\s*([^:]{1,80}?)\s*:\s*")
_SPACES = re.compile(r"\s*")

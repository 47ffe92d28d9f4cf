"""Event and unspecified spans and where they end.

A span starts at a head phrase ("så lenge kundeforholdet består", "as long as
necessary") and runs to the end of its clause: the sentence, a stop mark, the
next duration, a later head after a conjunction, a comma that does not continue
a list, or ``max_words`` words, whichever comes first. :func:`_trim_end` drops
trailing punctuation and dangling conjunctions (also used when a span is cut at
a clause end).
"""

from __future__ import annotations

import bisect
import re

from .layout import _Layout
from .lexicon import _Lexicon

_STOP_RE = re.compile(r"[;:!?(\n|]|\s[–—]\s")
_TRAIL_PUNCT = " \t\r\n,.;:–—-"


def _events(text: str, lex: _Lexicon, layout: _Layout, duration_starts: list[int]) -> list[dict]:
    heads = []
    for order, head in enumerate(lex.heads):
        for m in layout.finditer(head.pattern, head.triggers):
            start = m.start(head.start_group) if head.start_group else m.start()
            heads.append((start, m.end(), order, head))
    heads.sort(key=lambda h: (h[0], -(h[1] - h[0]), h[2]))
    heads = [(s, e, h) for s, e, _, h in heads]
    after_conj = _heads_after_conj(text, lex, heads)
    spans: list[dict] = []
    covered_to = -1
    for i, (start, head_end, head) in enumerate(heads):
        if start < covered_to:
            continue  # absorbed by the span before it
        if head.extend:
            end = _span_end(text, lex, layout, heads, i, duration_starts, after_conj)
        else:
            end = head_end
        covered_to = max(end, head_end)
        while end > start and text[end - 1].isspace():
            end -= 1  # white space _trim_end keeps (control separators such as \x1f are white space to str.strip)
        if lex.trap_event.match(text, start) or end <= start:
            continue
        raw = text[start:end]
        kind = head.kind
        if kind == "auto":
            kind = "unspecified" if (lex.vague.search(raw) or lex.legal.search(raw)) else "event"
        spans.append({"start": start, "end": end, "kind": kind})
    return spans


#: How far past its head an event span is read (it ends within ``max_words``
#: words anyway): keeps a long sentence with many heads linear.
SPAN_WINDOW_CHARS = 2000
_RUN = re.compile(r"\S")
_WS_TAIL = re.compile(r"\s*+\Z")


def _conj_before(text: str, lex: _Lexicon, pos: int) -> int:
    """Where the "," or conjunction that ``text[:pos]`` ends with (white space
    after it allowed) starts, or -1. Read backwards from ``pos``: a regex
    ``(?:,|og|eller...)\\s*\\Z`` searched from the span's start rereads the
    whole span for every later head."""
    q = pos
    while q > 0 and text[q - 1].isspace():
        q -= 1
    if q > 0 and text[q - 1] == ",":
        return q - 1
    m = lex.conj_at_end.search(text, max(0, q - lex.conj_max_len), q)
    return m.start() if m else -1


def _heads_after_conj(text: str, lex: _Lexicon, heads) -> tuple[list[int], list[int]]:
    """Starts of the heads that follow a "," or conjunction, and where that starts."""
    starts, conj = [], []
    for start2, _, _ in heads:
        c = _conj_before(text, lex, start2)
        if c >= 0:
            starts.append(start2)
            conj.append(c)
    return starts, conj


def _span_end(text, lex, layout, heads, i, duration_starts, after_conj) -> int:
    start, head_end, _ = heads[i]
    limit = min(layout.sentence(start)[1], start + SPAN_WINDOW_CHARS)
    stop = _STOP_RE.search(text, head_end, limit)
    if stop:
        limit = stop.start()
    j = bisect.bisect_right(duration_starts, start)
    if j < len(duration_starts) and duration_starts[j] < limit:
        limit = duration_starts[j]
    # A later head after "og"/"eller"/"," opens a span of its own.
    conj_starts, conj_at = after_conj
    k = bisect.bisect_left(conj_starts, head_end)
    while k < len(conj_starts) and conj_starts[k] < limit:
        if conj_at[k] >= start:
            limit = conj_starts[k]
            break
        k += 1
    pos = head_end
    while (comma := text.find(",", pos, limit)) >= 0:
        if lex.list_continues.match(text, comma + 1, limit):
            pos = comma + 1  # "kunde, leverandør eller samarbeidspart"
            continue
        limit = comma
        break
    # At most max_words words (runs of non-space): the end of the last one, when more follow.
    m = lex.first_words.match(text, start, limit)
    if m and _RUN.search(text, m.end(), limit):
        limit = m.end()
    return _trim_end(text, lex, start, limit)


def _trim_end(text: str, lex: _Lexicon, start: int, end: int) -> int:
    """``end`` moved back over trailing punctuation, white space and dangling
    conjunctions ("... og"), never before ``start``.

    Read backwards, one token at a time, so the cost is the length of what is
    trimmed: the regex form of this rule, ``(?:\\s+(?:og|...)|[ ,.;:])+\\Z``,
    backtracked cubically on a run of spaces (34 s for 1,600 spaces).
    """
    pos = end
    while pos > start:
        if text[pos - 1] in _TRAIL_PUNCT:
            pos -= 1
            continue
        m = lex.conj_at_end.search(text, max(start, pos - lex.conj_max_len), pos)
        if m is None or m.start() <= start or not text[m.start() - 1].isspace():
            break
        pos = m.start() - 1
        while pos > start and text[pos - 1].isspace():
            pos -= 1
    return pos

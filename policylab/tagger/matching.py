"""Direct matching: the labels a clause takes from its own words.

Cues found by each group's :class:`~policylab.tagger.patterns._Finder`, checked
against their context (``requires``, ``unless``, ``not_in``) in the sentence or
clause, scored as a noisy-or of distinct cues; article references map to legal
bases; labels implied by others are added (:func:`_implied`).

Examples
--------
>>> _score(_Hit(score_parts={"lagrer": 0.9, "slettes": 0.5}))
0.95
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..tokenize import sentence_spans
from .lexicon import _Lexicon

# Joins the clauses of one document for one regex pass per label. "^" still anchors
# at each clause's start (after the newline), "\\W*" cannot run across the "_", and
# matches that would span the separator are dropped.
_SEP = "\n\x00_\x00\n"


@dataclass
class _Hit:
    score_parts: dict[str, float] = field(default_factory=dict)  # cue (lower) -> weight
    # cue (lower) -> (start, end, surface) of its first occurrence, clause-local
    where: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    last: int = -1  # start of the last cue, clause-local

    @property
    def cues(self) -> list[str]:
        """Distinct cues in order of appearance: the first is the one at :attr:`span`."""
        return [c for _, _, c in sorted(self.where.values(), key=lambda w: (w[0], -w[1]))]

    @property
    def span(self) -> tuple[int, int] | None:
        """Clause-local offsets of the first cue."""
        if not self.where:
            return None
        s, e, _ = min(self.where.values(), key=lambda w: (w[0], -w[1]))
        return s, e


def _lower(text: str) -> str:
    """Lower case with unchanged length, so offsets stay valid ("İ" stays as is)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _add(hits: dict, key: tuple[str, str], cue: str, weight: float, span: tuple[int, int]) -> None:
    hit = hits.get(key)
    if hit is None:
        hit = hits[key] = _Hit()
    low = " ".join(cue.lower().split())
    hit.score_parts[low] = max(hit.score_parts.get(low, 0.0), weight)
    seen = hit.where.get(low)
    if seen is None or span[0] < seen[0]:
        # The same words found again earlier: the earlier occurrence is the evidence.
        hit.where[low] = (span[0], span[1], cue)
    hit.last = max(hit.last, span[0])


def _score(hit: _Hit) -> float:
    # Noisy-or: each distinct cue is independent evidence of the label.
    return round(1.0 - math.prod(1.0 - w for w in hit.score_parts.values()), 3)


def _drop_nested(raw: dict) -> None:
    """Drop cues lying inside a longer cue of the same label and clause
    ("postadresse" inside "e-postadresse"): one stretch of text is one piece of evidence."""
    by_clause: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for (idx, _), found in raw.items():
        by_clause[idx].update(span for _, span in found)
    nested_in: dict[int, set[tuple[int, int]]] = {}
    for idx, spans in by_clause.items():
        if len(spans) < 2:
            continue
        # In (start, -end) order a span lies inside another exactly when an
        # earlier one reaches at least as far.
        nested, reach = set(), -1
        for s, e in sorted(spans, key=lambda se: (se[0], -se[1])):
            if reach >= e:
                nested.add((s, e))
            reach = max(reach, e)
        if nested:
            nested_in[idx] = nested
    for (idx, gname), found in list(raw.items()):
        nested = nested_in.get(idx)
        if nested:
            raw[(idx, gname)] = [(cue, span) for cue, span in found if span not in nested]


class _Sentences:
    """Sentence spans of clause texts, computed on first use."""

    def __init__(self, texts: list[str]):
        self.texts = texts
        self.cache: dict[int, tuple[list[tuple[int, int]], list[int]]] = {}

    def around(self, idx: int, start: int, end: int) -> tuple[int, int]:
        cached = self.cache.get(idx)
        if cached is None:
            spans = sentence_spans(self.texts[idx]) or [(0, len(self.texts[idx]))]
            cached = self.cache[idx] = (spans, [s for s, _ in spans])
        spans, starts = cached
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        s, e = spans[i]
        # A cue that runs past its sentence (a gap over "f.eks.") keeps both.
        j = i
        while j + 1 < len(spans) and spans[j][1] < end:
            j += 1
        return s, max(e, spans[j][1])


class _ContextMatches:
    """Clause-local spans of a context pattern's matches in a window of a clause,
    found once: many cue groups share their requires/unless/not_in lists.
    ``possible`` (from the prefilter) names the clauses a pattern may match in at all."""

    def __init__(self, texts: list[str], ids: dict | None = None, possible: dict | None = None):
        self.texts = texts
        self.ids = ids or {}
        self.possible = possible
        self.cache: dict[tuple, list[tuple[int, int]]] = {}

    def spans(self, pattern: re.Pattern, idx: int, start: int, end: int) -> list[tuple[int, int]]:
        key = (id(pattern), idx, start, end)  # id(): a pattern's own hash walks its program
        if self.possible is not None and key[0] in self.ids and idx not in self.possible[self.ids[key[0]]]:
            return []
        found = self.cache.get(key)
        if found is None:
            # The window is matched as a string of its own, so "^" anchors at its start.
            found = self.cache[key] = [(start + ms, start + me) for ms, me in
                                       (m.span() for m in pattern.finditer(self.texts[idx][start:end]))]
        return found


def _direct_labels(texts: list[str], is_heading: list[bool], lex: _Lexicon):
    """Labels from each clause's own words.

    Returns (accepted, suppressed, pending, context): ``accepted[i][key] = _Hit``;
    ``suppressed[i]`` the keys whose cues a context vetoed; ``pending`` the hits
    that lack their ``requires`` context but may take it from a heading;
    ``context`` the context-pattern matches found so far (:class:`_ContextMatches`).
    """
    n = len(texts)
    accepted: list[dict] = [dict() for _ in range(n)]
    suppressed: list[set] = [set() for _ in range(n)]
    pending: list[tuple[int, tuple[str, str], str, float, tuple[int, int], tuple[str, ...]]] = []
    if n == 0:
        return accepted, suppressed, pending, _ContextMatches(texts)
    starts = []
    pos = 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + len(_SEP)
    joined = _SEP.join(texts)
    sentences = _Sentences(texts)

    lows = [_lower(t) for t in texts]
    # Which clauses each cue group may match in: one multi-pattern scan per clause
    # (hyperscan, where installed) instead of every group's regex over every clause.
    candidates = lex.prefilter.candidates(texts, lows) if lex.prefilter is not None else None
    if candidates is None:
        context = _ContextMatches(texts)
    else:
        ids = lex.prefilter.context_ids
        context = _ContextMatches(texts, ids, {i: set(candidates.get(i, ())) for i in ids.values()})
    every = [i for i, t in enumerate(texts) if t]
    for lab in lex.labels:
        key = (lab.dimension, lab.label)
        # raw[(idx, group)] = [(cue, (s, e))]: evaluated per clause and group, so
        # that `enough` can count distinct cues.
        raw: dict[tuple[int, str], list[tuple[str, tuple[int, int]]]] = defaultdict(list)
        for gname, group in lab.groups.items():
            for idx in every if candidates is None else candidates.get(group.finder.id, ()):
                text = texts[idx]
                for s, e in group.finder.spans(text, lows[idx]):
                    raw[(idx, gname)].append((text[s:e], (s, e)))
        _drop_nested(raw)
        overview = lex.overview if key[0] != "legal_basis" and key[1] not in lex.overview_keep else None
        for (idx, gname), found in raw.items():
            group = lab.groups[gname]
            if group.headings_only and not is_heading[idx]:
                continue
            text = texts[idx]
            # Where the group's not_in matches, found once per clause (groups share lists).
            vetoed = context.spans(group.not_in, idx, 0, len(text)) if group.not_in is not None else ()
            # Sentences that say what the notice explains (an overview of its contents).
            outline = context.spans(overview, idx, 0, len(text)) if overview is not None else ()
            for cue, (s, e) in found:
                if any(vs < e and s < ve for vs, ve in vetoed):
                    suppressed[idx].add(key)
                    continue
                if outline:
                    ws, we = sentences.around(idx, s, e)
                    if any(ws <= os < we for os, _ in outline):
                        continue
                if group.unless is None and group.requires is None:
                    _add(accepted[idx], key, cue, group.weight, (s, e))
                    continue
                if group.scope == "clause":
                    ws, we = 0, len(text)
                else:
                    ws, we = sentences.around(idx, s, e)
                if group.unless is not None and context.spans(group.unless, idx, ws, we):
                    suppressed[idx].add(key)
                    continue
                if group.requires is not None and not any(
                    me <= s or ms >= e for ms, me in context.spans(group.requires, idx, ws, we)
                ):
                    if group.enough and len({" ".join(c.lower().split()) for c, _ in found}) >= group.enough:
                        pass
                    elif group.or_under:
                        pending.append((idx, key, cue, group.weight, (s, e), group.or_under))
                        continue
                    else:
                        continue
                _add(accepted[idx], key, cue, group.weight, (s, e))

    if lex.articles is not None:
        for m in lex.articles.finditer(joined):
            s, e = m.span()
            idx = bisect.bisect_right(starts, s) - 1
            base = starts[idx]
            if e > base + len(texts[idx]):
                continue
            letters = re.findall(r"(?<![^\W\d_])([a-f])(?![^\W\d_])", (m.group("letters") or "").lower())
            for letter in dict.fromkeys(letters):
                basis = lex.article_letters.get(letter)
                if basis:
                    _add(accepted[idx], ("legal_basis", basis), m.group(), lex.article_weight, (s - base, e - base))
    return accepted, suppressed, pending, context


def _implied(accepted: list[dict], lex: _Lexicon) -> None:
    """Labels implied by others (topic ``rights`` wherever a right is named)."""
    for lab in lex.labels:
        if not lab.implied_by:
            continue
        key = (lab.dimension, lab.label)
        for hits in accepted:
            if key in hits:
                continue
            sources = [
                (k, h) for k, h in hits.items()
                if k[0] in lab.implied_by or f"{k[0]}:{k[1]}" in lab.implied_by
            ]
            if not sources:
                continue
            best = max(sources, key=lambda kh: _score(kh[1]))[1]
            new = _Hit(score_parts=dict(best.score_parts), where=dict(best.where), last=best.last)
            hits[key] = new

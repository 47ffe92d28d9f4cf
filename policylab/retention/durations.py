"""Duration candidates: "i to år", "inntil 30 dager", "1-2 years", "ett år og 24 dager".

Each unit word is read backwards (qualifier, range, number) into a candidate
with its length in days (exact fractions), its lower bound for a range and its
qualifier; compounds are merged, and :func:`_trapped` recognises the words
around a number that make it an age or a frequency ("under 18 år", "to ganger i
året"), not a period.
"""

from __future__ import annotations

import re
from fractions import Fraction

from .layout import _Layout
from .lexicon import _Lexicon, _parse_number

_UNIT_ORDER = ("second", "minute", "hour", "day", "week", "month", "year")


def _durations(text: str, lex: _Lexicon, layout: _Layout) -> list[dict]:
    found: list[dict] = []
    for u in layout.finditer(lex.unit_re, lex.unit_triggers):
        m = _before(text, lex, u.start())
        if not m:
            continue
        unit = lex.unit_of[" ".join(u.group().lower().split())]
        value = _parse_number(lex, m.group("num"))
        if value is None:
            continue
        lo_text = m.group("lo") or m.group("lo_open")
        number_start = m.start("num")
        if m.group("lo") and not lo_text[0].isdigit():
            # "twenty-one" / "tjue-fem" read as a range first; one number is meant.
            whole = _parse_number(lex, text[m.start("lo") : m.end("num")])
            if whole is not None:
                value, lo_text, number_start = whole, None, m.start("lo")
        low = _parse_number(lex, lo_text) if lo_text else None
        if lo_text and (low is None or low >= value):
            # "1-2" with a bigger first number is no range; keep only the second number.
            low = None
        qual_text = m.group("qual")
        qualifier = lex.qualifier_of.get(" ".join(qual_text.lower().split())) if qual_text else None
        if low is not None and qualifier is None:
            qualifier = "max"
        start = m.start() if (qual_text or low is not None) else number_start
        found.append(
            {
                "start": start,
                "end": u.end(),
                "unit": unit,
                "days": Fraction(str(value)) * lex.unit_days[unit],
                "days_min": Fraction(str(low)) * lex.unit_days[unit] if low is not None else None,
                "qualifier": qualifier,
                "deadline_form": bool(qual_text)
                and " ".join(qual_text.lower().split()) in lex.deadline_qualifiers,
            }
        )
    return _merge_compounds(text, lex, found)


_WORD_START = re.compile(r"(?<!\w)\w")


def _before(text: str, lex: _Lexicon, unit_start: int) -> re.Match | None:
    """``lex.before_re.search`` in the 120 characters before a unit word, tried
    only where a match can start: every part of it (qualifier, range, number)
    opens at the start of a word. The same leftmost match, without running the
    large alternations at every character (a table of periods has a unit word
    every few dozen characters)."""
    lo = max(0, unit_start - 120)
    for w in _WORD_START.finditer(text, lo, unit_start):
        m = lex.before_re.match(text, w.start(), unit_start)
        if m:
            return m
    return None


def _merge_compounds(text: str, lex: _Lexicon, found: list[dict]) -> list[dict]:
    """Join "ett år og 24 dager" into one period (the later part has a smaller unit)."""
    merged: list[dict] = []
    for d in found:
        if merged:
            prev = merged[-1]
            rank = _UNIT_ORDER.index
            if (
                d["qualifier"] is None
                and d["days_min"] is None
                and prev["days_min"] is None
                and rank(d["unit"]) < rank(prev["unit"])
                and lex.compound_gap.fullmatch(text, prev["end"], d["start"])
            ):
                prev["end"] = d["end"]
                prev["days"] += d["days"]
                prev["unit"] = d["unit"]
                continue
        merged.append(dict(d))
    return merged


def _trapped(text: str, lex: _Lexicon, d: dict) -> bool:
    if lex.trap_before.search(text, max(0, d["start"] - 60), d["start"]):
        return True
    # "under 18 år": an age, stated in years; "in under a minute" is a period.
    if d["unit"] == "year" and lex.trap_before_years.search(text, max(0, d["start"] - 60), d["start"]):
        return True
    return bool(lex.trap_after.match(text, d["end"]))

"""Storage periods stated in privacy notices (``taxonomy.md`` §4).

Every statement of how long personal data is kept becomes one row with its
character offsets: a *duration* ("normalt i to år" = 730 days, approx), an
*event* ("så lenge kundeforholdet består") or an *unspecified* period ("så lenge
det er nødvendig for formålet"). Response and breach deadlines, frequencies,
dates, ages and prices are not storage periods and give no row.

All words, cues and traps live in ``lexicons/retention.toml`` (bokmål, nynorsk
and English), where the decisions taken on the bundled notices are written
down. The lexicon is compiled once per language and cached.

How it works, and why it scales: the whole notice is searched once (not
clause by clause), and only where it can matter: ``str.find`` on the
lower-cased text picks the lines that hold a unit word or a head's trigger
word, and only those lines meet a regex. Durations are read from their unit
word backwards (qualifier, range, number); event and unspecified spans start
at a head phrase and run to the end of their clause. Only then is each
candidate's sentence read for context: a storage cue ("lagres", "slettes",
"kept") or a storage section heading ("Oppbevaringstid") admits it, a nearer
deadline cue ("besvares", "varsle") rejects it. Spans are placed into clauses
afterwards, by offset.

Examples
--------
>>> spans = find_retention_spans("Chatten blir lagret i 5 år. Vi svarer innen 30 dager.")
>>> spans[["raw", "kind", "days", "qualifier", "subject"]].values.tolist()
[['5 år', 'duration', 1825.0, 'exact', 'chat']]
"""

from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from .tokenize import sentence_spans

__all__ = [
    "KINDS",
    "QUALIFIERS",
    "RETENTION_COLUMNS",
    "SPAN_COLUMNS",
    "document_retention",
    "find_retention_spans",
    "retention_frame",
    "retention_rows",
    "retention_spans",
]

#: Columns of :func:`find_retention_spans`.
SPAN_COLUMNS = ["start", "end", "raw", "kind", "days", "days_min", "qualifier", "subject"]
#: Columns of :func:`document_retention` and :func:`retention_spans`.
RETENTION_COLUMNS = ["clause_id", "doc_id", *SPAN_COLUMNS]
KINDS = ("duration", "event", "unspecified")
QUALIFIERS = ("exact", "approx", "max", "min")

_UNIT_ORDER = ("second", "minute", "hour", "day", "week", "month", "year")
_STOP_RE = re.compile(r"[;:!?(\n|]|\s[–—]\s")
_TRAIL_PUNCT = " \t\r\n,.;:–—-"


# ---------------------------------------------------------------------------
# Lexicon


@dataclass(frozen=True)
class _Head:
    name: str
    pattern: re.Pattern
    kind: str
    start_group: str | None
    extend: bool
    triggers: tuple[str, ...]


@dataclass(frozen=True)
class _Lexicon:
    unit_re: re.Pattern
    unit_triggers: tuple
    unit_of: dict
    unit_days: dict
    before_re: re.Pattern
    number_re: re.Pattern
    number_values: dict
    qualifier_of: dict
    deadline_qualifiers: frozenset
    compound_gap: re.Pattern
    heads: tuple
    storage: re.Pattern
    processing: re.Pattern
    deadline: re.Pattern
    request: re.Pattern
    vague: re.Pattern
    legal: re.Pattern
    section: re.Pattern
    trap_before: re.Pattern
    trap_after: re.Pattern
    trap_event: re.Pattern
    table_max: re.Pattern
    name_row: re.Pattern
    cookie_line: re.Pattern
    label_max_words: int
    terms: tuple
    subject_joiner: str
    max_words: int
    list_continues: re.Pattern
    conj_at_end: re.Pattern
    conj_max_len: int
    first_words: re.Pattern


@lru_cache(maxsize=1)
def _raw_lexicon() -> dict:
    path = resources.files("policylab").joinpath("lexicons/retention.toml")
    return tomllib.loads(path.read_text("utf-8"))


def _lang_keys(language: str) -> tuple[str, ...]:
    # Norwegian notices mix bokmål and nynorsk, so nb and nn share one lexicon.
    if language in ("nb", "nn", "no"):
        return ("no",)
    if language == "en":
        return ("en",)
    return ("no", "en")


def _words_alt(items) -> str:
    """Literal phrases as a regex alternation, longest first, spaces flexible."""
    unique = sorted(set(items), key=lambda s: (-len(s), s))
    return "|".join(r"\s+".join(re.escape(part) for part in s.split()) for s in unique)


def _frag_alt(items) -> str:
    return "|".join(f"(?:{p})" for p in items)


def _cue(raw: dict, keys: tuple[str, ...]) -> re.Pattern:
    frags = [p for k in keys for p in raw.get(k, [])]
    # Not after a hyphen either: "GraphQL-svar" is no answer to a request.
    return re.compile(rf"(?<![\w-])(?:{_frag_alt(frags)})", re.IGNORECASE)


@lru_cache(maxsize=8)
def _lexicon(language: str) -> _Lexicon:
    raw = _raw_lexicon()
    keys = _lang_keys(language)

    unit_of: dict[str, str] = {}
    for k in keys:
        for unit, forms in raw["units"][k].items():
            for form in forms:
                unit_of[form.lower()] = unit
    unit_days = {u: Fraction(v) for u, v in raw["unit_days"].items()}
    unit_re = re.compile(rf"(?<!\w)(?:{_words_alt(unit_of)})(?!\w)", re.IGNORECASE)

    # Number words: ones, teens, tens (+ ones), hundreds (+ the rest), fractions.
    ones, teens, tens, hundreds, fractions = {}, {}, {}, {}, {}
    for k in keys:
        n = raw["numbers"][k]
        ones.update({w.lower(): v for w, v in n["ones"].items()})
        teens.update({w.lower(): v for w, v in n["teens"].items()})
        for w, v in n["tens"].items():
            (hundreds if v == 100 else tens)[w.lower()] = v
        fractions.update({w.lower(): v for w, v in n["fractions"].items()})
    o, te, t, h = (_words_alt(d) for d in (ones, teens, tens, hundreds))
    below_100 = rf"(?:(?:{t})(?:-|\s)?(?:{o})|{t}|{te}|{o})"
    word_number = rf"(?:(?:{h})(?:\s+(?:og\s+|and\s+)?{below_100})?|{_words_alt(fractions)}|{below_100})"
    number = rf"(?<![\w.,])(?:\d+(?:[.,]\d+)?|{word_number})(?!\w)"
    number_parse = re.compile(
        rf"(?:(?P<h>{h})(?:\s+(?:og\s+|and\s+)?)?)?(?:(?P<t>{t})(?:-|\s)?)?(?P<o>{o}|{te})?",
        re.IGNORECASE,
    )
    number_values = {"ones": ones, "teens": teens, "tens": tens, "hundreds": hundreds, "fractions": fractions}

    qualifier_of: dict[str, str] = {}
    for k in keys:
        for qual, phrases in raw["qualifiers"][k].items():
            for p in phrases:
                qualifier_of[" ".join(p.lower().split())] = qual
    deadline_qualifiers = frozenset(p for k in keys for p in raw["qualifiers"]["deadline"][k])
    filler = _words_alt(p for k in keys for p in raw["qualifiers"]["filler"][k])
    opens = _words_alt(p for k in keys for p in raw["ranges"][k]["open"])
    joins_open = _words_alt(p for k in keys for p in raw["ranges"][k]["joiner_after_open"])
    joins = [p for k in keys for p in raw["ranges"][k]["joiner"]]
    join_words = _words_alt(j for j in joins if j[0].isalpha())
    join_marks = "".join(re.escape(j) for j in joins if not j[0].isalpha())
    # Anchored at the unit word: [qualifier [filler]] [range start] number <unit>
    before_re = re.compile(
        rf"(?:(?<!\w)(?P<qual>{_words_alt(qualifier_of)})\s+(?:(?:{filler})\s+)?)?"
        rf"(?:(?<!\w)(?P<open>{opens})\s+(?P<lo_open>{number})\s+(?:{joins_open})\s+"
        rf"|(?P<lo>{number})(?:\s*[{join_marks}]\s*|\s+(?:{join_words})\s+))?"
        rf"(?P<num>{number})\s+\Z",
        re.IGNORECASE,
    )
    compound = _words_alt(p for k in keys for p in raw["compound"][k])
    compound_gap = re.compile(rf"\s*(?:{compound})\s*", re.IGNORECASE)

    heads = tuple(
        _Head(
            head["name"],
            re.compile(
                head["pattern"].replace("NUMBER_WORD", word_number).replace("UNIT_WORD", f"(?:{_words_alt(unit_of)})(?!\\w)"),
                re.IGNORECASE,
            ),
            head["kind"],
            head.get("start"),
            head.get("extend", True),
            tuple(t.lower() for t in head["triggers"]),
        )
        for head in raw["head"]
    )

    cues = raw["cues"]
    traps = raw["traps"]
    trap_before = re.compile(
        rf"(?<!\w)(?:{_frag_alt(p for k in keys for p in traps['before'][k])})\s*\Z", re.IGNORECASE
    )
    trap_after = re.compile(
        rf"\s*(?:{_frag_alt(p for k in keys for p in traps['after'][k])})", re.IGNORECASE
    )
    trap_event = re.compile(_words_alt(p for k in keys for p in traps["event"][k]), re.IGNORECASE)

    subj = raw["subject"]
    span = raw["span"]
    conj = _words_alt(span["conjunctions"])
    return _Lexicon(
        unit_re=unit_re,
        unit_triggers=_triggers(unit_of),
        unit_of=unit_of,
        unit_days=unit_days,
        before_re=before_re,
        number_re=number_parse,
        number_values=number_values,
        qualifier_of=qualifier_of,
        deadline_qualifiers=deadline_qualifiers,
        compound_gap=compound_gap,
        heads=heads,
        storage=_cue(cues["storage"], keys),
        processing=_cue(cues["processing"], keys),
        deadline=_cue(cues["deadline"], keys),
        request=_cue(cues["request"], keys),
        vague=_cue(cues["vague"], keys),
        legal=_cue(cues["legal"], keys),
        section=_cue(cues["section"], keys),
        trap_before=trap_before,
        trap_after=trap_after,
        trap_event=trap_event,
        table_max=re.compile(_frag_alt(raw["table_header"]["max"]), re.IGNORECASE),
        name_row=re.compile(subj["name_row"], re.IGNORECASE),
        cookie_line=re.compile(subj["cookie_line"]),
        label_max_words=int(subj["label_max_words"]),
        terms=tuple((re.compile(rf"(?<!\w)(?:{t['pattern']})", re.IGNORECASE), t["subject"]) for t in subj["term"]),
        subject_joiner=" and " if keys == ("en",) else " og ",
        max_words=int(span["max_words"]),
        list_continues=re.compile(
            rf"\s*(?:[\w/-]+\s+){{1,{int(span['list_words_after_comma'])}}}(?:{conj})(?!\w)", re.IGNORECASE
        ),
        # A conjunction ending where the search ends; read backwards by
        # _conj_before and _trim_end in a window of conj_max_len characters.
        conj_at_end=re.compile(rf"(?<!\w)(?:{conj})\Z", re.IGNORECASE),
        conj_max_len=max(len(c) for c in span["conjunctions"]) + 1,
        # The first max_words runs of non-space (possessive: no backtracking).
        first_words=re.compile(rf"(?:\s*+\S++){{{int(span['max_words'])}}}"),
    )


def _triggers(forms) -> tuple[str, ...]:
    """The shortest lower-case prefixes that cover ``forms`` ("år" covers "året")."""
    out: list[str] = []
    for form in sorted({f.lower() for f in forms}, key=len):
        if not any(form.startswith(t) for t in out):
            out.append(form)
    return tuple(out)


def _parse_number(lex: _Lexicon, phrase: str) -> float | None:
    """Value of a number written in digits or words ("3,5", "tjuefire", "halvannet")."""
    s = " ".join(phrase.lower().split())
    if s[0].isdigit():
        return float(s.replace(",", "."))
    vals = lex.number_values
    if s in vals["fractions"]:
        return float(vals["fractions"][s])
    m = lex.number_re.fullmatch(s)
    if not m or not any(m.group(g) for g in ("h", "t", "o")):
        return None
    total = 0.0
    if m.group("h"):
        total += vals["hundreds"][" ".join(m.group("h").split())]
    if m.group("t"):
        total += vals["tens"][m.group("t")]
    if m.group("o"):
        word = m.group("o")
        total += vals["ones"].get(word, vals["teens"].get(word, 0))
    return total


# ---------------------------------------------------------------------------
# Reading the layout: sentences, headings, table rows


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


# ---------------------------------------------------------------------------
# Candidates


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
    return bool(lex.trap_after.match(text, d["end"]))


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


def _admitted(text: str, lex: _Lexicon, layout: _Layout, start: int, end: int, deadline_form: bool) -> bool:
    """Is the candidate ``text[start:end]`` in a storage context? (see the lexicon header)"""
    s_lo, s_hi = layout.sentence(start)

    def nearest(pattern: re.Pattern) -> float:
        """Distance to the nearest cue of ``pattern`` in the sentence, before or
        after the candidate (cues inside the candidate itself, "lovpålagte krav",
        do not count); inf without one. Cue positions are found once per
        sentence and bisected, so many candidates in one sentence stay linear."""
        starts, ends = layout.cues(pattern, s_lo, s_hi)
        best = np.inf
        b = bisect.bisect_right(ends, start) - 1
        if b >= 0:
            best = start - ends[b]
        a = bisect.bisect_left(starts, end)
        if a < len(starts):
            best = min(best, starts[a] - end)
        return best

    near_storage = nearest(lex.storage)
    near_deadline = nearest(lex.deadline)
    if deadline_form:
        if nearest(lex.request) < np.inf:
            return False
        return near_storage < near_deadline
    if near_deadline < near_storage:
        return False
    return near_storage < np.inf or nearest(lex.processing) < np.inf or layout.in_storage_section(start)


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


# ---------------------------------------------------------------------------
# Rows


_INT_COLUMNS = ("start", "end")
_FLOAT_COLUMNS = ("days", "days_min")


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """A typed frame from row dicts, column by column (``DataFrame.astype`` on a
    small frame costs more than finding its spans); missing text is NA."""
    data = {}
    for name in columns:
        values = [r.get(name) for r in rows]
        if name in _INT_COLUMNS:
            data[name] = np.asarray(values, dtype="int64")
        elif name in _FLOAT_COLUMNS:
            data[name] = np.asarray(values, dtype="float64")
        else:
            data[name] = pd.array(values, dtype="str")
    return pd.DataFrame(data, columns=columns)


def retention_frame(rows: list[dict]) -> pd.DataFrame:
    """The retention table (:data:`RETENTION_COLUMNS`) from the rows of :func:`retention_rows`."""
    return _frame(rows, RETENTION_COLUMNS)


def _span_rows(text: str, language: str) -> list[dict]:
    """The rows of :func:`find_retention_spans` as dicts, in text order."""
    lex = _lexicon(language)
    layout = _Layout(text, lex)
    rows: list[dict] = []
    durations = _durations(text, lex, layout)
    for d in durations:
        if _trapped(text, lex, d):
            continue
        if not _admitted(text, lex, layout, d["start"], d["end"], d["deadline_form"]):
            continue
        qualifier = d["qualifier"]
        if qualifier is None:
            header = layout.table_header(d["start"])
            qualifier = "max" if header and lex.table_max.search(header) else "exact"
        rows.append(
            {
                "start": d["start"],
                "end": d["end"],
                "kind": "duration",
                "days": float(d["days"]),
                "days_min": float(d["days_min"]) if d["days_min"] is not None else np.nan,
                "qualifier": qualifier,
            }
        )
    duration_starts = sorted(d["start"] for d in durations)
    for e in _events(text, lex, layout, duration_starts):
        if _admitted(text, lex, layout, e["start"], e["end"], False):
            rows.append({**e, "days": np.nan, "days_min": np.nan, "qualifier": None})
    rows.sort(key=lambda r: (r["start"], r["end"]))
    unique, seen = [], set()
    for r in rows:
        if (r["start"], r["end"]) in seen:
            continue
        seen.add((r["start"], r["end"]))
        r["raw"] = text[r["start"] : r["end"]]
        r["subject"] = _subject(text, lex, layout, r["start"])
        unique.append(r)
    return unique


def _assign(doc_id, text, rows, clause_ids, starts, ends, kinds, language) -> list[dict]:
    """Place span rows into clauses (arrays sorted by start); drop boilerplate; cut at clause ends."""
    if not rows or len(starts) == 0:
        return []
    span_starts = np.fromiter((r["start"] for r in rows), dtype=np.int64, count=len(rows))
    idx = np.searchsorted(starts, span_starts, side="right") - 1
    out = []
    for r, i in zip(rows, idx.tolist()):
        if i < 0 or r["start"] >= ends[i] or kinds[i] == "boilerplate":
            continue
        if r["end"] > ends[i]:
            end = _trim_end(text, _lexicon(language), r["start"], int(ends[i]))
            r = {**r, "end": end, "raw": text[r["start"] : end]}
        out.append({"clause_id": clause_ids[i], "doc_id": doc_id, **r})
    return out


# ---------------------------------------------------------------------------
# Public functions


def find_retention_spans(text: str, *, language: str = "nb") -> pd.DataFrame:
    """Storage periods stated in ``text``, one row each.

    Parameters
    ----------
    text : str
        A whole notice (searched as a whole, not clause by clause: a clause
        alone lacks the section heading and sentence that decide a span).
    language : str, keyword-only
        ``"nb"`` or ``"nn"`` (one Norwegian lexicon, since notices mix the two
        written standards), ``"en"``, or anything else for all lexicons.

    Returns
    -------
    pandas.DataFrame
        ``start, end, raw, kind, days, days_min, qualifier, subject`` in text
        order; ``text[start:end] == raw``. ``kind`` is duration, event or
        unspecified; ``days`` is the length for durations (year 365, month 30,
        week 7, day 1, hour 1/24, minute 1/1440; a range gives its upper bound,
        with the lower bound in ``days_min``), NaN otherwise; ``qualifier`` is
        exact, approx, max or min for durations and missing otherwise;
        ``subject`` names what the period applies to where that can be read
        reliably (a cookie name, a table row's data category, "chat"), else "".

    Examples
    --------
    >>> find_retention_spans("_ga, google.com, lagres i to år")[["raw", "days", "subject"]].values.tolist()
    [['to år', 730.0, '_ga']]
    """
    return _frame(_span_rows(text, language), SPAN_COLUMNS)


def _clause_arrays(clauses):
    """Clause ids, starts, ends and kinds sorted by start, from a frame or a dict of lists."""
    start = np.asarray(clauses["start"], dtype=np.int64)
    order = np.argsort(start, kind="stable")
    return (
        np.asarray(clauses["clause_id"], dtype=object)[order],
        start[order],
        np.asarray(clauses["end"], dtype=np.int64)[order],
        np.asarray(clauses["kind"], dtype=object)[order],
    )


def document_retention(
    doc_id: str, text: str, clauses: pd.DataFrame, *, language: str = "nb"
) -> pd.DataFrame:
    """Storage periods of one notice, each assigned to the clause that holds it.

    Spans are found once over the whole ``text`` and placed into clauses by
    offset (``numpy.searchsorted`` on clause starts). A span never crosses a
    clause boundary: it is cut at the end of the clause it starts in. Spans in
    ``boilerplate`` clauses are dropped.

    Parameters
    ----------
    doc_id : str
        The notice's id; only clauses of this ``doc_id`` are used.
    text : str
        The notice text that the clause offsets refer to.
    clauses : pandas.DataFrame
        Needs ``clause_id, doc_id, start, end, kind``.
    language : str, keyword-only
        As in :func:`find_retention_spans`.

    Returns
    -------
    pandas.DataFrame
        ``clause_id, doc_id`` and the columns of :func:`find_retention_spans`.

    Examples
    --------
    >>> text = "Lagring\\n\\nLogger lagres i 90 dager."
    >>> clauses = pd.DataFrame({"clause_id": ["d:0000", "d:0001"], "doc_id": "d",
    ...     "start": [0, 9], "end": [7, 34], "kind": ["heading", "paragraph"]})
    >>> document_retention("d", text, clauses)[["clause_id", "raw", "days"]].values.tolist()
    [['d:0001', '90 dager', 90.0]]
    """
    if "doc_id" in clauses.columns:
        clauses = clauses[clauses["doc_id"] == doc_id]
    return retention_frame(retention_rows(doc_id, text, clauses, language=language))


def retention_rows(doc_id: str, text: str, clauses, *, language: str = "nb") -> list[dict]:
    """The rows of :func:`document_retention` as dicts (``clauses``: the notice's
    clauses as a frame or a dict of column lists); ``build`` frames many notices at once.

    >>> retention_rows("d", "Logger lagres i 90 dager.", {"clause_id": ["d:0000"], "start": [0], "end": [25],
    ...     "kind": ["paragraph"]})[0]["days"]
    90.0
    """
    if len(clauses["start"]) == 0:
        return []
    return _assign(doc_id, text, _span_rows(text, language), *_clause_arrays(clauses), language)


def retention_spans(documents: pd.DataFrame, clauses: pd.DataFrame) -> pd.DataFrame:
    """Storage periods of a whole corpus (the ``retention`` table of ``tables.md``).

    The same as :func:`document_retention` for every notice, with one table
    built at the end.

    Parameters
    ----------
    documents : pandas.DataFrame
        Needs ``doc_id`` and ``text``; ``language`` is used when present
        (default ``"nb"``).
    clauses : pandas.DataFrame
        The clause table (``clause_id, doc_id, start, end, kind``).

    Returns
    -------
    pandas.DataFrame
        One row per storage period, columns :data:`RETENTION_COLUMNS`; empty
        input gives an empty frame with these columns.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d"], "text": ["Vi sletter data etter tolv måneder."], "language": ["nb"]})
    >>> clauses = pd.DataFrame({"clause_id": ["d:0000"], "doc_id": ["d"], "start": [0], "end": [35], "kind": ["paragraph"]})
    >>> retention_spans(docs, clauses)[["clause_id", "raw", "days"]].values.tolist()
    [['d:0000', 'tolv måneder', 360.0]]
    """
    if documents.empty or clauses.empty:
        return _frame([], RETENTION_COLUMNS)
    clause_id, start, end, kind = (clauses[c].to_numpy() for c in ("clause_id", "start", "end", "kind"))
    start, end = start.astype(np.int64), end.astype(np.int64)
    positions = clauses.groupby("doc_id", sort=False).indices
    languages = documents["language"].fillna("nb") if "language" in documents.columns else ["nb"] * len(documents)
    rows: list[dict] = []
    for doc_id, text, language in zip(documents["doc_id"], documents["text"], languages):
        pos = positions.get(doc_id)
        if pos is None:
            continue
        pos = pos[np.argsort(start[pos], kind="stable")]
        spans = _span_rows(text, str(language))
        rows.extend(_assign(doc_id, text, spans, clause_id[pos], start[pos], end[pos], kind[pos], str(language)))
    return _frame(rows, RETENTION_COLUMNS)

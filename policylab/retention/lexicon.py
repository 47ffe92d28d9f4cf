"""The retention lexicon, compiled: ``lexicons/retention.toml`` as regexes and tables.

:func:`_lexicon` reads the TOML once (:func:`_raw_lexicon`) and compiles one
:class:`_Lexicon` per language key (bokmål and nynorsk share the ``no`` key),
cached; every other module of :mod:`policylab.retention` reads words, cues and
traps only through it. :func:`_parse_number` gives the value of a number written
in digits or words.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from importlib import resources


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
    trap_before_years: re.Pattern
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
        # "tre (3) år", "3 (tre) år": the number written twice, read from the first.
        rf"(?P<num>{number})(?:\s*\(\s*{number}\s*\))?\s+\Z",
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
    trap_before_years = re.compile(
        rf"(?<!\w)(?:{_frag_alt(p for k in keys for p in traps['before_years'][k])})\s*\Z", re.IGNORECASE
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
        trap_before_years=trap_before_years,
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

"""Rule-based tagging of clauses: topics, legal bases and rights (taxonomy.md).

Every label comes from words of the notice. The cues live in one TOML lexicon per
language (``lexicons/nb.toml``, ``nn.toml``, ``en.toml``); this module only
compiles and applies them. A researcher extends the tagger by editing a lexicon.

How a clause gets a label
-------------------------
1. **Cues.** Each label has groups of cues. A cue is a *stem pattern* matched on
   word boundaries, case-insensitively (``oppbevar*``, ``*lagringstid*``,
   ``trekk* ... samtykk*``: ``*`` stands for letters, ``...`` for up to a few
   words, ``(a|b)`` for alternatives, ``~ord`` for the Snowball stem of *ord*
   followed by any letters), or a regular expression (``re``) for structural
   cues. Each group has a ``weight`` (the score of one cue).
2. **Context.** A group may name ``requires`` (some pattern must occur in the
   same sentence: rights need a person-oriented cue such as "du kan", "be om"),
   ``unless`` (no such pattern in the same sentence: "samtykke" is no legal basis
   in a sentence about withdrawing it) and ``not_in`` (the cue must not lie inside
   such a match: "annen behandlingsansvarlig" names no controller). ``@name``
   refers to a named list in the lexicon's ``[context]``. ``or_under`` lets the
   clause's headings stand in for ``requires`` ("• Retting: Få rettet ..." under
   "Dine rettigheter"), and ``enough = n`` lets n distinct cues of the group in
   one clause do so (a list of three data items is a statement of categories).
3. **Article references** ("GDPR artikkel 6 (1) f", "art. 6 nr. 1 bokstav b og
   f", "Article 6(1)(a)") map each letter to its legal basis (``[articles]``).
4. **Scores.** Several distinct cues of one label combine as a noisy-or:
   ``1 - prod(1 - weight)``.
5. **Headings.** A clause inherits the *topics* of its headings (section path,
   nearest first) with a lower score (``[scores] inherit``), source ``heading``,
   its cue being the heading's cue words. Rights are inherited only from the
   nearest heading and only where that heading itself names a right ("Rett til
   innsyn"); legal bases are never inherited. A clause does not inherit a label
   whose cue it contains but that its context vetoed (``unless``/``not_in``),
   nor one whose ``blocks`` patterns it matches ("besvares ... innen 30 dager"
   under a retention heading is a response deadline).

6. **Title.** A title that names a topic rather than the notice ("Cookies og
   lovtekst", not "Personvernerklæring": ``[title] general``) passes its topics
   to every clause with the lowest score (``[title] inherit``).

7. **Lead-ins.** A list item takes the ``[lead_in] topics`` that its lead-in
   (the paragraph just before the list, matching ``[lead_in] match``: "...
   til følgende formål:") has from the words of its last sentence, the one
   that opens the list, source ``heading``: the items
   of "Formål:" are purposes even when they are bare verb phrases ("• Beregne og
   rapportere brukerantall").

Boilerplate clauses and the notice's title (heading of level 0) get no labels.

Examples
--------
>>> tag_text("Vi lagrer opplysningene i to år.", language="nb")[["dimension", "label", "cue"]].values.tolist()
[['topic', 'retention', 'lagrer opplysningene i to år']]
"""

from __future__ import annotations

import bisect
import math
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from . import scan
from .languages import PROFILES
from .labels import DIMENSION_DTYPE, LABEL_DTYPE, LABELS_BY_DIMENSION, SOURCE_DTYPE
from .tokenize import sentence_spans, snowball

__all__ = ["TAG_COLUMNS", "LANGUAGES", "tag_clauses", "tag_document", "tag_frame", "tag_rows", "tag_text", "lexicon_table"]

#: Columns of the frames this module returns (the first six are tables.md's).
TAG_COLUMNS = [
    "clause_id", "doc_id", "dimension", "label", "score", "cue",
    "source", "cue_start", "cue_end", "from_clause",
]
#: Languages with a lexicon (the profiles of policylab.languages that name one).
LANGUAGES = tuple(code for code, profile in PROFILES.items() if profile.tagged)

_DIM_ORDER = {d: i for i, d in enumerate(LABELS_BY_DIMENSION)}
_LABEL_ORDER = {(d, lab): i for d, labs in LABELS_BY_DIMENSION.items() for i, lab in enumerate(labs)}
# Joins the clauses of one document for one regex pass per label. "^" still anchors
# at each clause's start (after the newline), "\\W*" cannot run across the "_", and
# matches that would span the separator are dropped.
_SEP = "\n\x00_\x00\n"
_MACRO = re.compile(r"<<(\w+)>>")
_LEADING = r"\w*"  # how a stem pattern with a leading "*" begins
_LOOKBEHIND = r"(?<!\w)"
_ESCAPE = re.compile(r"\\.")


def _caseless(regex: str) -> bool:
    """Whether a regex means the same on lower-cased text without IGNORECASE."""
    bare = _ESCAPE.sub("", regex)
    return not any(c.isupper() for c in bare) and "(?-i" not in regex and "(?i" not in regex
# Case-insensitive; "^" and "$" anchor at the start and end of every clause (and line).
_FLAGS = re.IGNORECASE | re.MULTILINE
_WORDCHAR = re.compile(r"\w")
_NONWORD = re.compile(r"\W")


# --------------------------------------------------------------------------- lexicons


@dataclass
class _Group:
    """One group of cues of one label, with its context conditions."""

    name: str
    finder: "_Finder"
    weight: float
    requires: re.Pattern | None
    unless: re.Pattern | None
    not_in: re.Pattern | None
    scope: str  # "sentence" | "clause"
    headings_only: bool
    enough: int
    or_under: tuple[str, ...]


@dataclass
class _Finder:
    """Finds the cues of one group in a document.

    Stem patterns run case-sensitively on a lower-cased copy of the text, without
    look-arounds at their start, so that ``re`` can skip ahead to the possible
    first letters (ten times faster than IGNORECASE with a lookbehind); the left
    word boundary is checked in Python. Patterns with a leading ``*`` run without
    it and are extended to the start of their word. Regular-expression cues run
    with IGNORECASE on the original text.
    """

    anchored: tuple[re.Pattern, ...]
    free: re.Pattern | None
    regex: re.Pattern | None
    id: int = 0  # its number in the lexicon's prefilter

    def spans(self, text: str, low: str) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for anchored in self.anchored:
            pos, n = 0, len(low)
            search = anchored.search
            while pos < n:
                m = search(low, pos)
                if m is None:
                    break
                s, e = m.span()
                if s > 0 and _WORDCHAR.match(low, s - 1):
                    # Starts inside a word: no cue can start before the word ends.
                    after = _NONWORD.search(low, s)
                    pos = after.start() if after is not None else n
                    continue
                if e > s:
                    out.append((s, e))
                pos = max(e, s + 1)
        if self.free is not None:
            for m in self.free.finditer(low):
                s, e = m.span()
                if e == s:
                    continue
                # A "*x" cue matched from "x": take the whole word.
                while s > 0 and _WORDCHAR.match(low, s - 1) and _WORDCHAR.match(low, s):
                    s -= 1
                out.append((s, e))
        if self.regex is not None:
            out.extend(m.span() for m in self.regex.finditer(text) if m.end() > m.start())
        return sorted(set(out))


class _Prefilter:
    """Which clauses each cue group, and each context pattern, can match in:
    one scan per clause of one database (:mod:`policylab.scan`) holding the
    stem patterns, regex cues and context patterns (``requires``/``unless``/
    ``not_in``). The Python patterns then run only on the reported clauses, so
    the labels are exactly those of a run without it.
    """

    def __init__(self, finders: list[_Finder], contexts: list[re.Pattern]):
        first = max((f.id for f in finders), default=-1) + 1
        # By id(): hashing a compiled pattern hashes its whole program, every time.
        self.context_ids = {id(p): first + k for k, p in enumerate(contexts)}
        patterns = [(p, f.id) for f in finders for p in (*f.anchored, f.free, f.regex) if p is not None]
        self.database = scan.prefilter(patterns + [(p, self.context_ids[id(p)]) for p in contexts])

    def candidates(self, texts: list[str], lows: list[str]) -> dict[int, list[int]]:
        """``{id: [clause index, ...]}`` of the clauses each group or context pattern may match in."""
        found: dict[int, list[int]] = defaultdict(list)
        for idx, low in enumerate(lows):
            if low:
                # The lower-cased clause is one step from canonical (scan.canonical).
                for id_ in self.database.possible(low):
                    found[id_].append(idx)
        return found


def _prefilter(finders: list[_Finder], contexts: list[re.Pattern]) -> _Prefilter | None:
    """The lexicon's prefilter, or None where hyperscan is not installed."""
    found = _Prefilter(finders, contexts)
    return found if found.database is not None else None


@dataclass
class _Label:
    dimension: str
    label: str
    groups: dict[str, _Group]
    blocks: re.Pattern | None
    implied_by: tuple[str, ...]
    # Topics beside which a heading does not pass this label down ("Kva for
    # personopplysningar behandlar vi, og kvifor?": its list of data items is no purpose).
    not_beside: tuple[str, ...] = ()
    # Topics that, named by the clause itself, keep it from inheriting this label
    # (a complaint-only clause under "Dine rettigheter" is `complaint`, not `rights`).
    yields_to: tuple[str, ...] = ()


@dataclass
class _Lexicon:
    language: str
    labels: list[_Label]
    articles: re.Pattern | None
    article_weight: float
    article_letters: dict[str, str]
    inherit: tuple[float, ...]
    right_inherit: float
    title_inherit: float = 0.25
    title_general: re.Pattern | None = None
    column_titles: re.Pattern | None = None
    # A list item takes these topics from its lead-in paragraph ("... følgende formål:").
    lead_in: re.Pattern | None = None
    lead_in_topics: tuple[str, ...] = ()
    lead_in_inherit: float = 0.5
    by_key: dict[tuple[str, str], _Label] = field(default_factory=dict)
    prefilter: _Prefilter | None = None


def _read_toml(language: str) -> dict:
    path = resources.files("policylab").joinpath(f"lexicons/{language}.toml")
    if not path.is_file():
        raise ValueError(f"no lexicon for language {language!r}; have {', '.join(LANGUAGES)}")
    return tomllib.loads(path.read_text("utf-8"))


def _merge(base: dict, extra: dict) -> dict:
    """``extra`` on top of ``base``: lists are concatenated, tables merged, scalars replaced."""
    out = dict(base)
    for key, value in extra.items():
        if key in out and isinstance(out[key], dict) and isinstance(value, dict):
            out[key] = _merge(out[key], value)
        elif key in out and isinstance(out[key], list) and isinstance(value, list):
            out[key] = out[key] + value
        else:
            out[key] = value
    return out


def _raw_lexicon(language: str) -> dict:
    raw = _read_toml(language)
    merged: dict = {}
    for parent in raw.get("meta", {}).get("extends", []):
        merged = _merge(merged, _raw_lexicon(parent))
    return _merge(merged, raw)


def _split_words(pattern: str) -> list[str]:
    """Words of a stem pattern, split on white space outside parentheses."""
    words, depth, cur = [], 0, ""
    for ch in pattern:
        if ch.isspace() and depth == 0:
            if cur:
                words.append(cur)
            cur = ""
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        cur += ch
    if cur:
        words.append(cur)
    return words


def _split_alternatives(inner: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "|" and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        cur += ch
    parts.append(cur)
    return parts


class _Compiler:
    """Turns the patterns of one lexicon into regular expressions."""

    def __init__(self, raw: dict):
        meta = raw.get("meta", {})
        self.stemmer = snowball(meta["stemmer"]) if meta.get("stemmer") else None
        self.gap = int(raw.get("scores", {}).get("gap_words", 4))
        self.macros = {k: v for k, v in raw.get("macros", {}).items()}
        self.context = raw.get("context", {})

    def macro(self, pattern: str) -> str:
        def sub(m: re.Match) -> str:
            name = m.group(1)
            if name not in self.macros:
                raise ValueError(f"unknown macro <<{name}>> in {pattern!r}")
            return f"(?:{self.macro(self.macros[name])})"

        return _MACRO.sub(sub, pattern)

    def token(self, tok: str) -> str:
        """One word of a stem pattern: ``*`` letters, ``(a|b)`` alternatives, ``(x)?`` optional, ``~w`` stem."""
        if tok.startswith("~") and len(tok) > 1:
            if self.stemmer is None:
                raise ValueError(f"{tok!r}: the lexicon names no stemmer")
            return re.escape(self.stemmer.stem(tok[1:].lower())) + r"\w*"
        out: list[str] = []
        i = 0
        while i < len(tok):
            ch = tok[i]
            if ch == "*":
                out.append(r"\w*")
            elif ch.isspace():
                # Only inside a group: "(vi )?inn", "(den registrerte|deg)".
                if not out or out[-1] != r"\s+":
                    out.append(r"\s+")
            elif ch == "(":
                depth, j = 1, i + 1
                while j < len(tok) and depth:
                    depth += {"(": 1, ")": -1}.get(tok[j], 0)
                    j += 1
                if depth:
                    raise ValueError(f"unbalanced parenthesis in cue word {tok!r}")
                inner = tok[i + 1:j - 1]
                out.append("(?:" + "|".join(self.token(t) for t in _split_alternatives(inner)) + ")")
                if j < len(tok) and tok[j] == "?":
                    out.append("?")
                    j += 1
                i = j
                continue
            else:
                out.append(re.escape(ch.lower()))
            i += 1
        return "".join(out)

    def stem(self, pattern: str) -> str:
        """A stem pattern ("trekk* ... samtykk*") as a regex with word boundaries."""
        parts: list[str] = []
        gap = False
        for tok in _split_words(pattern):
            if tok == "...":
                gap = True
                continue
            if parts:
                # A gap skips up to `gap` words that do not end a sentence.
                parts.append(rf"(?:\s+\S*?[^\s.!?;:]){{0,{self.gap}}}?\s+" if gap else r"\s+")
            parts.append(self.token(tok))
            gap = False
        if not parts:
            raise ValueError(f"empty cue pattern {pattern!r}")
        # Word boundaries are added once around all stem patterns (see `combine`).
        return "".join(parts)

    def expand(self, pattern: str) -> list[str]:
        """Spell out a leading group ("(er|vi er) pålagt" -> two patterns).

        ``re`` can only skip ahead to a cue's possible first letters when every
        alternative starts with a letter, not with a group.
        """
        words = _split_words(pattern)
        if not words or not words[0].startswith("("):
            return [pattern]
        first = words[0]
        depth, j = 0, 0
        for j, ch in enumerate(first):
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if depth == 0:
                break
        inner, rest = first[1:j], first[j + 1:]
        options = _split_alternatives(inner)
        if rest.startswith("?"):
            options.append("")
            rest = rest[1:]
        out = []
        for option in options:
            head = (option + rest).strip()
            tail = " ".join(words[1:])
            new = f"{head} {tail}".strip() if head else tail
            if new:
                out.extend(self.expand(new))
        return out

    def entry(self, pattern: str) -> list[tuple[str, str]]:
        """One list entry as (kind, regex): ``@context`` name, ``re:`` regex, or stem pattern."""
        if pattern.startswith("@"):
            name = pattern[1:]
            if name not in self.context:
                raise ValueError(f"unknown context list @{name}")
            out: list[tuple[str, str]] = []
            for p in self.context[name]:
                out.extend(self.entry(p))
            return out
        if pattern.startswith("re:"):
            return [("re", self.macro(pattern[3:]))]
        return [("stem", self.stem(p)) for p in self.expand(pattern)]

    @staticmethod
    def combine(entries: list[tuple[str, str]]) -> str:
        # One shared pair of word boundaries around all stem patterns: Python's re
        # tries alternatives one by one, and a lookbehind per alternative costs more
        # than the alternatives themselves.
        stems = [body for kind, body in entries if kind == "stem"]
        regexes = [body for kind, body in entries if kind == "re"]
        parts = []
        if stems:
            parts.append(r"(?<!\w)(?:" + "|".join(stems) + r")(?!\w)")
        parts += [f"(?:{r})" for r in regexes]
        return "|".join(parts)

    def alternation(self, patterns: list[str] | None) -> re.Pattern | None:
        if not patterns:
            return None
        return re.compile(self.combine([e for p in patterns for e in self.entry(p)]), _FLAGS)

    def finder(self, group: dict) -> _Finder | None:
        entries = [e for p in group.get("match", []) for e in self.entry(p)]
        entries += [("re", self.macro(p)) for p in group.get("re", [])]
        if not entries:
            return None
        anchored = [b for k, b in entries if k == "stem" and not b.startswith(_LEADING)]
        free = [b[len(_LEADING):] for k, b in entries if k == "stem" and b.startswith(_LEADING)]
        if any(not b or b[0] in "*+?{" for b in free):
            raise ValueError(f"a cue of {group} is only a wildcard")
        regexes = [b for k, b in entries if k == "re"]
        # Regexes without upper-case letters run on the lower-cased text as well,
        # without IGNORECASE; a leading (?<!\w) becomes the Python boundary check.
        lowered = [r for r in regexes if _caseless(r)]
        cased = [r for r in regexes if not _caseless(r)]
        bounded = [r[len(_LOOKBEHIND):] for r in lowered if r.startswith(_LOOKBEHIND)]
        unbounded = [r for r in lowered if not r.startswith(_LOOKBEHIND)]
        end = r")(?!\w)"
        anchored_res = []
        if anchored:
            anchored_res.append(re.compile("(?:" + "|".join(anchored) + end, re.MULTILINE))
        if bounded:
            anchored_res.append(re.compile("|".join(f"(?:{r})" for r in bounded), re.MULTILINE))
        free_parts = ["(?:" + "|".join(free) + end] if free else []
        free_parts += [f"(?:{r})" for r in unbounded]
        return _Finder(
            anchored=tuple(anchored_res),
            free=re.compile("|".join(free_parts), re.MULTILINE) if free_parts else None,
            regex=re.compile("|".join(f"(?:{r})" for r in cased), _FLAGS) if cased else None,
        )


def _column_titles(words: list[str] | None) -> re.Pattern | None:
    """A table row whose every cell is a column title ("Kva | Forklaring")."""
    if not words:
        return None
    cell = r"\s*(?:" + "|".join(re.escape(w) for w in words) + r")\s*"
    return re.compile(rf"^{cell}(?:\|{cell})+$", re.IGNORECASE)


def _compile_lexicon(language: str, prefilter: bool = True) -> _Lexicon:
    raw = _raw_lexicon(language)
    comp = _Compiler(raw)
    labels: list[_Label] = []
    for dimension, names in LABELS_BY_DIMENSION.items():
        section = raw.get(dimension, {})
        unknown = set(section) - set(names)
        if unknown:
            raise ValueError(f"{language}.toml: unknown {dimension} labels {sorted(unknown)}")
        for name in names:
            spec = section.get(name, {})
            groups: dict[str, _Group] = {}
            for i, g in enumerate(spec.get("cues", [])):
                finder = comp.finder(g)
                if finder is None:
                    continue
                gname = f"g{i}"
                groups[gname] = _Group(
                    name=gname,
                    finder=finder,
                    weight=float(g.get("weight", raw.get("scores", {}).get("direct", 0.9))),
                    requires=comp.alternation(g.get("requires")),
                    unless=comp.alternation(g.get("unless")),
                    not_in=comp.alternation(g.get("not_in")),
                    scope=g.get("scope", "sentence"),
                    headings_only=bool(g.get("headings_only", False)),
                    enough=int(g.get("enough", 0)),
                    or_under=tuple(g.get("or_under", ())),
                )
            labels.append(
                _Label(
                    dimension=dimension,
                    label=name,
                    groups=groups,
                    blocks=comp.alternation(spec.get("blocks")),
                    not_beside=tuple(spec.get("not_beside", ())),
                    yields_to=tuple(spec.get("yields_to", ())),
                    implied_by=tuple(spec.get("implied_by", ())),
                )
            )
    art = raw.get("articles", {})
    letters = {k.lower(): v for k, v in art.get("letters", {}).items()}
    bad = set(letters.values()) - set(LABELS_BY_DIMENSION["legal_basis"])
    if bad:
        raise ValueError(f"{language}.toml: [articles.letters] maps to unknown bases {sorted(bad)}")
    scores = raw.get("scores", {})
    lex = _Lexicon(
        language=language,
        labels=labels,
        articles=re.compile(comp.macro(art["re"]), _FLAGS) if art.get("re") else None,
        article_weight=float(art.get("weight", 0.95)),
        article_letters=letters,
        inherit=tuple(float(s) for s in scores.get("inherit", (0.5, 0.35, 0.25))),
        right_inherit=float(scores.get("right_inherit", 0.5)),
        title_inherit=float(raw.get("title", {}).get("inherit", 0.25)),
        title_general=comp.alternation(raw.get("title", {}).get("general")),
        column_titles=_column_titles(raw.get("table", {}).get("column_titles")),
        lead_in=comp.alternation(raw.get("lead_in", {}).get("match")),
        lead_in_topics=tuple(raw.get("lead_in", {}).get("topics", ())),
        lead_in_inherit=float(raw.get("lead_in", {}).get("inherit", 0.5)),
    )
    lex.by_key = {(lab.dimension, lab.label): lab for lab in labels}
    finders = [g.finder for lab in labels for g in lab.groups.values()]
    for i, finder in enumerate(finders):
        finder.id = i
    contexts = list(dict.fromkeys(
        [p for lab in labels for g in lab.groups.values() for p in (g.requires, g.unless, g.not_in) if p is not None]
        + [lab.blocks for lab in labels if lab.blocks is not None]))
    lex.prefilter = _prefilter(finders, contexts) if prefilter else None
    return lex


@lru_cache(maxsize=None)
def _lexicon(language: str, prefilter: bool = True) -> _Lexicon:
    # Compiled once per language and process: build() calls tag_document per notice.
    return _compile_lexicon(language, prefilter)


def lexicon_table(language: str = "nb") -> pd.DataFrame:
    """The cues of one language as a tidy table, one row per cue pattern.

    Columns: ``language, dimension, label, group`` (the cue group's number within
    its file), ``kind`` (``match`` for stem patterns, ``re`` for regular
    expressions), ``pattern, weight, note`` and ``source``: the lexicon file the
    cue comes from (nynorsk uses the bokmål cues too).

    >>> cues = lexicon_table("nn")
    >>> cues.loc[cues.pattern == "personvernombud*", ["label", "source"]].values.tolist()
    [['dpo', 'nb.toml']]
    """
    if language not in LANGUAGES:
        raise ValueError(f"no lexicon for language {language!r}; have {', '.join(LANGUAGES)}")
    rows = []

    def add(lang: str) -> None:
        raw = _read_toml(lang)
        for parent in raw.get("meta", {}).get("extends", []):
            add(parent)
        default = _raw_lexicon(language).get("scores", {}).get("direct", 0.9)
        for dimension, names in LABELS_BY_DIMENSION.items():
            for name in names:
                for i, g in enumerate(raw.get(dimension, {}).get(name, {}).get("cues", [])):
                    for kind in ("match", "re"):
                        for p in g.get(kind, []):
                            rows.append((language, dimension, name, i, kind, p, float(g.get("weight", default)),
                                         g.get("note", ""), f"{lang}.toml"))

    add(language)
    return pd.DataFrame(rows, columns=["language", "dimension", "label", "group", "kind", "pattern", "weight",
                                       "note", "source"])


# --------------------------------------------------------------------------- tagging


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
        for (idx, gname), found in raw.items():
            group = lab.groups[gname]
            if group.headings_only and not is_heading[idx]:
                continue
            text = texts[idx]
            # Where the group's not_in matches, found once per clause (groups share lists).
            vetoed = context.spans(group.not_in, idx, 0, len(text)) if group.not_in is not None else ()
            for cue, (s, e) in found:
                if any(vs < e and s < ve for vs, ve in vetoed):
                    suppressed[idx].add(key)
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


# The number that opens a heading ("3.", "2.1", "10)"): its depth tells siblings from children.
_HEADING_NUMBER = re.compile(r"^\W*(\d{1,3}(?:\.\d{1,3})*)[.)]?\s")


def _numbering_depth(text: str) -> int | None:
    m = _HEADING_NUMBER.match(text)
    return m.group(1).count(".") + 1 if m else None


def _ancestors(sections: list[str], is_heading: list[bool], texts: list[str] | None = None) -> list[list[int]]:
    """For each clause, the indices of its enclosing headings, nearest first.

    A heading's ``section`` is the path down to and including itself, so the
    enclosing headings of a clause are the latest headings whose section is a
    prefix of the clause's section path.

    Where ``texts`` are given, a heading numbered at the same depth as a nearer
    heading of the chain is its sibling, not its parent ("3. Utlevering" above
    "6. Bruk av informasjonskapslar" when the source marked them up at different
    levels): its topics do not pass down.
    """
    latest: dict[str, int] = {}
    out: list[list[int]] = []
    for i, section in enumerate(sections):
        chain: list[int] = []
        if section:
            parts = section.split(" > ")
            for k in range(len(parts), 0, -1):
                j = latest.get(" > ".join(parts[:k]))
                if j is not None and j != i and j not in chain:
                    chain.append(j)
        if texts is not None and chain:
            own = _numbering_depth(texts[i]) if is_heading[i] else None
            depths: set[int] = set() if own is None else {own}
            kept = []
            for j in chain:
                depth = _numbering_depth(texts[j])
                if depth is not None and depth in depths:
                    continue
                if depth is not None:
                    depths.add(depth)
                kept.append(j)
            chain = kept
        out.append(chain)
        if is_heading[i] and section:
            latest[section] = i
    return out


def _lead_ins(kinds: list, sections: list[str], texts: list[str], keep: list[bool], lex: _Lexicon) -> list[int | None]:
    """For each list item, the index of its lead-in paragraph (None where it has none).

    The lead-in is the paragraph right before the item's list, in the same
    section, whose text matches ``[lead_in] match`` (it ends with a colon).
    """
    out: list[int | None] = [None] * len(kinds)
    if lex.lead_in is None or not lex.lead_in_topics:
        return out
    lead: int | None = None
    for i, kind in enumerate(kinds):
        if kind == "list_item":
            if lead is not None and sections[lead] == sections[i]:
                out[i] = lead
            continue
        lead = i if kind == "paragraph" and keep[i] and lex.lead_in.search(texts[i]) else None
    return out


def _frame(rows: list[tuple]) -> pd.DataFrame:
    """The output table from row tuples in TAG_COLUMNS order (typed column by column:
    ``DataFrame.astype`` costs more than the tagging of a short notice)."""
    cols = list(zip(*rows)) if rows else [()] * len(TAG_COLUMNS)
    data = {
        "clause_id": pd.array(cols[0], dtype="str"),
        "doc_id": pd.array(cols[1], dtype="str"),
        "dimension": pd.Categorical(cols[2], dtype=DIMENSION_DTYPE),
        "label": pd.Categorical(cols[3], dtype=LABEL_DTYPE),
        "score": np.asarray(cols[4], dtype="float64"),
        "cue": pd.array(cols[5], dtype="str"),
        "source": pd.Categorical(cols[6], dtype=SOURCE_DTYPE),
        "cue_start": pd.array(cols[7], dtype="Int64"),
        "cue_end": pd.array(cols[8], dtype="Int64"),
        "from_clause": pd.array(cols[9], dtype="str"),
    }
    return pd.DataFrame(data)


def _empty() -> pd.DataFrame:
    return _frame([])


def _column(clauses, name: str) -> list | None:
    """One column of a clauses frame or dict of lists, as a list (None when absent)."""
    if name not in clauses:
        return None
    values = clauses[name]
    return values.tolist() if hasattr(values, "tolist") else list(values)


def _taggable(kinds: list, levels: list) -> list[bool]:
    """Which clauses get labels: not boilerplate, not the title."""
    return [k != "boilerplate" and not (k == "heading" and _is_zero(lv)) for k, lv in zip(kinds, levels)]


def _is_zero(level) -> bool:
    try:
        return level is not None and level is not pd.NA and float(level) == 0
    except (TypeError, ValueError):
        return False


def _topical_title(kinds: list, levels: list, texts: list, keep: list[bool], lex: _Lexicon) -> int | None:
    """Position of the notice's title where it names a topic of the notice
    ("Cookies og lovtekst"), not where it names the notice itself
    ("Personvernerklæring", ``[title] general``)."""
    if lex.title_general is None:
        return None
    for i, (kind, level) in enumerate(zip(kinds, levels)):
        if kind == "heading" and _is_zero(level) and not keep[i]:
            return None if lex.title_general.search(str(texts[i])) else i
    return None


def tag_document(clauses_of_one_doc: pd.DataFrame, *, language: str) -> pd.DataFrame:
    """Label the clauses of one notice (the per-notice step of ``build``).

    Parameters
    ----------
    clauses_of_one_doc
        Clauses of one notice in document order, with at least ``clause_id,
        doc_id, text``; ``kind, level, section, start`` are used when present
        (boilerplate and the title get no labels; ``section`` drives heading
        inheritance; ``start`` turns cue offsets into document offsets).
    language
        ``nb``, ``nn`` or ``en``: which lexicon to use; ``""`` is bokmål.
        A language without a lexicon (a Danish notice in a corpus) gets no
        tags (:func:`policylab.languages.resolve`), never a foreign lexicon's.

    Returns
    -------
    DataFrame with :data:`TAG_COLUMNS`: one row per (clause, dimension, label);
    ``cue_start``/``cue_end`` are document offsets of the first cue (of the
    heading's cue for inherited labels), ``from_clause`` the clause whose words
    gave the label.

    Examples
    --------
    >>> from policylab.segment import segment_document
    >>> text = "Personvern\\n\\nOppbevaringstid\\n\\nVi sletter dataene etter fem år.\\n\\nDet gjelder kopier.\\n\\nKrav besvares innen 30 dager."
    >>> tags = tag_document(segment_document("d", text), language="nb")
    >>> tags[["clause_id", "label", "source"]].values.tolist()
    [['d:0001', 'retention', 'rule'], ['d:0002', 'retention', 'rule'], ['d:0003', 'retention', 'heading']]
    """
    return _frame(tag_rows(clauses_of_one_doc, language=language))


def tag_frame(rows: list[tuple]) -> pd.DataFrame:
    """The labels table from the row tuples of :func:`tag_rows` (of one notice or many)."""
    return _frame(rows)


def tag_rows(clauses_of_one_doc, *, language: str) -> list[tuple]:
    """The rows of :func:`tag_document` as tuples in :data:`TAG_COLUMNS` order.

    ``clauses_of_one_doc`` is a clauses frame or a dict of column lists
    (:func:`policylab.segment.segment_columns`); ``build`` frames many notices'
    rows at once.

    >>> tag_rows({"clause_id": ["x:0000"], "doc_id": ["x"], "text": ["Du kan kreve innsyn."]}, language="nb")[1][:4]
    ('x:0000', 'x', 'right', 'access')
    """
    from .languages import resolve

    # One rule for every caller (policylab.languages.resolve): no language is
    # bokmål, a language without a lexicon gets no tags (never a foreign lexicon's).
    profile = resolve(language)
    if not profile.tagged:
        return []
    language = profile.code
    lex = _lexicon(language)
    raw_texts = _column(clauses_of_one_doc, "text") or []
    n = len(raw_texts)
    if n == 0:
        return []
    kinds = _column(clauses_of_one_doc, "kind") or ["paragraph"] * n
    levels = _column(clauses_of_one_doc, "level") or [None] * n
    keep = _taggable(kinds, levels)
    title = _topical_title(kinds, levels, raw_texts, keep, lex)
    # The title is tagged (its topics may pass down) but gets no rows of its own.
    texts = [str(t) if keep[i] or i == title else "" for i, t in enumerate(raw_texts)]
    is_heading = [k == "heading" for k in kinds]
    sections = [str(s) if isinstance(s, str) else "" for s in _column(clauses_of_one_doc, "section") or [""] * n]
    offsets = [int(s) for s in _column(clauses_of_one_doc, "start") or [0] * n]
    ids = [str(c) for c in _column(clauses_of_one_doc, "clause_id")]
    doc_ids = [str(d) for d in _column(clauses_of_one_doc, "doc_id")]

    accepted, suppressed, pending, context = _direct_labels(texts, is_heading, lex)

    def blocked(lab: _Label, i: int) -> bool:
        # "besvares ... innen 30 dager" under a retention heading: found once per clause and label.
        return lab.blocks is not None and bool(context.spans(lab.blocks, i, 0, len(texts[i])))

    # A clause about something the rights topic yields to ("Du har også rett til å klage til
    # Datatilsynet" under "Din rett til innsyn, retting og sletting") takes no right from its heading.
    rights_topic = lex.by_key.get(("topic", "rights"))
    rights_yields = tuple(("topic", t) for t in (rights_topic.yields_to or ())) if rights_topic is not None else ()

    def rights_yield(direct: dict) -> bool:
        return any(k in direct for k in rights_yields)

    _implied(accepted, lex)
    ancestors = _ancestors(sections, is_heading, [str(t) for t in raw_texts])

    # Cues that need a person-oriented context may take it from the headings above.
    for idx, key, cue, weight, span, or_under in pending:
        if any(("topic", t) in accepted[a] for a in ancestors[idx] for t in or_under):
            _add(accepted[idx], key, cue, weight, span)
    if pending:
        _implied(accepted, lex)

    lead_ins = _lead_ins(kinds, sections, texts, keep, lex)
    lead_tails: dict[int, int] = {}
    rows = []
    for i in range(n):
        if not keep[i]:
            continue
        direct = accepted[i]
        for key, hit in direct.items():
            s, e = hit.span
            rows.append((ids[i], doc_ids[i], key[0], key[1], _score(hit), " | ".join(hit.cues), "rule",
                         offsets[i] + s, offsets[i] + e, ids[i]))
        inherited: dict[tuple[str, str], tuple[float, int, _Hit]] = {}
        if lex.column_titles is not None and kinds[i] == "table_row" and lex.column_titles.match(texts[i]):
            continue  # a table's row of column titles says nothing of its own
        for depth, a in enumerate(ancestors[i]):
            if not keep[a]:
                continue
            base = lex.inherit[min(depth, len(lex.inherit) - 1)]
            for key, hit in accepted[a].items():
                if key[0] == "legal_basis" or key in direct or key in suppressed[i]:
                    continue
                if key[0] == "right":
                    if depth > 0 or rights_yield(direct):
                        continue
                    score = min(_score(hit), lex.right_inherit)
                else:
                    score = min(_score(hit), base)
                lab = lex.by_key[key]
                if blocked(lab, i):
                    continue
                if lab.not_beside and any(("topic", t) in accepted[a] for t in lab.not_beside):
                    continue
                if lab.yields_to and any(("topic", t) in direct for t in lab.yields_to):
                    continue
                if key not in inherited or score > inherited[key][0]:
                    inherited[key] = (score, a, hit)
        lead = lead_ins[i]
        if lead is not None:
            # Only what the lead-in's last sentence, the one that opens the list, says.
            tail = lead_tails.get(lead)
            if tail is None:
                spans = sentence_spans(texts[lead])
                tail = lead_tails[lead] = spans[-1][0] if spans else 0
            for key, hit in accepted[lead].items():
                if key[0] != "topic" or key[1] not in lex.lead_in_topics or hit.last < tail:
                    continue
                if key in direct or key in inherited or key in suppressed[i]:
                    continue
                if blocked(lex.by_key[key], i):
                    continue
                inherited[key] = (min(_score(hit), lex.lead_in_inherit), lead, hit)
        if title is not None and i > title:
            for key, hit in accepted[title].items():
                if key[0] != "topic" or key in direct or key in inherited or key in suppressed[i]:
                    continue
                if blocked(lex.by_key[key], i):
                    continue
                inherited[key] = (min(_score(hit), lex.title_inherit), title, hit)
        for key, (score, a, hit) in inherited.items():
            s, e = hit.span
            rows.append((ids[i], doc_ids[i], key[0], key[1], score, " | ".join(hit.cues), "heading",
                         offsets[a] + s, offsets[a] + e, ids[a]))
    # Rows are built clause by clause; order them by dimension and label within a clause.
    position = {c: i for i, c in enumerate(ids)}
    rows.sort(key=lambda r: (position[r[0]], _DIM_ORDER[r[2]], _LABEL_ORDER[(r[2], r[3])]))
    return rows


def _language_of(text: str) -> str:
    from .corpus import detect_language

    code = detect_language(text)
    return code if code in LANGUAGES else "nb"


def tag_clauses(
    clauses: pd.DataFrame, *, language: str | None = None, documents: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Label every clause of a ``clauses`` table (any number of notices).

    Parameters
    ----------
    clauses
        A clauses table (tables.md), clauses of each notice in document order.
    language
        Lexicon for notices whose language is not known from ``documents``.
        Default ``"nb"``.
    documents
        A documents table; its ``language`` column picks the lexicon per notice
        (empty languages fall back to ``language``; a language without a
        lexicon gets no tags).

    Returns
    -------
    DataFrame with :data:`TAG_COLUMNS` (see :func:`tag_document`).

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"clause_id": ["x:0000"], "doc_id": ["x"], "text": ["Du kan kreve innsyn."]})
    >>> tag_clauses(c)[["dimension", "label"]].values.tolist()
    [['topic', 'rights'], ['right', 'access']]
    """
    if len(clauses) == 0:
        return _empty()
    fallback = language or "nb"
    languages: dict[str, str] = {}
    if documents is not None and "language" in documents:
        languages = {str(d): str(lang) for d, lang in zip(documents["doc_id"], documents["language"])}
    frames = []
    for doc_id, group in clauses.groupby("doc_id", sort=False):
        lang = languages.get(str(doc_id), "")
        frames.append(tag_document(group, language=lang or fallback))
    frames = [f for f in frames if len(f)]
    if not frames:
        return _empty()
    return pd.concat(frames, ignore_index=True)


def _snippet_clauses(text: str) -> pd.DataFrame:
    """Clauses of a snippet. A snippet has no title: a first heading stays a heading."""
    try:
        from .segment import segment_document
    except ImportError:  # pragma: no cover - segment.py ships with the package
        return pd.DataFrame({"clause_id": ["snippet:0000"], "doc_id": ["snippet"], "kind": ["paragraph"],
                             "section": [""], "start": [0], "text": [text]})
    clauses = segment_document("snippet", text).copy()
    titles = (clauses["kind"] == "heading") & (clauses["level"].fillna(-1) == 0)
    if titles.any():
        title_pos = int(titles.to_numpy().nonzero()[0][0])
        title = clauses.at[title_pos, "text"]
        clauses["level"] = clauses["level"].astype("Int64")
        clauses.at[title_pos, "level"] = 1
        after = (clauses.index >= title_pos) & (clauses["section"] == "")
        clauses.loc[after, "section"] = title
        clauses.loc[after, "heading"] = title
    return clauses


def tag_text(text: str, *, language: str | None = None) -> pd.DataFrame:
    """Label a snippet of notice text the way :func:`tag_document` labels a notice.

    The snippet is segmented into clauses (doc_id ``"snippet"``); its language is
    detected when not given.

    Parameters
    ----------
    text
        Any text: a sentence, a section, a whole notice.
    language
        ``nb``, ``nn`` or ``en``; ``None`` detects it (falling back to ``nb``).

    Returns
    -------
    DataFrame with :data:`TAG_COLUMNS`, offsets into ``text``.

    Examples
    --------
    >>> tag_text("Du kan trekke tilbake samtykket ditt når som helst.")["label"].tolist()
    ['consent_withdrawal']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    if not text.strip():
        return _empty()
    lang = language if language is not None else _language_of(text)
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    return tag_document(_snippet_clauses(text), language=lang)

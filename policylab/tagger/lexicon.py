"""Lexicons: the TOML cue files of each language read, merged and compiled.

One lexicon per language (``lexicons/nb.toml``, ``nn.toml``, ``en.toml``; a file
may ``extends`` another). :func:`_lexicon` compiles one once per process, with the
hyperscan prefilter where installed; :func:`lexicon_table` shows the cues as a
tidy table.

Examples
--------
>>> "nb" in LANGUAGES
True
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import pandas as pd

from .. import scan
from ..labels import LABELS_BY_DIMENSION
from ..languages import PROFILES
from .patterns import _FLAGS, _column_titles, _Compiler, _Finder

#: Languages with a lexicon (the profiles of policylab.languages that name one).
LANGUAGES = tuple(code for code, profile in PROFILES.items() if profile.tagged)


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
    # A sentence that tells what the notice explains ("Denne erklæringen forklarer
    # hvilke opplysninger vi samler inn, hva vi bruker dem til ...", ``[overview] match``)
    # states none of it: its cues give no topic or right, except ``[overview] keep``.
    overview: re.Pattern | None = None
    overview_keep: frozenset = frozenset()
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
        overview=comp.alternation(raw.get("overview", {}).get("match")),
        overview_keep=frozenset(raw.get("overview", {}).get("keep", ())),
    )
    lex.by_key = {(lab.dimension, lab.label): lab for lab in labels}
    finders = [g.finder for lab in labels for g in lab.groups.values()]
    for i, finder in enumerate(finders):
        finder.id = i
    contexts = list(dict.fromkeys(
        [p for lab in labels for g in lab.groups.values() for p in (g.requires, g.unless, g.not_in) if p is not None]
        + [lab.blocks for lab in labels if lab.blocks is not None]
        + ([lex.overview] if lex.overview is not None else [])))
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


"""Which of many regular expressions can match a text, from one multi-pattern scan.

Python's ``re`` tries one pattern at a time. Where a build runs dozens of patterns
over every clause of thousands of notices (the tagger's cues, the segmenter's
boilerplate patterns), one `hyperscan <https://intel.github.io/hyperscan/>`_ scan
first tells which patterns can match at all, and ``re`` then runs only those. Each
pattern is widened into a hyperscan pattern that matches wherever it matches
(:func:`superset_regex`), so the results are exactly those of a run without the
prefilter: only the time differs. hyperscan is optional (``pip install
"policylab[fast]"``); without it :func:`prefilter` returns ``None`` and callers run
every pattern everywhere.

Examples
--------
>>> import re
>>> patterns = [(re.compile(r"(?i)\\binnsyn\\b"), 0), (re.compile(r"\\d{2} \\d{2} \\d{2} \\d{2}"), 1)]
>>> pf = prefilter(patterns)
>>> sorted(pf.possible("Du kan kreve INNSYN.")) if pf is not None else [0]
[0]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["Prefilter", "canonical", "prefilter", "superset_regex"]

_ANY = ".*"
_NON_ASCII = "[\\x80-\\xff]+"  # one non-ASCII character is a run of such bytes in UTF-8
_MAX_COPIES = 4  # copies of a repeated part kept before "anything": a small automaton
_MAX_CLASS = 96  # a character class with more ASCII members is taken as "anything"
_MAX_BOUND = 30  # a longer bounded repeat of one character class is taken as unbounded
#: Hyperscan form of each one-character node seen, by (node, flags): a pure function.
_CLASSES: dict[tuple[str, int], str | None] = {}
_MAX_LENGTH = 16000  # hyperscan's limit on one expression; a longer one runs everywhere


@lru_cache(maxsize=1)
def _case_classes() -> tuple[dict[int, int], dict[int, tuple[int, ...]]]:
    """``(special, ascii_preimages)`` of the canonical case form.

    The canonical form of a character is the smallest code point that
    ``re.IGNORECASE`` treats as the same letter ("Å", "å" and the Ångström
    sign are all "å"; "ſ" is "s"). For almost every character it is
    ``str.lower``; ``special`` maps the few where it is not ("İ", "ı", "ſ",
    Greek and Cyrillic variants), ``ascii_preimages`` the characters whose
    canonical form is each ASCII character.
    """
    import _sre
    from re._casefix import _EXTRA_CASES

    special: dict[int, int] = {}
    preimages: dict[int, list[int]] = defaultdict(list)
    # Case variants beyond the BMP are plain lower/upper pairs (no _EXTRA_CASES there).
    for cp in range(0x10000):
        low = _sre.unicode_tolower(cp)
        canon = min((low, *_EXTRA_CASES.get(low, ())))
        lowered = chr(cp).lower()
        if len(lowered) != 1 or ord(lowered) != canon:
            special[cp] = canon
        if canon < 128:
            preimages[canon].append(cp)
    return special, {k: tuple(v) for k, v in preimages.items()}


@lru_cache(maxsize=1)
def _special_re() -> re.Pattern:
    special, _ = _case_classes()
    return re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(special)) + "]")


def canonical(text: str) -> str:
    """``text`` with every character in its canonical case form (see
    :func:`_case_classes`): what the prefilter databases scan.

    >>> canonical("Vår PERSONVERNERKLÆRING")
    'vår personvernerklæring'
    """
    if _special_re().search(text):
        text = text.translate(_case_classes()[0])
    return text.lower()


def _canon(ch: str) -> str:
    return canonical(ch)[0] if ch else ch


def _bytes(ch: str) -> str:
    return ch if ch.isascii() and ch.isalnum() else "".join("\\x%02x" % b for b in ch.encode("utf-8"))


def _ranges(codes: list[int]) -> str:
    """Sorted byte values as the body of a character class ("\\x30-\\x39\\x5f")."""
    out, i = [], 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        out.append("\\x%02x" % codes[i] + ("" if j == i else ("\\x%02x" if j == i + 1 else "-\\x%02x") % codes[j]))
        i = j + 1
    return "".join(out)


def superset_regex(pattern: str, flags: int = 0) -> str:
    """A hyperscan pattern (for a dot-all UTF-8 byte database scanning
    :func:`canonical` text) that matches wherever ``pattern`` matches, and more.

    Built from the parse tree of Python's ``re``: literals become their
    canonical case form (the scanned text is canonical, so "Å" in the text is
    "å" and meets both a literal "å" and, under IGNORECASE, "Å"); a character class (``\\d``, ``[A-ZÆØÅ]``, ``.``) becomes the ASCII
    characters it admits, found by asking ``re`` itself, or any non-ASCII
    character; a run of one class stays a run of it (``\\s+``, ``\\d{2}``); another
    part repeated at least *n* times becomes *n* copies (at most
    four) followed by "anything"; optional parts, look-arounds, anchors and
    back-references become "anything" (``.*``). Each step only widens what
    matches, so a text without a match of the result has no match of
    ``pattern``.

    >>> superset_regex(r"\\bDPO\\b")
    'dpo'
    >>> print(superset_regex(r"\\d{2}"))  # two digits (or non-ASCII characters)
    (?:[\\x30-\\x39]|[\\x80-\\xff]+){2,2}
    """
    from re import _compiler, _constants as c, _parser

    parsed = _parser.parse(pattern, flags)
    one_char = {c.IN, c.ANY, c.NOT_LITERAL, c.CATEGORY}
    repeats = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)}
    groups = {c.SUBPATTERN, getattr(c, "ATOMIC_GROUP", None)}

    def char_class(node, node_flags: int) -> str | None:
        key = (repr(node), node_flags)
        if key not in _CLASSES:  # lexicons repeat "\\s", "\\w" thousands of times
            test = _compiler.compile(_parser.SubPattern(parsed.state, [node]), node_flags)
            # A canonical ASCII character stands for every character of its case class.
            preimages = _case_classes()[1]
            members = [i for i in range(128) if any(test.fullmatch(chr(cp)) for cp in preimages.get(i, (i,)))]
            ascii_part = "[" + _ranges(members) + "]|" if members else ""
            # A negated class ("\\S", "[^.!?]") narrows nothing down: None, "anything".
            _CLASSES[key] = None if len(members) > _MAX_CLASS else f"(?:{ascii_part}{_NON_ASCII})"
        return _CLASSES[key]

    def conv(items, node_flags: int) -> str:
        out: list[str] = []

        def add(piece: str) -> None:
            if piece == _ANY and out and out[-1].endswith(_ANY):
                return
            out.append(piece)

        for op, av in items:
            if op is c.LITERAL:
                # The scanned text is canonical, so a letter in any case is its canonical form.
                add(_bytes(_canon(chr(av))))
            elif op in one_char:
                add(char_class((op, av), node_flags) or _ANY)
            elif op in repeats:
                low, high, sub = av
                inner = char_class(sub[0], node_flags) if len(sub) == 1 and sub[0][0] in one_char else None
                if inner is not None:
                    # A run of one class ("\\s+", "\\d{2}", "\\w*") stays a run of it.
                    if high == c.MAXREPEAT or high > _MAX_BOUND:
                        add(f"{inner}{{{low},}}" if low > 1 else inner + ("+" if low else "*"))
                    else:
                        add(f"{inner}{{{low},{high}}}" if (low, high) != (1, 1) else inner)
                    continue
                inner = conv(sub, node_flags)
                copies = min(low, _MAX_COPIES)
                if copies and inner != _ANY:
                    add(f"(?:{inner})" + (f"{{{copies}}}" if copies > 1 else ""))
                if high != low or low > copies or inner == _ANY:
                    add(_ANY)
            elif op in groups:
                if op is c.SUBPATTERN:
                    _, add_flags, del_flags, sub = av
                    inner = conv(sub, (node_flags | add_flags) & ~del_flags)
                else:
                    inner = conv(av, node_flags)
                add(inner if inner == _ANY else f"(?:{inner})")
            elif op is c.BRANCH:
                add("(?:" + "|".join(conv(b, node_flags) for b in av[1]) + ")")
            elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue
            else:  # back-references, anything new
                add(_ANY)
        return "".join(out)

    return conv(parsed, parsed.state.flags | flags)


class Prefilter:
    """One hyperscan database of many patterns, each under an id.

    ``possible(text)`` gives the ids of the patterns that may match in ``text``
    (a superset of those that do).
    """

    def __init__(self, patterns: Iterable[tuple[re.Pattern, int]]):
        import hyperscan

        flags = hyperscan.HS_FLAG_DOTALL | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY
        wide = [(superset_regex(p.pattern, p.flags).encode("ascii"), i) for p, i in patterns]
        #: Ids whose pattern hyperscan cannot take (too large): possible everywhere.
        self.always: set[int] = {i for e, i in wide if len(e) > _MAX_LENGTH}
        wide = [(e, i) for e, i in wide if i not in self.always]
        try:
            self.database = _compiled(wide, flags)
        except hyperscan.error:
            fits = []
            for expression, i in wide:
                try:
                    _compiled([(expression, i)], flags)
                    fits.append((expression, i))
                except hyperscan.error:
                    self.always.add(i)
            try:
                self.database = _compiled(fits, flags) if fits else None
            except hyperscan.error:  # together still too large: no prefilter, nothing lost
                self.database = None
                self.always |= {i for _, i in fits}

    def possible(self, text: str) -> set[int]:
        """Ids of the patterns that may match in ``text``."""
        hits: set[int] = set(self.always)
        if self.database is None:
            return hits

        def on_match(id_, start, end, flags, context):
            hits.add(id_)

        if text:
            self.database.scan(canonical(text).encode("utf-8"), match_event_handler=on_match)
        return hits


def _compiled(expressions: list[tuple[bytes, int]], flags: int):
    import hyperscan

    database = hyperscan.Database()
    database.compile(expressions=[e for e, _ in expressions], ids=[i for _, i in expressions],
                     elements=len(expressions), flags=flags)
    return database


def prefilter(patterns: Iterable[tuple[re.Pattern, int]]) -> Prefilter | None:
    """A :class:`Prefilter` of ``(compiled pattern, id)`` pairs, or ``None``
    where hyperscan is not installed (every pattern is then a candidate)."""
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return None
    patterns = list(patterns)
    return Prefilter(patterns) if patterns else None

"""Cue patterns: the lexicon's stem patterns and regular expressions compiled.

A stem pattern (``oppbevar*``, ``trekk* ... samtykk*``, ``(a|b)``, ``~ord``) becomes
a regular expression with word boundaries (:class:`_Compiler`); the cues of one group
become a :class:`_Finder` that runs them on a clause. See :mod:`policylab.tagger`
for the pattern syntax.

Examples
--------
>>> _split_words("(den registrerte|deg) kan ... klage*")
['(den registrerte|deg)', 'kan', '...', 'klage*']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..tokenize import snowball

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


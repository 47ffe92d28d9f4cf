"""Keyword in context over the clause table.

:func:`kwic` finds a word, phrase, glob or regular expression in every clause
and returns one row per hit with the words before and after it, the clause's
section and, given a labels table, the clause's tags. Columns follow quanteda's
``kwic()`` (``from``, ``to``, ``pre``, ``keyword``, ``post``), except that
``from``/``to`` are character offsets into ``documents.text`` (the clause's
``start`` plus the offset in the clause), so every hit can be cited and checked.

Patterns
--------
- plain words (default): ``"Datatilsynet"``, ``"trekke tilbake"``; case is
  ignored, a hit must start and end at word boundaries, the words of a phrase may
  be separated by any white space, and ``*`` at the end of a word matches any
  ending (``"personopplysning*"``);
- ``stems=True``: each word matches every word with the same Snowball stem
  (``"slette"`` finds "sletter", "slettes", "slettet");
- ``regex=True``: a regular expression (the ``regex`` module, case-insensitive),
  run with a time limit per clause so that a catastrophic pattern cannot hang a
  notebook.

Examples
--------
>>> import pandas as pd
>>> clauses = pd.DataFrame({"clause_id": ["d:0001"], "doc_id": ["d"], "section": ["Klage"], "start": [100],
...                         "text": ["Du kan klage til Datatilsynet om behandlingen."]})
>>> kwic(clauses, "datatilsynet", window=2)[["from", "to", "pre", "keyword", "post"]].values.tolist()
[[117, 129, 'klage til', 'Datatilsynet', 'om behandlingen']]
"""

from __future__ import annotations

import pandas as pd
import regex

from .tokenize import WORD_RE, stem

__all__ = ["KWIC_COLUMNS", "kwic"]

#: Columns of :func:`kwic` (tag columns follow when a labels table is given).
KWIC_COLUMNS = ["doc_id", "clause_id", "section", "from", "to", "pre", "keyword", "post", "pattern"]

#: Seconds a regular expression may run on one clause before the search stops.
REGEX_TIMEOUT = 1.0

_STEM_LANGUAGES = {"nb": "norwegian", "nn": "norwegian", "no": "norwegian", "en": "english"}


def _plain_pattern(pattern: str) -> regex.Pattern:
    parts = pattern.split()
    if not parts:
        raise ValueError("the search pattern is empty")
    pieces = []
    for part in parts:
        glob = part.endswith("*")
        body = regex.escape(part.rstrip("*"))
        pieces.append(body + (r"[\p{L}\p{M}\p{N}-]*" if glob else ""))
    return regex.compile(r"(?<![\p{L}\p{M}\p{N}])" + r"\s+".join(pieces) + r"(?![\p{L}\p{M}\p{N}])", regex.IGNORECASE)


def _stem_hits(text: str, stems: list[str], language: str) -> list[tuple[int, int]]:
    """Spans of runs of consecutive words whose stems equal ``stems``."""
    spans = [(m.start(), m.end()) for m in WORD_RE.finditer(text)]
    word_stems = [stem(text[s:e].lower(), language) for s, e in spans]
    n = len(stems)
    return [
        (spans[i][0], spans[i + n - 1][1])
        for i in range(len(spans) - n + 1)
        if word_stems[i:i + n] == stems
    ]


def _context(text: str, start: int, end: int, window: int) -> tuple[str, str]:
    before = list(WORD_RE.finditer(text, 0, start))[-window:] if window else []
    after = []
    for m in WORD_RE.finditer(text, end):
        after.append(m)
        if len(after) == window:
            break
    pre = text[before[0].start():start].strip() if before else ""
    post = text[end:after[-1].end()].strip() if window and after else ""
    return pre, post


def _tags(labels: pd.DataFrame) -> pd.DataFrame:
    tagged = labels.astype({"label": str, "dimension": str})
    wide = tagged.groupby(["clause_id", "dimension"])["label"].agg(lambda s: ";".join(dict.fromkeys(s))).unstack()
    return wide.reindex(columns=["topic", "legal_basis", "right"]).fillna("")


def kwic(clauses: pd.DataFrame, pattern: str, *, window: int = 5, regex: bool = False, stems: bool = False,
         labels: pd.DataFrame | None = None, language: str = "nb") -> pd.DataFrame:
    """Every hit of ``pattern`` in the clauses, with ``window`` words of context.

    Parameters
    ----------
    clauses
        A clauses table (``clause_id, doc_id, start, text``; ``section`` if present).
    pattern
        Words or a phrase (``*`` ends a word with any ending), or a regular
        expression with ``regex=True``.
    window
        Words of context on each side, taken from the clause.
    regex, stems
        Read ``pattern`` as a regular expression, or match words by their
        Snowball stem (``language``: ``nb``/``nn``/``en``).
    labels
        A labels table: adds the clause's ``topic``, ``legal_basis`` and ``right``
        labels (``;``-joined).

    Returns
    -------
    DataFrame
        ``doc_id, clause_id, section, from, to, pre, keyword, post, pattern``
        (``from``/``to`` offsets into the document text), in clause order.

    Raises
    ------
    ValueError
        For an empty pattern or a regular expression that does not compile.
    TimeoutError
        When a regular expression runs longer than :data:`REGEX_TIMEOUT` seconds
        on one clause (it backtracks catastrophically: rewrite it).
    """
    if regex and stems:
        raise ValueError("choose regex=True or stems=True, not both")
    if not str(pattern).strip():
        raise ValueError("the search pattern is empty")
    stem_language = _STEM_LANGUAGES.get(language, "norwegian")
    if regex:
        try:
            compiled = _compile_regex(pattern)
        except Exception as exc:  # the regex module raises its own error type
            raise ValueError(f"not a valid regular expression: {pattern!r} ({exc})") from None
    elif stems:
        wanted = [stem(w.lower(), stem_language) for w in WORD_RE.findall(pattern)]
        if not wanted:
            raise ValueError(f"the pattern {pattern!r} has no words to stem")
    else:
        compiled = _plain_pattern(pattern)

    sections = clauses["section"] if "section" in clauses else pd.Series([""] * len(clauses), index=clauses.index)
    rows = []
    for clause_id, doc_id, section, start, text in zip(
        clauses["clause_id"], clauses["doc_id"], sections, clauses["start"], clauses["text"]
    ):
        text = str(text)
        if stems:
            hits = _stem_hits(text, wanted, stem_language)
        else:
            try:
                hits = [(m.start(), m.end()) for m in compiled.finditer(text, timeout=REGEX_TIMEOUT) if m.end() > m.start()]
            except TimeoutError:
                raise TimeoutError(
                    f"the regular expression {pattern!r} ran over {REGEX_TIMEOUT} s on clause {clause_id}: "
                    "it backtracks catastrophically; rewrite it without nested repeats"
                ) from None
        for s, e in hits:
            pre, post = _context(text, s, e, window)
            rows.append((doc_id, clause_id, "" if pd.isna(section) else section, int(start) + s, int(start) + e,
                         pre, text[s:e], post, pattern))
    out = pd.DataFrame(rows, columns=KWIC_COLUMNS).astype({"from": "int64", "to": "int64"})
    if labels is not None:
        tags = _tags(labels) if len(labels) else pd.DataFrame(columns=["topic", "legal_basis", "right"])
        out = out.join(tags, on="clause_id").fillna({"topic": "", "legal_basis": "", "right": ""})
    return out


def _compile_regex(pattern: str):
    # The regex module, not re: only it can stop a search after a time limit.
    return regex.compile(pattern, regex.IGNORECASE | regex.VERSION0)


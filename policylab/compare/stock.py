"""Stock phrases: wording notices share without copying each other.

Two notices that both say "tekniske og organisatoriske tiltak for å beskytte
personopplysninger" or "klage til Datatilsynet dersom du mener vi behandler
personopplysninger i strid med regelverket" did not copy one another: the GDPR
and the habits of the genre word it so. In a corpus of a few hundred notices
such a phrase is held by a handful of them, so its corpus rarity does not
discount it. :func:`stock_mask` marks the words of a corpus that lie inside a
phrase of ``lexicons/stock_phrases.toml`` (regular expressions with a note,
kind and source each); :func:`policylab.text_reuse` does not count them as
evidence of a pair (they still seed and align, so a copy that holds a stock
phrase is reported whole).

Examples
--------
>>> clauses = pd.DataFrame({"clause_id": ["a:0"], "doc_id": ["a"], "start": 0, "end": 66,
...     "text": ["Vi har tekniske og organisatoriske tiltak for å beskytte dataene."]})
>>> words = corpus_words(clauses)
>>> stock_mask(words).astype(int).tolist()
[0, 0, 1, 1, 1, 1, 1, 1, 1, 1]
>>> stock_phrases().loc[0, ["id", "kind"]].tolist()
['art32_measures', 'statute']
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .words import CorpusWords, corpus_words  # noqa: F401  (corpus_words: doctest)

__all__ = ["STOCK_LEXICON", "stock_mask", "stock_phrases"]

#: The lexicon shipped with policylab.
STOCK_LEXICON = Path(__file__).resolve().parent.parent / "lexicons" / "stock_phrases.toml"
_BULLETS = str.maketrans({c: " " for c in "•·▪◦‣–—*"})
_FIELDS = ("id", "lang", "kind", "regex", "note", "source")


def stock_phrases(path: str | Path | None = None) -> pd.DataFrame:
    """The stock-phrase lexicon as a table: ``id, lang, kind, regex, note, source``.

    Parameters
    ----------
    path : path or None
        Another TOML file of the same form (``[[phrase]]`` entries).

    Returns
    -------
    DataFrame
    """
    path = Path(path or STOCK_LEXICON)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rows = data.get("phrase", [])
    for entry in rows:
        missing = [k for k in _FIELDS if not entry.get(k)]
        if missing:
            raise ValueError(f"{path}: phrase {entry.get('id', '?')!r} lacks {', '.join(missing)}")
        if entry["kind"] not in ("statute", "formula"):
            raise ValueError(f"{path}: phrase {entry['id']!r} has kind {entry['kind']!r}, not 'statute' or 'formula'")
    return pd.DataFrame(rows, columns=list(_FIELDS))


@lru_cache(maxsize=8)
def _compiled(path: str) -> tuple:
    """One compiled pattern per phrase, each starting at a word's start (much faster than one alternation)."""
    table = stock_phrases(path)
    out = []
    for pid, pattern in zip(table["id"], table["regex"]):
        try:
            out.append(re.compile(rf"(?<!\w)(?:{pattern})", re.IGNORECASE))
        except re.error as exc:
            raise ValueError(f"{path}: stock phrase {pid!r}: the regex does not compile: {exc}") from exc
    return tuple(out)


def stock_mask(words: CorpusWords, path: str | Path | None = None) -> np.ndarray:
    """True for each word of ``words`` lying inside a stock phrase of its document.

    A word is stock when its characters lie inside a match of any pattern
    (each pattern's matches found left to right; those of different patterns
    may overlap).

    Parameters
    ----------
    words : CorpusWords
        The corpus (its ``texts`` are searched).
    path : path or None
        Another lexicon file (default: ``lexicons/stock_phrases.toml``).

    Returns
    -------
    ndarray of bool, one per word
    """
    patterns = _compiled(str(Path(path or STOCK_LEXICON)))
    mask = np.zeros(words.word.size, dtype=bool)
    for d, text in enumerate(words.texts):
        # Bullets and dashes between list items read as spaces (same length: offsets hold).
        text = text.translate(_BULLETS)
        lo, hi = words.indptr[d], words.indptr[d + 1]
        if hi == lo:
            continue
        spans = [(m.start(), m.end()) for p in patterns for m in p.finditer(text) if m.end() > m.start()]
        if not spans:
            continue
        starts, ends = words.start[lo:hi], words.end[lo:hi]
        cover = np.zeros(hi - lo, dtype=bool)
        for s, e in spans:
            a = np.searchsorted(starts, s, side="left")
            b = np.searchsorted(ends, e, side="right")
            cover[a:b] = True
        mask[lo:hi] = cover
    return mask

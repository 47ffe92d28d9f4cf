"""Readability of notices, sections and clauses: LIX, OVIX and their counts.

Every score comes with the counts behind it (``words``, ``sentences``,
``long_words``, ``unique_words``, ``syllables``) so that a researcher can
recompute it by hand, and a table at one level sums to the level above.

Definitions (one per measure; where they differ from ``textstat`` it says so):

- **Boilerplate is excluded**: clauses of kind ``boilerplate`` (site navigation,
  cookie banners, site notices) are not part of the notice and are not counted.
  Headings, list items and table rows are.
- **words**: letter tokens of :func:`policylab.tokenize.words` ("e-post" is one
  word; digits and punctuation are not words). textstat instead counts
  whitespace-separated tokens after stripping punctuation, so "2" or "§" count
  as words there.
- **long_words**: words with more than six letters
  (:data:`policylab.tokenize.LONG_WORD_MIN_LETTERS`); hyphens and apostrophes are
  not letters. textstat measures the length of its own tokens.
- **sentences**: the sum over clauses of :func:`policylab.tokenize.count_sentences`
  (Punkt with Norwegian abbreviations, run per line, so a heading, a list item or
  a table row counts as one sentence). textstat splits on ``.!?`` and drops
  "sentences" of two words or fewer, so it ignores most headings.
- **LIX** (Björnsson 1968) = words / sentences + 100 * long_words / words; NaN
  for a text without words. Bands: below 30 very easy, [30, 40) easy, [40, 50)
  medium, [50, 60) difficult, 60 and above very difficult (:data:`LIX_BANDS`).
- **OVIX** (Hultman & Westman 1977), word variation index = log(words) /
  log(2 - log(unique_words) / log(words)), with unique words counted lower-cased
  within the row's text. It is undefined (NaN) for fewer than two words and
  where every word is unique (the denominator is log 1 = 0), which is common
  for single clauses.
- **syllables**: hyphenation points of pyphen (``nb_NO``, ``nn_NO`` or
  ``en_US`` dictionaries, shipped with pyphen) plus one per word part; an
  approximation. textstat prefers the CMU dictionary for English.
- **flesch_reading_ease** (Flesch 1948) = 206.835 - 1.015 * words / sentences -
  84.6 * syllables / words, for English notices only (its constants are fitted
  to English); NaN for Norwegian and every other language, and the column
  **flesch_note** says why on each such row ("not computed for nb: ...");
  it is empty where the score is given. Use LIX and OVIX to compare Norwegian
  notices.

Examples
--------
>>> docs = pd.DataFrame({"doc_id": ["d"], "language": ["nb"], "text": ["Vi lagrer opplysningene. Lenge."]})
>>> clauses = pd.DataFrame({"clause_id": ["d:0000"], "doc_id": ["d"], "kind": ["paragraph"],
...     "section": [""], "text": ["Vi lagrer opplysningene. Lenge."]})
>>> readability_table(docs, clauses)[["words", "sentences", "long_words", "lix"]].to_dict("records")
[{'words': 4, 'sentences': 2, 'long_words': 1, 'lix': 27.0}]
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from .tokenize import LONG_WORD_MIN_LETTERS, count_sentences, words

__all__ = [
    "LIX_BANDS", "LixBand", "READABILITY_COLUMNS", "document_counts", "lix_band", "readability",
    "readability_from_counts", "readability_table",
]


class LixBand(NamedTuple):
    """One LIX band: ``lower <= lix < upper``."""

    band: str
    lower: float
    upper: float


#: The LIX bands, easiest first; ``pd.DataFrame(LIX_BANDS)`` gives a tidy table
#: (band, lower, upper) for shading plots.
LIX_BANDS: tuple[LixBand, ...] = (
    LixBand("very easy", 0.0, 30.0),
    LixBand("easy", 30.0, 40.0),
    LixBand("medium", 40.0, 50.0),
    LixBand("difficult", 50.0, 60.0),
    LixBand("very difficult", 60.0, math.inf),
)
_BAND_TYPE = pd.CategoricalDtype([b.band for b in LIX_BANDS], ordered=True)

#: Measure columns, after the key columns of the level.
READABILITY_COLUMNS = [
    "language", "clauses", "words", "sentences", "long_words", "unique_words", "syllables",
    "lix", "ovix", "mean_sentence_length", "long_word_share", "lix_band", "flesch_reading_ease", "flesch_note",
]
_KEYS = {"document": ["doc_id"], "section": ["doc_id", "section"], "clause": ["doc_id", "clause_id"]}
_PYPHEN_LANG = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_US"}


def lix_band(lix: pd.Series) -> pd.Series:
    """The band label of each LIX value (ordered categorical; NaN stays NaN).

    >>> lix_band(pd.Series([29.9, 30.0, 61.0])).tolist()
    ['very easy', 'easy', 'very difficult']
    """
    edges = [LIX_BANDS[0].lower] + [b.upper for b in LIX_BANDS]
    edges[0] = -math.inf
    cut = pd.cut(lix, bins=edges, right=False, labels=[b.band for b in LIX_BANDS])
    return cut.astype(_BAND_TYPE)


@lru_cache(maxsize=4)
def _hyphenator(language: str):
    import pyphen

    from .languages import resolve

    # The language's own dictionary (a Swedish notice counts Swedish syllables); bokmål otherwise.
    return pyphen.Pyphen(lang=_PYPHEN_LANG.get(language) or resolve(language).hyphenation or "nb_NO")


@lru_cache(maxsize=200_000)
def _word_stats(word: str, language: str) -> tuple[int, int]:
    """(letters, syllables) of a lower-cased word; cached, as vocabularies are small."""
    dic = _hyphenator(language)
    parts = [p for p in word.replace("’", "-").replace("'", "-").split("-") if p]
    return _letters(word), sum(len(dic.positions(part)) + 1 for part in parts)


_JOINERS = str.maketrans("", "", "-'’")


def _letters(word: str) -> int:
    # Words are letters joined by hyphens or apostrophes (policylab.tokenize.WORD_RE).
    return len(word.translate(_JOINERS))


_COUNTS = ["words", "sentences", "long_words", "syllables"]


def _clause_counts(text: str, language: str, clause_words: list[str] | None = None) -> tuple[list[str], int, int]:
    """(lower-cased words, long words, syllables) of one clause (``clause_words``: its words, when known)."""
    found = words(text) if clause_words is None else clause_words
    if not found:
        return [], 0, 0
    # Words hold no spaces: one lower() for the clause lowers each word as it would alone.
    lowered = " ".join(found).lower().split(" ")
    long_words = syllables = 0
    for word in lowered:
        letters, n = _word_stats(word, language)
        long_words += letters >= LONG_WORD_MIN_LETTERS
        syllables += n
    return lowered, long_words, syllables


def _counts(clauses: pd.DataFrame, keys: list[str], language_of: dict) -> pd.DataFrame:
    """Counts per key of the non-boilerplate ``clauses`` (one pass over their words).

    Word types are collected per key while counting, so no per-clause set is kept.
    ``n_sentences`` of the clause table is used when present: it is
    ``count_sentences`` of the clause text (segment.py), so it is not recomputed.
    """
    key_cols = [clauses[k].to_numpy() for k in keys]
    n_sentences = clauses["n_sentences"].to_numpy() if "n_sentences" in clauses.columns else None
    types: dict[tuple, set] = {}
    rows = []
    for i, (doc_id, text) in enumerate(zip(clauses["doc_id"].to_numpy(), clauses["text"].to_numpy())):
        lowered, long_words, syllables = _clause_counts(text, language_of.get(doc_id, "nb"))
        key = tuple(col[i] for col in key_cols)
        types.setdefault(key, set()).update(lowered)
        sentences = int(n_sentences[i]) if n_sentences is not None else count_sentences(text)
        rows.append((*key, len(lowered), sentences, long_words, syllables))
    counted = pd.DataFrame(rows, columns=[*keys, *_COUNTS])
    grouped = counted.groupby(keys, sort=False)
    table = grouped[_COUNTS].sum()
    table["clauses"] = grouped.size()
    table["unique_words"] = [len(types[k if isinstance(k, tuple) else (k,)]) for k in table.index]
    return table.reset_index()


def document_counts(doc_id: str, clauses, language: str = "nb", clause_words: list[list[str]] | None = None) -> dict:
    """The counts behind one notice's readability row, from its clauses (a frame
    or a dict of column lists with ``kind, text, n_sentences``); ``build`` counts
    in its workers and :func:`readability_from_counts` scores the rows.

    >>> document_counts("d", {"kind": ["paragraph"], "text": ["Vi lagrer opplysningene. Lenge."], "n_sentences": [2]})
    {'doc_id': 'd', 'clauses': 1, 'words': 4, 'sentences': 2, 'long_words': 1, 'syllables': 10, 'unique_words': 4}
    """
    totals = dict.fromkeys(["clauses", *_COUNTS], 0)
    types: set[str] = set()
    known = clause_words if clause_words is not None else [None] * len(clauses["text"])
    for kind, text, sentences, found in zip(clauses["kind"], clauses["text"], clauses["n_sentences"], known):
        if kind == "boilerplate":
            continue
        lowered, long_words, syllables = _clause_counts(text, language, found)
        types.update(lowered)
        for name, value in zip(("clauses", *_COUNTS), (1, len(lowered), int(sentences), long_words, syllables)):
            totals[name] += value
    return {"doc_id": doc_id, **totals, "unique_words": len(types)}


def _scores(frame: pd.DataFrame) -> pd.DataFrame:
    w = frame["words"].to_numpy(dtype=float)
    s = frame["sentences"].to_numpy(dtype=float)
    u = frame["unique_words"].to_numpy(dtype=float)
    long = frame["long_words"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        msl = np.where((w > 0) & (s > 0), w / s, np.nan)
        share = np.where(w > 0, long / w, np.nan)
        # Written as the formula is, so a recomputation by hand gives the same float.
        frame["lix"] = np.where((w > 0) & (s > 0), w / s + 100 * long / w, np.nan)
        log_w = np.log(w)
        ovix = log_w / np.log(2 - np.log(u) / log_w)
        frame["ovix"] = np.where((w >= 2) & (u < w), ovix, np.nan)
        fre = 206.835 - 1.015 * msl - 84.6 * frame["syllables"].to_numpy(dtype=float) / w
    frame["mean_sentence_length"] = msl
    frame["long_word_share"] = share
    frame["lix_band"] = lix_band(frame["lix"])
    english = frame["language"].to_numpy() == "en"
    frame["flesch_reading_ease"] = np.where(english, fre, np.nan)
    frame["flesch_note"] = [
        ("no words to score" if math.isnan(score) else "") if en else
        f"not computed for {lang or 'an unknown language'}: Flesch reading ease is fitted to English; use lix and ovix"
        for en, lang, score in zip(english, frame["language"].astype(str), frame["flesch_reading_ease"])
    ]
    return frame


def readability_table(documents: pd.DataFrame, clauses: pd.DataFrame, *, level: str = "document") -> pd.DataFrame:
    """Readability per document, section or clause (boilerplate clauses excluded).

    Parameters
    ----------
    documents : pandas.DataFrame
        Needs ``doc_id``; ``language`` is used when present (``en`` gets Flesch
        reading ease and English hyphenation, anything else Norwegian).
    clauses : pandas.DataFrame
        The clause table: ``clause_id, doc_id, kind, section, text``.
    level : {"document", "section", "clause"}, keyword-only
        The unit of a row. Document rows cover every document of ``documents``
        (a notice with no countable text gets zeros and NaN scores); section rows
        are keyed by ``doc_id, section`` (``""`` for text before the first
        heading); clause rows by ``doc_id, clause_id``.

    Returns
    -------
    pandas.DataFrame
        Key columns, then :data:`READABILITY_COLUMNS`: ``language, clauses,
        words, sentences, long_words, unique_words, syllables, lix, ovix,
        mean_sentence_length, long_word_share, lix_band,
        flesch_reading_ease, flesch_note`` (why Flesch is NaN: it is computed for
        English only). Counts sum from clause to section to document
        (``unique_words`` excepted: it is counted within each row). Definitions
        are in the module docstring.

    Examples
    --------
    >>> import policylab
    >>> t = policylab.build()
    >>> table = readability_table(t.documents, t.clauses, level="section")
    >>> int(table.loc[table.doc_id == "klarlinje", "words"].sum()) == int(
    ...     readability_table(t.documents, t.clauses).set_index("doc_id").loc["klarlinje", "words"])
    True
    """
    if level not in _KEYS:
        raise ValueError(f"level must be one of {sorted(_KEYS)}, not {level!r}")
    keys = _KEYS[level]
    language = _languages(documents)
    kept = clauses[clauses["kind"] != "boilerplate"]
    if "section" not in kept.columns:
        kept = kept.assign(section="")
    kept = kept.assign(section=kept["section"].fillna("").astype(str))
    return _finish(_counts(kept, keys, language), documents, keys, language, level)


def readability_from_counts(documents: pd.DataFrame, counts: list[dict]) -> pd.DataFrame:
    """The document-level :func:`readability_table` from :func:`document_counts` rows.

    >>> docs = pd.DataFrame({"doc_id": ["d"], "language": ["nb"]})
    >>> rows = [document_counts("d", {"kind": ["paragraph"], "text": ["Vi lagrer data."], "n_sentences": [1]})]
    >>> float(readability_from_counts(docs, rows)["lix"].iloc[0])
    3.0
    """
    language = _languages(documents)
    table = pd.DataFrame(counts, columns=["doc_id", "clauses", *_COUNTS, "unique_words"])
    return _finish(table, documents, ["doc_id"], language, "document")


def _languages(documents: pd.DataFrame) -> dict:
    if "language" not in documents.columns:
        return {}
    return documents.set_index("doc_id")["language"].fillna("nb").astype(str).to_dict()


def _finish(table: pd.DataFrame, documents: pd.DataFrame, keys: list[str], language: dict, level: str) -> pd.DataFrame:
    """Typed counts, every document present at document level, then the scores."""
    if level == "document":
        # Every notice gets a row, in the documents' order, even one without text.
        if table.empty:  # no clauses: the empty key column has no string dtype to join on
            table = table.astype({"doc_id": documents["doc_id"].dtype})
        table = documents[["doc_id"]].merge(table, on="doc_id", how="left")
        counts = ["clauses", "words", "sentences", "long_words", "syllables", "unique_words"]
        table[counts] = table[counts].fillna(0)
    for col in ["clauses", "words", "sentences", "long_words", "syllables", "unique_words"]:
        table[col] = table[col].astype("int64")
    table["language"] = table["doc_id"].map(language).fillna("nb")
    table = _scores(table)
    return table[keys + READABILITY_COLUMNS].reset_index(drop=True)


def readability(tables, *, level: str = "document") -> pd.DataFrame:
    """Readability of a built corpus: ``policylab.readability(t, level="section")``.

    Parameters
    ----------
    tables : object with ``.documents`` and ``.clauses``
        Usually the :class:`policylab.Tables` of :func:`policylab.build`.
    level : {"document", "section", "clause"}, keyword-only
        As in :func:`readability_table`, to which this delegates.

    Returns
    -------
    pandas.DataFrame
        The table of :func:`readability_table`.

    Examples
    --------
    >>> import policylab
    >>> table = readability(policylab.build(), level="clause")
    >>> list(table.columns[:3])
    ['doc_id', 'clause_id', 'language']
    """
    missing = [name for name in ("documents", "clauses") if not hasattr(tables, name)]
    if missing:
        raise TypeError(f"readability() needs an object with .documents and .clauses; missing {missing}")
    return readability_table(tables.documents, tables.clauses, level=level)

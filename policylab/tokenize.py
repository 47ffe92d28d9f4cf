"""Words and sentences, the units every measure in policylab counts.

One definition serves segmentation (``n_words``, ``n_sentences``), readability
(LIX, OVIX) and the taggers, so that a figure computed in one table can be
recomputed from another.

- A *word* is a run of letters, optionally joined by a hyphen or apostrophe
  ("e-post", "fødsels-"): digits and punctuation are not words. This is the
  usual LIX convention (Björnsson 1968) and differs from textstat, which counts
  whitespace-separated tokens.
- A *sentence* comes from nltk's Punkt tokenizer, built offline from
  :data:`NORWEGIAN_ABBREVIATIONS` (no ``punkt_tab`` download), after splitting on
  line breaks: a heading, list item or address line is a sentence of its own.

Examples
--------
>>> words("Vi lagrer e-post i 2 år, f.eks. navn.")
['Vi', 'lagrer', 'e-post', 'i', 'år', 'f', 'eks', 'navn']
>>> [s for s, e in sentence_spans("Vi lagrer bl.a. navn. Det er alt.")]
[0, 22]
"""

from __future__ import annotations

import re
from functools import lru_cache

import regex

from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

__all__ = [
    "NORWEGIAN_ABBREVIATIONS",
    "LONG_WORD_MIN_LETTERS",
    "WORD_RE",
    "word_spans",
    "words",
    "sentence_spans",
    "sentences",
    "count_sentences",
    "snowball",
    "stem",
]

#: Abbreviations that end in a dot without ending a sentence (lower case, no
#: final dot, as Punkt stores them). Bokmål, nynorsk and common English ones.
NORWEGIAN_ABBREVIATIONS = frozenset(
    {
        "f.eks", "bl.a", "jf", "jfr", "nr", "mv", "m.v", "ca", "dvs", "d.v.s", "evt",
        "osv", "o.l", "m.m", "mm", "pkt", "inkl", "art", "kap", "ref", "iht", "i.h.t",
        "ifm", "vedr", "tlf", "org", "org.nr", "ev", "t.d", "m.a", "o.a", "bl.anna",
        "prof", "st", "gt", "adr", "avd", "bokst", "ltr", "nok", "kr", "mill", "mrd",
        "stk", "pst", "hhv", "etc", "e.g", "i.e", "vs", "no", "mr", "dr", "jan", "feb",
        "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "des", "dec",
        "ltd", "inc", "co", "as", "asa", "sa", "ans", "da",
    }
)

#: LIX counts a word as long when it has more than six letters.
LONG_WORD_MIN_LETTERS = 7

# Letters (with their combining marks), joined by hyphens or apostrophes. The
# `regex` module knows Unicode letter classes: `re`'s [^\W\d_] lets "¹" through.
WORD_RE = regex.compile(r"\p{L}[\p{L}\p{M}]*(?:[-'’]\p{L}[\p{L}\p{M}]*)*")
_LINE_RE = re.compile(r"[^\n]+")


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of ``text``.

    >>> word_spans("Ett år")
    [(0, 3), (4, 6)]
    """
    return [m.span() for m in WORD_RE.finditer(text)]


def words(text: str) -> list[str]:
    """The words of ``text`` (letter tokens, see the module docstring).

    >>> words("Org.nr. 927 605 538")
    ['Org', 'nr']
    """
    return WORD_RE.findall(text)


@lru_cache(maxsize=1)
def _punkt() -> PunktSentenceTokenizer:
    # Built from parameters, not trained or downloaded: the result is the same on
    # every machine, and the tokenizer is immutable, so caching it is safe.
    params = PunktParameters()
    params.abbrev_types = set(NORWEGIAN_ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``.

    Every line is split on its own, so headings, list items and address lines
    count as sentences. Spans hold no trailing white space.

    >>> text = "Oppbevaringstid\\nVi sletter dataene etter ca. ett år. Se pkt. 3."
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['Oppbevaringstid', 'Vi sletter dataene etter ca. ett år.', 'Se pkt. 3.']
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE_RE.finditer(text):
        base = line.start()
        spans.extend((base + s, base + e) for s, e in _line_sentences(line.group()))
    return spans


@lru_cache(maxsize=2**14)
def _line_sentences(line: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans of one line. Memoised: segmentation, tagging and readability
    ask for the same lines, and Punkt is the slowest step of each."""
    content = line.strip()
    if not content:
        return ()
    if not _INNER_BREAK.search(content):
        # No end punctuation before the last character: one sentence, spanned as
        # Punkt spans it (from the line's start to its last non-space character).
        return ((0, len(line.rstrip())),)
    return tuple(_punkt().span_tokenize(line))


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings.

    >>> sentences("Hei. Dette er bl.a. en test.")
    ['Hei.', 'Dette er bl.a. en test.']
    """
    return [text[s:e] for s, e in sentence_spans(text)]


# Any end punctuation before the line's last character may end a sentence.
_INNER_BREAK = re.compile(r"[.!?…;:](?!$)")


def count_sentences(text: str) -> int:
    """Number of sentences in ``text`` (0 for blank text), as :func:`sentence_spans` counts.

    >>> count_sentences("Innsyn\\nDu kan kreve innsyn. Kontakt oss.")
    3
    """
    return sum(len(_line_sentences(line.group())) for line in _LINE_RE.finditer(text))


@lru_cache(maxsize=None)
def snowball(language: str = "norwegian") -> SnowballStemmer:
    """nltk's Snowball stemmer for ``language``; works offline.

    ``ignore_stopwords`` stays False: nltk's stop-word corpus is a download.

    >>> snowball("norwegian").stem("opplysningene")
    'opplysning'
    """
    return SnowballStemmer(language, ignore_stopwords=False)


@lru_cache(maxsize=2**18)
def stem(word: str, language: str = "norwegian") -> str:
    """The Snowball stem of ``word``, memoised (a corpus repeats a few thousand words).

    >>> stem("informasjonskapsler")
    'informasjonskapsl'
    """
    return snowball(language).stem(word)

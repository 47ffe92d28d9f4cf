"""Stop words for bokmål, nynorsk and English, read from ``lexicons/stopwords.csv``.

The Norwegian list is Snowball's (as shipped by the ``stop-words`` package),
split into bokmål (``nb``) and nynorsk (``nn``) forms, with a few nynorsk forms
Snowball lacks (source ``policylab``). The English list is Snowball's.

Negations (``ikke``, ``ikkje``, ``inkje``, ``ingen``, ``ingi``, ``no``,
``aldri``, ``uten``, ``not``, ``nor`` and the English ``n't`` forms) are left
OUT on purpose: "vi deler ikke opplysningene" and "vi deler opplysningene" must
not look the same to a tagger or a clusterer.

Examples
--------
>>> "og" in stop_words("nb"), "ikke" in stop_words("nb")
(True, False)
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

__all__ = ["stop_words", "LANGUAGE_ALIASES"]

#: Names accepted by :func:`stop_words` besides the codes in the csv. ``no`` /
#: ``norwegian`` is bokmål and nynorsk together (the Snowball list mixes them).
LANGUAGE_ALIASES: dict[str, tuple[str, ...]] = {
    "no": ("nb", "nn"),
    "nor": ("nb", "nn"),
    "norwegian": ("nb", "nn"),
    "bokmål": ("nb",),
    "bokmal": ("nb",),
    "nynorsk": ("nn",),
    "english": ("en",),
    "all": ("nb", "nn", "en"),
}


@lru_cache(maxsize=1)
def _table() -> dict[str, frozenset[str]]:
    # Read once: the file is part of the package and does not change at run time.
    by_language: dict[str, set[str]] = {}
    path = resources.files("policylab") / "lexicons" / "stopwords.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            word = row["word"].strip().lower()
            if word:
                by_language.setdefault(row["language"].strip(), set()).add(word)
    return {language: frozenset(found) for language, found in by_language.items()}


@lru_cache(maxsize=None)
def stop_words(language: str = "no") -> frozenset[str]:
    """Stop words of one language, lower case.

    Parameters
    ----------
    language : str
        A code of the csv (``"nb"``, ``"nn"``, ``"en"``) or an alias from
        :data:`LANGUAGE_ALIASES` (``"no"`` = bokmål + nynorsk, ``"all"``).

    Returns
    -------
    frozenset of str

    Raises
    ------
    KeyError
        For a language the csv does not hold.

    Examples
    --------
    >>> sorted(stop_words("nn") & {"eg", "jeg", "ikkje"})
    ['eg']
    """
    table = _table()
    key = language.strip().lower()
    codes = LANGUAGE_ALIASES.get(key, (key,))
    missing = [code for code in codes if code not in table]
    if missing:
        raise KeyError(f"no stop words for {language!r}; known: {sorted(table)}")
    return frozenset().union(*(table[code] for code in codes))

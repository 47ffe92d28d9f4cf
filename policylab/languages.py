"""One profile per language: everything policylab needs to read, tag and measure it.

Each language is one frozen :class:`LanguageProfile` in :data:`PROFILES`, and
:func:`resolve` owns the fallback rule:

- an empty code (metadata gives none and detection was undecided) is bokmål,
  the corpus's default language;
- a known code (``nb``, ``nn``, ``en``, ``sv``, ``da``, ...) or an alias
  (``no``, ``nob``, ``swe``...) gives its profile;
- any other code gives a bare profile with nothing but its code: such a notice
  is read and segmented but not tagged.

A profile with ``lexicon=None`` (Swedish, Danish, German... today) is *not
tagged*: its notices get a problem row ("sv: no lexicon; read and segmented, not
tagged"), no labels, no retention rows (no foreign lexicon reads them) and no
coverage rows (``documents.tagged`` is False). Adding a language is adding its
lexicon files and filling in its profile here: see ``docs/languages.md``.

Examples
--------
>>> resolve("no").code, resolve("").code, resolve("sv").tagged, resolve("nn").tagged
('nb', 'nb', False, True)
>>> untagged_reason("sv")
'sv: no lexicon; read and segmented, not tagged'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["DEFAULT_LANGUAGE", "PROFILES", "LanguageProfile", "language_summary", "resolve", "untagged_reason"]


@dataclass(frozen=True)
class LanguageProfile:
    """What policylab uses for one language; ``None`` where it has nothing."""

    #: ISO 639-1 code, as in ``documents.language``.
    code: str
    #: English name.
    name: str
    #: lingua's ``Language`` member that detects it (None: never detected).
    lingua: str | None = None
    #: Tag lexicon under ``policylab/lexicons/`` (None: the language is not tagged).
    lexicon: str | None = None
    #: Key of its storage-period vocabulary in ``lexicons/retention.toml``.
    retention: str | None = None
    #: nltk Snowball stemmer name.
    stemmer: str | None = None
    #: pyphen hyphenation dictionary (syllables for readability).
    hyphenation: str | None = None
    #: Language code of its stop words in ``lexicons/stopwords.csv``.
    stop_words: str | None = None
    #: Name of its abbreviation set in :mod:`policylab.tokenize` (sentence splitting).
    abbreviations: str | None = None

    @property
    def tagged(self) -> bool:
        """Whether notices in this language get labels, retention rows and coverage."""
        return self.lexicon is not None


_NORWEGIAN = {"retention": "no", "stemmer": "norwegian", "abbreviations": "NORWEGIAN_ABBREVIATIONS"}

#: Every language policylab knows, by code. lingua detects those with a ``lingua`` name.
PROFILES: dict[str, LanguageProfile] = {p.code: p for p in (
    LanguageProfile("nb", "Norwegian Bokmål", "BOKMAL", "nb.toml", hyphenation="nb_NO", stop_words="nb", **_NORWEGIAN),
    LanguageProfile("nn", "Norwegian Nynorsk", "NYNORSK", "nn.toml", hyphenation="nn_NO", stop_words="nn", **_NORWEGIAN),
    LanguageProfile("en", "English", "ENGLISH", "en.toml", retention="en", stemmer="english", hyphenation="en_US",
                    stop_words="en"),
    LanguageProfile("sv", "Swedish", "SWEDISH", stemmer="swedish", hyphenation="sv_SE"),
    LanguageProfile("da", "Danish", "DANISH", stemmer="danish", hyphenation="da_DK"),
    LanguageProfile("de", "German", "GERMAN", stemmer="german", hyphenation="de_DE"),
    LanguageProfile("fi", "Finnish", "FINNISH", stemmer="finnish"),
    LanguageProfile("fr", "French", "FRENCH", stemmer="french", hyphenation="fr_FR"),
    LanguageProfile("es", "Spanish", "SPANISH", stemmer="spanish", hyphenation="es"),
    LanguageProfile("nl", "Dutch", "DUTCH", stemmer="dutch", hyphenation="nl_NL"),
    LanguageProfile("pl", "Polish", "POLISH", hyphenation="pl_PL"),
)}

#: The language of a notice whose language is neither given nor detected.
DEFAULT_LANGUAGE = "nb"

_ALIASES = {"no": "nb", "nob": "nb", "nor": "nb", "bokmål": "nb", "bokmal": "nb", "nno": "nn", "nynorsk": "nn",
            "eng": "en", "english": "en", "swe": "sv", "dan": "da", "deu": "de", "ger": "de"}


def resolve(code: str | None) -> LanguageProfile:
    """The profile of a language code (the fallback rule is in the module docstring).

    >>> resolve("EN").name, resolve("xx").tagged
    ('English', False)
    """
    key = (code or "").strip().lower()
    if not key or key in ("nan", "none"):
        return PROFILES[DEFAULT_LANGUAGE]
    key = _ALIASES.get(key, key)
    return PROFILES.get(key) or LanguageProfile(key, key)


def untagged_reason(code: str) -> str:
    """The problem-row text for a notice in a language without a lexicon."""
    return f"{resolve(code).code}: no lexicon; read and segmented, not tagged"


def language_summary(documents: pd.DataFrame) -> pd.DataFrame:
    """How many notices each language has and whether they were tagged, with the reason.

    The build summary of the CLI and the report: one row per language.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "language": ["nb", "sv", "sv"], "tagged": [True, False, False]})
    >>> language_summary(docs).values.tolist()
    [['nb', 1, True, ''], ['sv', 2, False, 'sv: no lexicon; read and segmented, not tagged']]
    """
    columns = ["language", "notices", "tagged", "reason"]
    if documents.empty:
        return pd.DataFrame(columns=columns)
    codes = [resolve(c).code for c in documents.get("language", pd.Series([""] * len(documents)))]
    tagged = documents["tagged"] if "tagged" in documents else pd.Series([resolve(c).tagged for c in codes])
    frame = pd.DataFrame({"language": codes, "tagged": list(tagged)})
    out = frame.groupby(["language", "tagged"], sort=True).size().rename("notices").reset_index()
    out["reason"] = [("" if t else untagged_reason(c)) for c, t in zip(out["language"], out["tagged"])]
    return out[columns].astype({"tagged": bool})

"""One look per label across every figure: colour, hatch and marker.

Every figure of :mod:`policylab.plots`, :mod:`policylab.report` and the
notebooks takes its encodings from here, so consent is the same blue with the
same hatch in the legal-basis figure of the report and of a notebook. Colours
are the Okabe-Ito palette (distinguishable with the common colour-vision
deficiencies); each label also has its own hatch or marker, so a figure still
reads when printed in black and white.

Examples
--------
>>> style_of("consent").colour, style_of("consent").hatch
('#0072B2', '///')
>>> style_of("consent") == style_of("consent")
True
>>> style_of("a label nobody declared").colour  # unknown labels: a stable grey
'#999999'
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

__all__ = [
    "MAX_ROWS",
    "MIN_GROUP",
    "STYLES",
    "Style",
    "bar_style",
    "style_of",
]

#: Groups (sectors) with fewer notices than this get no median or share: their
#: points are drawn in grey and their statistics left out, saying why.
MIN_GROUP = 3

#: More rows than this (notices) and a per-notice figure switches to one row per
#: sector or shows only the first rows, saying so in its title.
MAX_ROWS = 60


@dataclass(frozen=True)
class Style:
    """How one label is drawn: face colour, hatch (bars, cells) and marker (points)."""

    colour: str
    hatch: str = ""
    marker: str = "o"
    edge: str = "black"


# Okabe-Ito: blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black.
_OI = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

#: Every label policylab draws, by name. Legal bases (GDPR Art. 6(1)), coverage
#: states, retention kinds and qualifiers, languages, and the grey of groups too
#: small to summarise.
STYLES: dict[str, Style] = {
    # legal bases (labels.LEGAL_BASES)
    "consent": Style(_OI[0], "///", "o"),
    "contract": Style(_OI[1], "...", "s"),
    "legal_obligation": Style(_OI[2], "\\\\\\", "^"),
    "vital_interests": Style(_OI[3], "xx", "D"),
    "public_task": Style(_OI[4], "++", "v"),
    "legitimate_interests": Style(_OI[5], "--", "P"),
    # coverage cells
    "covered": Style("#1b4f72", "", "s"),
    "missing": Style("#ffffff", "xx", "x"),
    "not_required": Style("#dddddd", "", "s", edge="#999999"),
    # retention terms
    "duration": Style("#333333", "", "o"),
    "event": Style(_OI[1], "///", "o"),
    "unspecified": Style("#bbbbbb", "", "o"),
    "exact": Style("#000000", "", "o"),
    "approx": Style("#ffffff", "", "o"),
    "max": Style(_OI[5], "", "<"),
    "min": Style(_OI[1], "", ">"),
    # languages
    "nb": Style(_OI[0], "", "o"),
    "nn": Style(_OI[3], "", "s"),
    "en": Style(_OI[2], "", "^"),
    # a group with fewer than MIN_GROUP notices
    "few": Style("#c8c8c8", "", "o", edge="#909090"),
    # all notices / one series
    "notices": Style("#404040", "", "o"),
}

_FALLBACK_HATCHES = ("", "//", "..", "\\\\", "xx", "oo")
_FALLBACK_MARKERS = ("D", "h", "p", "*", "X", "<", ">")


def style_of(label) -> Style:
    """The style of ``label``; an undeclared label gets grey and a hatch and marker fixed by its name.

    >>> style_of("nn").marker
    's'
    """
    found = STYLES.get(str(label))
    if found is not None:
        return found
    code = zlib.crc32(str(label).encode("utf-8"))
    return Style("#999999", _FALLBACK_HATCHES[code % len(_FALLBACK_HATCHES)],
                 _FALLBACK_MARKERS[code % len(_FALLBACK_MARKERS)])


def bar_style(label) -> dict:
    """Keyword arguments for ``Axes.bar`` / ``barh`` drawing ``label``.

    >>> bar_style("contract")["hatch"]
    '...'
    """
    s = style_of(label)
    return {"color": s.colour, "hatch": s.hatch, "edgecolor": s.edge, "linewidth": 0.6}

"""Inheritance: which clauses pass their labels to which.

A clause's enclosing headings (:func:`_ancestors`, nearest first, numbered
siblings told from parents), the lead-in paragraph of a list item
(:func:`_lead_ins`), the notice's title where it names a topic
(:func:`_topical_title`), and which clauses get labels at all (:func:`_taggable`).
:func:`policylab.tagger.rules.tag_rows` applies them.

Examples
--------
>>> _ancestors(["A", "A", "A > B", "A > B"], [True, False, True, False])
[[], [0], [0], [2, 0]]
"""

from __future__ import annotations

import re

import pandas as pd

from .lexicon import _Lexicon

# The number that opens a heading ("3.", "2.1", "10)"): its depth tells siblings from children.
_HEADING_NUMBER = re.compile(r"^\W*(\d{1,3}(?:\.\d{1,3})*)[.)]?\s")


def _numbering_depth(text: str) -> int | None:
    m = _HEADING_NUMBER.match(text)
    return m.group(1).count(".") + 1 if m else None


def _ancestors(sections: list[str], is_heading: list[bool], texts: list[str] | None = None) -> list[list[int]]:
    """For each clause, the indices of its enclosing headings, nearest first.

    A heading's ``section`` is the path down to and including itself, so the
    enclosing headings of a clause are the latest headings whose section is a
    prefix of the clause's section path.

    Where ``texts`` are given, a heading numbered at the same depth as a nearer
    heading of the chain is its sibling, not its parent ("3. Utlevering" above
    "6. Bruk av informasjonskapslar" when the source marked them up at different
    levels): its topics do not pass down.
    """
    latest: dict[str, int] = {}
    out: list[list[int]] = []
    for i, section in enumerate(sections):
        chain: list[int] = []
        if section:
            parts = section.split(" > ")
            for k in range(len(parts), 0, -1):
                j = latest.get(" > ".join(parts[:k]))
                if j is not None and j != i and j not in chain:
                    chain.append(j)
        if texts is not None and chain:
            own = _numbering_depth(texts[i]) if is_heading[i] else None
            depths: set[int] = set() if own is None else {own}
            kept = []
            for j in chain:
                depth = _numbering_depth(texts[j])
                if depth is not None and depth in depths:
                    continue
                if depth is not None:
                    depths.add(depth)
                kept.append(j)
            chain = kept
        out.append(chain)
        if is_heading[i] and section:
            latest[section] = i
    return out


def _lead_ins(kinds: list, sections: list[str], texts: list[str], keep: list[bool], lex: _Lexicon) -> list[int | None]:
    """For each list item, the index of its lead-in paragraph (None where it has none).

    The lead-in is the paragraph right before the item's list, in the same
    section, whose text matches ``[lead_in] match`` (it ends with a colon).
    """
    out: list[int | None] = [None] * len(kinds)
    if lex.lead_in is None or not lex.lead_in_topics:
        return out
    lead: int | None = None
    for i, kind in enumerate(kinds):
        if kind == "list_item":
            if lead is not None and sections[lead] == sections[i]:
                out[i] = lead
            continue
        lead = i if kind == "paragraph" and keep[i] and lex.lead_in.search(texts[i]) else None
    return out



def _taggable(kinds: list, levels: list) -> list[bool]:
    """Which clauses get labels: not boilerplate, not the title."""
    return [k != "boilerplate" and not (k == "heading" and _is_zero(lv)) for k, lv in zip(kinds, levels)]


def _is_zero(level) -> bool:
    try:
        return level is not None and level is not pd.NA and float(level) == 0
    except (TypeError, ValueError):
        return False


def _topical_title(kinds: list, levels: list, texts: list, keep: list[bool], lex: _Lexicon) -> int | None:
    """Position of the notice's title where it names a topic of the notice
    ("Cookies og lovtekst"), not where it names the notice itself
    ("Personvernerklæring", ``[title] general``)."""
    if lex.title_general is None:
        return None
    for i, (kind, level) in enumerate(zip(kinds, levels)):
        if kind == "heading" and _is_zero(level) and not keep[i]:
            return None if lex.title_general.search(str(texts[i])) else i
    return None


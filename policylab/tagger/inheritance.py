"""Inheritance: which clauses pass their labels to which.

A clause's enclosing headings (:func:`_ancestors`, nearest first, numbered
siblings told from parents), the lead-in paragraph of a list item
(:func:`_lead_ins`), the notice's title where it names a topic
(:func:`_topical_title`), and which clauses get labels at all (:func:`_taggable`).
:class:`_Inheritance` holds the passes that pass labels down (headings, lead-in,
title) behind one check, :meth:`_Inheritance.may_inherit`;
:func:`policylab.tagger.rules.tag_rows` applies them.

Examples
--------
>>> _ancestors(["A", "A", "A > B", "A > B"], [True, False, True, False])
[[], [0], [0], [2, 0]]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from ..tokenize import sentence_spans
from .lexicon import _Lexicon
from .matching import _add, _ContextMatches, _Hit, _score

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



def _requires_from_headings(pending: list, accepted: list[dict], ancestors: list[list[int]]) -> None:
    """Cues that lack their ``requires`` context take it from the headings above
    (``or_under``: "• Retting: Få rettet ..." under "Dine rettigheter")."""
    for idx, key, cue, weight, span, or_under in pending:
        if any(("topic", t) in accepted[a] for a in ancestors[idx] for t in or_under):
            _add(accepted[idx], key, cue, weight, span)


@dataclass
class _Inheritance:
    """The inheritance passes of one notice: what each clause takes from its
    headings, its list's lead-in and the notice's title, all behind one check
    (:meth:`may_inherit`).

    ``accepted``, ``suppressed`` and ``context`` are what
    :func:`~policylab.tagger.matching._direct_labels` found; ``ancestors``,
    ``lead_ins`` and ``title`` are from :func:`_ancestors`, :func:`_lead_ins`
    and :func:`_topical_title`.
    """

    lex: _Lexicon
    texts: list[str]
    keep: list[bool]
    accepted: list[dict]
    suppressed: list[set]
    context: _ContextMatches
    ancestors: list[list[int]]
    lead_ins: list[int | None]
    title: int | None
    # Start of the last sentence of each lead-in, found once.
    tails: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A clause about something the rights topic yields to ("Du har også rett til å klage til
        # Datatilsynet" under "Din rett til innsyn, retting og sletting") takes no right from its heading.
        rights_topic = self.lex.by_key.get(("topic", "rights"))
        self.rights_yields = tuple(("topic", t) for t in (rights_topic.yields_to or ())) if rights_topic is not None else ()

    def may_inherit(self, key: tuple[str, str], i: int, direct: dict) -> bool:
        """Whether clause ``i`` may take label ``key`` from another clause: it has
        no such label of its own, no cue of it that its context vetoed, and no
        match of the label's ``blocks`` ("besvares ... innen 30 dager" under a
        retention heading)."""
        if key in direct or key in self.suppressed[i]:
            return False
        blocks = self.lex.by_key[key].blocks
        return blocks is None or not self.context.spans(blocks, i, 0, len(self.texts[i]))

    def inherit(self, i: int) -> dict[tuple[str, str], tuple[float, int, _Hit]]:
        """``{key: (score, from clause, hit)}`` of what clause ``i`` inherits:
        from its headings, then its lead-in, then the title."""
        direct = self.accepted[i]
        inherited = self.from_headings(i, direct)
        self.from_lead_in(i, direct, inherited)
        self.from_title(i, direct, inherited)
        return inherited

    def from_headings(self, i: int, direct: dict) -> dict:
        """Topics of the enclosing headings (lower scores further up); a right only
        from the nearest heading; never a legal basis."""
        lex = self.lex
        inherited: dict[tuple[str, str], tuple[float, int, _Hit]] = {}
        rights_yield = any(k in direct for k in self.rights_yields)
        for depth, a in enumerate(self.ancestors[i]):
            if not self.keep[a]:
                continue
            base = lex.inherit[min(depth, len(lex.inherit) - 1)]
            for key, hit in self.accepted[a].items():
                if key[0] == "legal_basis" or not self.may_inherit(key, i, direct):
                    continue
                if key[0] == "right":
                    if depth > 0 or rights_yield:
                        continue
                    score = min(_score(hit), lex.right_inherit)
                else:
                    score = min(_score(hit), base)
                lab = lex.by_key[key]
                if lab.not_beside and any(("topic", t) in self.accepted[a] for t in lab.not_beside):
                    continue
                if lab.yields_to and any(("topic", t) in direct for t in lab.yields_to):
                    continue
                if key not in inherited or score > inherited[key][0]:
                    inherited[key] = (score, a, hit)
        return inherited

    def from_lead_in(self, i: int, direct: dict, inherited: dict) -> None:
        """The ``[lead_in] topics`` that the last sentence of the list's lead-in, the
        one that opens the list, names."""
        lead = self.lead_ins[i]
        if lead is None:
            return
        tail = self.tails.get(lead)
        if tail is None:
            spans = sentence_spans(self.texts[lead])
            tail = self.tails[lead] = spans[-1][0] if spans else 0
        lex = self.lex
        for key, hit in self.accepted[lead].items():
            if key[0] != "topic" or key[1] not in lex.lead_in_topics or hit.last < tail:
                continue
            if key in inherited or not self.may_inherit(key, i, direct):
                continue
            inherited[key] = (min(_score(hit), lex.lead_in_inherit), lead, hit)

    def from_title(self, i: int, direct: dict, inherited: dict) -> None:
        """The topics of a title that names a topic, for every clause after it."""
        title = self.title
        if title is None or i <= title:
            return
        for key, hit in self.accepted[title].items():
            if key[0] != "topic" or key in inherited or not self.may_inherit(key, i, direct):
                continue
            inherited[key] = (min(_score(hit), self.lex.title_inherit), title, hit)


# A line of contact details: an e-mail address, a phone number, a postcode and place,
# a web address, a post box or a bare label ("E-post", "Mobil 92 07 65 80").
_CONTACT_DETAIL = re.compile(
    r"@|https?://|www\.|\b\d{4}\s+[A-ZÆØÅ]|\+?\d{2}\s?\d{2}\s?\d{2}\s?\d{2}\b|\bpostboks\b|\bpo box\b"
    r"|^\W*(?:e-?post|e-?mail|telefon|tlf|mobil|phone|adresse|address)\b",
    re.IGNORECASE)
_BLOCK_TOPICS = ("dpo", "complaint")


def _words(text: str) -> int:
    return len(text.split())


def _contact_blocks(kinds: list, sections: list[str], texts: list[str], keep: list[bool],
                    accepted: list[dict], max_words: int = 8) -> list[int | None]:
    """For each clause, the index of the line that opens the contact block it belongs
    to, where that block gives the details of the data protection officer or of the
    supervisory authority (None elsewhere).

    A block opens with a short line or a lead-in (ending with a colon) that names the
    officer or the authority ("Personvernombud:", "Klage:", "Datatilsynet er
    klageinstans, og kan kontaktes på:") and runs over the lines of contact details
    after it in the same section (a name, "Postboks 9359 Grønland", "0135 Oslo",
    "Mobil 92 07 65 80"): those are the officer's or the authority's details, not the
    controller's. A heading, another section, a line that says something else
    (a topic of its own other than the controller's details), or a line without
    details after the details (the next person's name or role) ends it.

    >>> kinds = ["paragraph"] * 4
    >>> texts = ["Personvernombud:", "Ola Nordmann", "ola@firma.no", "Vi lagrer opplysningene i to år."]
    >>> accepted = [{("topic", "dpo"): 1}, {}, {("topic", "controller"): 1}, {("topic", "retention"): 1}]
    >>> _contact_blocks(kinds, [""] * 4, texts, [True] * 4, accepted)
    [0, 0, 0, None]
    """
    out: list[int | None] = [None] * len(texts)
    block: int | None = None
    details = False  # a line of details seen in the block
    for i, text in enumerate(texts):
        if not keep[i] or kinds[i] not in ("paragraph", "list_item"):
            block = None
            continue
        own = {k[1] for k in accepted[i] if k[0] == "topic"}
        names = own & set(_BLOCK_TOPICS)
        short = _words(text) <= max_words or text.rstrip().endswith(":")
        if names and (short or (block is not None and sections[block] == sections[i])):
            block, details = i, False
            out[i] = i
            continue
        if block is None or sections[block] != sections[i]:
            block = None
            continue
        detail = _CONTACT_DETAIL.search(text) is not None
        if own - {"controller"} or not (_words(text) <= max_words or detail) or (details and not detail):
            block = None
            continue
        details = details or detail
        out[i] = block
    return out

"""Whether a candidate period is a storage period, read from its sentence.

A storage cue ("lagres", "slettes", "kept") or a storage section heading admits
a candidate; a nearer deadline cue ("besvares", "varsle") rejects it (see the
header of ``lexicons/retention.toml``).
"""

from __future__ import annotations

import bisect
import re

import numpy as np

from .layout import _Layout
from .lexicon import _Lexicon


#: What may sit between a label's colon and its period: a qualifier or two.
_LABEL_GAP = re.compile(r"[ \t]*(?:[^\W\d]+\.?[ \t]+){0,3}")


def _admitted(text: str, lex: _Lexicon, layout: _Layout, start: int, end: int, deadline_form: bool) -> bool:
    """Is the candidate ``text[start:end]`` in a storage context? (see the lexicon header)"""
    s_lo, s_hi = layout.sentence(start)

    def nearest(pattern: re.Pattern, floor: int = -1) -> float:
        """Distance to the nearest cue of ``pattern`` in the sentence, before or
        after the candidate (cues inside the candidate itself, "lovpålagte krav",
        do not count); inf without one. Cue positions are found once per
        sentence and bisected, so many candidates in one sentence stay linear."""
        starts, ends = layout.cues(pattern, s_lo, s_hi)
        best = np.inf
        b = bisect.bisect_right(ends, start) - 1
        if b >= 0 and ends[b] > floor:
            best = start - ends[b]
        a = bisect.bisect_left(starts, end)
        if a < len(starts):
            best = min(best, starts[a] - end)
        return best

    near_storage = nearest(lex.storage)
    near_deadline = nearest(lex.deadline)
    if near_deadline < near_storage and not deadline_form:
        # "(d) Legal requests log: 36 months after resolution" under "How Long We Keep
        # It": in a storage section or column, a cue in the label before the colon names
        # the data kept, not a deadline.
        # Only a colon a few words before counts (_LABEL_GAP): look back a bounded
        # stretch, so many candidates in one long sentence stay linear.
        colon = text.rfind(":", max(s_lo, start - 120), start)
        if colon >= 0 and _LABEL_GAP.fullmatch(text, colon + 1, start) and (
            layout.in_storage_section(start) or layout.in_storage_column(start)
        ):
            near_deadline = nearest(lex.deadline, floor=colon)
    if deadline_form:
        if nearest(lex.request) < np.inf:
            return False
        return near_storage < near_deadline
    if near_deadline < near_storage:
        return False
    return (
        near_storage < np.inf
        or nearest(lex.processing) < np.inf
        or layout.in_storage_section(start)
        or layout.in_storage_column(start)
    )

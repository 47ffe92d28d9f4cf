"""Parity of the cue lexicons across languages (issue #17 item 3).

Every bokmål cue whose words have a different nynorsk form must be found by the
nynorsk lexicon too, and every label needs English cues of its own; the word map
and the English sentences are in ``tests/data/parity.toml``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from policylab.labels import LABELS_BY_DIMENSION
from policylab.tag import _lexicon, _split_alternatives, _split_words, lexicon_table, tag_text

PARITY = tomllib.loads((Path(__file__).parent / "data" / "parity.toml").read_text("utf-8"))
DIMENSION_OF = {label: dim for dim, labels in LABELS_BY_DIMENSION.items() for label in labels}


def render(pattern: str) -> str:
    """Words of a stem pattern: the first alternative of each group, optional parts left out."""
    words = []
    for tok in _split_words(pattern):
        if tok == "...":
            continue
        tok = re.sub(r"\(([^()]*)\)\?", "", tok)
        while "(" in tok:
            tok = re.sub(r"\(([^()]*)\)", lambda m: _split_alternatives(m.group(1))[0], tok)
        tok = tok.replace("*", "").replace("~", "")
        words.extend(tok.split())
    return " ".join(words).lower()


def nynorsk(text: str) -> str:
    for bokmal, form in PARITY["nynorsk"]["phrases"].items():
        text = re.sub(rf"(?<!\w){re.escape(bokmal)}(?!\w)", form, text)
    return " ".join(PARITY["nynorsk"]["words"].get(w, w) for w in text.split())


def test_render_and_nynorsk():
    assert render("hvilke (person)?opplysninger") == "hvilke opplysninger"
    assert render("(samler|behandler) vi følgende") == "samler vi følgende"
    assert nynorsk("hvilke opplysninger") == "kva opplysningar"
    assert nynorsk("hvor lenge") == "kor lenge"


def test_every_bokmal_cue_has_a_nynorsk_counterpart():
    cues = lexicon_table("nb")
    cues = cues[(cues["kind"] == "match") & ~cues["pattern"].str.startswith("@")]
    nn = _lexicon("nn", False)
    checked, missing = 0, []
    for row in cues.itertuples():
        bokmal = render(row.pattern)
        form = nynorsk(bokmal)
        if form == bokmal:
            continue  # the same words in both (or a form the map does not know)
        checked += 1
        label = nn.by_key[(row.dimension, row.label)]
        if not any(g.finder.spans(form, form) for g in label.groups.values()):
            missing.append(f"{row.dimension}.{row.label}: {row.pattern!r} -> nynorsk {form!r}")
    assert checked > 80
    assert not missing, "bokmål cues without a nynorsk counterpart:\n" + "\n".join(missing)


def test_every_label_has_english_cues():
    cues = lexicon_table("en")
    have = set(zip(cues["dimension"], cues["label"]))
    missing = [f"{d}.{lab}" for d, labels in LABELS_BY_DIMENSION.items() for lab in labels if (d, lab) not in have]
    assert not missing, "labels without English cues: " + ", ".join(missing)
    assert set(PARITY["english"]) == set(DIMENSION_OF), "every label needs English sentences in parity.toml"


@pytest.mark.parametrize("label,sentence", [(lab, s) for lab, ss in PARITY["english"].items() for s in ss])
def test_english_sentence_gets_its_label(label, sentence):
    tags = tag_text(sentence, language="en")
    found = set(tags.loc[tags["dimension"] == DIMENSION_OF[label], "label"].astype(str))
    assert label in found, f"{sentence!r}: {sorted(found)}"

"""Cue evidence of the rule tagger: offsets that point at the cue, and cue
patterns that stay linear on hostile text (issue #13, items 5 and 17)."""

from __future__ import annotations

import time

import pytest

from policylab.tag import tag_text


def test_cue_offsets_point_at_the_first_cue(tables):
    # Every label's cue_start:cue_end (in the document, the clause's own text or
    # its heading's) is the first cue listed in `cue`; cues are listed in order of
    # appearance. Before the fix 83 of 1429 labels pointed elsewhere (the earliest
    # cue's span beside a list in the order the cue groups were read).
    texts = dict(zip(tables.documents["doc_id"], tables.documents["text"]))
    labels = tables.labels
    bad = []
    for row in labels.itertuples():
        found = texts[row.doc_id][int(row.cue_start):int(row.cue_end)]
        # A cue may itself hold " | " (a table row), so compare as a prefix.
        if not (row.cue == found or row.cue.startswith(found + " | ")):
            bad.append((row.clause_id, row.label, row.cue, found))
    assert not bad, f"{len(bad)} labels whose offsets miss their first cue, e.g. {bad[:3]}"
    assert len(labels) > 1000


def test_cues_are_listed_in_order_of_appearance():
    # "org.nr." comes after "behandlingsansvarlig" in the group order, but first in the text.
    tags = tag_text("Org.nr. 123 456 789. Firma AS er behandlingsansvarlig.", language="nb")
    row = tags[tags["label"] == "controller"].iloc[0]
    assert row["cue"].split(" | ")[0].lower() == "org.nr."
    assert (int(row["cue_start"]), int(row["cue_end"])) == (0, 7)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("text", ["1" * 40_000, "a" * 40_000, "_" * 40_000, "a." * 20_000, "1 " * 20_000])
def test_contact_cues_do_not_backtrack_on_long_runs(language, text):
    # The e-mail cue restarted at every character of a run without "@" and read
    # the run to its end each time: 40,000 digits took about 12 s (nb). Generous limit.
    start = time.perf_counter()
    tag_text(text, language=language)
    assert time.perf_counter() - start < 3.0


@pytest.mark.parametrize("language", ["nb", "en"])
def test_email_cue_still_found(language):
    text = {"nb": "Send e-post til personvern@firma.no for spørsmål.", "en": "Write to privacy@firma.co.uk with questions."}[language]
    tags = tag_text(text, language=language)
    controller = tags[tags["label"] == "controller"]
    assert len(controller) == 1 and "@firma." in controller["cue"].iloc[0]

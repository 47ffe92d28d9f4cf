"""The tagger as a package (policylab.tagger) and its old import path (policylab.tag)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import policylab
from policylab import tag, tagger

# Names other modules, notebooks and tests import from policylab.tag, and where they live now.
_MOVED = {
    "tag_clauses": "rules", "tag_document": "rules", "tag_frame": "rules", "tag_rows": "rules",
    "tag_text": "rules", "TAG_COLUMNS": "rules", "_DIM_ORDER": "rules", "_LABEL_ORDER": "rules",
    "LANGUAGES": "lexicon", "lexicon_table": "lexicon", "_lexicon": "lexicon", "_compile_lexicon": "lexicon",
    "_split_words": "patterns", "_split_alternatives": "patterns",
}


@pytest.mark.parametrize("name", sorted(_MOVED))
def test_the_old_import_path_gives_the_package_objects(name):
    module = importlib.import_module(f"policylab.tagger.{_MOVED[name]}")
    assert getattr(tag, name) is getattr(module, name)


def test_the_public_names_are_the_same_on_both_paths():
    assert tag.__all__ == tagger.__all__
    assert all(getattr(tag, n) is getattr(tagger, n) for n in tagger.__all__)
    assert policylab.tag_text is tagger.tag_text and policylab.lexicon_table is tagger.lexicon_table


def test_every_tagger_module_is_one_job():
    # The project's rule: a module past ~800 lines is two jobs.
    root = Path(tagger.__file__).parent
    lengths = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in root.glob("*.py")}
    assert {"patterns.py", "lexicon.py", "matching.py", "inheritance.py", "rules.py"} <= set(lengths)
    assert max(lengths.values()) < 800, lengths
    assert len(Path(tag.__file__).read_text(encoding="utf-8").splitlines()) < 150


def test_may_inherit_is_the_one_check_of_every_pass():
    # "Krav besvares innen 30 dager" matches the retention label's `blocks`: neither the
    # heading nor a topical title passes retention to it, while its sibling takes it.
    from policylab.segment import segment_document
    from policylab.tagger.rules import tag_document

    text = "Oppbevaringstid\n\nDet gjelder kopier.\n\nKrav besvares innen 30 dager."
    tags = tag_document(segment_document("d", text), language="nb")
    inherited = tags[tags.source == "heading"]
    assert inherited[["clause_id", "label"]].values.tolist() == [["d:0001", "retention"]]

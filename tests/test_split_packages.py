"""retention and model became packages (one module per job); the old import paths keep working."""

from __future__ import annotations

import importlib

import pytest

# Every name the old single modules exposed that the package, its tests, docs or
# other modules reach, with the module of the package that now holds it.
MOVED = {
    "policylab.retention": {
        "table": ["KINDS", "QUALIFIERS", "RETENTION_COLUMNS", "SPAN_COLUMNS", "document_retention",
                  "find_retention_spans", "retention_frame", "retention_rows", "retention_spans"],
        "lexicon": ["_lang_keys", "_lexicon", "_parse_number", "_raw_lexicon"],
        "layout": ["_Layout"],
        "durations": ["_durations"],
        "spans": ["SPAN_WINDOW_CHARS", "_conj_before", "_events", "_trim_end"],
        "context": ["_admitted"],
        "subjects": ["_subject"],
    },
    "policylab.model": {
        "features": ["_BLOCKS", "_block_texts", "_count_blocks", "_idf", "_surface", "_tfidf", "_unlabelled_mask"],
        "classifier": ["HEADING_WEIGHTS", "THRESHOLDS", "ClauseClassifier", "cross_val_labels", "trained_classifiers",
                       "_TRAINED", "_empty_labels"],
        "combine": ["COMBINE_DEFAULT", "COMBINE_THRESHOLD", "COMBINE_WEIGHT", "MODEL_SCORE_FLOOR", "combine_labels",
                    "tag_with_model"],
    },
}


@pytest.mark.parametrize("package, module, name",
                         [(p, m, n) for p, mods in MOVED.items() for m, names in mods.items() for n in names])
def test_old_path_gives_the_same_object(package, module, name):
    # The same object, not a copy: a cache (_lexicon, _TRAINED) or a constant
    # read through the old path is the one the stage module uses.
    assert getattr(importlib.import_module(package), name) is getattr(importlib.import_module(f"{package}.{module}"), name)


@pytest.mark.parametrize("package", sorted(MOVED))
def test_public_names_unchanged(package):
    public = importlib.import_module(package).__all__
    assert all(hasattr(importlib.import_module(package), n) for n in public)
    moved = {n for names in MOVED[package].values() for n in names if not n.startswith("_")}
    assert set(public) <= moved


def test_stage_modules_stay_small():
    # The reason for the split (one module per job, none past ~800 lines).
    from pathlib import Path

    for package in MOVED:
        folder = Path(importlib.import_module(package).__file__).parent
        for path in folder.glob("*.py"):
            assert len(path.read_text(encoding="utf-8").splitlines()) <= 800, path


def test_retention_cache_is_shared_through_the_old_path():
    from policylab import retention
    from policylab.retention import lexicon

    assert retention._lexicon("nb") is lexicon._lexicon("nb")

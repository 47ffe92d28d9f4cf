"""The extended notices' splits stay apart (policylab.splits), and a learning curve on a fixed test set."""

from __future__ import annotations

import pytest

from policylab.annotations import BUNDLED_ANNOTATIONS
from policylab.evaluate import learning_curve
from policylab.splits import TEST_TRANSLATIONS, split_corpus, split_notices


def test_the_test_split_is_sealed():
    with pytest.raises(ValueError, match="sealed"):
        split_notices("test")
    with pytest.raises(ValueError, match="sealed"):
        split_corpus("test")
    with pytest.raises(ValueError, match="split must be"):
        split_notices("validation")


@pytest.mark.parametrize("split", ["train", "dev"])
def test_a_split_holds_only_its_notices_and_no_translation_of_a_test_notice(split, tmp_path):
    notices = split_notices(split)
    assert len(notices) and set(notices["split"]) == {split}
    assert not set(notices["doc_id"]) & TEST_TRANSLATIONS
    _, corpus = split_corpus(split, dest=tmp_path / split)
    copied = {p.name for p in corpus.iterdir()} - {"metadata.csv"}
    assert copied == set(notices["file"])


def test_translations_of_test_notices_are_left_out_of_training():
    # ssb-forbruksundersokelsen is marked train; its English version is a test notice.
    assert "ssb-forbruksundersokelsen" not in set(split_notices("train")["doc_id"])


def test_learning_curve_on_a_fixed_test_set_never_tests_on_training_notices():
    pool = [BUNDLED_ANNOTATIONS / f"{d}.jsonl" for d in ("motkraft", "ndla", "sula-kommune")]
    import pandas as pd
    from policylab.annotations import read_annotated_clauses

    annotated = pd.concat([read_annotated_clauses(p) for p in pool], ignore_index=True)
    curve = learning_curve(annotated, sizes=(2, 3), repeats=2, test=(BUNDLED_ANNOTATIONS / "digdir.jsonl", None),
                           text_model=False)
    # Size 2 drawn twice, all 3 notices once; the rules score the same fixed test set every time.
    assert sorted(curve.groupby("n_train")["repeat"].nunique().items()) == [(2, 2), (3, 1)]
    rules = curve[curve["method"] == "rules"]
    assert rules.groupby("dimension")["f1"].nunique().max() == 1
    assert set(curve["method"]) == {"rules", "stacked", "rules+stacked"}

"""A supervised clause classifier, and combining its labels with the rule tagger's.

One module per job:

- :mod:`.features`: the feature blocks of a clause (stemmed words, character
  n-grams, heading words, kind), counted and TF-IDF weighted, and a feature
  mapped back to the words that carry it; shared with :mod:`policylab.stacked`;
- :mod:`.classifier`: :class:`ClauseClassifier` (a scikit-learn estimator with
  ``predict_labels`` in the shape of the ``labels`` table), its
  leave-one-notice-out predictions (:func:`cross_val_labels`) and its training
  on the shipped annotations (:func:`trained_classifiers`, cached in-process);
- :mod:`.combine`: :func:`combine_labels` and :func:`tag_with_model`, rules and
  model joined per dimension.

Every name is importable from ``policylab.model`` as before.

Examples
--------
>>> import pandas as pd
>>> rules = pd.DataFrame({"clause_id": ["d:0001"], "doc_id": "d", "dimension": "topic", "label": "retention",
...                       "score": 0.9, "cue": "lagrer", "source": "rule"})
>>> combine_labels(rules, None)[["clause_id", "label", "source"]].values.tolist()
[['d:0001', 'retention', 'rule']]
"""

from __future__ import annotations

# Private names (these imports) kept at the old path ``policylab.model._name``;
# they live in the job modules.
from .classifier import (
    _TRAINED,  # noqa: F401
    _TRAINED_MAX,  # noqa: F401
    HEADING_WEIGHTS,
    THRESHOLDS,
    ClauseClassifier,
    _content_key,  # noqa: F401
    _empty_labels,  # noqa: F401
    _fold_models,  # noqa: F401
    cross_val_labels,
    trained_classifiers,
)
from .combine import (
    _HOWS,  # noqa: F401
    COMBINE_DEFAULT,
    COMBINE_THRESHOLD,
    COMBINE_WEIGHT,
    MODEL_SCORE_FLOOR,
    combine_labels,
    tag_with_model,
)
from .features import (  # noqa: F401
    _AFFIX_LETTERS,
    _BLOCKS,
    _NUMBER_RE,
    _block_texts,
    _char_text,
    _column,
    _count_blocks,
    _counter,
    _idf,
    _kind_token,
    _stem_ngrams,
    _surface,
    _tfidf,
    _unlabelled_mask,
)

__all__ = [
    "COMBINE_DEFAULT",
    "COMBINE_THRESHOLD",
    "COMBINE_WEIGHT",
    "HEADING_WEIGHTS",
    "MODEL_SCORE_FLOOR",
    "THRESHOLDS",
    "ClauseClassifier",
    "cross_val_labels",
    "combine_labels",
    "tag_with_model",
    "trained_classifiers",
]

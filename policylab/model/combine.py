"""Combining the rule tagger's labels with the classifier's, per dimension.

:func:`combine_labels` joins two frames in the ``labels`` shape by one rule per
dimension (rules, model, union, intersection or a weighted sum; the measured
figures behind :data:`COMBINE_DEFAULT` are in its notes), and
:func:`tag_with_model` runs both on a clauses table, holding out an annotated
notice's own annotations from the model that labels it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..annotations import DIMENSIONS, LABELS
from .classifier import _empty_labels, trained_classifiers

#: Model probabilities below this are not passed to :func:`combine_labels`
#: (they could not lift a rule label over the weighted threshold anyway).
MODEL_SCORE_FLOOR = 0.05


def tag_with_model(clauses: pd.DataFrame, *, documents: pd.DataFrame | None = None, annotations=None,
                   corpus: Path | str | None = None, how: str | dict[str, str] | None = None,
                   hold_out: bool = True, rule_labels: pd.DataFrame | None = None, **params) -> pd.DataFrame:
    """Rule labels combined with the labels of a classifier trained on gold annotations.

    Parameters
    ----------
    clauses
        A ``clauses`` table (whole notices: the rules inherit from headings).
    documents
        The ``documents`` table; its ``language`` picks the rule lexicon.
    annotations, corpus
        Gold annotations and the corpus they describe (default: the bundled ones).
    how
        Passed to :func:`combine_labels` (default :data:`COMBINE_DEFAULT`).
    hold_out
        Label an annotated notice with a model trained without its own
        annotations (by doc_id), so its labels are as good as for any new
        notice and equal what :func:`policylab.evaluate.evaluate` scores.
    rule_labels
        Labels of :func:`policylab.tag.tag_clauses` when already computed.
    **params
        :class:`ClauseClassifier` parameters.

    Returns
    -------
    DataFrame
        Labels in the ``labels`` shape (see :func:`combine_labels`).

    Examples
    --------
    >>> from policylab.segment import segment_document
    >>> clauses = segment_document("demo", "Personvern\\n\\nOppbevaringstid\\n\\nVi sletter opplysningene etter fem år.")
    >>> tag_with_model(clauses)[["clause_id", "label"]].values.tolist()
    [['demo:0001', 'retention'], ['demo:0002', 'retention']]
    """
    if rule_labels is None:
        from ..tag import tag_clauses

        rule_labels = tag_clauses(clauses, documents=documents)
    choices = set(COMBINE_DEFAULT.values()) if how is None else ({how} if isinstance(how, str) else set({**COMBINE_DEFAULT, **how}.values()))
    if not len(clauses) or choices == {"rules"}:  # no model needed
        return combine_labels(rule_labels, None, how=how)
    from ..annotations import read_annotated_clauses

    annotated = read_annotated_clauses(annotations) if not isinstance(annotations, pd.DataFrame) else annotations
    annotated_docs = set(annotated["doc_id"]) if hold_out else set()
    frames = []
    for doc_id, group in clauses.groupby("doc_id", sort=False):
        leave_out = (doc_id,) if doc_id in annotated_docs else ()
        models = trained_classifiers(annotated, corpus=corpus, leave_out=leave_out, **params)
        for model in models.values():
            scored = model.predict_labels(group, threshold=min(model.threshold_, MODEL_SCORE_FLOOR))
            # Each dimension has its own threshold; below it a label only counts for weighting.
            frames.append(scored.assign(_below=scored["score"] < model.threshold_))
    model_labels = pd.concat([f for f in frames if len(f)] or [_empty_labels().assign(_below=False)], ignore_index=True)
    return combine_labels(rule_labels, model_labels, how=how)


#: How :func:`combine_labels` joins rules and model per dimension by default:
#: the rules alone, because no combination beat them under leave-one-notice-out
#: (see :func:`combine_labels` for the figures).
COMBINE_DEFAULT: dict[str, str] = {"topic": "rules", "legal_basis": "rules", "right": "rules"}
#: Weight of the rule score in ``"weighted"`` combination, and the threshold.
COMBINE_WEIGHT = 0.6
COMBINE_THRESHOLD = 0.5

_HOWS = ("rules", "model", "union", "intersection", "weighted")


def combine_labels(rule_labels: pd.DataFrame | None, model_labels: pd.DataFrame | None, *,
                   how: str | dict[str, str] | None = None, weight: float = COMBINE_WEIGHT,
                   threshold: float = COMBINE_THRESHOLD) -> pd.DataFrame:
    """Join the rule tagger's labels and the model's, per dimension.

    Parameters
    ----------
    rule_labels, model_labels
        Frames in the ``labels`` shape (``clause_id, doc_id, dimension, label,
        score, cue``), from :func:`policylab.tag.tag_clauses` and
        :meth:`ClauseClassifier.predict_labels`.
    how
        ``"rules"``, ``"model"``, ``"union"`` (either has it), ``"intersection"``
        (both have it) or ``"weighted"`` (``weight * rule score + (1 - weight) *
        model score >= threshold``, a missing label scoring 0); one for all
        dimensions or a dict per dimension. Default :data:`COMBINE_DEFAULT`.
    weight, threshold
        For ``"weighted"``.

    Model rows may carry a boolean column ``_below``: True where the score is
    below the model's own threshold (it was listed for weighting only); such
    rows count only for ``"weighted"``.

    Notes
    -----
    Micro-F1 under leave-one-notice-out on the 21 annotated bundled notices
    (adjudicated gold: 1209 topic, 126 legal-basis, 114 right labels; the model
    with its default parameters, weighted = 0.6 x rule + 0.4 x model >= 0.5):

    ============  =====  ===========  =====
    how           topic  legal_basis  right
    ============  =====  ===========  =====
    rules         0.912  0.960        0.987
    model         0.691  0.661        0.826
    union         0.839  0.844        0.934
    intersection  0.759  0.763        0.877
    weighted      0.882  0.951        0.987
    ============  =====  ===========  =====

    The rules are best in every dimension, so :data:`COMBINE_DEFAULT` is
    ``"rules"`` everywhere. Caveat: the rule lexicons were written with the
    annotated notices at hand, so the rules' figures are not strictly out of
    sample; the model's are.

    Returns
    -------
    DataFrame
        ``clause_id, doc_id, dimension, label, score, cue, source, rule_score,
        model_score``: ``score`` is the larger of the two for ``union``, the
        smaller for ``intersection``, the weighted sum for ``weighted``; ``cue``
        is the rule's cue where the rules found the label (else the model's);
        ``source`` names who found it (``rule``, ``heading``, ``model``, or
        e.g. ``rule+model``).

    Examples
    --------
    >>> rules = pd.DataFrame({"clause_id": ["d:0001"], "doc_id": "d", "dimension": "topic", "label": "retention",
    ...                       "score": 0.9, "cue": "lagrer", "source": "rule"})
    >>> model = pd.DataFrame({"clause_id": ["d:0001", "d:0002"], "doc_id": "d", "dimension": "topic",
    ...                       "label": ["retention", "rights"], "score": [0.8, 0.7], "cue": ["lagr", "innsyn"], "source": "model"})
    >>> combine_labels(rules, model, how="union")[["clause_id", "label", "score", "source"]].values.tolist()
    [['d:0001', 'retention', 0.9, 'rule+model'], ['d:0002', 'rights', 0.7, 'model']]
    >>> combine_labels(rules, model, how="intersection")[["clause_id", "label", "score"]].values.tolist()
    [['d:0001', 'retention', 0.8]]
    """
    how = dict(COMBINE_DEFAULT) if how is None else how
    per_dimension = {d: how for d in DIMENSIONS} if isinstance(how, str) else {**COMBINE_DEFAULT, **how}
    for dimension, choice in per_dimension.items():
        if choice not in _HOWS:
            raise ValueError(f"how for {dimension} must be one of {_HOWS}, not {choice!r}")

    def plain(frame: pd.DataFrame | None, default_source: str) -> pd.DataFrame:
        if frame is None or not len(frame):
            return pd.DataFrame(columns=["clause_id", "doc_id", "dimension", "label", "score", "cue", "source"])
        source = frame["source"].astype(str) if "source" in frame else default_source
        plain = pd.DataFrame({
            "clause_id": frame["clause_id"].astype(str), "doc_id": frame["doc_id"].astype(str),
            "dimension": frame["dimension"].astype(str), "label": frame["label"].astype(str),
            "score": frame["score"].astype(float), "cue": frame["cue"].astype(str), "source": source,
        })
        if "_below" in frame:
            plain["_below"] = frame["_below"].astype(bool).to_numpy()
        return plain.drop_duplicates(["clause_id", "dimension", "label"])

    keys = ["clause_id", "doc_id", "dimension", "label"]
    rules, model = plain(rule_labels, "rule"), plain(model_labels, "model")
    both = rules.merge(model, on=keys, how="outer", suffixes=("_rule", "_model"))
    choice = both["dimension"].map(per_dimension)
    has_rule = both["score_rule"].notna()
    below = both["_below"].astype("boolean").fillna(False).astype(bool) if "_below" in both else False
    has_model = both["score_model"].notna() & (~below | (choice == "weighted"))
    rule_score, model_score = both["score_rule"].fillna(0.0), both["score_model"].where(has_model, 0.0).fillna(0.0)
    keep = (
        ((choice == "rules") & has_rule)
        | ((choice == "model") & has_model)
        | ((choice == "union") & (has_rule | has_model))
        | ((choice == "intersection") & has_rule & has_model)
        | ((choice == "weighted") & (weight * rule_score + (1 - weight) * model_score >= threshold))
    )
    score = np.select(
        [choice == "rules", choice == "model", choice == "union", choice == "intersection"],
        [rule_score, model_score, np.maximum(rule_score, model_score), np.minimum(rule_score, model_score)],
        weight * rule_score + (1 - weight) * model_score,
    )
    source = np.where(
        has_rule & has_model & ~choice.isin(["rules", "model"]), both["source_rule"].fillna("") + "+model",
        np.where(has_rule & (choice != "model"), both["source_rule"].fillna(""), "model"),
    )
    cue = np.where(has_rule & (choice != "model"), both["cue_rule"].fillna(""), both["cue_model"].fillna(""))
    out = pd.DataFrame({
        **{k: both[k] for k in keys}, "score": score, "cue": cue, "source": source,
        "rule_score": both["score_rule"], "model_score": both["score_model"],
    })[keep.to_numpy()]
    doc_order = {d: i for i, d in enumerate(pd.unique(pd.concat([rules["doc_id"], model["doc_id"]])))}
    dim_order = {d: i for i, d in enumerate(DIMENSIONS)}
    label_order = {lab: i for d in DIMENSIONS for i, lab in enumerate(LABELS[d])}
    out = out.assign(_doc=out["doc_id"].map(doc_order), _dim=out["dimension"].map(dim_order), _lab=out["label"].map(label_order))
    out = out.sort_values(["_doc", "clause_id", "_dim", "_lab"], kind="stable").drop(columns=["_doc", "_dim", "_lab"])
    return out.reset_index(drop=True)

"""A learned tagger on top of the rules, stored as JSON: rule firings and TF-IDF in one model.

:class:`StackedTagger` gives every clause, per label, a calibrated probability
that the label applies, from two kinds of feature:

- what the rules said about the clause: one feature per (label, how) with the
  rule's score, ``how`` being the clause's own words (``rule:``), a heading,
  lead-in or title it inherited from while its own words gave it no topic
  (``heading:``), or such an inheritance beside a topic of its own words
  (``beside:``: "• Lodge a complaint with Datatilsynet" under "Your rights" is
  about complaints; annotators judge a clause by what it says, so an inherited
  topic is right far less often there);
- the clause's words (stemmed uni- and bigrams and compound affixes), its
  nearest heading's words and its kind, as TF-IDF (the blocks of
  :class:`policylab.model.ClauseClassifier`).

One logistic regression per label learns how far to trust each rule and which
words add what the rules miss. Probabilities are calibrated by Platt scaling
(one sigmoid per dimension, fitted on decision values of held-out notices:
:attr:`StackedTagger.folds` folds grouped by notice), so ``confidence`` 0.8 means
that about four in five such labels are right on notices the model did not see.

:func:`apply_model` adds a ``confidence`` column to a labels table and, with
``how="combined"``, the labels the model finds and the rules do not (``source``
``"model"``, the ``evidence`` column naming the features that raised them most,
``cue`` the clause's own words among them). A model is saved as one JSON file
(vocabularies, idf, coefficients, calibration, threshold; no pickle), loaded at
build time without training: :data:`DEFAULT_MODEL` ships with the package and
``policylab train ANNOTATIONS --out MODEL`` makes one from a lab's own annotations.

Examples
--------
>>> model = load_model()
>>> sorted(model.classes_)
['legal_basis', 'right', 'topic']
>>> 0 < model.threshold <= 1
True
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator

from .annotations import DIMENSIONS, LABELS
from .model.classifier import HEADING_WEIGHTS
from .model.features import _BLOCKS, _block_texts, _count_blocks, _idf, _surface, _tfidf, _unlabelled_mask

__all__ = [
    "DEFAULT_HOW",
    "DEFAULT_MODEL",
    "HOWS",
    "MODEL_FORMAT",
    "StackedTagger",
    "apply_model",
    "choose_thresholds",
    "cross_val_stacked",
    "load_model",
    "resolve_model",
    "train_model",
    "training_clauses",
]

#: Version tag of the JSON format written by :meth:`StackedTagger.save` (``/3``: with
#: the veto and add thresholds of ``how="tuned"``).
MODEL_FORMAT = "policylab-stacked/3"
#: Older formats :func:`load_model` still reads (their rule features are a subset; a
#: model without thresholds gives the rules' labels with ``how="tuned"``).
_READABLE_FORMATS = ("policylab-stacked/1", "policylab-stacked/2", MODEL_FORMAT)
#: The model shipped with the package, trained on every bundled annotation.
DEFAULT_MODEL = "models/default.json"
#: What :func:`apply_model` does with the model's labels by default: ``"rules"`` (every
#: rule label kept, with the model's confidence; no label added). The packaged model is
#: trained on the 21 bundled and the 20 training notices of ``data/extended``. Micro-F1
#: (topic / legal basis / right), rules against the model's own labels (``"model"``):
#:
#: - dev split of ``data/extended`` (10 notices, 371 clauses, never trained on): rules
#:   0.813 / 0.986 / 0.909, ``"model"`` 0.818 / 0.986 / 0.909, ``"combined"`` as rules
#:   (at 0.5 it adds no label);
#: - leave one notice out over all 41 training notices: rules 0.890 / 0.949 / 0.968,
#:   ``"model"`` 0.888 / 0.946 / 0.968; on the 20 extended ones alone rules 0.856 / 0.908
#:   / 0.931, ``"model"`` 0.855 / 0.898 / 0.931.
#:
#: The dev gain of ``"model"`` (+0.005 topic, two clauses) is not borne out on 41
#: notices held out one at a time, where it loses a little on legal bases, so the
#: default stays with the rules: they keep every cue, and the model gives confidence.
#:
#: ``"tuned"`` (veto and add thresholds per dimension chosen by grouped cross-validation,
#: :attr:`StackedTagger.thresholds_`) ties the rules on both measures: -0.000 topic held
#: out one notice at a time (bootstrap 95% interval over notices -0.001 to +0.000) and
#: +0.000 on dev; neither this nor a gradient-boosted combination with context features
#: beat the rules by more than noise. With the 18 training notices annotated later (59 in
#: all; the rules were not tuned on the new ones) ``"combined"`` gains +0.004 topic held
#: out (interval -0.001 to +0.009) and +0.007 on a 19-notice dev (-0.000 to +0.016):
#: still not beyond noise on both, so the default stays the rules. The criterion and the
#: procedure to re-decide are in ``docs/notes/model3.md`` (``benchmarks/bench_combination.py``).
DEFAULT_HOW = "rules"
#: ``"rules"``: the rules' labels, each with the model's confidence; ``"combined"``: those
#: plus the labels the model finds at or above its threshold; ``"model"``: the labels at
#: or above the threshold only (a rule label the model doubts is dropped); ``"tuned"``:
#: a rule label is dropped below the dimension's veto threshold and a model label added
#: at or above its add threshold (:attr:`StackedTagger.thresholds_`).
HOWS = ("rules", "combined", "model", "tuned")
#: Candidate thresholds :meth:`StackedTagger.fit` tries: veto (0: never drop a rule
#: label) and add (``None``: never add a model label).
VETO_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
ADD_GRID = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, None)
#: Thresholds within this micro-F1 of the best held-out ones count as tied; of tied
#: ones the nearest to the rules (lowest veto, no or highest add) is kept.
TUNE_TOLERANCE = 0.001

_TEXT_BLOCKS = ("word", "heading", "kind")
_SOURCES = ("rule", "heading", "beside")
_ALL_LABELS = [(d, lab) for d in DIMENSIONS for lab in LABELS[d]]
_RULE_FEATURES = [f"{src}:{d}:{lab}" for src in _SOURCES for d, lab in _ALL_LABELS]
_RULE_INDEX = {(src, d, lab): i for i, (src, (d, lab)) in enumerate((s, dl) for s in _SOURCES for dl in _ALL_LABELS)}


def _rule_matrix(clauses: pd.DataFrame, rule_labels: pd.DataFrame | None) -> sp.csr_matrix:
    """One row per clause, one column per (rule or heading, label): the rule's score."""
    n = len(clauses)
    if rule_labels is None or not len(rule_labels):
        return sp.csr_matrix((n, len(_RULE_FEATURES)))
    position = {c: i for i, c in enumerate(clauses["clause_id"].astype(str))}
    rows, cols, vals = [], [], []
    source = rule_labels["source"].astype(str) if "source" in rule_labels else pd.Series("rule", index=rule_labels.index)
    own = rule_labels["dimension"].astype(str).eq("topic") & source.eq("rule")
    with_own_topic = set(rule_labels.loc[own, "clause_id"].astype(str))
    for cid, dim, lab, src, score in zip(rule_labels["clause_id"].astype(str), rule_labels["dimension"].astype(str),
                                         rule_labels["label"].astype(str), source, rule_labels["score"].astype(float)):
        i = position.get(cid)
        if i is None:
            continue
        how = "rule" if src == "rule" else "beside" if cid in with_own_topic else "heading"
        col = _RULE_INDEX.get((how, dim, lab))
        if col is not None:
            rows.append(i)
            cols.append(col)
            vals.append(score)
    m = sp.csr_matrix((vals, (rows, cols)), shape=(n, len(_RULE_FEATURES)))
    m.sum_duplicates()
    return m


class StackedTagger(BaseEstimator):
    """Per-label logistic regressions over rule firings and TF-IDF, with calibrated probabilities.

    Parameters
    ----------
    C
        Inverse regularisation strength of every per-label regression.
    min_df
        Word and heading features found in fewer training clauses are dropped.
    threshold
        A label the rules did not give is added (``how="combined"``) where its
        calibrated probability reaches this. 0.5, a priori: on a calibrated
        scale, "more likely than not"; not tuned on the annotations.
    folds
        Notice-grouped folds for the held-out decision values that Platt
        scaling is fitted on.
    max_cues
        Features named in ``evidence`` per model label.
    random_state
        Seed of the solver.

    Attributes
    ----------
    classes_ : dict of str to list of str
        Per dimension, the labels the model learned (at least one positive and
        one negative training clause).
    vocabulary_, idf_ : dict of str to ndarray
        Features and inverse document frequencies of the text blocks.
    coef_ : dict of str to ndarray
        Per dimension, ``(n_labels, n_features)`` weights over the text blocks
        then the rule features (:attr:`feature_names_`); the heading block's
        weight (:data:`policylab.model.HEADING_WEIGHTS`) is folded in.
    intercept_ : dict of str to ndarray
    calibration_ : dict of str to tuple of float
        Per dimension, Platt's ``(a, b)`` for labels the rules gave, then for the
        others: ``confidence = 1 / (1 + exp(-(a * decision + b)))``. Two sigmoids,
        because the rules' labels are right far more often than a decision value
        alone says when they are pooled with every clause the rules left alone.
    thresholds_ : dict of str to tuple
        Per dimension, ``(veto, add)`` for ``how="tuned"``: a rule label whose
        confidence is below ``veto`` is dropped, a label the rules did not give is
        added where its confidence reaches ``add`` (``None``: never). Chosen on the
        same held-out probabilities as the calibration, to maximise the dimension's
        micro-F1 (:func:`choose_thresholds`).

    Examples
    --------
    >>> from sklearn.base import clone
    >>> clone(StackedTagger(C=2.0)).get_params()["C"]
    2.0
    """

    def __init__(self, *, C: float = 1.0, min_df: int = 2, threshold: float = 0.5, folds: int = 5,
                 max_cues: int = 3, random_state: int | None = 0):
        self.C = C
        self.min_df = min_df
        self.threshold = threshold
        self.folds = folds
        self.max_cues = max_cues
        self.random_state = random_state

    # -- features -----------------------------------------------------------

    def _text_counts(self, clauses: pd.DataFrame, vocabulary=None) -> dict:
        vocab = None if vocabulary is None else {b: vocabulary.get(b, np.array([], dtype=object)) for b in _BLOCKS}
        if vocab is not None:
            vocab["char"] = np.array([], dtype=object)
        return _count_blocks(_block_texts(clauses), None, vocab)

    def _text_features(self, counts: dict, keep: dict | None = None) -> dict[str, sp.csr_matrix]:
        out = {}
        for block in _TEXT_BLOCKS:
            matrix = counts[block][0]
            if keep is not None:
                matrix = matrix[:, keep[block]]
            out[block] = _tfidf(matrix, self.idf_[block], 1.0)
        return out

    @staticmethod
    def _design(text: dict[str, sp.csr_matrix], rules: sp.csr_matrix, dimension: str) -> sp.csr_matrix:
        return sp.hstack([text["word"], text["heading"] * HEADING_WEIGHTS[dimension], text["kind"], rules], format="csr")

    @property
    def feature_names_(self) -> np.ndarray:
        """Names of the columns of ``coef_``: ``word:``, ``heading:``, ``kind:`` then rule features."""
        names = [f"{b}:{f}" for b in _TEXT_BLOCKS for f in self.vocabulary_[b]]
        return np.asarray(names + _RULE_FEATURES, dtype=object)

    # -- fitting ------------------------------------------------------------

    def fit(self, clauses: pd.DataFrame, rule_labels: pd.DataFrame | None) -> StackedTagger:
        """Learn from annotated clauses and the rules' labels of the same clauses.

        Parameters
        ----------
        clauses
            Annotated clauses with ``clause_id, doc_id, text`` (``heading, kind,
            level`` used when present) and one column per dimension holding the
            gold label lists (:func:`policylab.annotations.gold_clauses`).
        rule_labels
            Labels of :func:`policylab.tag.tag_clauses` for (at least) these clauses.

        Returns
        -------
        self
        """
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GroupKFold

        clauses = clauses[~_unlabelled_mask(clauses)].reset_index(drop=True)
        if not len(clauses):
            raise ValueError("no clauses to learn from (all are boilerplate or titles)")
        counts = self._text_counts(clauses)
        rows = np.arange(len(clauses))
        self.vocabulary_, self.idf_, keep = {}, {}, {}
        for block in _TEXT_BLOCKS:
            keep[block], self.idf_[block] = _idf(counts[block][0], rows, self.min_df if block != "kind" else 1)
            self.vocabulary_[block] = counts[block][1][keep[block]]
        text = self._text_features(counts, keep)
        rules = _rule_matrix(clauses, rule_labels)
        groups = clauses["doc_id"].astype(str).to_numpy()
        n_groups = len(set(groups))
        splits = list(GroupKFold(n_splits=min(self.folds, n_groups)).split(rows, groups=groups)) if n_groups > 1 else []

        def regression():
            return LogisticRegression(C=self.C, solver="liblinear", random_state=self.random_state, max_iter=1000)

        self.classes_, self.coef_, self.intercept_, self.calibration_, self.thresholds_ = {}, {}, {}, {}, {}
        for dimension in DIMENSIONS:
            design = self._design(text, rules, dimension)
            gold = [list(v) for v in clauses[dimension]]
            classes, coefs, intercepts, held_dec, held_y, held_fired = [], [], [], [], [], []
            for label in LABELS[dimension]:
                fired = _fired(rules, dimension, label)
                y = np.fromiter((label in g for g in gold), dtype=bool, count=len(gold))
                if y.all() or not y.any():
                    continue
                est = regression().fit(design, y)
                classes.append(label)
                coefs.append(est.coef_[0])
                intercepts.append(est.intercept_[0])
                for train, test in splits:
                    if y[train].all() or not y[train].any():
                        continue
                    fold = regression().fit(design[train], y[train])
                    held_dec.append(fold.decision_function(design[test]))
                    held_y.append(y[test])
                    held_fired.append(fired[test])
            self.classes_[dimension] = classes
            width = design.shape[1]
            self.coef_[dimension] = np.vstack(coefs) if coefs else np.zeros((0, width))
            self.intercept_[dimension] = np.asarray(intercepts, dtype=float)
            dec = np.concatenate(held_dec) if held_dec else np.array([])
            yy = np.concatenate(held_y) if held_y else np.array([], dtype=bool)
            ff = np.concatenate(held_fired) if held_fired else np.array([], dtype=bool)
            # Two sigmoids: one for the labels the rules gave, one for the others.
            self.calibration_[dimension] = calibration = (*_platt(dec[ff], yy[ff]), *_platt(dec[~ff], yy[~ff]))
            a_rule, b_rule, a_other, b_other = calibration
            held_p = 1.0 / (1.0 + np.exp(-np.where(ff, a_rule * dec + b_rule, a_other * dec + b_other)))
            self.thresholds_[dimension] = choose_thresholds(held_p, ff, yy)
        return self

    # -- prediction ---------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("StackedTagger is not fitted yet: call fit() or load_model()")

    def _designs(self, clauses: pd.DataFrame, rule_labels: pd.DataFrame | None) -> dict[str, sp.csr_matrix]:
        counts = self._text_counts(clauses, self.vocabulary_)
        text = self._text_features(counts)
        rules = _rule_matrix(clauses, rule_labels)
        return {d: self._design(text, rules, d) for d in DIMENSIONS}

    def _proba(self, design: sp.csr_matrix, dimension: str, mask: np.ndarray) -> np.ndarray:
        decision = np.asarray(design @ self.coef_[dimension].T) + self.intercept_[dimension]
        a_rule, b_rule, a_other, b_other = self.calibration_[dimension]
        rules = design[:, design.shape[1] - len(_RULE_FEATURES):]
        fired = np.column_stack([_fired(rules, dimension, lab) for lab in self.classes_[dimension]]) if self.classes_[dimension] else np.zeros_like(decision, dtype=bool)
        z = np.where(fired, a_rule * decision + b_rule, a_other * decision + b_other)
        proba = 1.0 / (1.0 + np.exp(-z))
        proba[mask] = 0.0
        return proba

    def predict_proba(self, clauses: pd.DataFrame, rule_labels: pd.DataFrame | None) -> dict[str, np.ndarray]:
        """Calibrated probabilities per dimension: ``(n_clauses, len(classes_[dimension]))``.

        Boilerplate and titles get 0.
        """
        self._check_fitted()
        mask = _unlabelled_mask(clauses)
        designs = self._designs(clauses, rule_labels)
        return {d: self._proba(designs[d], d, mask) for d in DIMENSIONS}

    def _evidence(self, design: sp.csr_matrix, names: np.ndarray, row: int, coef: np.ndarray) -> list[str]:
        lo, hi = design.indptr[row], design.indptr[row + 1]
        idx = design.indices[lo:hi]
        contrib = design.data[lo:hi] * coef[idx]
        order = np.argsort(-contrib)
        return [names[idx[k]] for k in order[: self.max_cues] if contrib[k] > 0]

    # -- saving -------------------------------------------------------------

    def to_dict(self) -> dict:
        """The fitted model as plain JSON-able data (lists, strings, numbers)."""
        self._check_fitted()
        return {
            "format": MODEL_FORMAT,
            "params": self.get_params(),
            "heading_weights": {d: HEADING_WEIGHTS[d] for d in DIMENSIONS},
            "vocabulary": {b: [str(f) for f in self.vocabulary_[b]] for b in _TEXT_BLOCKS},
            "idf": {b: self.idf_[b].round(8).tolist() for b in _TEXT_BLOCKS},
            "rule_features": list(_RULE_FEATURES),
            "classes": self.classes_,
            "coef": {d: _sparse_rows(self.coef_[d]) for d in DIMENSIONS},
            "intercept": {d: self.intercept_[d].round(8).tolist() for d in DIMENSIONS},
            "calibration": {d: list(self.calibration_[d]) for d in DIMENSIONS},
            "thresholds": {d: list(self.thresholds_[d]) for d in DIMENSIONS if d in getattr(self, "thresholds_", {})},
        }

    @classmethod
    def from_dict(cls, data: dict) -> StackedTagger:
        """A model from :meth:`to_dict`'s data (checks the format and the label names)."""
        if not isinstance(data, dict) or data.get("format") not in _READABLE_FORMATS:
            raise ValueError(f"not a policylab model (expected format {MODEL_FORMAT!r})")
        stored = list(data["rule_features"])
        if not set(stored) <= set(_RULE_FEATURES):
            raise ValueError("the model was trained with another label scheme (rule features differ)")
        model = cls(**data["params"])
        model.vocabulary_ = {b: np.asarray(data["vocabulary"][b], dtype=object) for b in _TEXT_BLOCKS}
        model.idf_ = {b: np.asarray(data["idf"][b], dtype=float) for b in _TEXT_BLOCKS}
        n_text = sum(len(model.vocabulary_[b]) for b in _TEXT_BLOCKS)
        width = n_text + len(_RULE_FEATURES)
        model.classes_ = {d: list(data["classes"][d]) for d in DIMENSIONS}
        for d in DIMENSIONS:
            unknown = set(model.classes_[d]) - set(LABELS[d])
            if unknown:
                raise ValueError(f"the model has unknown {d} labels {sorted(unknown)}")
        # A column of the file's rule features goes to the same feature here (an older
        # model's features are a subset: the ones it lacks keep weight 0).
        columns = np.concatenate([np.arange(n_text), n_text + np.asarray([_RULE_FEATURES.index(f) for f in stored], dtype=int)])
        model.coef_ = {d: _dense_rows(data["coef"][d], len(model.classes_[d]), width, columns) for d in DIMENSIONS}
        model.intercept_ = {d: np.asarray(data["intercept"][d], dtype=float) for d in DIMENSIONS}
        model.calibration_ = {d: tuple(float(x) for x in data["calibration"][d]) for d in DIMENSIONS}
        # Format 1 and 2 files have no thresholds: "tuned" then keeps the rules' labels.
        stored_thresholds = data.get("thresholds", {})
        model.thresholds_ = {d: (float(stored_thresholds[d][0]),
                                 None if stored_thresholds[d][1] is None else float(stored_thresholds[d][1]))
                             if d in stored_thresholds else (0.0, None) for d in DIMENSIONS}
        return model

    def save(self, path: Path | str) -> Path:
        """Write the model as JSON (the only format: safe to load from anyone)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        return path


def _fired(rules: sp.csr_matrix, dimension: str, label: str) -> np.ndarray:
    """Whether the rules gave ``label`` to each clause (by its own words or inherited)."""
    cols = [_RULE_INDEX[(src, dimension, label)] for src in _SOURCES]
    return np.asarray((rules[:, cols] != 0).sum(axis=1)).ravel() > 0


def _sparse_rows(matrix: np.ndarray) -> list[dict]:
    """Rows of a coefficient matrix as ``{"i": [...], "v": [...]}`` (most weights are 0 after rounding)."""
    out = []
    for row in np.asarray(matrix):
        nz = np.flatnonzero(np.abs(row) >= 1e-6)
        out.append({"i": nz.tolist(), "v": row[nz].round(6).tolist()})
    return out


def _dense_rows(rows: list[dict], n: int, width: int, columns: np.ndarray | None = None) -> np.ndarray:
    out = np.zeros((n, width))
    for k, row in enumerate(rows):
        idx = np.asarray(row["i"], dtype=int)
        out[k, idx if columns is None else columns[idx]] = np.asarray(row["v"], dtype=float)
    return out


def choose_thresholds(proba: np.ndarray, fired: np.ndarray, gold: np.ndarray, *,
                      veto_grid: Sequence[float] = VETO_GRID, add_grid: Sequence[float | None] = ADD_GRID,
                      tolerance: float = TUNE_TOLERANCE) -> tuple[float, float | None]:
    """The ``(veto, add)`` thresholds that maximise micro-F1 over (clause, label) pairs.

    Parameters
    ----------
    proba
        Calibrated probabilities of held-out pairs (one per clause and label).
    fired
        Whether the rules gave each pair's label.
    gold
        Whether the annotation has it.
    veto_grid, add_grid
        Candidates (:data:`VETO_GRID`, :data:`ADD_GRID`); ``0`` and ``None`` (the
        rules' labels unchanged) should be among them.
    tolerance
        Thresholds within this micro-F1 of the best are tied; the one nearest to
        the rules wins (lowest veto, then no or highest add), so noise does not
        move a label.

    Returns
    -------
    (veto, add)
        A rule label below ``veto`` is dropped; another label at or above ``add``
        is added (``None``: never).

    Examples
    --------
    >>> p = np.array([0.95, 0.2, 0.9, 0.1])
    >>> fired = np.array([True, True, False, False])
    >>> gold = np.array([True, False, True, False])
    >>> choose_thresholds(p, fired, gold)
    (0.25, 0.9)
    >>> choose_thresholds(p, fired, fired)      # the rules are right: leave them
    (0.0, None)
    """
    proba, fired, gold = np.asarray(proba, dtype=float), np.asarray(fired, dtype=bool), np.asarray(gold, dtype=bool)
    pf, yf = proba[fired], gold[fired]
    pn, yn = proba[~fired], gold[~fired]
    positives = int(gold.sum())
    scored = []
    for veto in veto_grid:
        kept = pf >= veto
        tp_f, fp_f = int((kept & yf).sum()), int((kept & ~yf).sum())
        for add in add_grid:
            added = pn >= add if add is not None else np.zeros(len(pn), dtype=bool)
            tp = tp_f + int((added & yn).sum())
            fp = fp_f + int((added & ~yn).sum())
            fn = positives - tp
            f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
            scored.append((f1, veto, add))
    best = max(f1 for f1, _, _ in scored)
    tied = [(veto, -(add if add is not None else 2.0)) for f1, veto, add in scored if f1 >= best - tolerance]
    veto, neg_add = min(tied)
    return float(veto), None if neg_add == -2.0 else float(-neg_add)


def _platt(decision: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling ``(a, b)`` fitted on held-out decision values; identity-like without data."""
    if len(decision) == 0 or y.all() or not y.any():
        return 1.0, 0.0
    from sklearn.linear_model import LogisticRegression

    fit = LogisticRegression(C=1e6, solver="lbfgs").fit(decision.reshape(-1, 1), y)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def load_model(path: Path | str | None = None) -> StackedTagger:
    """A :class:`StackedTagger` from a JSON file (default: :data:`DEFAULT_MODEL` in the package)."""
    if path is None:
        text = resources.files("policylab").joinpath(DEFAULT_MODEL).read_text("utf-8")
        where = "the packaged default model"
    else:
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"no model file at {path}")
        text = path.read_text("utf-8")
        where = str(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{where}: not a JSON model ({exc.msg})") from None
    try:
        return StackedTagger.from_dict(data)
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{where}: malformed model ({exc})") from None
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


_LOADED: dict[str, StackedTagger] = {}


def resolve_model(model) -> StackedTagger | None:
    """A model from what ``build(model=...)`` accepts: ``"default"``, a path, a model, or ``None``.

    >>> resolve_model(None) is None, type(resolve_model("default")).__name__
    (True, 'StackedTagger')
    """
    if model is None or model is False:
        return None
    if isinstance(model, StackedTagger):
        return model
    key = "default" if model == "default" else str(Path(model).resolve())
    if key not in _LOADED:  # a model file is read once per process
        _LOADED[key] = load_model(None if key == "default" else key)
    return _LOADED[key]


def apply_model(model: StackedTagger | None, clauses: pd.DataFrame, labels: pd.DataFrame, *,
                how: str | None = None) -> pd.DataFrame:
    """The labels table with the model's ``confidence`` (and, per ``how``, its labels).

    Parameters
    ----------
    model
        A fitted :class:`StackedTagger`; ``None`` adds the columns with NaN
        confidence and changes nothing else.
    clauses
        The clauses the labels belong to (``clause_id, doc_id, text``; ``heading,
        kind, level, start`` used when present).
    labels
        The rules' labels (:func:`policylab.tag.tag_clauses`, or a build's ``labels``).
    how
        One of :data:`HOWS`; default :data:`DEFAULT_HOW`.

    Returns
    -------
    DataFrame
        ``labels``' columns plus ``confidence`` (calibrated probability of the
        label, NaN for a label the model never learned) and ``evidence`` (the
        model's strongest features, for model labels; empty for rule labels,
        whose cue is their evidence). Model labels have ``source`` ``"model"``,
        ``score`` their confidence, ``cue`` the clause's own words among the
        evidence (offsets of the first in ``cue_start:cue_end``).

    Examples
    --------
    >>> from policylab.segment import segment_document
    >>> from policylab.tag import tag_clauses
    >>> clauses = segment_document("d", "Oppbevaringstid\\n\\nVi lagrer opplysningene i to år.")
    >>> out = apply_model(load_model(), clauses, tag_clauses(clauses))
    >>> bool(out["confidence"].between(0, 1).all()), list(out.columns[-2:])
    (True, ['confidence', 'evidence'])
    """
    from .tag import TAG_COLUMNS, tag_frame

    how = DEFAULT_HOW if how is None else how
    if how not in HOWS:
        raise ValueError(f"how must be one of {HOWS}, not {how!r}")
    labels = labels.reset_index(drop=True)
    if model is None or not len(clauses):
        return labels.assign(confidence=np.full(len(labels), np.nan), evidence=pd.array([""] * len(labels), dtype="str"))
    model._check_fitted()
    clauses = clauses.reset_index(drop=True)
    mask = _unlabelled_mask(clauses)
    designs = model._designs(clauses, labels)
    position = {c: i for i, c in enumerate(clauses["clause_id"].astype(str))}
    confidence = np.full(len(labels), np.nan)
    lab_rows = [position.get(c) for c in labels["clause_id"].astype(str)]
    lab_dims = labels["dimension"].astype(str).tolist()
    lab_names = labels["label"].astype(str).tolist()
    keep = np.ones(len(labels), dtype=bool)
    new_rows: list[tuple] = []
    new_conf: list[float] = []
    new_evidence: list[str] = []
    names = model.feature_names_
    texts = clauses["text"].astype(str).tolist()
    starts = clauses["start"].astype(int).tolist() if "start" in clauses else [0] * len(clauses)
    doc_ids = clauses["doc_id"].astype(str).tolist()
    ids = clauses["clause_id"].astype(str).tolist()
    headings = clauses["heading"].fillna("").astype(str).tolist() if "heading" in clauses else [""] * len(clauses)
    for dimension in DIMENSIONS:
        classes = model.classes_[dimension]
        if not classes:
            continue
        veto, add = _how_thresholds(model, how, dimension)
        design = designs[dimension]
        proba = model._proba(design, dimension, mask)
        column = {lab: k for k, lab in enumerate(classes)}
        have = set()
        for j, (i, d, lab) in enumerate(zip(lab_rows, lab_dims, lab_names)):
            if d != dimension or i is None:
                continue
            have.add((i, lab))
            k = column.get(lab)
            if k is not None:
                confidence[j] = proba[i, k]
                if veto is not None and proba[i, k] < veto:
                    keep[j] = False
        if add is None:
            continue
        for i, k in zip(*np.nonzero(proba >= add)):
            lab = classes[k]
            if (i, lab) in have:
                continue
            features = model._evidence(design, names, i, model.coef_[dimension][k])
            cues = []
            for f in features:
                if f.startswith("word:"):
                    surface = _surface(f, texts[i], headings[i])
                    if surface and surface not in cues:
                        cues.append(surface)
            pos = texts[i].find(cues[0]) if cues else -1
            span = (starts[i] + pos, starts[i] + pos + len(cues[0])) if pos >= 0 else (None, None)
            new_rows.append((ids[i], doc_ids[i], dimension, lab, round(float(proba[i, k]), 3), " | ".join(cues), "model",
                             span[0], span[1], ids[i]))
            new_conf.append(float(proba[i, k]))
            # Without any feature pushing it up, the label stands on its base rate alone.
            new_evidence.append(" | ".join(features) or "base rate")
    out = labels[keep].assign(confidence=confidence[keep], evidence="")
    if new_rows:
        extra = tag_frame(new_rows).assign(confidence=new_conf, evidence=new_evidence)
        extra = extra[[c for c in out.columns if c in extra.columns]]
        out = pd.concat([out, extra], ignore_index=True)
        from .tag import _DIM_ORDER, _LABEL_ORDER

        order = out["clause_id"].astype(str).map(position).fillna(-1).to_numpy()
        dim_order = out["dimension"].astype(str).map(_DIM_ORDER).to_numpy()
        lab_order = [_LABEL_ORDER[(d, lab)] for d, lab in zip(out["dimension"].astype(str), out["label"].astype(str))]
        out = out.iloc[np.lexsort((lab_order, dim_order, order))]
    out = out.reset_index(drop=True)
    out["evidence"] = pd.array(out["evidence"].astype(str), dtype="str")
    return out[[c for c in TAG_COLUMNS if c in out.columns] + [c for c in out.columns if c not in TAG_COLUMNS]]


def _how_thresholds(model: StackedTagger, how: str, dimension: str) -> tuple[float | None, float | None]:
    """``(veto, add)`` of one way of combining (``None``: no rule label dropped / no label added)."""
    if how == "rules":
        return None, None
    if how == "combined":
        return None, model.threshold
    if how == "model":
        return model.threshold, model.threshold
    veto, add = getattr(model, "thresholds_", {}).get(dimension, (0.0, None))
    return (veto if veto > 0 else None), add


def training_clauses(sources) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Gold clauses and the rules' labels of several annotated corpora, stacked.

    Parameters
    ----------
    sources
        ``[(annotations, corpus), ...]``: an annotation file or folder (or a frame
        of :func:`policylab.annotations.read_annotated_clauses`) with the corpus
        folder it describes (``None``: the bundled corpus). Notice ids must be
        distinct across sources.

    Returns
    -------
    (clauses, rule_labels)
        Every clause of the annotated notices (:func:`policylab.annotations.gold_clauses`,
        with ``language`` from the documents) and :func:`policylab.tag.tag_clauses` of them.
    """
    from .annotations import gold_clauses
    from .tag import tag_clauses

    clause_frames, rule_frames, seen = [], [], set()
    for annotations, corpus in sources:
        clauses, documents = gold_clauses(annotations, corpus=corpus)
        twice = seen & set(documents["doc_id"])
        if twice:
            raise ValueError(f"notice(s) {', '.join(sorted(twice))} annotated in more than one source")
        seen |= set(documents["doc_id"])
        language = documents.set_index("doc_id")["language"].astype(str) if "language" in documents else None
        if language is not None:
            clauses = clauses.assign(language=clauses["doc_id"].map(language))
        clause_frames.append(clauses)
        rule_frames.append(tag_clauses(clauses, documents=documents))
    if not clause_frames:
        raise ValueError("no annotations to train on")
    return pd.concat(clause_frames, ignore_index=True), pd.concat(rule_frames, ignore_index=True)


def train_model(annotations=None, *, corpus: Path | str | None = None, **params) -> StackedTagger:
    """Train a :class:`StackedTagger` on every annotated clause of one or more folders of annotations.

    Parameters
    ----------
    annotations
        An annotation ``.jsonl`` file or folder (default: the bundled
        annotations), or a list of ``(annotations, corpus)`` pairs to train on
        several corpora at once (:func:`training_clauses`; ``corpus`` is then
        ignored). The packaged model is trained on the bundled annotations and
        the training split of ``data/extended`` (``docs/notes/tagger2.md``).
    corpus
        The corpus folder the annotations describe (default: the bundled corpus).
    **params
        :class:`StackedTagger` parameters.
    """
    from .annotations import BUNDLED_ANNOTATIONS

    if isinstance(annotations, list | tuple) and annotations and isinstance(annotations[0], list | tuple):
        sources = [tuple(pair) for pair in annotations]
    else:
        sources = [(annotations if annotations is not None else BUNDLED_ANNOTATIONS, corpus)]
    clauses, rules = training_clauses(sources)
    annotated = clauses[clauses["annotated"]]
    if not len(annotated):
        raise ValueError("no annotated clause to train on")
    return StackedTagger(**params).fit(annotated, rules)


def cross_val_stacked(clauses: pd.DataFrame, rule_labels: pd.DataFrame, *, hows: Sequence[str] = HOWS,
                      groups: str = "doc_id", **params) -> dict[str, pd.DataFrame]:
    """Leave-one-notice-out labels: every notice labelled by a model trained on the others.

    Parameters
    ----------
    clauses
        Every clause of the annotated notices with gold label lists and
        ``annotated`` (:func:`policylab.annotations.gold_clauses`).
    rule_labels
        :func:`policylab.tag.tag_clauses` of those clauses.
    hows
        Which of :data:`HOWS` to return.
    **params
        :class:`StackedTagger` parameters.

    Returns
    -------
    dict
        ``{how: labels}`` for the held-out notices, with ``confidence``.
    """
    out: dict[str, list[pd.DataFrame]] = {h: [] for h in hows}
    annotated = clauses[clauses["annotated"]] if "annotated" in clauses else clauses
    rule_ids = rule_labels["doc_id"].astype(str)
    for doc in pd.unique(clauses[groups].astype(str)):
        train = annotated[annotated[groups].astype(str) != doc]
        if not len(train):
            continue
        model = StackedTagger(**params).fit(train, rule_labels[rule_ids != doc])
        held = clauses[clauses[groups].astype(str) == doc]
        held_rules = rule_labels[rule_ids == doc]
        for how in hows:
            out[how].append(apply_model(model, held, held_rules, how=how))
    return {h: pd.concat(frames, ignore_index=True) if frames else pd.DataFrame() for h, frames in out.items()}

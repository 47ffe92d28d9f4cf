"""A supervised clause classifier, its cross-validation and its training on the shipped annotations.

:class:`ClauseClassifier` is a multi-label classifier for one label dimension
(``topic``, ``legal_basis`` or ``right``): TF-IDF features of the clause and of its
heading, one logistic regression per label. It is a scikit-learn estimator
(``clone``, ``get_params``, ``Pipeline`` work) whose ``predict_labels`` returns
rows in the shape of the ``labels`` table, each with its evidence in ``cue``.

Features (all TF-IDF with sublinear term frequency):

- the clause's words, lower-cased and Snowball-stemmed (bokmål and nynorsk
  share the Norwegian stemmer), as uni- and bigrams, plus the first and last
  five letters of every word longer than six letters, which catch the parts of
  compounds ("oppbevaringstid", "personvernombud", "lagringstiden");
- optionally (``char_ngrams=(2, 5)``) character n-grams inside word
  boundaries. Off by default: on the bundled annotations they add about 0.03
  to the model's own topic micro-F1 under leave-one-notice-out, nothing to the
  combined labels, and cost 2.5 times the training time;
- the stemmed words of the clause's nearest heading, as a block of its own
  (``heading_weight`` scales it): a clause under "Oppbevaringstid" is about
  retention even when it does not say so;
- the clause's kind (heading, paragraph, list item, table row).

No model is stored (no pickles): :func:`trained_classifiers` trains one from
the shipped annotations on demand (about 0.3 s for the bundled 21 notices) and
keeps it in an in-process cache keyed by the content of the annotation files,
the corpus files and the parameters, so results depend only on those.

Examples
--------
>>> clauses = pd.DataFrame({
...     "clause_id": [f"d:{i:04d}" for i in range(4)], "doc_id": "d",
...     "kind": "paragraph", "heading": ["Oppbevaringstid", "Oppbevaringstid", "Innsyn", "Innsyn"],
...     "text": ["Vi lagrer data i to år.", "Data slettes etter ett år.",
...              "Du kan be om innsyn.", "Du har rett til innsyn."]})
>>> model = ClauseClassifier(dimension="topic").fit(clauses, [["retention"], ["retention"], ["rights"], ["rights"]])
>>> model.predict_labels(clauses.iloc[:1])[["clause_id", "label"]].values.tolist()
[['d:0000', 'retention']]
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression

from ..annotations import BUNDLED_ANNOTATIONS, DIMENSIONS, LABEL_COLUMNS, LABELS
from .features import (
    _BLOCKS,
    _block_texts,
    _column,
    _count_blocks,
    _idf,
    _surface,
    _tfidf,
    _unlabelled_mask,
)

#: Default probability thresholds per dimension: the choices a nested
#: cross-validation made most often (outer: leave one notice out; inner: 5
#: notice folds over the other 20; grid C in {1, 10} x threshold in
#: {0.2, ..., 0.6}). C = 10 won in 62 of 63 (notice, dimension) folds. The
#: nested estimate of micro-F1: topic 0.694, legal_basis 0.628, right 0.843.
THRESHOLDS: dict[str, float] = {"topic": 0.4, "legal_basis": 0.4, "right": 0.6}

#: Default weight of the heading block per dimension, fixed a priori from the
#: taxonomy's inheritance rules (not tuned on the annotations).
HEADING_WEIGHTS: dict[str, float] = {"topic": 1.0, "right": 0.5, "legal_basis": 0.0}


class ClauseClassifier(BaseEstimator):
    """Multi-label classifier of clauses for one label dimension.

    Parameters
    ----------
    dimension
        ``"topic"``, ``"legal_basis"`` or ``"right"``.
    C
        Inverse regularisation strength of every per-label logistic regression.
    threshold
        A label is predicted when its probability reaches this; by default
        :data:`THRESHOLDS` of the dimension.
    heading_weight
        Scale of the heading block relative to the clause's own words; by
        default :data:`HEADING_WEIGHTS` of the dimension (taxonomy.md: a clause
        inherits its heading's topic, a right only from a heading naming it,
        a legal basis never).
    min_df
        Word and heading features found in fewer training clauses are dropped
        (a term seen once cannot tell a label apart, and it costs time).
    char_ngrams
        Range of character n-gram lengths (``char_wb``), or ``None`` for no
        character block (the default, see the module notes).
    char_min_df
        Character n-grams found in fewer training clauses are dropped.
    max_cues
        Evidence words kept per label in ``cue``.
    random_state
        Seed of the solver (liblinear shuffles in its dual coordinate descent).

    Attributes
    ----------
    classes_ : list of str
        Labels the model learned (those with at least one positive and one
        negative training clause); other labels are never predicted.
    vocabulary_ : dict of str to ndarray
        The features (stemmed n-grams, character n-grams, heading n-grams,
        kinds) of each block, in column order.
    idf_ : dict of str to ndarray
        Inverse document frequency of each block's features.
    coef_ : ndarray of shape (n_classes, n_features)
        Weights of the per-label logistic regressions.
    intercept_ : ndarray of shape (n_classes,)

    Examples
    --------
    >>> from sklearn.base import clone
    >>> clone(ClauseClassifier(dimension="right", C=2.0)).get_params()["C"]
    2.0
    """

    def __init__(self, dimension: str = "topic", *, C: float = 10.0, threshold: float | None = None, heading_weight: float | None = None,
                 min_df: int = 2, char_ngrams: tuple[int, int] | None = None, char_min_df: int = 2, max_cues: int = 3,
                 random_state: int | None = 0):
        self.dimension = dimension
        self.C = C
        self.threshold = threshold
        self.heading_weight = heading_weight
        self.min_df = min_df
        self.char_ngrams = char_ngrams
        self.char_min_df = char_min_df
        self.max_cues = max_cues
        self.random_state = random_state

    # -- features -----------------------------------------------------------

    def _min_df(self, block: str) -> int:
        if block == "char":
            return self.char_min_df
        return self.min_df if block in ("word", "heading") else 1

    def _weight(self, block: str) -> float:
        if block == "char" and self.char_ngrams is None:
            return 0.0
        if block != "heading":
            return 1.0
        return float(HEADING_WEIGHTS[self.dimension] if self.heading_weight is None else self.heading_weight)

    def _features(self, counts: dict[str, tuple[sp.csr_matrix, np.ndarray]], keep: dict[str, np.ndarray] | None = None) -> sp.csr_matrix:
        parts = []
        for block in _BLOCKS:
            matrix = counts[block][0]
            if keep is not None:
                matrix = matrix[:, keep[block]]
            parts.append(_tfidf(matrix, self.idf_[block], self._weight(block)))
        return sp.hstack(parts, format="csr")

    def _transform(self, clauses: pd.DataFrame) -> sp.csr_matrix:
        counts = _count_blocks(_block_texts(clauses), self.char_ngrams, self.vocabulary_)
        return self._features(counts)

    # -- fitting ------------------------------------------------------------

    def _check_labels(self, clauses: pd.DataFrame, label_lists) -> list[list[str]]:
        if self.dimension not in DIMENSIONS:
            raise ValueError(f"dimension must be one of {DIMENSIONS}, not {self.dimension!r}")
        if label_lists is None:
            label_lists = clauses[self.dimension]
        label_lists = [list(v) for v in label_lists]
        if len(label_lists) != len(clauses):
            raise ValueError(f"{len(label_lists)} label lists for {len(clauses)} clauses")
        known = set(LABELS[self.dimension])
        for labels in label_lists:
            unknown = set(labels) - known
            if unknown:
                raise ValueError(f"unknown {self.dimension} label(s) {sorted(unknown)}")
        return label_lists

    def fit(self, clauses: pd.DataFrame, label_lists: Sequence[Iterable[str]] | None = None) -> ClauseClassifier:
        """Learn from clauses and their gold labels of ``dimension``.

        Parameters
        ----------
        clauses
            A ``clauses`` table (``text``; ``heading``, ``kind``, ``level`` used
            when present). Boilerplate and titles are left out of training.
        label_lists
            One iterable of label names per row of ``clauses`` (empty for a
            clause without labels); by default the column named ``dimension``.

        Returns
        -------
        self
        """
        label_lists = self._check_labels(clauses, label_lists)
        trainable = ~_unlabelled_mask(clauses)
        if not trainable.any():
            raise ValueError("no clauses to learn from (all are boilerplate or titles)")
        counts = _count_blocks(_block_texts(clauses.loc[trainable]), self.char_ngrams)
        return self._fit_counts(counts, np.arange(int(trainable.sum())), [l for l, k in zip(label_lists, trainable) if k])

    def _fit_counts(self, counts: dict[str, tuple[sp.csr_matrix, np.ndarray]], rows: np.ndarray,
                    label_lists: list[list[str]]) -> ClauseClassifier:
        """Fit on ``rows`` of precomputed term counts (whose columns may exceed the training vocabulary).

        Leave-one-notice-out evaluation counts the terms of every clause once and
        calls this per fold; :meth:`fit` calls it on the training clauses' counts.
        Both give the same model as fitting TF-IDF on the training rows alone.
        """
        self.vocabulary_, self.idf_, keep = {}, {}, {}
        for block in _BLOCKS:
            matrix, names = counts[block]
            keep[block], self.idf_[block] = _idf(matrix, rows, self._min_df(block))
            if self._weight(block) == 0:  # a block switched off has no columns at all
                keep[block], self.idf_[block] = keep[block][:0], self.idf_[block][:0]
            self.vocabulary_[block] = names[keep[block]]
        features = self._features({b: (counts[b][0][rows], None) for b in _BLOCKS}, keep)
        self.n_features_ = features.shape[1]
        self.classes_, coefs, intercepts = [], [], []
        for label in LABELS[self.dimension]:
            target = np.fromiter((label in labels for labels in label_lists), dtype=bool, count=len(label_lists))
            if target.all() or not target.any():
                continue
            # dual liblinear: fastest for fewer clauses than features (benchmarked).
            estimator = LogisticRegression(C=self.C, solver="liblinear", dual=True, class_weight="balanced",
                                           random_state=self.random_state, max_iter=1000)
            estimator.fit(features, target)
            self.classes_.append(label)
            coefs.append(estimator.coef_[0])
            intercepts.append(estimator.intercept_[0])
        self.coef_ = np.vstack(coefs) if coefs else np.zeros((0, self.n_features_))
        self.intercept_ = np.asarray(intercepts, dtype=np.float64)
        return self

    @property
    def threshold_(self) -> float:
        """The threshold in use: ``threshold``, or the dimension's default."""
        return float(THRESHOLDS[self.dimension] if self.threshold is None else self.threshold)

    @property
    def feature_names_(self) -> np.ndarray:
        """``block:feature`` names of the columns of ``coef_``."""
        self._check_fitted()
        return np.concatenate([np.array([f"{b}:{f}" for f in self.vocabulary_[b]], dtype=object) for b in _BLOCKS])

    def _check_fitted(self) -> None:
        if not hasattr(self, "classes_"):
            raise NotFittedError("ClauseClassifier is not fitted yet: call fit() first")

    # -- prediction ---------------------------------------------------------

    def _proba(self, features: sp.csr_matrix, clauses: pd.DataFrame) -> np.ndarray:
        proba = np.asarray(1.0 / (1.0 + np.exp(-(features @ self.coef_.T + self.intercept_))))
        proba[_unlabelled_mask(clauses)] = 0.0
        return proba

    def predict_proba(self, clauses: pd.DataFrame) -> np.ndarray:
        """Probability of every class (columns in ``classes_`` order) for every clause.

        Boilerplate and titles get 0.
        """
        self._check_fitted()
        if not self.classes_ or not len(clauses):
            return np.zeros((len(clauses), len(self.classes_)))
        return self._proba(self._transform(clauses), clauses)

    def predict_labels(self, clauses: pd.DataFrame, *, threshold: float | None = None) -> pd.DataFrame:
        """Labels of every clause whose probability reaches the threshold.

        Parameters
        ----------
        clauses
            A ``clauses`` table with ``clause_id``, ``doc_id``, ``text`` (and
            ``heading``, ``kind``, ``level`` when available).
        threshold
            Overrides the estimator's ``threshold`` for this call.

        Returns
        -------
        DataFrame
            ``clause_id, doc_id, dimension, label, score, cue, source``; ``score``
            is the probability, ``cue`` the (up to ``max_cues``) words of the
            clause or its heading that pushed the label up most, ``source`` is
            ``"model"``. Rows follow the clauses' order, labels in ``classes_`` order.
        """
        self._check_fitted()
        if not self.classes_ or not len(clauses):
            return _empty_labels()
        return self._labels_from_features(self._transform(clauses), clauses, threshold=threshold)

    def _labels_from_features(self, features: sp.csr_matrix, clauses: pd.DataFrame, *, threshold: float | None = None) -> pd.DataFrame:
        threshold = self.threshold_ if threshold is None else threshold
        proba = self._proba(features, clauses)
        rows, cols = np.nonzero((proba >= threshold) & (proba > 0))
        clause_ids = _column(clauses, "clause_id")
        doc_ids = _column(clauses, "doc_id")
        texts = _column(clauses, "text")
        headings = _column(clauses, "heading")
        names = self.feature_names_
        records = [
            (clause_ids[i], doc_ids[i], self.dimension, self.classes_[j], float(proba[i, j]),
             self._cue(features, names, i, j, texts[i], headings[i]), "model")
            for i, j in zip(rows, cols)
        ]
        return pd.DataFrame(records, columns=LABEL_COLUMNS).astype({"score": "float64"})

    def _cue(self, features: sp.csr_matrix, names: np.ndarray, row: int, label_index: int, text: str, heading: str) -> str:
        """The surface words behind the features that raised this label most."""
        lo, hi = features.indptr[row], features.indptr[row + 1]
        indices = features.indices[lo:hi]
        contributions = features.data[lo:hi] * self.coef_[label_index, indices]
        cues: list[str] = []
        for k in np.argsort(-contributions):
            if contributions[k] <= 0 or len(cues) >= self.max_cues:
                break
            surface = _surface(names[indices[k]], text, heading)
            # "medier" adds nothing next to "sosiale medier".
            if surface and not any(surface.lower() in c.lower() or c.lower() in surface.lower() for c in cues):
                cues.append(surface)
        return " | ".join(cues)


def _empty_labels() -> pd.DataFrame:
    return pd.DataFrame(columns=LABEL_COLUMNS).astype({"score": "float64"})



def cross_val_labels(clauses: pd.DataFrame, *, dimensions: Sequence[str] = DIMENSIONS, groups: str = "doc_id",
                     held_out: Iterable[str] | None = None, **params) -> pd.DataFrame:
    """Leave-one-group-out predictions: every notice labelled by a model trained on the others.

    Parameters
    ----------
    clauses
        Annotated clauses: a ``clauses`` table with one column per dimension
        holding the gold label lists (e.g. the corpus's clauses joined with
        :func:`policylab.annotations.read_annotated_clauses`).
    dimensions
        The dimensions to predict.
    groups
        Column whose values are held out one at a time (a notice per fold).
    held_out
        Only these groups are held out and predicted (default: every group).
    **params
        Parameters of :class:`ClauseClassifier` (``C``, ``threshold``, ...).

    Returns
    -------
    DataFrame
        Model labels (``source`` ``"model"``) of every clause, each predicted by
        a model that never saw the clause's notice.

    Notes
    -----
    Terms are counted once for all clauses; each fold keeps the terms seen in
    its training notices and recomputes idf from them, which is exactly what
    fitting :class:`ClauseClassifier` on the training notices does, only faster.

    Examples
    --------
    >>> clauses = pd.DataFrame({"clause_id": ["a:0", "a:1", "b:0", "b:1", "c:0", "c:1"],
    ...     "doc_id": ["a", "a", "b", "b", "c", "c"], "heading": "",
    ...     "text": ["Vi lagrer data i to år.", "Du kan be om innsyn.", "Data lagres i ett år.",
    ...              "Du har rett til innsyn.", "Vi lagrer data i fem år.", "Be om innsyn her."],
    ...     "topic": [["retention"], ["rights"], ["retention"], ["rights"], ["retention"], ["rights"]]})
    >>> cross_val_labels(clauses, dimensions=["topic"])[["clause_id", "label"]].values.tolist()
    [['a:0', 'retention'], ['a:1', 'rights'], ['b:0', 'retention'], ['b:1', 'rights'], ['c:0', 'retention'], ['c:1', 'rights']]
    """
    clauses = clauses.reset_index(drop=True)
    out = []
    for _, test_rows, counts, models in _fold_models(clauses, groups=groups, held_out=held_out, dimensions=dimensions, params=params):
        for model, keep in models.values():
            if model.classes_:
                features = model._features({b: (counts[b][0][test_rows], None) for b in _BLOCKS}, keep)
                out.append(model._labels_from_features(features, clauses.iloc[test_rows]))
    return pd.concat(out, ignore_index=True) if out else _empty_labels()


def _fold_models(clauses: pd.DataFrame, *, groups: str, held_out: Iterable[str] | None, dimensions: Sequence[str], params: dict):
    """Per held-out group: its rows and one classifier per dimension trained on the other groups.

    Yields ``(group, test_rows, counts, {dimension: (model, kept columns)})``;
    the counts of every clause are computed once and shared by all folds.
    """
    prototype = ClauseClassifier(**params)
    counts = _count_blocks(_block_texts(clauses), prototype.char_ngrams)
    trainable = ~_unlabelled_mask(clauses)
    group_values = clauses[groups].to_numpy()
    label_lists = {d: [list(v) for v in clauses[d]] for d in dimensions}
    for group in pd.unique(group_values) if held_out is None else list(held_out):
        in_fold = group_values == group
        train_rows = np.flatnonzero(~in_fold & trainable)
        if not len(train_rows):
            continue
        models = {}
        for dimension in dimensions:
            model = ClauseClassifier(**{**prototype.get_params(), "dimension": dimension})
            labels = model._check_labels(clauses.iloc[train_rows], [label_lists[dimension][i] for i in train_rows])
            model._fit_counts(counts, train_rows, labels)
            keep = {b: _idf(counts[b][0], train_rows, model._min_df(b))[0] if model._weight(b) else np.array([], dtype=int)
                    for b in _BLOCKS}
            models[dimension] = (model, keep)
        yield group, np.flatnonzero(in_fold), counts, models


# Trained classifiers by (annotation and corpus content, parameters): training
# is deterministic, so the cache changes speed, never results.
_TRAINED: dict[tuple, dict[str, ClauseClassifier]] = {}
_TRAINED_MAX = 64


def _content_key(annotations, corpus) -> str:
    """Hash of the annotation files and the corpus files they describe."""
    from ..annotations import annotation_files
    from ..corpus import BUNDLED_CORPUS

    digest = hashlib.sha256()
    if isinstance(annotations, pd.DataFrame):
        digest.update(pd.util.hash_pandas_object(annotations.astype(str), index=False).to_numpy().tobytes())
    else:
        for file in annotation_files(annotations):
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    folder = Path(corpus) if corpus is not None else BUNDLED_CORPUS
    for file in sorted(p for p in folder.iterdir() if p.is_file()):
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def trained_classifiers(annotations=None, *, corpus: Path | str | None = None, leave_out: Iterable[str] = (),
                        **params) -> dict[str, ClauseClassifier]:
    """One fitted :class:`ClauseClassifier` per dimension, trained on gold annotations.

    Parameters
    ----------
    annotations
        Annotation ``.jsonl`` file or folder (default: the bundled
        ``data/annotations``), or a frame of
        :func:`~policylab.annotations.read_annotated_clauses`.
    corpus
        The corpus the annotations describe (default: the bundled corpus).
    leave_out
        doc_ids whose annotations are not used (to label those notices out of sample).
    **params
        :class:`ClauseClassifier` parameters.

    Returns
    -------
    dict
        ``{"topic": ..., "legal_basis": ..., "right": ...}``. Trained models are
        cached in-process by the content of the files and the arguments; a
        changed annotation file trains anew.

    Examples
    --------
    >>> models = trained_classifiers()
    >>> "retention" in models["topic"].classes_
    True
    """
    key = (_content_key(annotations, corpus), tuple(sorted(set(leave_out))), tuple(sorted(params.items())))
    if key not in _TRAINED:
        from ..annotations import gold_clauses

        clauses, _ = gold_clauses(annotations if annotations is not None else BUNDLED_ANNOTATIONS, corpus=corpus)
        train = clauses[clauses["annotated"] & ~clauses["doc_id"].isin(set(leave_out))]
        if not len(train):
            raise ValueError("no annotated clause left to train on")
        models = {d: ClauseClassifier(dimension=d, **params).fit(train) for d in DIMENSIONS}
        if len(_TRAINED) >= _TRAINED_MAX:
            _TRAINED.pop(next(iter(_TRAINED)))
        _TRAINED[key] = models
    return _TRAINED[key]

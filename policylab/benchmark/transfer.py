"""OPP-115 as extra English training data: the effect on annotated English notices.

OPP-115's US policy segments, mapped to policylab labels through the ``transfer``
rows of ``opp115_mapping.csv`` (:func:`policylab.benchmark.mapping.transfer_clauses`),
are added to the training clauses of an English clause classifier; the effect is
measured by leave-one-notice-out over annotated English notices.

The learner (:class:`EnglishClauseTagger`) mirrors
:class:`policylab.model.ClauseClassifier` (TF-IDF of the clause's words and of its
heading, a kind token, one logistic regression per label, ``C = 10``, balanced class
weights, liblinear dual, the same
default thresholds and heading weights) but analyses words with the *English*
Snowball stemmer: ``ClauseClassifier`` stems every text with the Norwegian one.
Two choices are made a priori, not tuned on the notices scored:

- an OPP-115 segment teaches only the labels the mapping can give in that
  dimension (as positive or negative): a label the mapping never produces
  (e.g. ``data_source``, ``contract``) is not taught as "absent" by 3,000
  segments whose annotators were never asked about it;
- OPP-115 segments weigh ``transfer_weight`` each (1.0 and 0.3 are reported).

Only notices whose metadata say ``language == "en"`` and ``split`` is ``train`` or
``dev`` are read; a ``test`` notice is refused.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from ..annotations import DIMENSIONS, LABELS, read_annotated_clauses
from ..tokenize import stem, words

__all__ = ["EnglishClauseTagger", "english_notices", "transfer_effect", "transfer_training"]

_ALLOWED_SPLITS = ("train", "dev")


def _english_terms(text: str) -> list[str]:
    """English-stemmed uni- and bigrams of the words.

    >>> _english_terms("Sharing cookies")
    ['share', 'cooki', 'share cooki']
    """
    stems = [stem(w.lower(), "english") for w in words(text)]
    return stems + [f"{a} {b}" for a, b in pairwise(stems)]


def _kind_terms(kind: str) -> list[str]:
    return [f"kind={kind or 'paragraph'}"]


def _col(frame: pd.DataFrame, name: str, default: str = "") -> list[str]:
    if name not in frame.columns:
        return [default] * len(frame)
    return ["" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else str(v) for v in frame[name]]


class EnglishClauseTagger:
    """One logistic regression per label over English-stemmed TF-IDF blocks.

    Parameters
    ----------
    dimension
        ``topic``, ``legal_basis`` or ``right``.
    C, threshold, heading_weight, min_df
        As in :class:`policylab.model.ClauseClassifier` (defaults: its ``C``,
        its per-dimension thresholds and heading weights, ``min_df = 2``).

    Examples
    --------
    >>> c = pd.DataFrame({"text": ["We keep your data for two years.", "We share data with partners.",
    ...                            "Data is deleted after a year.", "Partners receive your data."],
    ...                   "heading": "", "kind": "paragraph"})
    >>> m = EnglishClauseTagger("topic", min_df=1).fit(c, [["retention"], ["recipients"], ["retention"], ["recipients"]])
    >>> m.predict(c.iloc[:1])
    [['retention']]
    """

    def __init__(self, dimension: str = "topic", *, C: float = 10.0, threshold: float | None = None,
                 heading_weight: float | None = None, min_df: int = 2):
        from ..model import HEADING_WEIGHTS, THRESHOLDS

        if dimension not in DIMENSIONS:
            raise ValueError(f"dimension must be one of {DIMENSIONS}, not {dimension!r}")
        self.dimension = dimension
        self.C = C
        self.threshold = THRESHOLDS[dimension] if threshold is None else threshold
        self.heading_weight = HEADING_WEIGHTS[dimension] if heading_weight is None else heading_weight
        self.min_df = min_df

    def _matrix(self, clauses: pd.DataFrame) -> sp.csr_matrix:
        parts = [self.word_.transform(_col(clauses, "text")), self.kind_.transform(_col(clauses, "kind", "paragraph"))]
        if self.heading_ is not None:
            parts.append(self.heading_.transform(_col(clauses, "heading")) * self.heading_weight)
        return sp.hstack(parts, format="csr")

    def fit(self, clauses: pd.DataFrame, label_lists: Sequence[Iterable[str]], *, weights: np.ndarray | None = None,
            taught: Sequence[Iterable[str]] | None = None) -> EnglishClauseTagger:
        """Learn from ``clauses`` and their label lists.

        Parameters
        ----------
        weights
            One sample weight per clause (default 1).
        taught
            Per clause, the labels it may teach (positive or negative); ``None``
            for a clause that teaches every label. A label outside it gets weight
            0 for that clause.
        """
        label_lists = [set(l) for l in label_lists]
        if len(label_lists) != len(clauses):
            raise ValueError(f"{len(label_lists)} label lists for {len(clauses)} clauses")
        w = np.ones(len(clauses)) if weights is None else np.asarray(weights, dtype=float)
        self.word_ = TfidfVectorizer(analyzer=_english_terms, sublinear_tf=True, min_df=self.min_df).fit(_col(clauses, "text"))
        self.kind_ = TfidfVectorizer(analyzer=_kind_terms).fit(_col(clauses, "kind", "paragraph"))
        headings = _col(clauses, "heading")
        self.heading_ = None
        if self.heading_weight and any(h.strip() for h in headings):
            self.heading_ = TfidfVectorizer(analyzer=_english_terms, sublinear_tf=True, min_df=self.min_df).fit(headings)
        X = self._matrix(clauses)
        self.classes_, coef, intercept = [], [], []
        for label in LABELS[self.dimension]:
            lw = w.copy()
            if taught is not None:
                lw *= np.array([1.0 if t is None or label in t else 0.0 for t in taught])
            y = np.array([label in l for l in label_lists], dtype=int)
            keep = lw > 0
            if not keep.any() or y[keep].min() == y[keep].max():  # no positive (or no negative) to learn from
                continue
            lr = LogisticRegression(C=self.C, solver="liblinear", dual=True, class_weight="balanced", max_iter=1000, random_state=0).fit(X[keep], y[keep], sample_weight=lw[keep])
            self.classes_.append(label)
            coef.append(lr.coef_[0])
            intercept.append(float(lr.intercept_[0]))
        self.coef_ = np.vstack(coef) if coef else np.zeros((0, X.shape[1]))
        self.intercept_ = np.array(intercept)
        return self

    def predict_proba(self, clauses: pd.DataFrame) -> np.ndarray:
        """Probabilities, one column per label in ``classes_``."""
        d = self._matrix(clauses) @ self.coef_.T + self.intercept_
        return 1.0 / (1.0 + np.exp(-np.asarray(d)))

    def predict(self, clauses: pd.DataFrame) -> list[list[str]]:
        """Label lists (labels at or above ``threshold``)."""
        p = self.predict_proba(clauses)
        return [[l for l, v in zip(self.classes_, row) if v >= self.threshold] for row in p]


def _with_headings(annotated: pd.DataFrame) -> pd.DataFrame:
    """Each clause's nearest preceding heading in its notice (headings themselves get the one before)."""
    heading, current, doc = [], "", None
    for r in annotated.itertuples():
        if r.doc_id != doc:
            current, doc = "", r.doc_id
        heading.append(current)
        if r.kind == "heading":
            current = r.text
    return annotated.assign(heading=heading)


def english_notices(folders: Sequence[str | Path], metadata: str | Path) -> pd.DataFrame:
    """Annotated English train/dev notices from annotation folders.

    Parameters
    ----------
    folders
        Folders (or ``.jsonl`` files) of annotations in policylab's format.
    metadata
        A metadata CSV with ``doc_id, language, split`` (e.g.
        ``data/extended/metadata-nnen.csv``).

    Returns
    -------
    DataFrame
        :func:`policylab.annotations.read_annotated_clauses` rows of the notices
        whose language is ``en`` and split ``train`` or ``dev``, with ``heading``
        (the nearest preceding heading clause) and ``split``.

    Raises
    ------
    ValueError
        When an annotation file holds a notice of split ``test``. Notices the
        metadata do not list are left out (their language is not known to be
        English).
    """
    with open(metadata, encoding="utf-8", newline="") as f:
        meta = {r["doc_id"]: r for r in csv.DictReader(f)}
    frames = []
    for folder in folders:
        a = read_annotated_clauses(folder)
        for doc, file in a.groupby("doc_id", sort=False)["file"].first().items():
            if doc in meta and meta[doc].get("split") == "test":
                raise ValueError(f"{file}: notice {doc!r} is a test notice; it must not be used here")
        langs = a["doc_id"].map(lambda d: meta.get(d, {}).get("language"))
        splits = a["doc_id"].map(lambda d: meta.get(d, {}).get("split"))
        frames.append(a[(langs == "en") & splits.isin(_ALLOWED_SPLITS)].assign(split=splits))
    if not frames:
        raise ValueError("no annotation folders given")
    out = pd.concat(frames, ignore_index=True)
    # A notice annotated in two folders is read once (from the first).
    out = out[out.groupby("doc_id")["file"].transform("first") == out["file"]]
    return _with_headings(out.reset_index(drop=True))


def transfer_training(data, dimension: str) -> tuple[pd.DataFrame, list[list[str]], list[set[str]]]:
    """OPP-115 segments, their policylab labels and the labels each may teach.

    Returns
    -------
    (clauses, label_lists, taught)
        ``taught`` is, for every segment, the set of labels of ``dimension`` that
        the mapping can produce at all.
    """
    from .mapping import mapping_table, transfer_clauses

    clauses, labels = transfer_clauses(data, dimension)
    m = mapping_table()
    reachable = set(m.loc[(m.direction == "transfer") & (m.dimension == dimension), "policylab_label"])
    clauses = clauses.assign(kind="paragraph")
    return clauses, labels, [reachable] * len(clauses)


def _micro(gold: list[list[str]], pred: list[list[str]], labels: Sequence[str]) -> dict:
    from sklearn.preprocessing import MultiLabelBinarizer

    mlb = MultiLabelBinarizer(classes=list(labels)).fit([list(labels)])
    g, p = mlb.transform(gold), mlb.transform(pred)
    return {"micro_f1": round(float(f1_score(g, p, average="micro", zero_division=0)), 4),
            "precision": round(float((g & p).sum() / max(p.sum(), 1)), 4),
            "recall": round(float((g & p).sum() / max(g.sum(), 1)), 4),
            "gold": int(g.sum()), "predicted": int(p.sum())}


def transfer_effect(notices: pd.DataFrame, data, *, weights: Sequence[float] = (1.0, 0.3),
                    dimensions: Sequence[str] = DIMENSIONS) -> pd.DataFrame:
    """Leave-one-notice-out micro-F1 per dimension, without and with OPP-115 transfer clauses.

    Parameters
    ----------
    notices
        From :func:`english_notices`.
    data
        From :func:`policylab.datasets.load_opp115`.
    weights
        Weights of the OPP-115 segments, one setting ("with") per value.

    Returns
    -------
    DataFrame
        One row per (dimension, setting): ``dimension, setting, transfer_weight,
        micro_f1, precision, recall, gold, predicted, n_notices, n_clauses,
        n_opp115, seconds``. Settings: ``without`` (English notices only),
        ``with (w)``, and ``OPP-115 only`` (no English notice in training).
    """
    docs = list(dict.fromkeys(notices["doc_id"]))
    if len(docs) < 2:
        raise ValueError(f"leave-one-notice-out needs at least 2 annotated English notices, got {len(docs)}")
    rows = []
    for dim in dimensions:
        opp, opp_labels, taught = transfer_training(data, dim)
        gold = [list(v) for v in notices[dim]]
        settings = [("without", None)] + [(f"with (weight {w:g})", w) for w in weights] + [("OPP-115 only", "only")]
        for name, w in settings:
            t0 = time.perf_counter()
            pred: list[list[str]] = [[] for _ in range(len(notices))]
            for doc in docs:
                test = (notices["doc_id"] == doc).to_numpy()
                train = notices[~test]
                tr_labels = [g for g, k in zip(gold, test) if not k]
                if w is None:
                    model = EnglishClauseTagger(dim).fit(train, tr_labels)
                elif w == "only":
                    model = EnglishClauseTagger(dim).fit(opp, opp_labels, taught=taught)
                else:
                    both = pd.concat([train[["text", "heading", "kind"]], opp[["text", "heading", "kind"]]], ignore_index=True)
                    model = EnglishClauseTagger(dim).fit(both, tr_labels + opp_labels,
                                                         weights=np.r_[np.ones(len(train)), np.full(len(opp), w)],
                                                         taught=[None] * len(train) + taught)
                for i, labels in zip(np.flatnonzero(test), model.predict(notices[test])):
                    pred[i] = labels
            rows.append({"dimension": dim, "setting": name, "transfer_weight": 0.0 if w is None else (1.0 if w == "only" else w),
                         **_micro(gold, pred, LABELS[dim]), "n_notices": len(docs), "n_clauses": len(notices),
                         "n_opp115": 0 if w is None else len(opp), "seconds": round(time.perf_counter() - t0, 1)})
    return pd.DataFrame(rows)

"""A CPU model for OPP-115's 12 PrivacyGLUE labels, its ablation and a policy-grouped CV.

The model (:class:`Opp115Model`) is one linear SVM per label over TF-IDF blocks of
a segment, each block weighted:

- ``word``: the segment's words, uni- and bigrams; ``char``: ``char_wb`` 3-5-grams
  (the README's reference baseline is these two blocks with logistic regression);
- ``heading``: the bold lead-in the segment sits under (``clauses.heading``);
- ``prev`` / ``next``: the words of the neighbouring segments of the same policy;
- ``rules``: the labels and cues of policylab's English rule tagger on the segment
  (``R_<label>`` and ``C_<cue>`` tokens); ``rules_context``: the same for the neighbours
  (available, not in :data:`FULL`: it lowered validation macro-F1);
- ``position``: where the segment sits in its policy (decile, quarter, first, second,
  last): introductions come first, contact details last.

Scores are ``sigmoid(2 * decision)``, averaged with a logistic regression's
probability on the same features (``ensemble``); a label holds at a threshold chosen
on the validation split (macro-F1), never on test, and an example with no label at
the threshold gets its best-scoring one (``at_least_one``: every PrivacyGLUE example
has a label). Position, the averaging and the at-least-one rule were chosen by 5-fold
cross-validation over the train + validation examples. Scoring follows PrivacyGLUE: sklearn's
micro and macro F1 over all 12 labels on the distinct-text examples.

The model is saved as JSON (parameters, vocabularies) beside an ``.npz`` (idf,
weights): no pickle.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from ..datasets.opp115 import OPP115_LABELS, Opp115

__all__ = ["ABLATION", "ANCHORS", "FULL", "OPTIONS", "RULES", "Opp115Model", "clause_features", "grouped_cv", "opp115_ablation", "run_opp115", "score_labels"]

#: Published figures on the PrivacyGLUE test split (micro-F1, macro-F1); Polisis on its own split.
ANCHORS = {
    "TF-IDF + LR (README of the data folder)": (0.795, 0.742),
    "Polisis (own split)": (0.78, 0.71),
    "BERT (PrivacyGLUE)": (0.840, 0.784),
    "RoBERTa (PrivacyGLUE)": (0.854, 0.795),
    "PrivBERT (PrivacyGLUE)": (0.872, 0.821),
}

#: Block weights of the model of the first session, chosen on validation macro-F1 (heading 1.0 over
#: 0.5 and 0.8; the neighbours' rule firings left out: 0.770 without them, 0.768 with them at 0.2).
RULES = {"word": 1.0, "char": 1.0, "heading": 1.0, "prev": 0.4, "next": 0.4, "rules": 0.5}

#: Block weights of the full model: :data:`RULES` plus the segment's position in its policy (0.3),
#: chosen by 5-fold cross-validation over train + validation examples (never test).
FULL = {**RULES, "position": 0.3}

#: Options of the full model (see :class:`Opp115Model`), chosen like :data:`FULL`.
OPTIONS = {"ensemble": True, "at_least_one": True}

#: Ablation: each row adds one ingredient to the one above. Each entry: name, block weights,
#: model options (``ensemble``, ``at_least_one``).
ABLATION = [
    ("word + char TF-IDF", {"word": 1.0, "char": 1.0}, {}),
    ("+ heading", {"word": 1.0, "char": 1.0, "heading": 1.0}, {}),
    ("+ neighbouring segments", {"word": 1.0, "char": 1.0, "heading": 1.0, "prev": 0.4, "next": 0.4}, {}),
    ("+ rule firings and cues", RULES, {}),
    ("+ position in the policy", FULL, {}),
    ("+ logistic regression averaged in", FULL, {"ensemble": True}),
    ("+ at least one label (the model)", FULL, {"ensemble": True, "at_least_one": True}),
]

_SOURCES = {"word": "text", "char": "text", "heading": "heading", "prev": "prev", "next": "next", "rules": "rules",
            "rules_prev": "rules_prev", "rules_next": "rules_next", "position": "position"}


def _vectorizer(block: str, **state) -> TfidfVectorizer:
    if block == "word":
        return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, **state)
    if block == "char":
        return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1 if state else 2, **state)
    if block == "heading":
        return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, **state)
    if block in ("prev", "next"):
        return TfidfVectorizer(sublinear_tf=True, min_df=1 if state else 2, **state)
    return TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True, **state)


def _rule_tokens(tags: pd.DataFrame) -> dict[str, str]:
    out = {}
    for cid, g in tags.groupby("clause_id", sort=False):
        cues = [c.strip().lower().replace(" ", "_") for cue in g["cue"] for c in str(cue).split(" | ") if c.strip()]
        out[str(cid)] = " ".join([f"R_{l}" for l in g["label"]] + [f"C_{c}" for c in cues])
    return out


def _position_tokens(position: int, last: int) -> str:
    """Where a segment sits in its policy: decile, quarter, first / second / last.

    >>> _position_tokens(0, 9)
    'DEC0 Q0 FIRST'
    """
    q = position / last if last else 0.0
    t = [f"DEC{min(int(q * 10), 9)}", f"Q{min(int(q * 4), 3)}"]
    t += ["FIRST"] if position == 0 else ["SECOND"] if position == 1 else []
    t += ["LAST"] if position == last and position > 1 else []
    return " ".join(t)


def clause_features(data: Opp115, tags: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per segment with the texts every block reads.

    Parameters
    ----------
    data
        From :func:`policylab.datasets.load_opp115`.
    tags
        The rule tagger's labels of ``data.clauses``; by default
        ``tag_clauses(data.clauses, language="en")``.

    Returns
    -------
    DataFrame
        ``clause_id, text, heading, prev, next, rules, rules_prev, rules_next, position``.
    """
    from ..tag import tag_clauses

    c = data.clauses
    if tags is None:
        tags = tag_clauses(c, language="en")
    rules_of = _rule_tokens(tags)
    doc = c["doc_id"].to_numpy()
    text = c["text"].tolist()
    rules = [rules_of.get(str(x), "") for x in c["clause_id"]]
    n = len(c)
    prev = [i - 1 if i > 0 and doc[i - 1] == doc[i] else -1 for i in range(n)]
    nxt = [i + 1 if i + 1 < n and doc[i + 1] == doc[i] else -1 for i in range(n)]
    return pd.DataFrame({
        "clause_id": c["clause_id"].to_numpy(), "text": text, "heading": c["heading"].fillna("").tolist(),
        "prev": [text[j] if j >= 0 else "" for j in prev], "next": [text[j] if j >= 0 else "" for j in nxt],
        "rules": rules, "rules_prev": [rules[j] if j >= 0 else "" for j in prev],
        "rules_next": [rules[j] if j >= 0 else "" for j in nxt],
        "position": [_position_tokens(int(p), int(m)) for p, m in
                     zip(c["position"], c.groupby("doc_id")["position"].transform("max"))]})


def _blocks(weights: dict[str, float]) -> list[tuple[str, float]]:
    out = []
    for name, w in weights.items():
        if name == "rules_context":
            out += [("rules_prev", w), ("rules_next", w)]
        else:
            out.append((name, w))
    return [(b, float(w)) for b, w in out if w]


def score_labels(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    """PrivacyGLUE's scores: micro and macro F1 over all 12 labels, and F1 per label.

    Examples
    --------
    >>> y = np.eye(12, dtype=int)
    >>> score_labels(y, y)["macro_f1"]
    1.0
    """
    per = f1_score(y_true, y_pred, average=None, zero_division=0)
    return {"micro_f1": round(float(f1_score(y_true, y_pred, average="micro", zero_division=0)), 4),
            "macro_f1": round(float(f1_score(y_true, y_pred, average="macro", zero_division=0)), 4),
            "per_label": {l: round(float(f), 4) for l, f in zip(OPP115_LABELS, per)}}


def label_matrix(label_tuples) -> np.ndarray:
    """Rows of label names -> 0/1 matrix over :data:`OPP115_LABELS`."""
    return np.array([[l in set(t) for l in OPP115_LABELS] for t in label_tuples], dtype=int).reshape(-1, len(OPP115_LABELS))


class Opp115Model:
    """Linear SVMs over weighted TF-IDF blocks (see the module notes).

    Parameters
    ----------
    weights
        Block weights (keys of :data:`FULL`); default :data:`FULL`.
    C
        Regularisation of every per-label SVM.
    threshold
        Score at which a label holds (set by :meth:`tune_threshold`).
    ensemble
        Average the SVM's score with a logistic regression's probability
        (``C = 16``, balanced, liblinear dual: there are more features than examples) on the same features.
    at_least_one
        Every PrivacyGLUE example carries a label, so when no score reaches the
        threshold the best-scoring label is given.

    Examples
    --------
    >>> f = pd.DataFrame({"text": ["we keep data for two years", "we share data with partners"] * 3,
    ...                   "heading": "", "prev": "", "next": "", "rules": "", "rules_prev": "", "rules_next": ""})
    >>> y = np.array([[1, 0], [0, 1]] * 3)
    >>> m = Opp115Model({"word": 1.0}, labels=("retention", "sharing")).fit(f, y)
    >>> m.predict(f.iloc[:2]).tolist()
    [[1, 0], [0, 1]]
    """

    def __init__(self, weights: dict[str, float] | None = None, *, C: float = 0.5, threshold: float = 0.5,
                 labels: tuple[str, ...] = OPP115_LABELS, ensemble: bool = False, at_least_one: bool = False,
                 C_lr: float = 16.0):
        self.weights = dict(FULL if weights is None else weights)
        self.C = C
        self.threshold = threshold
        self.labels = tuple(labels)
        self.ensemble = ensemble
        self.at_least_one = at_least_one
        self.C_lr = C_lr

    def _matrix(self, features: pd.DataFrame) -> sp.csr_matrix:
        parts = [self.vectorizers_[b].transform(features[_SOURCES[b]].tolist()) * w for b, w in _blocks(self.weights)]
        return sp.hstack(parts, format="csr")

    def fit(self, features: pd.DataFrame, y: np.ndarray) -> Opp115Model:
        """Fit the vectorizers and the SVMs on ``features`` rows (a :func:`clause_features` subset)."""
        self.vectorizers_ = {}
        for b, _ in _blocks(self.weights):
            v = _vectorizer(b)
            docs = features[_SOURCES[b]].tolist()
            if not any(d.strip() for d in docs):  # an empty block (e.g. no headings) gets one dummy term
                docs = docs + ["_"]
            self.vectorizers_[b] = v.fit(docs)
        X = self._matrix(features)
        self.coef_, self.intercept_ = self._fit_linear(X, y, lambda: LinearSVC(C=self.C, class_weight="balanced", random_state=0))
        if self.ensemble:
            self.coef_lr_, self.intercept_lr_ = self._fit_linear(
                X, y, lambda: LogisticRegression(C=self.C_lr, class_weight="balanced", solver="liblinear", dual=True, random_state=0))
        return self

    @staticmethod
    def _fit_linear(X, y: np.ndarray, make) -> tuple[np.ndarray, np.ndarray]:
        coef, intercept = [], []
        for k in range(y.shape[1]):
            if y[:, k].min() == y[:, k].max():
                coef.append(np.zeros(X.shape[1]))
                intercept.append(10.0 if y[0, k] else -10.0)
                continue
            est = make().fit(X, y[:, k])
            coef.append(est.coef_[0])
            intercept.append(float(est.intercept_[0]))
        return np.vstack(coef), np.array(intercept)

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        """Scores in (0, 1), one column per label."""
        X = self._matrix(features)
        p = 1.0 / (1.0 + np.exp(-2.0 * np.asarray(X @ self.coef_.T + self.intercept_)))
        if self.ensemble:
            p = (p + 1.0 / (1.0 + np.exp(-np.asarray(X @ self.coef_lr_.T + self.intercept_lr_)))) / 2.0
        return p

    def decide(self, proba: np.ndarray, threshold: float | None = None) -> np.ndarray:
        """0/1 labels from scores: at the threshold, plus the best label where none reaches it (``at_least_one``).

        Examples
        --------
        >>> Opp115Model(at_least_one=True, labels=("a", "b")).decide(np.array([[0.2, 0.4], [0.9, 0.1]])).tolist()
        [[0, 1], [1, 0]]
        """
        pred = (proba >= (self.threshold if threshold is None else threshold)).astype(int)
        if self.at_least_one and len(pred):
            empty = pred.sum(axis=1) == 0
            pred[np.flatnonzero(empty), proba[empty].argmax(axis=1)] = 1
        return pred

    def predict(self, features: pd.DataFrame) -> np.ndarray:
        return self.decide(self.predict_proba(features))

    def tune_threshold(self, features: pd.DataFrame, y: np.ndarray, grid=np.arange(0.2, 0.81, 0.05)) -> Opp115Model:
        """Pick the one threshold with the best macro-F1 on ``features`` (the validation split)."""
        p = self.predict_proba(features)
        f = [f1_score(y, self.decide(p, g), average="macro", zero_division=0) for g in grid]
        self.threshold = round(float(grid[int(np.argmax(f))]), 2)
        return self

    def save(self, path: str | Path) -> Path:
        """Write ``path`` (JSON: parameters, vocabularies) and ``path.npz`` (idf, weights)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {"weights": self.weights, "C": self.C, "threshold": self.threshold, "labels": list(self.labels),
                "ensemble": self.ensemble, "at_least_one": self.at_least_one, "C_lr": self.C_lr,
                "vocabulary": {b: sorted(v.vocabulary_, key=v.vocabulary_.get) for b, v in self.vectorizers_.items()}}
        path.write_text(json.dumps(meta), encoding="utf-8")
        arrays = {f"idf_{b}": v.idf_ for b, v in self.vectorizers_.items()}
        if self.ensemble:
            arrays.update(coef_lr=self.coef_lr_, intercept_lr=self.intercept_lr_)
        np.savez_compressed(path.with_suffix(path.suffix + ".npz"), coef=self.coef_, intercept=self.intercept_, **arrays)
        return path

    @classmethod
    def load(cls, path: str | Path) -> Opp115Model:
        """Read a model written by :meth:`save`."""
        path = Path(path)
        meta = json.loads(path.read_text(encoding="utf-8"))
        arrays = np.load(path.with_suffix(path.suffix + ".npz"), allow_pickle=False)
        m = cls(meta["weights"], C=meta["C"], threshold=meta["threshold"], labels=tuple(meta["labels"]),
                ensemble=meta.get("ensemble", False), at_least_one=meta.get("at_least_one", False), C_lr=meta.get("C_lr", 16.0))
        m.vectorizers_ = {}
        for b, vocab in meta["vocabulary"].items():
            v = _vectorizer(b, vocabulary={t: i for i, t in enumerate(vocab)})
            v.idf_ = arrays[f"idf_{b}"]
            m.vectorizers_[b] = v
        m.coef_, m.intercept_ = arrays["coef"], arrays["intercept"]
        if m.ensemble:
            m.coef_lr_, m.intercept_lr_ = arrays["coef_lr"], arrays["intercept_lr"]
        return m


def _example_features(examples: pd.DataFrame, features: pd.DataFrame) -> pd.DataFrame:
    """Features of each example's first segment, with the example's own text."""
    f = features.set_index("clause_id").loc[examples["clause_id"]].reset_index()
    f["text"] = examples["text"].to_numpy()
    return f


def opp115_ablation(examples: pd.DataFrame, features: pd.DataFrame, *, configs=ABLATION, C: float = 0.5) -> pd.DataFrame:
    """Train each configuration on train, tune its threshold on validation, score on test.

    Returns one row per configuration: ``model, micro_f1_05, macro_f1_05, threshold,
    micro_f1, macro_f1, seconds`` (``_05``: at 0.5; the others at the tuned threshold).
    """
    f = _example_features(examples, features)
    y = label_matrix(examples["labels"])
    tr, va, te = [(examples["split"] == s).to_numpy() for s in ("train", "validation", "test")]
    rows = []
    for name, weights, options in configs:
        t0 = time.perf_counter()
        m = Opp115Model(weights, C=C, **options).fit(f[tr], y[tr])
        p = m.predict_proba(f[te])
        s05 = score_labels(y[te], m.decide(p, 0.5))
        m.tune_threshold(f[va], y[va])
        st = score_labels(y[te], m.decide(p))
        rows.append({"model": name, "micro_f1_05": s05["micro_f1"], "macro_f1_05": s05["macro_f1"], "threshold": m.threshold,
                     "micro_f1": st["micro_f1"], "macro_f1": st["macro_f1"], "seconds": round(time.perf_counter() - t0, 1)})
    return pd.DataFrame(rows)


def grouped_cv(examples: pd.DataFrame, features: pd.DataFrame, *, weights: dict | None = None, folds: int = 5,
               threshold: float = 0.5, C: float = 0.5, **options) -> pd.DataFrame:
    """Policy-grouped cross-validation over all labelled examples (every policy in one fold).

    Returns one row per fold: ``fold, n_policies, n_test, micro_f1, macro_f1``.
    """
    f = _example_features(examples, features)
    y = label_matrix(examples["labels"])
    groups = examples["doc_id"].to_numpy()
    rows = []
    for k, (a, b) in enumerate(GroupKFold(n_splits=folds).split(f, y, groups)):
        m = Opp115Model(weights, C=C, threshold=threshold, **options).fit(f.iloc[a], y[a])
        s = score_labels(y[b], m.predict(f.iloc[b]))
        rows.append({"fold": k, "n_policies": len(set(groups[b])), "n_test": len(b), "micro_f1": s["micro_f1"], "macro_f1": s["macro_f1"]})
    return pd.DataFrame(rows)


def run_opp115(path=None, out: str | Path | None = None, *, ablation: bool = True, folds: int = 5, progress=None) -> dict:
    """Load OPP-115, train, score, ablate, cross-validate by policy, score the rules zero-shot.

    Parameters
    ----------
    path
        The OPP-115 folder (see :func:`policylab.datasets.load_opp115`).
    out
        Folder for ``predictions.csv``, ``scores.json`` and the model
        (``model.json`` + ``model.json.npz``); nothing written when ``None``.
    ablation, folds
        Run the ablation table; number of policy-grouped folds (0: none).
    progress
        A callable taking a message, or ``None``.

    Returns
    -------
    dict
        ``scores`` (JSON-ready), ``predictions`` (DataFrame), ``model``.
    """
    from ..datasets.opp115 import load_opp115
    from ..tag import tag_clauses
    from .mapping import zero_shot_labels, zero_shot_coverage

    say = progress or (lambda msg: None)
    t0 = time.perf_counter()
    data = load_opp115(path)
    ex = data.examples()
    say(f"loaded {len(data.documents)} policies, {len(data.clauses)} segments, {len(ex)} examples")
    tags = tag_clauses(data.clauses, language="en")
    features = clause_features(data, tags)
    f = _example_features(ex, features)
    y = label_matrix(ex["labels"])
    tr, va, te = [(ex["split"] == s).to_numpy() for s in ("train", "validation", "test")]
    model = Opp115Model(FULL, **OPTIONS).fit(f[tr], y[tr])
    p_te = model.predict_proba(f[te])
    at05 = score_labels(y[te], model.decide(p_te, 0.5))
    model.tune_threshold(f[va], y[va])
    proba = model.predict_proba(f)
    pred = model.decide(proba)
    test = score_labels(y[te], pred[te])
    val = score_labels(y[va], pred[va])
    say(f"model: test micro-F1 {test['micro_f1']:.3f}, macro-F1 {test['macro_f1']:.3f} (threshold {model.threshold})")
    zs = zero_shot_labels(tags, ex)
    zy = label_matrix(zs)
    zero = score_labels(y[te], zy[te])
    scores = {
        "data": {"path": str(data.path), "examples": {s: int((ex["split"] == s).sum()) for s in ("train", "validation", "test")}},
        "model": {"test": test, "test_at_0.5": at05, "validation": val, "threshold": model.threshold,
                  "weights": model.weights, "C": model.C, **OPTIONS},
        "zero_shot": {"test": zero, "coverage": zero_shot_coverage()},
        "anchors": {k: {"micro_f1": v[0], "macro_f1": v[1]} for k, v in ANCHORS.items()},
    }
    if ablation:
        abl = opp115_ablation(ex, features)
        scores["ablation"] = abl.to_dict(orient="records")
        say("ablation done")
    if folds:
        cv = grouped_cv(ex, features, folds=folds, **OPTIONS)
        base = grouped_cv(ex, features, weights=ABLATION[0][1], folds=folds)
        scores["grouped_cv"] = {"folds": folds, "full": cv.to_dict(orient="records"),
                                "full_mean": {m: round(float(cv[m].mean()), 4) for m in ("micro_f1", "macro_f1")},
                                "baseline_mean": {m: round(float(base[m].mean()), 4) for m in ("micro_f1", "macro_f1")}}
        say("grouped cross-validation done")
    keep = ex["split"].isin(["validation", "test"]).to_numpy()
    predictions = pd.DataFrame({
        "split": ex.loc[keep, "split"].to_numpy(), "text": ex.loc[keep, "text"].to_numpy(),
        "gold_labels": [";".join(t) for t in ex.loc[keep, "labels"]],
        "labels": [";".join(l for l, v in zip(OPP115_LABELS, row) if v) for row in pred[keep]],
        "zero_shot_labels": [";".join(t) for t, k in zip(zs, keep) if k],
        "clause_ids": [";".join(t) for t in ex.loc[keep, "clause_ids"]]})
    scores["seconds"] = round(time.perf_counter() - t0, 1)
    if out is not None:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        predictions.to_csv(out / "predictions.csv", index=False)
        (out / "scores.json").write_text(json.dumps(scores, indent=2), encoding="utf-8")
        model.save(out / "model.json")
    return {"scores": scores, "predictions": predictions, "model": model}


def scores_table(scores: dict) -> pd.DataFrame:
    """The model's and the rules' test scores beside the published anchors."""
    rows = [{"model": "policylab Opp115Model (threshold on validation)", **{k: scores["model"]["test"][k] for k in ("micro_f1", "macro_f1")}},
            {"model": "policylab Opp115Model (threshold 0.5)", **{k: scores["model"]["test_at_0.5"][k] for k in ("micro_f1", "macro_f1")}},
            {"model": "policylab English rules, zero-shot", **{k: scores["zero_shot"]["test"][k] for k in ("micro_f1", "macro_f1")}}]
    if "grouped_cv" in scores:
        rows.append({"model": f"policylab Opp115Model, {scores['grouped_cv']['folds']}-fold CV grouped by policy (0.5)",
                     **scores["grouped_cv"]["full_mean"]})
        rows.append({"model": f"word + char TF-IDF, {scores['grouped_cv']['folds']}-fold CV grouped by policy (0.5)",
                     **scores["grouped_cv"]["baseline_mean"]})
    rows += [{"model": k, "micro_f1": v["micro_f1"], "macro_f1": v["macro_f1"]} for k, v in scores["anchors"].items()]
    return pd.DataFrame(rows)

"""Benchmark (experiment): a context combination over the stacked model, against the rules.

Not in the package yet (gradient boosting has no safe JSON form here). For every
(clause, label) pair of a dimension, a second-level model reads the stacked model's
held-out probability with context: whether the rules gave the label by the clause's
own words or by inheritance, the rule's score, the rule firings and probabilities of
the clause before and after, the share of the section's clauses with the label, how
many labels the rules gave the clause, its position in the notice, its length, kind
and language, and the label. Two models: one over the rules' labels (veto), one over
the other pairs (add); ``HistGradientBoostingClassifier`` (``--lr``: logistic).
Veto and add thresholds per dimension are chosen on the other notices only.

(a) every training notice held out: stacked probabilities by grouped folds
(``--folds``, 0: one notice at a time), second-level probabilities by 10 grouped folds,
thresholds chosen leaving the notice out; (b) dev: every level trained on all
training notices. Micro-F1 per language, difference from the rules with a 95%
bootstrap interval over notices.

    python benchmarks/bench_context.py [--extended FOLDER] [--folds 0] [--lr]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

VETO = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5]
ADD = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, np.inf]


def matrices(clauses, rules, proba, classes, labels):
    pos = {c: i for i, c in enumerate(clauses["clause_id"].astype(str))}
    col = {lab: k for k, lab in enumerate(labels)}
    P = np.zeros((len(clauses), len(labels)))
    if proba is not None:
        for k, lab in enumerate(classes):
            P[:, col[lab]] = proba[:, k]
    Y = np.zeros_like(P, dtype=bool)
    for i, gold in enumerate(clauses["gold"]):
        for lab in gold or []:
            if lab in col:
                Y[i, col[lab]] = True
    return P, Y


def pair_features(clauses, rules, P, dimension, labels):
    n, L = len(clauses), len(labels)
    pos = {c: i for i, c in enumerate(clauses["clause_id"].astype(str))}
    col = {lab: k for k, lab in enumerate(labels)}
    own, inh, score = np.zeros((n, L)), np.zeros((n, L)), np.zeros((n, L))
    r = rules[rules["dimension"].astype(str) == dimension]
    for c, lab, s, src in zip(r["clause_id"].astype(str), r["label"].astype(str), r["score"].astype(float), r["source"].astype(str)):
        i = pos.get(c)
        if i is None or lab not in col:
            continue
        (own if src == "rule" else inh)[i, col[lab]] = 1
        score[i, col[lab]] = max(score[i, col[lab]], s)
    fired = (own + inh) > 0
    doc = clauses["doc_id"].astype(str).to_numpy()
    same_prev = np.r_[[False], doc[1:] == doc[:-1]]
    same_next = np.r_[doc[:-1] == doc[1:], [False]]

    def shift(a, back):
        out = np.zeros_like(a, dtype=float)
        if back:
            out[1:] = a[:-1]
            out[~same_prev] = 0
        else:
            out[:-1] = a[1:]
            out[~same_next] = 0
        return out

    section = pd.DataFrame(fired.astype(float))
    section["s"] = (clauses["doc_id"].astype(str) + "|" + clauses["section"].astype(str)).to_numpy()
    share = section.groupby("s").transform("mean").to_numpy()
    ones = np.ones((1, L))
    n_own, n_inh = own.sum(1, keepdims=True) * ones, inh.sum(1, keepdims=True) * ones
    rank = pd.Series(np.arange(n)).groupby(doc).rank(pct=True).to_numpy()[:, None] * ones
    words = np.log1p(clauses["n_words"].astype(float).to_numpy())[:, None] * ones
    clipped = np.clip(P, 1e-4, 1 - 1e-4)
    per_pair = [P, np.log(clipped / (1 - clipped)), own, inh, score, shift(fired, True), shift(fired, False),
                shift(P, True), shift(P, False), share, n_own, n_inh, rank, words]
    X = np.stack([a.ravel() for a in per_pair], 1)
    kind = np.stack([(clauses["kind"].astype(str) == k).to_numpy() for k in ("heading", "paragraph", "list_item", "table_row")], 1)
    lang = np.stack([(clauses["language"].astype(str) == k).to_numpy() for k in ("nb", "nn", "en")], 1)
    per_clause = np.repeat(np.hstack([kind, lang]).astype(float), L, axis=0)
    return np.hstack([X, per_clause, np.tile(np.eye(L), (n, 1))]), fired.ravel()


def f1(pred, Y):
    tp, fp, fn = (pred & Y).sum(), (pred & ~Y).sum(), (~pred & Y).sum()
    return 2 * tp / max(2 * tp + fp + fn, 1)


def decide(Q, F, veto, add):
    return (F & (Q >= veto)) | (~F & (Q >= add))


def choose(Q, F, Y):
    best = max(((round(f1(decide(Q, F, v, a), Y), 6), -v, a) for v in VETO for a in ADD))
    return -best[1], best[2]


def boot(F, pred, Y, docs, draws=2000, seed=0):
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(docs == d) for d in np.unique(docs)]
    diffs = []
    for _ in range(draws):
        s = np.concatenate([groups[k] for k in rng.integers(0, len(groups), len(groups))])
        diffs.append(f1(pred[s], Y[s]) - f1(F[s], Y[s]))
    return np.percentile(diffs, [2.5, 97.5])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extended", default=None)
    parser.add_argument("--folds", type=int, default=0)
    parser.add_argument("--lr", action="store_true", help="logistic second level instead of gradient boosting")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from policylab.annotations import BUNDLED_ANNOTATIONS, DIMENSIONS, LABELS
    from policylab.splits import split_corpus
    from policylab.stacked import StackedTagger, training_clauses

    def second():
        if args.lr:
            return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        return HistGradientBoostingClassifier(max_iter=150, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=20, random_state=0)

    def fit_predict(X, y, Xt):
        if y.all() or not y.any():
            return np.full(len(Xt), float(y.mean()) if len(y) else 0.0)
        return second().fit(X, y).predict_proba(Xt)[:, 1]

    start = time.perf_counter()
    where = {} if args.extended is None else {"folder": args.extended}
    train, train_rules = training_clauses([(BUNDLED_ANNOTATIONS, None), split_corpus("train", **where)])
    dev, dev_rules = training_clauses([split_corpus("dev", **where)])
    train = train[train["annotated"]].reset_index(drop=True)
    dev = dev[dev["annotated"]].reset_index(drop=True)
    docs = train["doc_id"].astype(str).to_numpy()
    ddocs = dev["doc_id"].astype(str).to_numpy()
    rule_docs = train_rules["doc_id"].astype(str)
    oof = {d: np.zeros((len(train), len(LABELS[d]))) for d in DIMENSIONS}
    for fit_rows, test_rows in GroupKFold(n_splits=args.folds or len(set(docs))).split(train, groups=docs):
        seen = set(docs[fit_rows])
        model = StackedTagger().fit(train.iloc[fit_rows], train_rules[rule_docs.isin(seen)])
        proba = model.predict_proba(train.iloc[test_rows], train_rules[~rule_docs.isin(seen)])
        for d in DIMENSIONS:
            for k, lab in enumerate(model.classes_[d]):
                oof[d][test_rows, LABELS[d].index(lab)] = proba[d][:, k]
    model = StackedTagger().fit(train, train_rules)
    dev_proba = model.predict_proba(dev, dev_rules)
    print(f"stacked probabilities: {time.perf_counter() - start:.0f} s; training notices {len(set(docs))}, dev {len(set(ddocs))}")
    rows = []
    for d in DIMENSIONS:
        labels = LABELS[d]
        P, Y = matrices(train.assign(gold=train[d]), train_rules, None, None, labels)
        P = oof[d]
        Pd, Yd = matrices(dev.assign(gold=dev[d]), dev_rules, dev_proba[d], model.classes_[d], labels)
        X, fired = pair_features(train, train_rules, P, d, labels)
        Xd, fired_d = pair_features(dev, dev_rules, Pd, d, labels)
        y, pair_docs, dpair_docs = Y.ravel(), np.repeat(docs, len(labels)), np.repeat(ddocs, len(labels))
        Q, Qd = np.zeros(len(y)), np.zeros(len(Xd))
        for part in (True, False):
            idx = np.flatnonzero(fired == part)
            for a, b in GroupKFold(10).split(idx, groups=pair_docs[idx]):
                Q[idx[b]] = fit_predict(X[idx[a]], y[idx[a]], X[idx[b]])
            Qd[fired_d == part] = fit_predict(X[idx], y[idx], Xd[fired_d == part])
        held = np.zeros_like(fired)
        for doc in np.unique(pair_docs):
            te = pair_docs == doc
            veto, add = choose(Q[~te], fired[~te], y[~te])
            held[te] = decide(Q[te], fired[te], veto, add)
        veto, add = choose(Q, fired, y)
        on_dev = decide(Qd, fired_d, veto, add)
        lang, dlang = np.repeat(train["language"].astype(str).to_numpy(), len(labels)), np.repeat(dev["language"].astype(str).to_numpy(), len(labels))
        yd = Yd.ravel()
        for name, F_, pred, yy, g, lg in (("(a) held out", fired, held, y, pair_docs, lang), ("(b) dev", fired_d, on_dev, yd, dpair_docs, dlang)):
            lo, hi = boot(F_, pred, yy, g)
            row = {"measure": name, "dimension": d, "rules": f1(F_, yy), "context": f1(pred, yy), "diff": f1(pred, yy) - f1(F_, yy),
                   "ci95": f"[{lo:+.3f}, {hi:+.3f}]"}
            for lang_ in ("nb", "nn", "en"):
                m = lg == lang_
                row[f"rules {lang_}"], row[f"context {lang_}"] = f1(F_[m], yy[m]), f1(pred[m], yy[m])
            rows.append(row)
        print(f"{d}: thresholds on all training notices veto {veto}, add {add}")
    with pd.option_context("display.width", 250, "display.max_columns", 20, "display.float_format", "{:.3f}".format):
        print(pd.DataFrame(rows).to_string(index=False))
    print(f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()

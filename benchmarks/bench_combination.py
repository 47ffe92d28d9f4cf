"""Benchmark: does a learned combination beat the rules on notices it was not trained on?

Every way of combining rules and model (:data:`policylab.stacked.HOWS`) is measured
two ways, per language, as micro-F1 over (clause, label) pairs of the annotated
clauses (the figures of :func:`policylab.agreement.score_tables` for the label
dimensions):

(a) grouped cross-validation by notice over every training notice (the 21 bundled
    and the ``train`` split of ``data/extended``): each notice labelled by a model
    trained on the others (``--folds``, default one notice at a time). ``"tuned"``
    uses the thresholds its fold's model chose by its own inner grouped folds, so
    its figure is held out too;
(b) the ``dev`` split of ``data/extended``, labelled by a model trained on all
    training notices (never trained on, never mined).

Beside each figure, the difference from the rules with a 95% bootstrap interval
over notices (resampling whole notices, ``--boot`` draws): a combination beats the
rules when the interval of both (a) and (b) lies above 0. Last, the reliability of
the confidence of the rules' labels on dev.

With ``--curve``, a learning curve instead: the extended training notices in 5
grouped folds; each fold labelled by models trained on the bundled notices plus
``k`` of the other extended ones (k = 0, 4, 8, 12, 16), every way of combining
against the rules; it tells whether more annotated notices still move a learned
combination away from the rules.

    python benchmarks/bench_combination.py [--folds 0] [--boot 2000] [--extra-train ANN CORPUS] [--curve]
                                           [--extended FOLDER]

The sealed ``test`` split is never opened: :func:`policylab.splits.split_corpus`
refuses it.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd


def triples(clauses: pd.DataFrame, labels: pd.DataFrame | None, dimension: str) -> pd.DataFrame:
    """``doc_id, clause_id, label`` of gold (``labels`` None) or predicted labels of one dimension."""
    if labels is None:
        rows = [(d, c, lab) for d, c, g in zip(clauses["doc_id"], clauses["clause_id"], clauses[dimension]) for lab in (g or [])]
        return pd.DataFrame(rows, columns=["doc_id", "clause_id", "label"]).astype(str).drop_duplicates()
    chosen = labels[labels["dimension"].astype(str) == dimension]
    keep = set(clauses["clause_id"].astype(str))
    out = chosen[["doc_id", "clause_id", "label"]].astype(str).drop_duplicates()
    return out[out["clause_id"].isin(keep)]


def counts(clauses: pd.DataFrame, labels: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Per notice: true positives, false positives and false negatives."""
    gold = triples(clauses, None, dimension).assign(g=True)
    pred = triples(clauses, labels, dimension).assign(p=True)
    both = gold.merge(pred, on=["doc_id", "clause_id", "label"], how="outer")
    both["g"] = both["g"].notna()
    both["p"] = both["p"].notna()
    both["tp"] = both["g"] & both["p"]
    both["fp"] = ~both["g"] & both["p"]
    both["fn"] = both["g"] & ~both["p"]
    docs = pd.Index(pd.unique(clauses["doc_id"].astype(str)), name="doc_id")
    return both.groupby("doc_id")[["tp", "fp", "fn"]].sum().reindex(docs, fill_value=0)


def f1(c: pd.DataFrame) -> float:
    tp, fp, fn = c["tp"].sum(), c["fp"].sum(), c["fn"].sum()
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def interval(base: pd.DataFrame, other: pd.DataFrame, draws: int, seed: int = 0) -> tuple[float, float]:
    """95% bootstrap interval over notices of ``f1(other) - f1(base)``."""
    rng = np.random.default_rng(seed)
    b, o = base.to_numpy(dtype=float), other.to_numpy(dtype=float)
    diffs = []
    for _ in range(draws):
        pick = rng.integers(0, len(b), len(b))
        sb, so = b[pick].sum(0), o[pick].sum(0)
        fb = 2 * sb[0] / max(2 * sb[0] + sb[1] + sb[2], 1)
        fo = 2 * so[0] / max(2 * so[0] + so[1] + so[2], 1)
        diffs.append(fo - fb)
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    return float(lo), float(hi)


def table(name: str, clauses: pd.DataFrame, by_how: dict[str, pd.DataFrame], draws: int) -> pd.DataFrame:
    from policylab.annotations import DIMENSIONS

    language = clauses.drop_duplicates("doc_id").set_index("doc_id")["language"].astype(str)
    rows = []
    for dimension in DIMENSIONS:
        per_how = {how: counts(clauses, labels, dimension) for how, labels in by_how.items()}
        for how, c in per_how.items():
            row = {"measure": name, "dimension": dimension, "how": how, "all": f1(c)}
            for lang in ("nb", "nn", "en"):
                part = c[c.index.map(language) == lang]
                row[lang] = f1(part) if len(part) else np.nan
            lo, hi = interval(per_how["rules"], c, draws) if how != "rules" else (0.0, 0.0)
            row["diff"] = row["all"] - f1(per_how["rules"])
            row["ci95"] = f"[{lo:+.3f}, {hi:+.3f}]"
            rows.append(row)
    return pd.DataFrame(rows)


def reliability(labels: pd.DataFrame, clauses: pd.DataFrame) -> pd.DataFrame:
    """Rule labels binned by confidence: how many, share right, mean confidence."""
    gold = set()
    from policylab.annotations import DIMENSIONS

    for dimension in DIMENSIONS:
        gold |= {(c, dimension, lab) for c, lab in triples(clauses, None, dimension)[["clause_id", "label"]].itertuples(index=False)}
    rules = labels[labels["source"].astype(str) != "model"].dropna(subset=["confidence"])
    right = [(c, d, lab) in gold for c, d, lab in zip(rules["clause_id"].astype(str), rules["dimension"].astype(str), rules["label"].astype(str))]
    frame = pd.DataFrame({"confidence": rules["confidence"].to_numpy(), "right": right})
    frame["band"] = pd.cut(frame["confidence"], [0, 0.6, 0.8, 0.9, 1.0], include_lowest=True)
    return frame.groupby("band", observed=True).agg(labels=("right", "size"), right=("right", "mean"), mean_confidence=("confidence", "mean"))


def curve(train: pd.DataFrame, train_rules: pd.DataFrame, draws: int, sizes=(0, 4, 8, 12, 16), seed: int = 0) -> None:
    """Micro-F1 on held-out extended training notices against the number of extended ones trained on."""
    from policylab.annotations import BUNDLED_ANNOTATIONS, read_annotated_clauses
    from policylab.stacked import HOWS, StackedTagger, apply_model

    docs = train["doc_id"].astype(str)
    rule_docs = train_rules["doc_id"].astype(str)
    bundled = set(read_annotated_clauses(BUNDLED_ANNOTATIONS)["doc_id"].astype(str))
    extended = np.array(sorted(set(docs) - bundled))
    rng = np.random.default_rng(seed)
    folds = np.array_split(rng.permutation(extended), 5)
    tables = []
    for k in sizes:
        if k > len(extended) - max(len(f) for f in folds):
            continue
        held: dict[str, list[pd.DataFrame]] = {h: [] for h in HOWS}
        for fold in folds:
            rest = np.array([e for e in extended if e not in set(fold)])
            seen = set(rng.permutation(rest)[:k]) | bundled
            model = StackedTagger().fit(train[docs.isin(seen)], train_rules[rule_docs.isin(seen)])
            part = train[docs.isin(set(fold))]
            part_rules = train_rules[rule_docs.isin(set(fold))]
            for how in HOWS:
                held[how].append(apply_model(model, part, part_rules, how=how))
        part = train[docs.isin(set(extended))]
        tables.append(table(f"curve k={k}", part, {h: pd.concat(f, ignore_index=True) for h, f in held.items()}, draws))
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.3f}".format):
        print(f"learning curve: {len(extended)} extended training notices held out in 5 folds; "
              f"trained on the {len(bundled)} bundled + k extended")
        print(pd.concat(tables, ignore_index=True).to_string(index=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=0, help="grouped folds for (a); 0: one notice at a time")
    parser.add_argument("--boot", type=int, default=2000, help="bootstrap draws over notices")
    parser.add_argument("--extra-train", nargs=2, action="append", default=[], metavar=("ANNOTATIONS", "CORPUS"),
                        help="more training annotations and their corpus (repeatable)")
    parser.add_argument("--extended", default=None, help="folder of extended notices with metadata-*.csv and "
                        "annotations/train/ (default: the package's data/extended)")
    parser.add_argument("--curve", action="store_true", help="learning curve over the extended training notices")
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 4, 8, 12, 16],
                        help="numbers of extended training notices of the learning curve")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    from sklearn.model_selection import GroupKFold

    from policylab.annotations import BUNDLED_ANNOTATIONS
    from policylab.splits import split_corpus
    from policylab.stacked import HOWS, StackedTagger, apply_model, training_clauses

    start = time.perf_counter()
    where = {} if args.extended is None else {"folder": args.extended}
    sources = [(BUNDLED_ANNOTATIONS, None), split_corpus("train", **where)] + [tuple(x) for x in args.extra_train]
    train, train_rules = training_clauses(sources)
    train = train[train["annotated"]].reset_index(drop=True)
    dev, dev_rules = training_clauses([split_corpus("dev", **where)])
    dev = dev[dev["annotated"]].reset_index(drop=True)
    docs = train["doc_id"].astype(str).to_numpy()
    rule_docs = train_rules["doc_id"].astype(str)
    n_docs = len(set(docs))
    print(f"training notices {n_docs} ({train.drop_duplicates('doc_id')['language'].value_counts().to_dict()}), "
          f"{len(train)} clauses; dev notices {dev['doc_id'].nunique()}, {len(dev)} clauses")

    if args.curve:
        curve(train, train_rules, args.boot, sizes=args.sizes)
        print(f"{time.perf_counter() - start:.0f} s")
        return
    folds = GroupKFold(n_splits=args.folds or n_docs).split(train, groups=docs)
    held: dict[str, list[pd.DataFrame]] = {h: [] for h in HOWS}
    for fit_rows, test_rows in folds:
        seen = set(docs[fit_rows])
        model = StackedTagger().fit(train.iloc[fit_rows], train_rules[rule_docs.isin(seen)])
        part, part_rules = train.iloc[test_rows], train_rules[~rule_docs.isin(seen)]
        for how in HOWS:
            held[how].append(apply_model(model, part, part_rules, how=how))
    cv = table("(a) grouped CV", train, {h: pd.concat(f, ignore_index=True) for h, f in held.items()}, args.boot)

    model = StackedTagger().fit(train, train_rules)
    on_dev = {how: apply_model(model, dev, dev_rules, how=how) for how in HOWS}
    dv = table("(b) dev", dev, on_dev, args.boot)
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.3f}".format):
        print(pd.concat([cv, dv], ignore_index=True).to_string(index=False))
        print("thresholds (veto, add) chosen on all training notices:", model.thresholds_)
        print("reliability of the rules' labels on dev (model trained on all training notices):")
        print(reliability(on_dev["rules"], dev).to_string())
    print(f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()

"""Measuring the taggers against gold annotations, clause by clause.

A (clause, dimension, label) triple is a true positive when both the gold
annotation and the method have it, a false positive when only the method has it,
a false negative when only the gold has it. Every annotated clause counts,
including those without any label (they are where false positives show up).

Methods:

- ``rules``: :func:`policylab.tag.tag_clauses` (no training);
- ``model``: :class:`policylab.model.ClauseClassifier` under leave-one-notice-out
  cross-validation: each notice is labelled by a model trained on all the other
  annotated notices (:func:`policylab.model.cross_val_labels`);
- ``combined``: the two joined per dimension as
  :data:`policylab.model.COMBINE_DEFAULT` says (:func:`policylab.model.combine_labels`);
- ``stacked``: the learned tagger of :mod:`policylab.stacked` (rule firings and
  TF-IDF) under leave-one-notice-out, its labels at or above its threshold only
  (``how="model"``: a rule label it doubts is dropped);
- ``rules+stacked``: the rules' labels plus those the stacked model adds
  (``how="combined"``).

Beyond labels: :func:`retention_outcomes` scores storage durations against the
optional ``retention_days`` of the annotations (a (clause, days) pair is a true
positive when the gold and a ``retention`` row of kind ``duration`` both have
it), and :func:`coverage_agreement` compares the coverage matrix computed from
the gold labels with the one computed from a method's labels, cell by cell.

``policylab.evaluate`` is both this module and a function: calling the module
calls :func:`evaluate` (``policylab.evaluate(path)`` and
``policylab.evaluate.outcomes(path)`` both work).

Per dimension, ``micro`` sums tp/fp/fn over labels; ``macro`` averages the
per-label precision, recall and F1 over the labels that occur in the gold
standard (an undefined precision, where a label is never predicted, counts as 0).

Examples
--------
>>> scores(tp=8, fp=2, fn=8)
(0.8, 0.5, 0.6153846153846154)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click
import numpy as np
import pandas as pd

from .annotations import BUNDLED_ANNOTATIONS, DIMENSIONS, gold_clauses

__all__ = [
    "DEFAULT_METHODS",
    "METHODS",
    "RESULT_COLUMNS",
    "coverage_agreement",
    "error_analysis",
    "learning_curve",
    "retention_outcomes",
    "retention_scores",
    "evaluate",
    "evaluate_command",
    "outcomes",
    "score_outcomes",
    "scores",
]

#: The methods :func:`evaluate` knows.
METHODS = ("rules", "model", "combined", "stacked", "rules+stacked")
#: The methods :func:`evaluate` runs by default.
DEFAULT_METHODS = ("rules", "model", "combined")

#: Columns of :func:`evaluate`'s result (``doc_id`` first when ``by_document``).
RESULT_COLUMNS = ["method", "dimension", "label", "precision", "recall", "f1", "support", "tp", "fp", "fn"]


def scores(tp, fp, fn):
    """Precision, recall and F1 from counts (scalars or arrays).

    Precision is NaN where nothing was predicted (tp + fp = 0), recall NaN where
    the gold has nothing (tp + fn = 0), F1 = 2tp / (2tp + fp + fn), NaN only when
    all three counts are 0. Where precision and recall are both defined, F1 is
    their harmonic mean.

    Examples
    --------
    >>> scores(tp=3, fp=1, fn=0)
    (0.75, 1.0, 0.8571428571428571)
    """
    tp, fp, fn = (np.asarray(x, dtype=float) for x in (tp, fp, fn))
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), np.nan)
        recall = np.where(tp + fn > 0, tp / (tp + fn), np.nan)
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)
    if precision.ndim == 0:
        return float(precision), float(recall), float(f1)
    return precision, recall, f1


def _predictions(clauses: pd.DataFrame, documents: pd.DataFrame, methods: Sequence[str], model_params: dict) -> dict[str, pd.DataFrame]:
    from .model import COMBINE_DEFAULT, MODEL_SCORE_FLOOR, ClauseClassifier, combine_labels, cross_val_labels

    out: dict[str, pd.DataFrame] = {}
    if "rules" in methods or "combined" in methods:
        from .tag import tag_clauses

        out["rules"] = tag_clauses(clauses, documents=documents)
    if "model" in methods or "combined" in methods:
        # One leave-one-notice-out run serves both; scores below the model's
        # threshold matter only to a "weighted" combination.
        params = {k: v for k, v in model_params.items() if k != "threshold"}
        floor = MODEL_SCORE_FLOOR if "combined" in methods and "weighted" in COMBINE_DEFAULT.values() else model_params.get("threshold")
        scored = cross_val_labels(clauses[clauses["annotated"]], threshold=floor, **params)
        threshold = scored["dimension"].map(
            lambda d: ClauseClassifier(dimension=d, threshold=model_params.get("threshold")).threshold_
        ).astype(float)
        scored["_below"] = scored["score"] < threshold
        out["model"] = scored[~scored["_below"]].drop(columns="_below").reset_index(drop=True)
        if "combined" in methods:
            out["combined"] = combine_labels(out.get("rules"), scored)
    if "stacked" in methods or "rules+stacked" in methods:
        from .stacked import cross_val_stacked

        held_out = cross_val_stacked(clauses, out["rules"], hows=("model", "combined"))
        out["stacked"], out["rules+stacked"] = held_out["model"], held_out["combined"]
    return {m: out[m] for m in methods}


def outcomes(annotations, *, corpus: Path | str | None = None, methods: Sequence[str] = DEFAULT_METHODS,
             model_params: dict | None = None) -> pd.DataFrame:
    """Every gold or predicted (clause, dimension, label) triple with its outcome per method.

    Parameters
    ----------
    annotations, corpus
        As for :func:`evaluate`.
    methods
        Any of :data:`METHODS`.
    model_params
        Parameters of :class:`~policylab.model.ClauseClassifier`.

    Returns
    -------
    DataFrame
        ``method, doc_id, clause_id, dimension, label, outcome`` (``tp``, ``fp``
        or ``fn``), ``score`` and ``cue`` of the prediction, and the clause's
        ``heading`` and ``text``: the rows to read when looking for what a
        tagger gets wrong.

    Examples
    --------
    >>> o = outcomes(BUNDLED_ANNOTATIONS, methods=["rules"])
    >>> sorted(o["outcome"].unique())
    ['fn', 'fp', 'tp']
    """
    unknown = set(methods) - set(METHODS)
    if unknown:
        raise ValueError(f"unknown method(s) {sorted(unknown)}; choose from {METHODS}")
    clauses, documents = gold_clauses(annotations, corpus=corpus)
    predictions = _predictions(clauses, documents, methods, model_params or {})
    evaluated = clauses[clauses["annotated"]]
    gold = pd.DataFrame(
        [(d, cid, dim, lab) for d, cid, *lists in zip(evaluated["doc_id"], evaluated["clause_id"], *(evaluated[x] for x in DIMENSIONS))
         for dim, labs in zip(DIMENSIONS, lists) for lab in labs],
        columns=["doc_id", "clause_id", "dimension", "label"],
    )
    info = evaluated.set_index("clause_id")[["heading", "text"]]
    frames = []
    for method in methods:
        predicted = predictions[method]
        predicted = pd.DataFrame({
            "doc_id": predicted["doc_id"].astype(str), "clause_id": predicted["clause_id"].astype(str),
            "dimension": predicted["dimension"].astype(str), "label": predicted["label"].astype(str),
            "score": predicted["score"].astype(float), "cue": predicted["cue"].astype(str),
        })
        predicted = predicted[predicted["clause_id"].isin(info.index)]
        predicted = predicted.drop_duplicates(["clause_id", "dimension", "label"])
        merged = gold.merge(predicted, on=["doc_id", "clause_id", "dimension", "label"], how="outer", indicator=True)
        merged["outcome"] = merged["_merge"].map({"both": "tp", "left_only": "fn", "right_only": "fp"}).astype(str)
        merged.insert(0, "method", method)
        frames.append(merged.drop(columns="_merge"))
    out = pd.concat(frames, ignore_index=True)
    out = out.join(info, on="clause_id")
    return out.sort_values(["method", "clause_id", "dimension", "label"], kind="stable").reset_index(drop=True)


def score_outcomes(outcome_rows: pd.DataFrame, *, by_document: bool = False) -> pd.DataFrame:
    """Precision, recall, F1 per (method, dimension, label) from :func:`outcomes` rows.

    Adds rows ``label="micro"`` and ``label="macro"`` per method and dimension
    (and per notice when ``by_document``).

    Examples
    --------
    >>> rows = pd.DataFrame({"method": "rules", "dimension": "topic", "clause_id": ["a", "b", "c"],
    ...                      "label": ["retention", "retention", "rights"], "outcome": ["tp", "fp", "fn"]})
    >>> score_outcomes(rows)[["label", "precision", "recall", "f1", "support"]].values.tolist()
    [['retention', 0.5, 1.0, 0.6666666666666666, 1], ['rights', nan, 0.0, 0.0, 1], ['micro', 0.5, 0.5, 0.5, 2], ['macro', 0.25, 0.5, 0.3333333333333333, 2]]
    """
    keys = (["doc_id"] if by_document else []) + ["method", "dimension"]
    counts = (
        pd.crosstab([outcome_rows[k] for k in keys + ["label"]], outcome_rows["outcome"])
        .reindex(columns=["tp", "fp", "fn"], fill_value=0)
        .reset_index()
    )
    counts.columns.name = None
    per_label = counts.assign(support=counts["tp"] + counts["fn"])
    rows = []
    for key, group in per_label.groupby(keys, sort=False):
        group = group.copy()
        p, r, f = scores(group["tp"], group["fp"], group["fn"])
        group["precision"], group["recall"], group["f1"] = p, r, f
        tp, fp, fn = int(group["tp"].sum()), int(group["fp"].sum()), int(group["fn"].sum())
        micro = dict(zip(keys, key), label="micro", tp=tp, fp=fp, fn=fn, support=tp + fn)
        micro["precision"], micro["recall"], micro["f1"] = scores(tp, fp, fn)
        present = group[group["support"] > 0]
        macro = dict(zip(keys, key), label="macro", tp=tp, fp=fp, fn=fn, support=tp + fn)
        for col in ("precision", "recall", "f1"):
            macro[col] = float(present[col].fillna(0.0).mean()) if len(present) else np.nan
        rows.append(group)
        rows.append(pd.DataFrame([micro, macro]))
    columns = (["doc_id"] if by_document else []) + RESULT_COLUMNS
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.concat(rows, ignore_index=True)[columns]
    return out.astype({"support": "int64", "tp": "int64", "fp": "int64", "fn": "int64"})


def evaluate(annotations, *, corpus: Path | str | None = None, by_document: bool = False,
             methods: Sequence[str] = DEFAULT_METHODS, model_params: dict | None = None) -> pd.DataFrame:
    """Precision, recall and F1 of the taggers against gold annotations.

    Parameters
    ----------
    annotations
        An annotation ``.jsonl`` file or a folder of them (e.g.
        ``data/annotations``), or a frame from
        :func:`policylab.annotations.read_annotated_clauses`.
    corpus
        The corpus folder the annotations describe; the bundled corpus by
        default. Every annotated doc_id must be in it.
    by_document
        One block of rows per notice (an extra ``doc_id`` column).
    methods
        Any of :data:`METHODS` (``model``, ``combined``, ``stacked`` and
        ``rules+stacked`` leave one notice out); :data:`DEFAULT_METHODS` by default.
    model_params
        Parameters of :class:`~policylab.model.ClauseClassifier`; its defaults
        otherwise (chosen a priori / by nested CV, not on the test folds).

    Returns
    -------
    DataFrame
        :data:`RESULT_COLUMNS`: one row per (method, dimension, label) with
        precision, recall, f1, support (gold count), tp, fp, fn, plus rows
        ``label="micro"`` and ``label="macro"`` per method and dimension.

    Examples
    --------
    >>> result = evaluate(BUNDLED_ANNOTATIONS, methods=["rules"])
    >>> micro = result[result["label"] == "micro"].set_index("dimension")
    >>> sorted(micro.index), bool(micro["f1"].between(0, 1).all())
    (['legal_basis', 'right', 'topic'], True)
    """
    rows = outcomes(annotations, corpus=corpus, methods=methods, model_params=model_params)
    return score_outcomes(rows, by_document=by_document)


def retention_outcomes(annotations, *, corpus: Path | str | None = None) -> pd.DataFrame:
    """Every gold or found (clause, days) storage duration with its outcome.

    Only notices whose annotation records carry ``retention_days`` (on at least
    one clause) are scored; within them a clause without the key counts as
    stating no duration. Days are compared rounded to two decimals.

    Returns
    -------
    DataFrame
        ``doc_id, clause_id, days, outcome`` (``tp``, ``fp``, ``fn``) and the found
        span's ``raw`` words.

    Examples
    --------
    >>> retention_outcomes(BUNDLED_ANNOTATIONS).columns.tolist()
    ['doc_id', 'clause_id', 'days', 'raw', 'outcome']
    """
    from .retention import retention_spans

    clauses, documents = gold_clauses(annotations, corpus=corpus)
    columns = ["doc_id", "clause_id", "days", "raw", "outcome"]
    has = clauses["retention_days"].map(lambda v: isinstance(v, list))
    docs = set(clauses.loc[has, "doc_id"])
    if not docs:
        return pd.DataFrame(columns=columns)
    scored = clauses[clauses["doc_id"].isin(docs) & clauses["annotated"]]
    gold = pd.DataFrame(
        [(d, c, round(float(x), 2)) for d, c, days in zip(scored["doc_id"], scored["clause_id"], scored["retention_days"])
         for x in (days if isinstance(days, list) else [])],
        columns=["doc_id", "clause_id", "days"]).drop_duplicates()
    spans = retention_spans(documents[documents["doc_id"].isin(docs)], clauses[clauses["doc_id"].isin(docs)])
    spans = spans[(spans["kind"].astype(str) == "duration") & spans["clause_id"].astype(str).isin(set(scored["clause_id"]))]
    found = pd.DataFrame({"doc_id": spans["doc_id"].astype(str), "clause_id": spans["clause_id"].astype(str),
                          "days": spans["days"].astype(float).round(2), "raw": spans["raw"].astype(str)})
    found = found.drop_duplicates(["clause_id", "days"])
    merged = gold.merge(found, on=["doc_id", "clause_id", "days"], how="outer", indicator=True)
    merged["outcome"] = merged["_merge"].map({"both": "tp", "left_only": "fn", "right_only": "fp"}).astype(str)
    return merged[columns].sort_values(["clause_id", "days"], kind="stable").reset_index(drop=True)


def retention_scores(rows: pd.DataFrame) -> dict:
    """Precision, recall, F1 and counts of :func:`retention_outcomes` rows.

    >>> retention_scores(pd.DataFrame({"outcome": ["tp", "tp", "fn"]}))["f1"]
    0.8
    """
    counts = rows["outcome"].value_counts() if len(rows) else pd.Series(dtype=int)
    tp, fp, fn = (int(counts.get(k, 0)) for k in ("tp", "fp", "fn"))
    p, r, f = scores(tp, fp, fn)
    return {"precision": p, "recall": r, "f1": f, "support": tp + fn, "tp": tp, "fp": fp, "fn": fn}


def coverage_agreement(annotations, *, corpus: Path | str | None = None, method: str = "rules") -> pd.DataFrame:
    """The coverage matrix from gold labels beside the one from a method's labels, cell by cell.

    Parameters
    ----------
    annotations, corpus
        As for :func:`evaluate`.
    method
        One of :data:`METHODS` (the model methods leave each notice out).

    Returns
    -------
    DataFrame
        ``doc_id, item, gold, predicted, agree``: whether the item is covered
        by the gold labels, by the method's labels, and whether they agree.

    Examples
    --------
    >>> cells = coverage_agreement(BUNDLED_ANNOTATIONS / "digdir.jsonl")
    >>> bool(cells["agree"].mean() > 0.8), sorted(cells.columns)
    (True, ['agree', 'doc_id', 'gold', 'item', 'predicted'])
    """
    from .coverage import coverage_table

    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from {METHODS}")
    clauses, documents = gold_clauses(annotations, corpus=corpus)
    predicted = _predictions(clauses, documents, [method], {})[method]
    evaluated = clauses[clauses["annotated"]]
    gold = pd.DataFrame(
        [(cid, d, dim, lab, 1.0) for d, cid, *lists in zip(evaluated["doc_id"], evaluated["clause_id"], *(evaluated[x] for x in DIMENSIONS))
         for dim, labs in zip(DIMENSIONS, lists) for lab in labs],
        columns=["clause_id", "doc_id", "dimension", "label", "score"])
    predicted = predicted[predicted["clause_id"].astype(str).isin(set(evaluated["clause_id"]))]
    a = coverage_table(gold, documents)[["doc_id", "item", "covered"]].rename(columns={"covered": "gold"})
    b = coverage_table(predicted, documents, clauses=clauses)[["doc_id", "item", "covered"]].rename(columns={"covered": "predicted"})
    out = a.merge(b, on=["doc_id", "item"])
    out["item"] = out["item"].astype(str)
    out["agree"] = out["gold"] == out["predicted"]
    return out


def format_table(result: pd.DataFrame) -> str:
    """A compact text table: micro and macro per method and dimension, then per label.

    >>> print(format_table(score_outcomes(pd.DataFrame({"method": "rules", "dimension": "right",
    ...     "clause_id": ["a"], "label": ["access"], "outcome": ["tp"]}))).splitlines()[0])
    method dimension label precision recall    f1  support
    """
    cols = ["method", "dimension", "label", "precision", "recall", "f1", "support"]
    if "doc_id" in result.columns:
        cols = ["doc_id"] + cols
    summary = result[result["label"].isin(["micro", "macro"])][cols]
    per_label = result[~result["label"].isin(["micro", "macro"])][cols]
    fmt = {c: (lambda v: "" if pd.isna(v) else f"{v:.3f}") for c in ("precision", "recall", "f1")}
    parts = [summary.to_string(index=False, formatters=fmt)]
    if len(per_label):
        parts.append("")
        parts.append(per_label.to_string(index=False, formatters=fmt))
    return "\n".join(parts)


@click.command("evaluate")
@click.argument("annotations", type=click.Path(exists=True, path_type=Path))
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Corpus folder the annotations describe (default: the bundled corpus).")
@click.option("--by-document", is_flag=True, help="Scores per notice as well.")
@click.option("--methods", default=",".join(DEFAULT_METHODS), show_default=True,
              help="Comma-separated methods: rules, model, combined, stacked, rules+stacked (the learned ones leave each notice out).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the full table to this CSV file.")
def evaluate_command(annotations: Path, corpus: Path | None, by_document: bool, methods: str, out: Path | None) -> None:
    """Score the taggers against the gold ANNOTATIONS (a .jsonl file or a folder of them)."""
    from .annotations import AnnotationError, annotation_files

    if not annotation_files(annotations):
        raise click.ClickException(f"no .jsonl annotation files in {annotations}: pass a folder of annotations or one .jsonl file")

    chosen = [m.strip() for m in methods.split(",") if m.strip()]
    unknown = [m for m in chosen if m not in METHODS]
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {', '.join(METHODS)}; got {methods!r}", param_hint="--methods")
    try:
        result = evaluate(annotations, corpus=corpus, by_document=by_document, methods=chosen)
    except (AnnotationError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(format_table(result))
    try:
        cells = coverage_agreement(annotations, corpus=corpus, method=chosen[0])
        durations = retention_scores(retention_outcomes(annotations, corpus=corpus))
    except (AnnotationError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("")
    click.echo(f"coverage cells agreeing with the gold ({chosen[0]}): {int(cells['agree'].sum())} of {len(cells)}"
               f" ({cells['agree'].mean():.3f})" if len(cells) else "coverage cells: none")
    if durations["support"] or durations["fp"]:
        click.echo(f"retention durations: precision {durations['precision']:.3f} recall {durations['recall']:.3f} "
                   f"F1 {durations['f1']:.3f} (gold {durations['support']})")
    else:
        click.echo("retention durations: no annotation carries retention_days")
    if out is not None:
        result.to_csv(out, index=False)
        click.echo(f"wrote {len(result)} rows to {out}", err=True)


def _micro(predicted: pd.DataFrame, gold: set, clause_ids: set) -> dict[str, float]:
    pred = predicted[predicted["clause_id"].astype(str).isin(clause_ids)]
    found = set(zip(pred["clause_id"].astype(str), pred["dimension"].astype(str), pred["label"].astype(str)))
    out = {}
    for d in DIMENSIONS:
        p = {x for x in found if x[1] == d}
        g = {x for x in gold if x[1] == d and x[0] in clause_ids}
        out[d] = scores(len(p & g), len(p - g), len(g - p))[2]
    return out


def learning_curve(annotations=BUNDLED_ANNOTATIONS, *, corpus: Path | str | None = None,
                   sizes: Sequence[int] = (2, 5, 10, 15, 20), repeats: int = 2, seed: int = 0,
                   test=None, text_model: bool = True) -> pd.DataFrame:
    """Micro-F1 on held-out notices against the number of training notices.

    For each size and repeat, that many annotated notices are drawn at random
    (``seed``) to train on; every other annotated notice is the test set, or,
    with ``test``, the notices of that fixed set (the dev split: training
    notices then never count as test notices). Methods:
    ``stacked`` (:mod:`policylab.stacked` alone, at its threshold), ``rules+stacked``
    (the rules plus what it adds), ``text model`` (:class:`policylab.model.ClauseClassifier`,
    words only; left out with ``text_model=False``) and ``rules`` (no training:
    the same at every size).

    Parameters
    ----------
    test
        ``(annotations, corpus)`` of a fixed test set (e.g. from
        :func:`policylab.splits.split_corpus`), or None.

    Returns
    -------
    DataFrame
        ``n_train, repeat, method, dimension, f1``.

    Examples
    --------
    >>> curve = learning_curve(BUNDLED_ANNOTATIONS, sizes=[3], repeats=1)  # doctest: +SKIP
    """
    from .model import ClauseClassifier
    from .stacked import StackedTagger, apply_model, training_clauses

    sources = [(annotations, corpus)] + ([tuple(test)] if test is not None else [])
    clauses, rules = training_clauses(sources)
    annotated = clauses[clauses["annotated"]]
    gold = {(c, d, lab) for c, *ls in zip(annotated["clause_id"], *(annotated[d] for d in DIMENSIONS))
            for d, labs in zip(DIMENSIONS, ls) for lab in labs}
    if test is not None:
        test_docs = set(gold_clauses(test[0], corpus=test[1])[1]["doc_id"])
    else:
        test_docs = set()
    docs = sorted(set(annotated["doc_id"]) - test_docs)
    rng = np.random.default_rng(seed)
    rows = []
    for n in sizes:
        if n > len(docs) or (test is None and n >= len(docs)):
            continue
        # Every draw of all the training notices is the same draw.
        for r in range(repeats if n < len(docs) else 1):
            train_docs = set(rng.choice(docs, size=n, replace=False))
            held = clauses["doc_id"].isin(test_docs) if test is not None else ~clauses["doc_id"].isin(train_docs)
            test_clauses = clauses[held]
            test_ids = set(annotated.loc[annotated["doc_id"].isin(set(test_clauses["doc_id"])), "clause_id"])
            train = annotated[annotated["doc_id"].isin(train_docs)]
            test_rules = rules[rules["doc_id"].isin(set(test_clauses["doc_id"]))]
            model = StackedTagger().fit(train, rules[rules["doc_id"].isin(train_docs)])
            predictions = {
                "rules": test_rules,
                "stacked": apply_model(model, test_clauses, test_rules, how="model"),
                "rules+stacked": apply_model(model, test_clauses, test_rules, how="combined"),
            }
            if text_model:
                text = [ClauseClassifier(dimension=d).fit(train).predict_labels(test_clauses) for d in DIMENSIONS]
                predictions["text model"] = pd.concat([t for t in text if len(t)] or [rules.iloc[:0]], ignore_index=True)
            for method, predicted in predictions.items():
                for d, f in _micro(predicted, gold, test_ids).items():
                    rows.append((n, r, method, d, f))
    return pd.DataFrame(rows, columns=["n_train", "repeat", "method", "dimension", "f1"])


def error_analysis(annotations=BUNDLED_ANNOTATIONS, *, corpus: Path | str | None = None,
                   methods: Sequence[str] = ("rules",)) -> pd.DataFrame:
    """:func:`outcomes` with each clause's ``language`` and ``kind``, for reading errors by group.

    Examples
    --------
    >>> rows = error_analysis(BUNDLED_ANNOTATIONS / "digdir.jsonl")
    >>> sorted(rows["language"].unique()), "kind" in rows
    (['nn'], True)
    """
    rows = outcomes(annotations, corpus=corpus, methods=methods)
    clauses, documents = gold_clauses(annotations, corpus=corpus)
    kind = dict(zip(clauses["clause_id"], clauses["kind"].astype(str)))
    language = dict(zip(documents["doc_id"], documents["language"].fillna("").astype(str)))
    return rows.assign(kind=rows["clause_id"].map(kind), language=rows["doc_id"].map(language))


class _CallableModule(__import__("types").ModuleType):
    """Calling ``policylab.evaluate`` calls :func:`evaluate`: the package exports this
    module under that name, so ``policylab.evaluate.outcomes`` works as well."""

    def __call__(self, *args, **kwargs):
        return evaluate(*args, **kwargs)


__import__("sys").modules[__name__].__class__ = _CallableModule

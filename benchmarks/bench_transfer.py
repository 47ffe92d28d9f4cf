"""OPP-115 transfer: leave-one-notice-out micro-F1 on annotated English notices, without / with OPP-115.

Usage::

    python benchmarks/bench_transfer.py ANNOTATION_DIR [ANNOTATION_DIR ...] \\
        [--metadata data/extended/metadata-nnen.csv] [--opp115 PATH] [--json OUT.json]

Only English notices of split train/dev are read (a test notice is refused). Prints one
row per (dimension, setting), plus the shipped ClauseClassifier (Norwegian stemmer)
trained on the English notices alone, as the reference the English analyser replaces.
"""

from __future__ import annotations

import argparse
import json
import time

import pandas as pd

from policylab.annotations import DIMENSIONS, LABELS
from policylab.benchmark.transfer import _micro, english_notices, transfer_effect
from policylab.datasets import load_opp115
from policylab.model import ClauseClassifier


def clause_classifier_loo(notices: pd.DataFrame) -> list[dict]:
    rows = []
    for dim in DIMENSIONS:
        t0 = time.perf_counter()
        gold = [list(v) for v in notices[dim]]
        pred = [[] for _ in gold]
        for doc in dict.fromkeys(notices["doc_id"]):
            test = (notices["doc_id"] == doc).to_numpy()
            try:
                model = ClauseClassifier(dim).fit(notices[~test], [g for g, k in zip(gold, test) if not k])
            except ValueError:
                continue
            got = model.predict_labels(notices[test])
            by = got.groupby("clause_id")["label"].agg(list).to_dict()
            for i in test.nonzero()[0]:
                pred[i] = by.get(notices["clause_id"].iloc[i], [])
        rows.append({"dimension": dim, "setting": "ClauseClassifier (Norwegian stemmer), without", **_micro(gold, pred, LABELS[dim]),
                     "n_notices": notices["doc_id"].nunique(), "n_clauses": len(notices), "n_opp115": 0,
                     "seconds": round(time.perf_counter() - t0, 1)})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--metadata", default="data/extended/metadata-nnen.csv")
    ap.add_argument("--opp115", default=None)
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    notices = english_notices(a.folders, a.metadata)
    print(f"{notices['doc_id'].nunique()} English notices, {len(notices)} clauses: {', '.join(dict.fromkeys(notices['doc_id']))}")
    t0 = time.perf_counter()
    table = pd.concat([transfer_effect(notices, load_opp115(a.opp115)), pd.DataFrame(clause_classifier_loo(notices))], ignore_index=True)
    print(table.drop(columns=["transfer_weight"]).to_string(index=False))
    print(f"{time.perf_counter() - t0:.0f} s")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"notices": sorted(set(notices["doc_id"])), "rows": table.to_dict(orient="records")}, f, indent=2)


if __name__ == "__main__":
    main()

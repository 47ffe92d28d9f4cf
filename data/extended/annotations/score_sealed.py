"""Score policylab's default build on the sealed test notices, once per release.

Builds the test split of ``data/extended`` (``policylab.splits.split_corpus("test",
sealed=True)``) exactly as a user's ``policylab.build(folder)`` would (rules, the
packaged model for confidence), scores it against the adjudicated gold
(``gold/``) with ``policylab.agreement.score_tables(..., by="language")`` and
puts each figure beside the agreement of the two annotators on the same clauses
(``agreement.csv``, made by ``adjudicate.py``). Writes ``sealed_scores.csv``.

    python data/extended/annotations/score_sealed.py

Run it when a release is cut, not while tuning: every look at these figures
spends some of the test set's independence. ``sealed_scores.csv`` keeps one
scoring per release (column ``release``, ``policylab.__version__``): the script
refuses to score a release that already has rows, so a second look at the same
release cannot silently replace the first.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

import policylab
from policylab.agreement import score_tables
from policylab.splits import split_corpus

HERE = Path(__file__).resolve().parent


def main() -> None:
    release = policylab.__version__
    path = HERE / "sealed_scores.csv"
    earlier = pd.read_csv(path, dtype={"release": str}) if path.exists() else pd.DataFrame(columns=["release"])
    if (earlier["release"] == release).any():
        raise SystemExit(f"{path.name} already holds the sealed scores of release {release}: "
                         "the test set is scored once per release (bump the version to score again)")
    warnings.simplefilter("ignore", policylab.PolicylabWarning)
    _, corpus = split_corpus("test", sealed=True)
    tables = policylab.build(corpus, progress=False)
    scores = score_tables(HERE / "gold", tables, by="language")
    agreement = pd.read_csv(HERE / "agreement.csv")
    scope = "scope" if "scope" in agreement.columns else agreement.columns[0]
    ceiling = agreement.rename(columns={scope: "language"})[["language", "dimension", "f1", "agreement"]]
    out = scores.merge(ceiling, on=["language", "dimension"], how="left", suffixes=("", "_annotators"))
    notices = tables.documents.groupby("language").size().to_dict()
    out.insert(1, "notices", out["language"].map(lambda lang: len(tables.documents) if lang == "all" else notices.get(lang, 0)))
    out.insert(0, "release", release)
    out = pd.concat([earlier, out], ignore_index=True) if len(earlier) else out
    tmp = path.with_suffix(".tmp")
    out.to_csv(tmp, index=False, float_format="%.3f")
    tmp.replace(path)
    out = out[out["release"] == release]
    cols = ["language", "notices", "dimension", "n_clauses", "precision", "recall", "f1", "agreement", "f1_annotators", "agreement_annotators"]
    print(out[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}"))


if __name__ == "__main__":
    main()

"""Synthetic corpora made from the bundled notices, for benchmarks.

Each synthetic notice takes the sections of one bundled notice (a heading and
the blocks under it), shuffles their order, may borrow a section from another
notice, and perturbs every number, so no two notices are byte-identical and no
cache can cheat. ``metadata.csv`` is written too.

    python benchmarks/synth.py OUT_DIR N [--seed 0]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import warnings
from pathlib import Path

import policylab

_NUMBER = re.compile(r"\d+")


def _sections(text: str, clauses) -> list[str]:
    """The notice cut at its top-level headings, each piece with its body."""
    cuts = sorted(set(clauses.loc[(clauses.kind == "heading") & (clauses.level.fillna(9) <= 1), "start"].tolist()) | {0})
    cuts.append(len(text))
    return [text[a:b].strip("\n") for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


def make_corpus(out: Path | str, n: int, *, seed: int = 0) -> Path:
    """Write ``n`` synthetic notices into ``out`` and return the folder."""
    rng = random.Random(seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = policylab.build(progress=False)
    # Only the segmentation is needed here: the clauses table of the build.
    pools = []
    for doc in t.documents.itertuples():
        pools.append((doc, _sections(doc.text, t.clauses[t.clauses.doc_id == doc.doc_id])))
    rows = []
    for i in range(n):
        doc, sections = pools[i % len(pools)]
        body = sections[1:] if len(sections) > 1 else sections
        body = body[:]
        rng.shuffle(body)
        if rng.random() < 0.3:
            _, other = rng.choice(pools)
            body.insert(rng.randrange(len(body) + 1), rng.choice(other))
        text = "\n\n".join(sections[:1] + body) + "\n"
        text = _NUMBER.sub(lambda m: str(max(1, int(m.group()) + rng.randint(-2, 2))), text)
        doc_id = f"syn{i:06d}"
        (out / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        rows.append({"doc_id": doc_id, "file": f"{doc_id}.txt", "company": f"{doc.company} #{i}",
                     "sector": doc.sector, "nace_section": doc.nace_section, "language": doc.language})
    with open(out / "metadata.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(make_corpus(args.out, args.n, seed=args.seed))

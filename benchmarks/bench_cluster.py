"""Benchmark: near duplicates and clustering on 10,000 and 100,000 synthetic clauses.

Clauses are sampled from the bundled corpus's paragraphs, list items and table
rows and perturbed so that no two are alike and no cache can cheat: the words of
every sentence are shuffled, each number is replaced by a random one, and a
random share of the words (0-60 %, drawn per clause) is replaced by words drawn
from the corpus vocabulary. About 160 perturbed copies of each clause per
100,000 means many true near duplicates: a stress test for the candidate step.
Synthetic notices hold 30 clauses each.

The clauses of each size are made once and kept under benchmarks/_work. Each
(size, function) runs in a fresh process, which prints wall time, peak memory
(max RSS of the process, data included) and that peak minus the RSS before the
call ("call MB"): what the call itself needed.

    python benchmarks/bench_cluster.py [--sizes 10000 100000] [--minhash]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"

_MAKE = r"""
import random, re, sys, warnings
import pandas as pd
import policylab
from policylab import cluster
from policylab.tokenize import sentences, words

n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
warnings.simplefilter("ignore")
base = policylab.build(progress=False).clauses
base = base[base.kind.isin(cluster.DEFAULT_KINDS) & (base.n_words >= 3)]
rng = random.Random(seed)
vocabulary = sorted({w for t in base.text for w in words(t)})
number = re.compile(r"\d+")
texts, kinds = base.text.tolist(), base.kind.tolist()
rows = []
for k in range(n):
    pick = rng.randrange(len(texts))
    share = rng.uniform(0.0, 0.6)
    parts = []
    for sentence in sentences(texts[pick]):
        tokens = sentence.split()
        rng.shuffle(tokens)
        tokens = [rng.choice(vocabulary) if rng.random() < share else t for t in tokens]
        parts.append(number.sub(lambda m: str(rng.randrange(10 ** len(m.group()))), " ".join(tokens)))
    text = " ".join(parts)
    doc = f"n{k // 30:05d}"
    rows.append((f"{doc}:{k % 30:04d}", doc, kinds[pick], text, len(words(text))))
pd.DataFrame(rows, columns=["clause_id", "doc_id", "kind", "text", "n_words"]).to_parquet(out, index=False)
"""

_RUNNER = r"""
import json, resource, sys, time
import pandas as pd
from policylab import cluster

path, task = sys.argv[1], sys.argv[2]
clauses = pd.read_parquet(path)
before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
if task == "near_duplicates":
    result = cluster.near_duplicates(clauses, progress=False)
    extra = {"pairs": len(result), "contained": int((result.match == "contained").sum())}
elif task == "near_duplicates_minhash":
    result = cluster.near_duplicates(clauses, method="minhash", containment_threshold=None, progress=False)
    extra = {"pairs": len(result)}
else:
    model = cluster.ClauseClusterer(random_state=0, progress=False).fit(clauses)
    extra = {"clusters": model.n_clusters_, "noise": int((model.labels_ == -1).sum()), "method": model.method_}
seconds = time.perf_counter() - t0
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "before_mb": before_mb, **extra}))
"""


def _clauses(n: int, seed: int) -> Path:
    """The synthetic clauses of one size, made once under benchmarks/_work."""
    path = WORK / f"clauses_{n}_{seed}.parquet"
    if not path.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-c", _MAKE, str(n), str(seed), str(path)], check=True)
    return path


def _run(path: Path, task: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _RUNNER, str(path), task], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--minhash", action="store_true", help="also time method='minhash'")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    tasks = ["near_duplicates", "cluster_clauses"] + (["near_duplicates_minhash"] if args.minhash else [])
    print(f"{'clauses':>8}  {'task':<24} {'seconds':>8} {'peak MB':>8} {'call MB':>8}  result")
    for n in args.sizes:
        path = _clauses(n, args.seed)
        for task in tasks:
            r = _run(path, task)
            result = {k: v for k, v in r.items() if k not in ("seconds", "peak_mb", "before_mb")}
            print(
                f"{n:>8}  {task:<24} {r['seconds']:>8.1f} {r['peak_mb']:>8.0f} {r['peak_mb'] - r['before_mb']:>8.0f}  {result}",
                flush=True,
            )


if __name__ == "__main__":
    main()

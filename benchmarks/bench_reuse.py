"""Benchmark: text reuse on 1,000 and 10,000 synthetic notices.

The notices come from ``benchmarks/synth.py`` (the bundled notices with their
sections shuffled, a section borrowed from another notice in 30 % of them,
numbers perturbed): every notice shares most of its text with about N / 21
others, a hard case for the candidate step (a dense all-pairs method would
compare N^2 / 2 pairs and find ~N^2 / 42 of them related).

Each corpus is made and segmented once (kept under benchmarks/_work). Each
(size, engine) runs in a fresh process, which prints the wall time of
``text_reuse``, the time of a baseline in the same process (tokenising the
corpus into words, the least any method must do), their ratio, peak memory
(max RSS) and that peak minus the RSS before the call, and the number of
passages and notice pairs found; also the CPU time of the call (user +
system, all threads), which other jobs on a shared machine do not inflate as
they do the wall time. Last, the growth of time and memory from the
smallest to the largest size (the brief's bound: at most 12x for 10x notices).

    python benchmarks/bench_reuse.py [--sizes 1000 10000] [--engines serial dask]
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
import sys, warnings
from pathlib import Path
import pandas as pd
sys.path.insert(0, sys.argv[3])
from synth import make_corpus
from policylab.segment import segment_documents
n, out = int(sys.argv[1]), Path(sys.argv[2])
warnings.simplefilter("ignore")
folder = make_corpus(out / f"reuse_corpus_{n}", n, seed=0)
meta = pd.read_csv(folder / "metadata.csv")
meta["text"] = [(folder / f).read_text(encoding="utf-8") for f in meta["file"]]
documents = meta[["doc_id", "text"]]
clauses = segment_documents(documents)
documents.to_parquet(out / f"reuse_documents_{n}.parquet", index=False)
clauses[["clause_id", "doc_id", "kind", "start", "end", "text"]].to_parquet(out / f"reuse_clauses_{n}.parquet", index=False)
"""

_RUNNER = r"""
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (10 * 2**30, 10 * 2**30))  # fail alone rather than starve a shared machine
import pandas as pd
from policylab.compare.reuse import REUSE_KINDS, text_reuse
from policylab.compare.words import corpus_words

n, engine, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
documents = pd.read_parquet(f"{work}/reuse_documents_{n}.parquet")
clauses = pd.read_parquet(f"{work}/reuse_clauses_{n}.parquet")
t0 = time.perf_counter()
corpus_words(clauses, documents=documents, include_kinds=REUSE_KINDS, stems=True)  # as text_reuse tokenises
baseline = time.perf_counter() - t0
before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0, c0 = time.perf_counter(), time.process_time()
kwargs = {"engine": "dask", "scheduler": "threads"} if engine == "dask" else {}
result = text_reuse(clauses, documents=documents, progress=False, **kwargs)
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"n": n, "engine": engine, "seconds": seconds, "cpu": cpu, "baseline": baseline, "peak_mb": peak_mb,
                  "call_mb": peak_mb - before_mb, "passages": len(result),
                  "pairs": int(result[["doc_a", "doc_b"]].drop_duplicates().shape[0]),
                  "words": int(clauses.text.str.split().str.len().sum())}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--engines", nargs="+", default=["serial"])
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    for n in args.sizes:
        if not (WORK / f"reuse_clauses_{n}.parquet").exists():
            subprocess.run([sys.executable, "-c", _MAKE, str(n), str(WORK), str(HERE)], check=True)
    results = {}
    for engine in args.engines:
        for n in args.sizes:
            out = subprocess.run([sys.executable, "-c", _RUNNER, str(n), engine, str(WORK)],
                                 check=True, capture_output=True, text=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            results[(engine, n)] = r
            print(f"{engine:6s} {n:>6,} notices ({r['words']:,} words): {r['seconds']:7.1f} s (CPU {r['cpu']:.1f} s) "
                  f"(tokenising alone {r['baseline']:.1f} s, ratio {r['seconds'] / r['baseline']:.1f}x), "
                  f"peak {r['peak_mb']:,.0f} MB (call {r['call_mb']:,.0f} MB), "
                  f"{r['passages']:,} passages between {r['pairs']:,} pairs of notices", flush=True)
        sizes = sorted(n for e, n in results if e == engine)
        if len(sizes) > 1:
            lo, hi = results[(engine, sizes[0])], results[(engine, sizes[-1])]
            print(f"{engine:6s} growth {sizes[0]:,} -> {sizes[-1]:,} notices: time x{hi['seconds'] / lo['seconds']:.1f} "
                  f"(CPU time x{hi['cpu'] / lo['cpu']:.1f}), "
                  f"call memory x{max(hi['call_mb'], 1) / max(lo['call_mb'], 1):.1f}, "
                  f"pairs x{hi['pairs'] / max(lo['pairs'], 1):.1f} (notices x{sizes[-1] / sizes[0]:.0f})")


if __name__ == "__main__":
    main()

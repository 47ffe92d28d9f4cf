"""Benchmark: retention spans and readability on 100, 1,000 and 10,000 notices.

For each size it prints the seconds, notices per second and MB of text per
second of ``retention_spans(documents, clauses)`` and of ``readability_table``
at document and section level, and the rows they return. Reading and
segmenting are done first and not timed. Each size runs in a fresh process, so
the lexicon compilation and the hyphenation cache start cold. Corpora are the
synthetic ones of ``synth.py`` under benchmarks/_work (shared with
bench_build.py).

    python benchmarks/bench_retention_readability.py [--sizes 100 1000 10000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"

_RUNNER = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
from policylab.corpus import read_corpus
from policylab.segment import segment_documents
from policylab.retention import retention_spans
from policylab.readability import readability_table
docs, _ = read_corpus(sys.argv[1], progress=False)
clauses = segment_documents(docs)
out = {"notices": len(docs), "clauses": len(clauses), "mb": docs["text"].str.len().sum() / 1e6}
t0 = time.perf_counter(); ret = retention_spans(docs, clauses); out["retention_s"] = time.perf_counter() - t0
out["retention_rows"] = len(ret)
t0 = time.perf_counter(); rd = readability_table(docs, clauses); out["readability_doc_s"] = time.perf_counter() - t0
t0 = time.perf_counter(); rs = readability_table(docs, clauses, level="section"); out["readability_section_s"] = time.perf_counter() - t0
out["section_rows"] = len(rs)
print(json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from synth import make_corpus

    print(f"{'notices':>8} {'clauses':>8} {'MB':>6} | {'retention s':>11} {'notices/s':>9} {'MB/s':>6} {'rows':>7} |"
          f" {'readab. doc s':>13} {'notices/s':>9} | {'section s':>9} {'rows':>7}")
    for n in args.sizes:
        folder = WORK / f"corpus_{n}"
        if not (folder / "metadata.csv").exists():
            make_corpus(folder, n, seed=n)
        run = subprocess.run([sys.executable, "-c", _RUNNER, str(folder)], check=True, capture_output=True, text=True)
        r = json.loads(run.stdout.strip().splitlines()[-1])
        print(
            f"{r['notices']:>8} {r['clauses']:>8} {r['mb']:>6.1f} | {r['retention_s']:>11.2f} "
            f"{r['notices'] / r['retention_s']:>9.0f} {r['mb'] / r['retention_s']:>6.2f} {r['retention_rows']:>7} |"
            f" {r['readability_doc_s']:>13.2f} {r['notices'] / r['readability_doc_s']:>9.0f} |"
            f" {r['readability_section_s']:>9.2f} {r['section_rows']:>7}",
            flush=True,
        )


if __name__ == "__main__":
    main()

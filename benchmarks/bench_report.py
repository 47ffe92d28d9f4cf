"""Benchmark: the report at 50 and 500 synthetic notices, its size and its time.

The corpora come from ``benchmarks/synth.py`` (the bundled notices with their
sections shuffled, a section borrowed in 30 % of them, numbers perturbed), kept
under ``benchmarks/_work``. For each size the corpus is built once (the
baseline, in the same process) and the report written; printed per size: build
time, report time and their ratio, the report's size in total and by part
(pages, figures, CSV tables, static files), the largest file, and bytes per
notice. Last, the growth from the smallest to the largest size (linear:
bytes per notice stay about the same) and the check against the 10 MB bound at
500 notices.

    python benchmarks/bench_report.py [--sizes 50 500] [--clusters]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
sys.path.insert(0, str(HERE))

import matplotlib

matplotlib.use("Agg")


def _size(folder: Path, pattern: str = "*") -> int:
    return sum(p.stat().st_size for p in folder.rglob(pattern) if p.is_file())


def run(n: int, *, clusters: bool) -> dict:
    from synth import make_corpus

    import policylab
    from policylab.report import write_report

    corpus = WORK / f"report_corpus_{n}"
    if not (corpus / "metadata.csv").is_file():
        make_corpus(corpus, n, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        tables = policylab.build(corpus, progress=False)
        built = time.perf_counter() - start
        out = WORK / f"report_{n}"
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        write_report(tables, out, progress=False, clusters=clusters)
        reported = time.perf_counter() - start
    files = [p for p in out.rglob("*") if p.is_file()]
    largest = max(files, key=lambda p: p.stat().st_size)
    return {
        "n": n, "build_s": built, "report_s": reported, "total": _size(out),
        "pages": _size(out, "*.html"), "figures": _size(out / "figures"), "tables": _size(out / "csv"),
        "static": _size(out / "static"), "largest": (largest.relative_to(out), largest.stat().st_size),
        "files": len(files),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500])
    parser.add_argument("--clusters", action="store_true", help="also cluster clauses (the cluster figure)")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    rows = []
    mb = 1024 * 1024
    for n in args.sizes:
        r = run(n, clusters=args.clusters)
        rows.append(r)
        print(f"{n:>6} notices: build {r['build_s']:6.1f} s (baseline), report {r['report_s']:6.1f} s "
              f"({r['report_s'] / r['build_s']:.2f}x the build); size {r['total'] / mb:6.2f} MB in {r['files']} files "
              f"(pages {r['pages'] / mb:.2f}, figures {r['figures'] / mb:.2f}, csv {r['tables'] / mb:.2f}, "
              f"static {r['static'] / mb:.3f}); {r['total'] / n / 1024:.1f} KB per notice; largest file "
              f"{r['largest'][0]} {r['largest'][1] / 1024:.0f} KB", flush=True)
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        print(f"growth {a['n']} -> {b['n']} notices (x{b['n'] / a['n']:.0f}): size x{b['total'] / a['total']:.1f}, "
              f"pages x{b['pages'] / a['pages']:.1f}, report time x{b['report_s'] / a['report_s']:.1f}, "
              f"build time x{b['build_s'] / a['build_s']:.1f}")
    for r in rows:
        if r["n"] >= 500:
            print(f"{r['n']} notices: {r['total'] / mb:.2f} MB {'<' if r['total'] < 10 * mb else '>='} 10 MB")


if __name__ == "__main__":
    main()

"""Benchmark: building the tables of 100, 1,000 and 10,000 synthetic notices.

For each size it prints wall time, notices per second, MB of text per second and
peak memory (max RSS of a fresh process) of ``policylab.build``, the time of a
bare pass that only reads the files and splits them into paragraphs and words
(best of three runs), and the ratio of the two. Corpora are generated once under benchmarks/_work.

    python benchmarks/bench_build.py [--sizes 100 1000 10000] [--jobs 1]
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
import json, resource, sys, time, warnings
from pathlib import Path
folder, mode, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == "bare":
    from policylab.tokenize import WORD_RE
    t0 = time.perf_counter()
    n_par = n_words = n_bytes = 0
    for path in sorted(Path(folder).glob("*.txt")):
        data = path.read_bytes()
        n_bytes += len(data)
        text = data.decode("utf-8")
        for paragraph in text.split("\n\n"):
            n_par += 1
            n_words += len(WORD_RE.findall(paragraph))
    seconds = time.perf_counter() - t0
    extra = {"paragraphs": n_par, "words": n_words, "bytes": n_bytes}
else:
    import policylab
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    t = policylab.build(folder, jobs=jobs, progress=False)
    seconds = time.perf_counter() - t0
    extra = {name: len(getattr(t, name)) for name in policylab.TABLE_NAMES}
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
# With jobs > 1 the workers are children: the largest of them, beside the main process.
worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "worker_mb": worker_mb, **extra}))
"""


def _run(folder: Path, mode: str, jobs: int) -> dict:
    out = subprocess.run([sys.executable, "-c", _RUNNER, str(folder), mode, str(jobs)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from synth import make_corpus

    print(f"jobs={args.jobs}; peak MB: the main process (and, with jobs > 1, the largest worker)")
    print(f"{'notices':>8} {'MB':>7} {'build s':>8} {'notices/s':>10} {'MB/s':>7} {'peak MB':>12} {'bare s':>7} {'ratio':>6}  rows")
    previous = None
    for n in args.sizes:
        folder = WORK / f"corpus_{n}"
        if not (folder / "metadata.csv").exists():
            make_corpus(folder, n, seed=n)
        # The bare pass takes seconds and varies with the page cache: its best of three,
        # so the ratio errs on the build's side.
        bare = min((_run(folder, "bare", 1) for _ in range(3)), key=lambda r: r["seconds"])
        full = _run(folder, "build", args.jobs)
        mb = bare["bytes"] / 1e6
        rows = ", ".join(f"{k}={v}" for k, v in full.items() if k not in ("seconds", "peak_mb", "worker_mb"))
        peak = f"{full['peak_mb']:.0f}" + (f" ({full['worker_mb']:.0f})" if args.jobs > 1 else "")
        print(
            f"{n:>8} {mb:>7.1f} {full['seconds']:>8.1f} {n / full['seconds']:>10.1f} {mb / full['seconds']:>7.2f} "
            f"{peak:>12} {bare['seconds']:>7.2f} {full['seconds'] / bare['seconds']:>6.1f}  {rows}",
            flush=True,
        )
        if previous:
            pn, ps = previous
            print(f"{'':>8} growth x{n / pn:.0f} notices -> x{full['seconds'] / ps:.1f} time")
        previous = (n, full["seconds"])


if __name__ == "__main__":
    main()

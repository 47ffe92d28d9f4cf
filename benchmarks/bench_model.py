"""Benchmark: build time per notice with the learned model against a rules-only build.

Both builds run in this process on the same corpus (synthetic notices from
``synth.py``, and the bundled corpus), alternating, best of ``--repeat`` runs each;
the ratio must stay within 1.5 (issue #17).

    python benchmarks/bench_model.py [--sizes 300] [--repeat 3] [--no-hyperscan]

``--no-hyperscan`` runs both builds as on a machine without the ``fast`` extra.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"


def best(corpus, model, repeat: int) -> float:
    import policylab

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        policylab.build(corpus, progress=False, model=model)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-hyperscan", action="store_true", help="build as if hyperscan were not installed")
    args = parser.parse_args()
    if args.no_hyperscan:
        sys.modules["hyperscan"] = None  # import hyperscan now raises ImportError
    sys.path.insert(0, str(HERE))
    warnings.simplefilter("ignore")
    import policylab
    from synth import make_corpus

    corpora = [("bundled (21)", None, len(policylab.build(progress=False, model=None).documents))]
    for n in args.sizes:
        folder = WORK / f"corpus_{n}"
        if not (folder / "metadata.csv").exists():
            make_corpus(folder, n, seed=n)
        corpora.append((f"synthetic ({n})", folder, n))
    policylab.build(progress=False, model="default")  # load the model and compile the lexicons once
    print("hyperscan:", "off" if args.no_hyperscan else "as installed")
    print(f"{'corpus':>16} {'rules ms/notice':>16} {'model ms/notice':>16} {'ratio':>6}")
    for name, folder, n in corpora:
        rules = best(folder, None, args.repeat)
        model = best(folder, "default", args.repeat)
        print(f"{name:>16} {1000 * rules / n:16.2f} {1000 * model / n:16.2f} {model / rules:6.2f}")


if __name__ == "__main__":
    main()

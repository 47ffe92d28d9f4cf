"""Benchmark: hostile notices against realistic prose of the same size (issue #13).

Each family of hostile text below is generated at three sizes and read and
built as one notice (``corpus.notice_from_bytes`` then ``build.document_parts``:
decoding, HTML to text, segmenting, tagging, storage periods, readability
counts). Realistic prose of the same size, made from the bundled notices (in
shuffled order, every number changed), is built the same way. Each run is a
fresh process, so the peak memory (``ru_maxrss`` less the memory after
imports, lexicons and the generated text) is that run's alone. The time ratio
must stay under 3 at every size (ratios of CPU seconds, which other work on a shared
machine does not move; wall seconds are printed too).

    python benchmarks/bench_hostile.py [--quick] [--sizes 100000 1000000] [--families hard_wrapped ...]

Default sizes are 100 KB, 1 MB and 10 MB of input; ``--quick`` runs 20 KB,
100 KB and 500 KB. The generators are importable (``FAMILIES``, ``prose``):
tests/test_hostile.py runs the small sizes as property tests.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = (100_000, 1_000_000, 10_000_000)
QUICK_SIZES = (20_000, 100_000, 500_000)
MAX_RATIO = 3.0

_NUMBER = re.compile(r"\d+")
_NOTICES: list[str] | None = None


def _notices() -> list[str]:
    global _NOTICES
    if _NOTICES is None:
        from policylab.corpus import BUNDLED_CORPUS

        _NOTICES = [p.read_text("utf-8") for p in sorted(BUNDLED_CORPUS.glob("*.txt"))]
    return _NOTICES


def _fill(n: int, piece: Callable[[int], str], head: str = "", tail: str = "") -> str:
    """``head`` + pieces ``piece(0), piece(1), ...`` + ``tail``, cut to ``n`` characters."""
    out, size, i = [head], len(head), 0
    while size < n:
        p = piece(i)
        out.append(p)
        size += len(p)
        i += 1
    return ("".join(out))[: max(0, n - len(tail))] + tail


def prose(n: int, seed: int = 0) -> str:
    """Realistic notice text of ``n`` characters: the bundled notices in shuffled
    order, every number changed, joined by blank lines."""
    rng = random.Random(seed)
    notices = _notices()

    def piece(i: int) -> str:
        text = rng.choice(notices)
        return _NUMBER.sub(lambda m: str(int(m.group()) + rng.randint(0, 3)), text) + "\n\n"

    return _fill(n, piece)


def spaces_after_cue(n: int, seed: int = 0) -> str:
    """Item 1: storage cues followed by runs of 1,600 spaces."""
    return _fill(n, lambda i: ("Oppbevaring\n\n" if i % 5 == 0 else "")
                 + f"Vi lagrer opplysningene så lenge{' ' * 1600}det er nødvendig, og slettes etter {i % 9 + 1} år.\n\n")


def deep_numbering(n: int, seed: int = 0) -> str:
    """Item 2: one chain of nested numbered headings (1, 1.1, 1.1.1, ...), each over
    a short paragraph; the depth grows with the square root of the size."""
    return _fill(n, lambda i: ".".join(["1"] * (i + 1)) + f" Nivå {i + 1}\n\nVi lagrer opplysningene i {i % 9 + 1} år.\n\n")


def many_headings(n: int, seed: int = 0) -> str:
    """Item 3: a heading over every paragraph of realistic prose (a heading per
    60 characters on average)."""
    blocks = [b.strip() for b in prose(n, seed).split("\n\n") if b.strip()]
    return _fill(n, lambda i: f"Overskrift {i}\n\n{blocks[i % len(blocks)]}\n\n")


def long_sentence(n: int, seed: int = 0) -> str:
    """Item 4: one line, one sentence, a storage period or event every 60 characters."""
    return _fill(n, lambda i: f", lagres i {i % 9 + 1} år og slettes etter {i % 5 + 2} måneder eller så lenge kundeforholdet består",
                 head="Vi lagrer opplysningene", tail=".\n")


def digit_runs(n: int, seed: int = 0) -> str:
    """Item 5: lines of 40,000 digits after a contact cue."""
    rng = random.Random(seed)
    return _fill(n, lambda i: "Telefon: " + "".join(rng.choice("0123456789") for _ in range(40_000)) + "\n\n")


_WORDS = ("vi", "lagrer", "opplysninger", "om", "deg", "og", "dine", "kjøp", "for", "å", "levere", "tjenesten",
          "personopplysninger", "behandles", "etter", "avtalen", "med", "deg", "i", "to", "år", "samt", "eller")


def hard_wrapped(n: int, seed: int = 0) -> str:
    """Item 6: text hard-wrapped at 70 characters without a full stop or blank line."""
    rng = random.Random(seed)

    def line(i: int) -> str:
        words, size = [], 0
        while size < 65:
            w = rng.choice(_WORDS)
            words.append(w)
            size += len(w) + 1
        return " ".join(words) + "\n"

    return _fill(n, line)


def nested_html(n: int, seed: int = 0) -> str:
    """Item 7: HTML blocks nested 1,000 levels deep."""
    block = "<div>" * 1000 + "<p>Vi lagrer navn og e-post i 2 år.</p>" + "</div>" * 1000
    return _fill(n, lambda i: block, head="<html><body>", tail="</body></html>")


def huge_html(n: int, seed: int = 0) -> str:
    """Item 6: realistic prose as HTML (headings, paragraphs, list items)."""
    import html

    blocks = [b.strip() for b in prose(n, seed).split("\n\n") if b.strip()]

    def piece(i: int) -> str:
        b = html.escape(blocks[i % len(blocks)])
        if b.startswith("•"):
            return f"<ul><li>{b[1:].strip()}</li></ul>\n"
        if len(b) < 60 and not b.endswith("."):
            return f"<h2>{b}</h2>\n"
        return f"<p>{b}</p>\n"

    return _fill(n, piece, head="<html><body>", tail="</body></html>")


@dataclass(frozen=True)
class Family:
    make: Callable[[int, int], str]
    suffix: str = ".txt"


FAMILIES: dict[str, Family] = {
    "spaces_after_cue": Family(spaces_after_cue),
    "deep_numbering": Family(deep_numbering),
    "many_headings": Family(many_headings),
    "long_sentence": Family(long_sentence),
    "digit_runs": Family(digit_runs),
    "hard_wrapped": Family(hard_wrapped),
    "nested_html": Family(nested_html, ".html"),
    "huge_html": Family(huge_html, ".html"),
}
BASELINE = Family(prose)


def run_notice(name: str, data: bytes) -> dict:
    """Read and build one notice in this process: seconds and sizes."""
    import time

    from policylab.build import document_parts
    from policylab.corpus import notice_from_bytes

    t0, c0 = time.perf_counter(), time.process_time()
    notice = notice_from_bytes(name, data)
    t1 = time.perf_counter()
    parts = document_parts("x", notice.text, "nb")
    t2, c2 = time.perf_counter(), time.process_time()
    return {"read_s": t1 - t0, "parts_s": t2 - t1, "seconds": t2 - t0, "cpu_seconds": c2 - c0, "chars": len(notice.text),
            "clauses": len(parts["clauses"]["start"]), "labels": len(parts["labels"]), "retention": len(parts["retention"])}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _child(family: str, size: int, seed: int) -> None:
    import resource
    import warnings

    warnings.simplefilter("ignore")
    from policylab.build import document_parts

    document_parts("w", "Oppbevaring\n\nVi lagrer opplysningene i to år.")  # lexicons compiled outside the timing
    fam = BASELINE if family == "prose" else FAMILIES[family]
    data = fam.make(size, seed).encode("utf-8")
    before = _rss_mb()
    out = run_notice(f"notice{fam.suffix}", data)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    out["bytes"] = len(data)
    print(json.dumps(out))


def measure(family: str, size: int, *, seed: int = 0, timeout: float = 900) -> dict:
    """One run in a fresh process (``{"error": ...}`` when it fails or times out)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", family, str(size), str(seed)]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:.0f} s"}
    if run.returncode != 0:
        last = (run.stderr.strip().splitlines() or [f"exit {run.returncode}"])[-1]
        return {"error": last[:60]}
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes 20 KB, 100 KB, 500 KB")
    parser.add_argument("--sizes", type=int, nargs="+")
    parser.add_argument("--families", nargs="+", choices=sorted(FAMILIES))
    parser.add_argument("--timeout", type=float, default=900, help="seconds per run")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]), int(args.child[2]))
        return
    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    families = args.families or list(FAMILIES)
    # Ratios are of CPU seconds (this process's own): on a shared machine the
    # wall time of one run depends on what else runs; wall seconds are shown too.
    print(f"{'family':<17} {'size':>9} | {'wall s':>8} {'cpu s':>8} {'prose':>8} {'ratio':>6} | {'peak MB':>8} {'prose MB':>8} {'ratio':>6} | {'clauses':>8}")
    worst = 0.0
    for size in sizes:
        base = measure("prose", size, timeout=args.timeout)
        if "error" in base:
            print(f"{'(prose)':<17} {size:>9} | FAILED: {base['error']}", flush=True)
            continue
        print(f"{'(prose)':<17} {size:>9} | {base['seconds']:>8.2f} {base['cpu_seconds']:>8.2f} {'':>8} {'':>6} |"
              f" {base['peak_mb']:>8.0f} {'':>8} {'':>6} | {base['clauses']:>8}", flush=True)
        for family in families:
            r = measure(family, size, timeout=args.timeout)
            if "error" in r:
                print(f"{family:<17} {size:>9} | FAILED: {r['error']}", flush=True)
                worst = float("inf")
                continue
            ratio = r["cpu_seconds"] / base["cpu_seconds"]
            mem_ratio = max(r["peak_mb"], 1) / max(base["peak_mb"], 1)
            worst = max(worst, ratio)
            flag = "" if ratio < MAX_RATIO else "  <-- over 3x"
            print(f"{family:<17} {size:>9} | {r['seconds']:>8.2f} {r['cpu_seconds']:>8.2f} {base['cpu_seconds']:>8.2f} {ratio:>6.2f} |"
                  f" {r['peak_mb']:>8.0f} {base['peak_mb']:>8.0f} {mem_ratio:>6.2f} | {r['clauses']:>8}{flag}", flush=True)
    print(f"worst time ratio: {worst:.2f} (must stay under {MAX_RATIO:g})")


if __name__ == "__main__":
    main()

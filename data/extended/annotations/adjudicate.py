"""Blind adjudication of the two annotators' labels on the sealed test notices.

Run from the repository root with the package importable::

    python data/extended/annotations/adjudicate.py sheet ROUND DOC_ID...   # the blind sheet
    python data/extended/annotations/adjudicate.py apply                    # gold/, adjudication.csv, figures

``sheet`` lists every (clause, dimension, label) triple only one annotator gave
(``policylab.agreement.disagreements``) plus a few triples both gave (controls),
shuffled with a fixed seed, with the clause, its section and its neighbours but
without saying who proposed the label or which rows are controls
(``sheet-ROUND.csv``). The adjudicator writes ``decisions-ROUND.csv`` (``item,
clause_id, dimension, label, decision, reason``; decision yes / no / unsure).

``apply`` reads every ``decisions-*.csv``, merges the annotators with
``policylab.agreement.adjudicate`` into ``gold/``, writes ``adjudication.csv``
(one row per adjudicated triple, with who had proposed it, written only after
the decisions) and prints the agreement figures overall and per language.
The tagger is never run.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

import pandas as pd

from policylab.agreement import _paired, _triples, adjudicate, annotator_agreement, disagreements, write_annotations
from policylab.annotations import read_annotated_clauses, read_annotations
from policylab.corpus import read_notice
from policylab.segment import segment_document

HERE = Path(__file__).resolve().parent
EXTENDED = HERE.parent
SEED = 17
CONTROLS_PER_ROUND = {"round1": 30, "round2": 10}


def _load(doc_ids=None):
    a = read_annotated_clauses(HERE / "a")
    b = read_annotated_clauses(HERE / "b")
    common = sorted(set(a["doc_id"]) & set(b["doc_id"]))
    if doc_ids:
        common = [d for d in common if d in set(doc_ids)]
    return a[a["doc_id"].isin(common)].reset_index(drop=True), b[b["doc_id"].isin(common)].reset_index(drop=True)


def languages() -> dict[str, str]:
    out = {}
    for f in sorted(EXTENDED.glob("metadata-*.csv")):
        with open(f, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                out[row["doc_id"]] = row["language"]
    return out


def _context(doc_ids) -> pd.DataFrame:
    frames = []
    for doc_id in doc_ids:
        cl = segment_document(doc_id, read_notice(EXTENDED / f"{doc_id}.txt").text)
        cl = cl.assign(prev=cl["text"].shift(1).fillna(""), next=cl["text"].shift(-1).fillna(""))
        frames.append(cl[["clause_id", "section", "heading", "prev", "next"]])
    return pd.concat(frames, ignore_index=True)


def sheet(round_name: str, doc_ids: list[str]) -> Path:
    a, b = _load(doc_ids)
    disputes = disagreements(a, b)[["doc_id", "clause_id", "kind", "text", "dimension", "label"]]  # flags dropped
    pa, pb = _paired(a, b)
    dims = ["topic", "legal_basis", "right"] + (["retention_days"] if "retention_days" in pa.columns else [])
    agreed = sorted(_triples(pa, dims) & _triples(pb, dims))
    rng = random.Random(SEED)
    controls = rng.sample(agreed, min(CONTROLS_PER_ROUND.get(round_name, 5), len(agreed)))
    text = dict(zip(pa["clause_id"], pa["text"]))
    kind = dict(zip(pa["clause_id"], pa["kind"]))
    control_rows = pd.DataFrame([{"doc_id": d, "clause_id": c, "kind": kind[c], "text": text[c], "dimension": dim, "label": lab}
                                 for d, c, dim, lab in controls])
    items = pd.concat([disputes, control_rows], ignore_index=True)
    items = items.sample(frac=1.0, random_state=SEED).reset_index(drop=True)
    items = items.merge(_context(sorted(set(items["doc_id"]))), on="clause_id", how="left")
    items.insert(0, "item", [f"{round_name}-{i:03d}" for i in range(len(items))])
    path = HERE / f"sheet-{round_name}.csv"
    items.to_csv(path, index=False)
    return path


def _replace_block(name: str, lines: list[str]) -> None:
    """Replace the README block between ``<!-- NAME -->`` and ``<!-- /NAME -->`` with ``lines``."""
    path = HERE / "README.md"
    text = path.read_text(encoding="utf-8")
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = start + "\n" + "\n".join(lines) + "\n" + end
    if end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.replace(start, block)
    path.write_text(text, encoding="utf-8")


def _fmt(x) -> str:
    return "–" if pd.isna(x) else f"{x:.3f}"


def _figures(agreement: pd.DataFrame) -> list[str]:
    out = ["## Agreement between the annotators (before adjudication)", "",
           "Measured with `policylab.agreement.annotator_agreement(a, b)` on every clause of the test notices both",
           "annotated (`agreement.csv`). F1 is symmetric; kappa is Cohen's over every clause × label decision of the",
           "dimension (for `retention_days` over the values either gave plus one \"nothing\" per clause; for `coverage`",
           "over the Art. 13/14 cells of `policylab.coverage.coverage_table` computed from each annotator's labels,",
           "`agreement` being the share of cells on which both agree).", "",
           "| scope | notices | clauses | dimension | both | a only | b only | F1 | kappa | agreement |",
           "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
    for r in agreement.itertuples():
        out.append(f"| {r.scope} | {r.n_notices} | {r.n_clauses} | {r.dimension} | {r.both} | {r.first_only} | "
                   f"{r.second_only} | {_fmt(r.f1)} | {_fmt(r.kappa)} | {_fmt(r.agreement)} |")
    return out


def _decisions() -> pd.DataFrame:
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in sorted(HERE.glob("decisions-*.csv"))]
    frame = pd.concat(frames, ignore_index=True)
    bad = frame[~frame["decision"].isin(["yes", "no", "unsure"])]
    if len(bad):
        raise SystemExit(f"decisions with a value other than yes/no/unsure: {bad['item'].tolist()}")
    return frame


def apply(final: bool = False) -> None:
    a, b = _load()
    decisions = _decisions()
    gold = adjudicate(a, b, decisions)
    for old in (HERE / "gold").glob("*.jsonl"):
        old.unlink()
    written = write_annotations(gold.drop(columns=["file", "line"], errors="ignore"), HERE / "gold")
    checked = read_annotations(HERE / "gold")
    print(f"gold: {len(written)} files, {len(read_annotated_clauses(HERE / 'gold'))} clauses, {len(checked)} label rows")

    pa, pb = _paired(a, b)
    dims = ["topic", "legal_basis", "right", "retention_days"]
    ta, tb = _triples(pa, dims), _triples(pb, dims)
    rows = []
    for r in decisions.to_dict("records"):
        key = next((t for t in (ta | tb) if t[1] == r["clause_id"] and t[2] == r["dimension"] and t[3] == r["label"]), None)
        if key is None:
            raise SystemExit(f"{r['item']}: {r['clause_id']} {r['dimension']} {r['label']} is not a triple of either annotator")
        in_a, in_b = key in ta, key in tb
        role = "control" if in_a and in_b else "dispute"
        after = 1 if role == "control" or r["decision"] == "yes" else 0
        rows.append({"item": r["item"], "clause_id": r["clause_id"], "dimension": r["dimension"], "label": r["label"],
                     "role": role, "a": int(in_a), "b": int(in_b), "decision": r["decision"], "gold_after": after,
                     "reason": r["reason"]})
    table = pd.DataFrame(rows)
    disputed = {(t[1], t[2], t[3]) for t in ta ^ tb}
    missing = disputed - set(zip(table["clause_id"], table["dimension"], table["label"]))
    if missing:
        raise SystemExit(f"{len(missing)} disputes have no decision, e.g. {sorted(missing)[:3]}")
    table.to_csv(HERE / "adjudication.csv", index=False)
    print(f"adjudication.csv: {len(table)} rows")
    print(table.groupby(["role", "decision"]).size().unstack(fill_value=0).to_string())


    lang = languages()
    frames = []
    docs_all = sorted(set(a["doc_id"]))
    for scope in ("all", "nb", "nn", "en"):
        docs = docs_all if scope == "all" else [d for d in docs_all if lang.get(d) == scope]
        if not docs:
            continue
        res = annotator_agreement(a[a["doc_id"].isin(docs)], b[b["doc_id"].isin(docs)])
        res.insert(0, "n_notices", len(docs))
        res.insert(0, "scope", scope)
        frames.append(res)
    agreement = pd.concat(frames, ignore_index=True)
    agreement.to_csv(HERE / "agreement.csv", index=False, float_format="%.4f")
    _replace_block("FIGURES", _figures(agreement))
    print("\n| scope | notices | clauses | dimension | both | a only | b only | F1 | kappa |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|")
    for r in agreement.itertuples():
        f1 = "–" if pd.isna(r.f1) else f"{r.f1:.3f}"
        kappa = "–" if pd.isna(r.kappa) else f"{r.kappa:.3f}"
        print(f"| {r.scope} | {r.n_notices} | {r.n_clauses} | {r.dimension} | {r.both} | {r.first_only} | {r.second_only} | {f1} | {kappa} |")
    _replace_block("DECISIONS", _decision_tables(table, gold, a, b, final))


def _decision_tables(table: pd.DataFrame, gold: pd.DataFrame, a: pd.DataFrame, b: pd.DataFrame, final: bool) -> list[str]:
    def count(frame, decision):
        return int((frame["decision"] == decision).sum())

    rounds = sorted({item.split("-")[0] for item in table["item"]})
    out = ["## Decisions", "",
           f"{len(table)} triples adjudicated ({', '.join(rounds)}): "
           f"{int((table['role'] == 'dispute').sum())} disputes and {int((table['role'] == 'control').sum())} controls.", "",
           "| rows | yes | no | unsure |", "|---|---:|---:|---:|"]
    groups = [("controls (both annotators had the label)", table[table["role"] == "control"])]
    if final:
        disputes = table[table["role"] == "dispute"]
        groups += [("disputes: only a had it", disputes[disputes["a"] == 1]),
                   ("disputes: only b had it", disputes[disputes["b"] == 1])]
    groups += [("disputes, all", table[table["role"] == "dispute"])]
    groups += [(f"disputes, `{d}`", table[(table["role"] == "dispute") & (table["dimension"] == d)])
               for d in ("topic", "legal_basis", "right", "retention_days")
               if ((table["role"] == "dispute") & (table["dimension"] == d)).any()]
    for name, frame in groups:
        out.append(f"| {name} | {count(frame, 'yes')} | {count(frame, 'no')} | {count(frame, 'unsure')} |")
    disputes = table[table["role"] == "dispute"]
    out += ["", f"The gold gained {count(disputes, 'yes')} disputed triples and left out "
                f"{count(disputes, 'no') + count(disputes, 'unsure')} ({count(disputes, 'unsure')} unsure); "
                f"{disputes.loc[disputes['decision'] == 'yes', 'clause_id'].nunique()} clauses gained a label."]
    doubted = table[(table["role"] == "control") & (table["decision"] != "yes")]
    if len(doubted):
        out += ["", "Controls the adjudicator did not confirm (they stay in the gold, which holds what both annotators agree on):", ""]
        out += [f"- `{r.clause_id}` {r.dimension} `{r.label}`: {r.decision} ({r.reason})" for r in doubted.itertuples()]
    if final:
        out += ["", "Each annotator against the gold (F1 per dimension; the gold is not independent of either, "
                    "so this only shows who the adjudication sided with):", "",
                "| annotator | topic | legal_basis | right | retention_days | coverage agreement |",
                "|---|---:|---:|---:|---:|---:|"]
        for name, frame in (("a", a), ("b", b)):
            res = annotator_agreement(gold, frame).set_index("dimension")
            out.append(f"| {name} | {_fmt(res.loc['topic', 'f1'])} | {_fmt(res.loc['legal_basis', 'f1'])} | "
                       f"{_fmt(res.loc['right', 'f1'])} | {_fmt(res.loc['retention_days', 'f1'])} | "
                       f"{_fmt(res.loc['coverage', 'agreement'])} |")
    return out


if __name__ == "__main__":
    if sys.argv[1] == "sheet":
        print(sheet(sys.argv[2], sys.argv[3:]))
    elif sys.argv[1] == "apply":
        apply(final="--final" in sys.argv)
    else:
        raise SystemExit(__doc__)

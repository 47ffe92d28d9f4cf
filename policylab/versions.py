"""Two versions of a notice, compared clause by clause.

Notices change: a company adds a cookie section, drops a retention period,
rewrites its legal bases. :func:`compare_versions` takes the tables of two
versions (two :class:`~policylab.build.Tables`, or two corpus folders, matched by
``doc_id``) and says, for every notice in both:

- which clauses were added, removed, changed (with a word-level diff) or kept,
  each with its clause ids in the old and the new version;
- what changed in the labels of changed clauses, in the Art. 13/14 coverage cells
  (items gained and lost, with the evidence of each side) and in the storage
  periods.

Clauses are aligned in document order with :class:`difflib.SequenceMatcher` over
their normalised texts (case, white space, heading marks and bullets ignored);
within a run of replaced clauses, a pair whose similarity (over words, or over
characters for clauses under 1,000 characters, whichever is higher) reaches
``min_similarity`` is one clause *changed*, the rest are added and removed.

Examples
--------
>>> from policylab.build import BUNDLED_CORPUS
>>> old = BUNDLED_CORPUS.parent / "versions" / "kraftvare-2023-02-13"
>>> new = BUNDLED_CORPUS.parent / "versions" / "kraftvare-2023-03-12"
>>> diff = compare_versions(old, new)
>>> diff.summary[["doc_id", "added", "removed", "changed", "unchanged"]].values.tolist()
[['kraftvare', 12, 0, 6, 6]]
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["VersionDiff", "compare_versions", "word_diff"]

#: Columns of :attr:`VersionDiff.clauses`.
CLAUSE_DIFF_COLUMNS = [
    "doc_id", "status", "old_clause_id", "new_clause_id", "old_text", "new_text", "similarity", "word_diff",
    "old_labels", "new_labels", "labels_added", "labels_removed",
]

_MARKS = re.compile(r"^\s*(?:#{1,6}\s+|[•\-–*·▪●]\s*|\d{1,2}(?:\.\d{1,2})*\.?\s+)")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:[-']\w+)*")


@dataclass
class VersionDiff:
    """What changed between two versions of a corpus, notice by notice.

    ``clauses`` one row per aligned clause (``status``: added, removed, changed,
    unchanged); ``coverage`` one row per checklist item whose ``covered`` changed
    (``change``: gained / lost, with the evidence of both sides); ``retention``
    the storage periods only one version states; ``summary`` one row per notice;
    ``only_old`` / ``only_new`` the notices in one version only.
    """

    clauses: pd.DataFrame
    coverage: pd.DataFrame
    retention: pd.DataFrame
    summary: pd.DataFrame
    only_old: list[str]
    only_new: list[str]

    def __repr__(self) -> str:
        return (f"VersionDiff({len(self.summary)} notices in both, {len(self.only_old)} only old, "
                f"{len(self.only_new)} only new; {int((self.clauses['status'] != 'unchanged').sum())} clause changes)")


def _normal(text: str) -> str:
    return _SPACE.sub(" ", _MARKS.sub("", str(text))).strip().lower()


def _similarity(a: str, b: str) -> float:
    """Word similarity, or character similarity where it is higher (short clauses
    with a respelt word: "Fornavn og etternavn" / "Fornamn og etternamn")."""
    words = difflib.SequenceMatcher(None, _WORD.findall(a), _WORD.findall(b), autojunk=False).ratio()
    na, nb = _normal(a), _normal(b)
    if max(len(na), len(nb)) > 1000:  # character matching is quadratic; long clauses have enough words
        return words
    return max(words, difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio())


def word_diff(old: str, new: str) -> str:
    """The words removed (``[-...-]``) and added (``{+...+}``) between two texts.

    >>> word_diff("vi trenger noen av dine opplysninger", "vi treng nokre av dine opplysningar")
    'vi [-trenger noen-] {+treng nokre+} av dine [-opplysninger-] {+opplysningar+}'
    """
    a, b = str(old).split(), str(new).split()
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(" ".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def _tables(version):
    from .build import Tables, build

    if isinstance(version, Tables):
        return version
    if isinstance(version, (str, Path)):
        return build(version, progress=False)
    raise TypeError(f"expected Tables or a corpus folder, got {type(version).__name__}")


def _label_strings(labels: pd.DataFrame) -> dict[str, frozenset[str]]:
    if labels is None or labels.empty:
        return {}
    keys = labels["dimension"].astype(str) + ":" + labels["label"].astype(str)
    return {cid: frozenset(group) for cid, group in keys.groupby(labels["clause_id"].astype(str))}


def _align(old: pd.DataFrame, new: pd.DataFrame, min_similarity: float) -> list[tuple[str, int | None, int | None, float]]:
    a = [_normal(t) for t in old["text"]]
    b = [_normal(t) for t in new["text"]]
    pairs: list[tuple[str, int | None, int | None, float]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pairs.extend(("unchanged", i1 + k, j1 + k, 1.0) for k in range(i2 - i1))
            continue
        # Within a replaced run, pair clauses greedily in order by similarity.
        used_new: set[int] = set()
        j_next = j1
        for i in range(i1, i2):
            best, best_j = 0.0, None
            for j in range(j_next, j2):
                score = _similarity(old["text"].iat[i], new["text"].iat[j])
                if score > best:
                    best, best_j = score, j
            if best_j is not None and best >= min_similarity:
                pairs.extend(("added", None, j, 0.0) for j in range(j_next, best_j) if j not in used_new)
                pairs.append(("changed", i, best_j, best))
                used_new.update(range(j_next, best_j + 1))
                j_next = best_j + 1
            else:
                pairs.append(("removed", i, None, 0.0))
        pairs.extend(("added", None, j, 0.0) for j in range(j_next, j2))
    return pairs


def compare_versions(old, new, *, min_similarity: float = 0.5) -> VersionDiff:
    """Compare two versions of a corpus (or of one notice) clause by clause.

    Parameters
    ----------
    old, new
        :class:`~policylab.build.Tables` or corpus folders; notices are matched by
        ``doc_id``.
    min_similarity
        Word similarity (difflib ratio over words, 0-1) from which a replaced clause
        counts as *changed* rather than removed and added.

    Returns
    -------
    VersionDiff
    """
    from .coverage import coverage_table

    old_t, new_t = _tables(old), _tables(new)
    old_docs, new_docs = set(old_t.documents["doc_id"]), set(new_t.documents["doc_id"])
    shared = sorted(old_docs & new_docs)
    old_labels, new_labels = _label_strings(old_t.labels), _label_strings(new_t.labels)

    rows = []
    for doc_id in shared:
        oc = old_t.clauses[old_t.clauses["doc_id"] == doc_id].reset_index(drop=True)
        nc = new_t.clauses[new_t.clauses["doc_id"] == doc_id].reset_index(drop=True)
        for status, i, j, similarity in _align(oc, nc, min_similarity):
            old_id = oc["clause_id"].iat[i] if i is not None else None
            new_id = nc["clause_id"].iat[j] if j is not None else None
            old_text = oc["text"].iat[i] if i is not None else ""
            new_text = nc["text"].iat[j] if j is not None else ""
            before = old_labels.get(old_id, frozenset()) if old_id else frozenset()
            after = new_labels.get(new_id, frozenset()) if new_id else frozenset()
            rows.append({
                "doc_id": doc_id, "status": status, "old_clause_id": old_id, "new_clause_id": new_id,
                "old_text": old_text, "new_text": new_text, "similarity": round(float(similarity), 3),
                "word_diff": word_diff(old_text, new_text) if status == "changed" else "",
                "old_labels": ";".join(sorted(before)), "new_labels": ";".join(sorted(after)),
                "labels_added": ";".join(sorted(after - before)), "labels_removed": ";".join(sorted(before - after)),
            })
    clauses = pd.DataFrame(rows, columns=CLAUSE_DIFF_COLUMNS)

    def cov(t):
        keep = t.documents[t.documents["doc_id"].isin(shared)]
        return coverage_table(t.labels, keep)[["doc_id", "item", "covered", "evidence"]]

    cells = cov(old_t).merge(cov(new_t), on=["doc_id", "item"], suffixes=("_old", "_new"))
    cells = cells[cells["covered_old"] != cells["covered_new"]].copy()
    cells["change"] = cells["covered_new"].map({True: "gained", False: "lost"})
    coverage = cells[["doc_id", "item", "change", "evidence_old", "evidence_new"]].reset_index(drop=True)
    coverage["item"] = coverage["item"].astype(str)

    def periods(t):
        r = t.retention[t.retention["doc_id"].isin(shared)]
        return r.assign(key=r["raw"].map(_normal) + "|" + r["days"].astype(str))[["doc_id", "clause_id", "raw", "kind", "days", "key"]]

    po, pn = periods(old_t), periods(new_t)
    removed = po[~po.set_index(["doc_id", "key"]).index.isin(pn.set_index(["doc_id", "key"]).index)].assign(change="removed")
    added = pn[~pn.set_index(["doc_id", "key"]).index.isin(po.set_index(["doc_id", "key"]).index)].assign(change="added")
    retention = pd.concat([removed, added], ignore_index=True).drop(columns="key")
    retention = retention[["doc_id", "change", "clause_id", "raw", "kind", "days"]]

    counts = clauses.groupby(["doc_id", "status"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=shared, columns=["added", "removed", "changed", "unchanged"], fill_value=0)
    summary = counts.reset_index()
    for column, change in (("items_gained", "gained"), ("items_lost", "lost")):
        items = coverage[coverage["change"] == change].groupby("doc_id")["item"].agg(";".join)
        summary[column] = summary["doc_id"].map(items).astype(object).fillna("")
    summary["periods_added"] = summary["doc_id"].map(added.groupby("doc_id").size()).fillna(0).astype(int)
    summary["periods_removed"] = summary["doc_id"].map(removed.groupby("doc_id").size()).fillna(0).astype(int)
    return VersionDiff(clauses, coverage, retention, summary, sorted(old_docs - new_docs), sorted(new_docs - old_docs))

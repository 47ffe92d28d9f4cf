"""Read the OPP-115 corpus (Wilson et al., ACL 2016) into policylab's tables.

OPP-115 holds 115 US website privacy policies cut into 3,792 segments, each read
by three annotators with legal training who recorded *data practices* (a
category plus attribute values and text spans). It is licensed for research,
teaching and scholarship only and must be cited (Wilson et al. 2016); policylab
ships none of it: :func:`load_opp115` reads a user's own copy of the release
layout (``annotations/``, ``sanitized_policies/``, ``documentation/``), and the
PrivacyGLUE split (Shankar et al. 2023, from Mousavi Nejad et al. 2020) from a
``splits.csv`` beside it when there is one.

The tables:

- ``documents``: one row per policy (``doc_id`` is the file stem, e.g.
  ``20_theatlantic.com``), with the site name, sectors, URL and dates the
  release has. ``text`` is the policy's segments joined by blank lines.
- ``clauses``: one row per segment, ``position`` the segment id, offsets into
  ``documents.text`` (``text[start:end] == clauses.text``), ``split`` the
  PrivacyGLUE split or missing (segment not in the task). A segment's text is
  the PrivacyGLUE recipe's: tags ``<[^>]*>`` removed, whitespace collapsed to
  single spaces, the document stripped, then split on ``|||`` (so a segment may
  keep one leading or trailing space). ``heading`` is the bold lead-in of the
  segment or, failing that, of the nearest earlier segment that had one.
- ``labels`` (the ``opp115_labels`` table): one row per (segment, label) that
  any annotator gave, with ``n_annotators`` (distinct annotators, 1 to 3),
  ``n_practices`` and ``majority`` (at least 2 of the 3: PrivacyGLUE's rule).
  A label is the practice's category, or for "Other" its "Other Type" value.
- ``attributes``: one row per (practice, attribute) with the value, the
  selected text and its offsets within the segment's HTML as released
  (``span_errant`` marks spans the release lists as wrongly indexed).

:func:`privacyglue_examples` groups the labelled segments of each split by
text into PrivacyGLUE's examples (2,185 / 550 / 697).
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = [
    "OPP115_CATEGORIES",
    "OPP115_LABELS",
    "Opp115",
    "load_opp115",
    "opp115_path",
    "privacyglue_examples",
]

#: The 10 annotation categories of OPP-115.
OPP115_CATEGORIES = (
    "First Party Collection/Use",
    "Third Party Sharing/Collection",
    "User Choice/Control",
    "User Access, Edit and Deletion",
    "Data Retention",
    "Data Security",
    "Policy Change",
    "Do Not Track",
    "International and Specific Audiences",
    "Other",
)

#: PrivacyGLUE's 12 labels: the 9 categories other than "Other" and three "Other Type" values
#: ("Other: Other" is dropped), in PrivacyGLUE's (alphabetical) order.
OPP115_LABELS = (
    "Data Retention",
    "Data Security",
    "Do Not Track",
    "First Party Collection/Use",
    "International and Specific Audiences",
    "Introductory/Generic",
    "Policy Change",
    "Practice not covered",
    "Privacy contact information",
    "Third Party Sharing/Collection",
    "User Access, Edit and Deletion",
    "User Choice/Control",
)

_SPLITS = ("train", "validation", "test")
_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")
_LEAD_HEADING_RE = re.compile(r"^\s*<strong>(.*?)</strong>", re.S)
_SEPARATOR = "\n\n"
_ENV = "POLICYLAB_OPP115"


class Opp115Error(ValueError):
    """The folder is not a readable OPP-115 release (the message names the file)."""


@dataclass
class Opp115:
    """OPP-115 as policylab tables (see the module notes for the columns)."""

    documents: pd.DataFrame
    clauses: pd.DataFrame
    labels: pd.DataFrame
    attributes: pd.DataFrame
    path: Path
    has_split: bool = field(default=False)

    def examples(self, split: str | None = None) -> pd.DataFrame:
        """PrivacyGLUE examples (see :func:`privacyglue_examples`)."""
        return privacyglue_examples(self, split=split)


def opp115_path(path: str | os.PathLike | None = None) -> Path | None:
    """The OPP-115 folder: ``path``, else ``$POLICYLAB_OPP115``, else ``../shared/opp115``.

    Returns ``None`` when none of them is a folder with ``annotations/`` in it.

    Examples
    --------
    >>> opp115_path("/nonexistent") is None
    True
    """
    candidates = [path] if path is not None else [os.environ.get(_ENV), Path(__file__).resolve().parents[2].parent / "shared" / "opp115",
                                                   Path.cwd().parent / "shared" / "opp115"]
    for c in candidates:
        if c and (Path(c) / "annotations").is_dir():
            return Path(c)
    return None


def _clean(html: str) -> str:
    return _SPACE_RE.sub(" ", _TAG_RE.sub("", html))


def segment_texts(html: str) -> list[str]:
    """Segment texts of a sanitized policy by PrivacyGLUE's recipe.

    Examples
    --------
    >>> segment_texts("<strong> Privacy </strong> <br> We  collect|||<ul><li>names</li></ul> ")
    ['Privacy We collect', 'names']
    """
    return _clean(html).strip().split("|||")


def _headings(html: str) -> list[str]:
    """The bold lead-in of each segment, carried forward to segments without one."""
    out, last = [], ""
    for raw in html.split("|||"):
        m = _LEAD_HEADING_RE.match(raw)
        if m:
            text = _clean(m.group(1)).strip()
            if 0 < len(text) <= 120:
                last = text
        out.append(last)
    return out


def _data_rows(path: Path):
    """The rows of one of the release's metadata CSVs after its header (none if the file is absent)."""
    if not path.is_file():
        return
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        next(rows, None)
        yield from rows


def _read_metadata(doc_dir: Path) -> tuple[dict, dict]:
    sites, policies = {}, {}
    for row in _data_rows(doc_dir / "websites_opp115.csv"):
        if len(row) > 3 and row[3].strip().isdigit():
            sectors = [s for s in row[7:] if s.strip()]
            sites[int(row[3])] = {"site": row[1], "company": row[2], "sector": sectors[0].split(":")[0].strip() if sectors else "",
                                  "sectors": "; ".join(sectors), "alexa": row[6]}
    for row in _data_rows(doc_dir / "policies_opp115.csv"):
        if len(row) > 3 and row[0].strip().isdigit():
            policies[int(row[0])] = {"url": row[1], "collected": row[2], "last_updated": row[3]}
    return sites, policies


def _errant(doc_dir: Path) -> set[tuple[str, str]]:
    out = set()
    for path in sorted((doc_dir / "errant_span_indexes").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                if len(row) >= 2:
                    out.add((row[0].strip(), row[1].split("_", 1)[-1].strip()))
    return out


def _practice_label(category: str, attrs: dict) -> str:
    if category != "Other":
        return category
    value = attrs.get("Other Type", {}).get("value", "")
    return value if value in ("Introductory/Generic", "Practice not covered", "Privacy contact information") else "Other"


def _read_annotations(path: Path, doc_id: str, n_segments: int, errant: set) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.reader(f), start=1):
            if len(row) < 7:
                raise Opp115Error(f"{path}: line {line} has {len(row)} columns, expected 9")
            try:
                segment = int(row[4])
                attrs = json.loads(row[6])
            except (ValueError, json.JSONDecodeError) as e:
                raise Opp115Error(f"{path}: line {line}: {e}") from None
            if not 0 <= segment < n_segments:
                raise Opp115Error(f"{path}: line {line}: segment {segment} is not among the policy's {n_segments} segments")
            rows.append({"annotation_id": row[0], "annotator_id": row[2], "doc_id": doc_id, "position": segment,
                         "category": row[5], "label": _practice_label(row[5], attrs), "attrs": attrs})
    return rows


def load_opp115(path: str | os.PathLike | None = None, *, split: str | os.PathLike | None = None) -> Opp115:
    """Read an OPP-115 release folder into policylab tables.

    Parameters
    ----------
    path
        The release folder (``annotations/``, ``sanitized_policies/``, optional
        ``documentation/``); by default ``$POLICYLAB_OPP115`` or ``../shared/opp115``.
    split
        A ``splits.csv`` (``policy, segment_id, split``); by default the one in ``path``
        if present. Without it ``clauses.split`` stays empty.

    Returns
    -------
    Opp115
        ``documents``, ``clauses``, ``labels`` (opp115_labels) and ``attributes``.

    Examples
    --------
    >>> data = load_opp115()  # doctest: +SKIP
    >>> data.examples()["split"].value_counts().to_dict()  # doctest: +SKIP
    {'train': 2185, 'test': 697, 'validation': 550}
    """
    root = opp115_path(path)
    if root is None:
        where = path if path is not None else f"${_ENV} or ../shared/opp115"
        raise FileNotFoundError(f"{where}: no OPP-115 release here (expected an annotations/ folder beside sanitized_policies/)")
    policy_dir = root / "sanitized_policies"
    if not policy_dir.is_dir():
        raise Opp115Error(f"{root}: no sanitized_policies/ folder")
    sites, policies = _read_metadata(root / "documentation")
    errant = _errant(root / "documentation")

    docs, clause_rows, practices = [], [], []
    for html_path in sorted(policy_dir.glob("*.html")):
        doc_id = html_path.stem
        uid = doc_id.split("_", 1)[0]
        if not uid.isdigit():
            raise Opp115Error(f"{html_path}: the file name should start with the policy id and '_'")
        try:
            html = html_path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            raise Opp115Error(f"{html_path}: not UTF-8 ({e})") from None
        segments = segment_texts(html)
        headings = _headings(html)
        text = _SEPARATOR.join(segments)
        offset = 0
        for pos, (seg, heading) in enumerate(zip(segments, headings)):
            clause_rows.append({"clause_id": f"{doc_id}:{pos:04d}", "doc_id": doc_id, "position": pos, "kind": "paragraph",
                                "section": heading, "heading": heading, "start": offset, "end": offset + len(seg), "text": seg})
            offset += len(seg) + len(_SEPARATOR)
        meta = {**sites.get(int(uid), {}), **policies.get(int(uid), {})}
        docs.append({"doc_id": doc_id, "company": meta.get("company", doc_id.split("_", 1)[1]), "sector": meta.get("sector", ""),
                     "nace_section": "", "language": "en", "n_chars": len(text), "n_words": len(text.split()), "text": text,
                     "policy_uid": int(uid), "site": meta.get("site", doc_id.split("_", 1)[1]), "sectors": meta.get("sectors", ""),
                     "url": meta.get("url", ""), "collected": meta.get("collected", ""), "last_updated": meta.get("last_updated", ""),
                     "n_segments": len(segments)})
        ann = root / "annotations" / f"{doc_id}.csv"
        if not ann.is_file():
            raise Opp115Error(f"{ann}: missing (every sanitized policy needs its annotations file)")
        practices.extend(_read_annotations(ann, doc_id, len(segments), errant))
    if not docs:
        raise Opp115Error(f"{policy_dir}: no .html policies")

    documents = pd.DataFrame(docs)
    clauses = pd.DataFrame(clause_rows)
    clauses["split"] = pd.Series(pd.NA, index=clauses.index, dtype="string")
    split_path = Path(split) if split is not None else root / "splits.csv"
    has_split = split_path.is_file()
    if has_split:
        sp = pd.read_csv(split_path, dtype={"policy": str, "segment_id": int, "split": str})
        missing = {"policy", "segment_id", "split"} - set(sp.columns)
        if missing:
            raise Opp115Error(f"{split_path}: missing column(s) {sorted(missing)}")
        bad = sorted(set(sp["split"]) - set(_SPLITS))
        if bad:
            raise Opp115Error(f"{split_path}: unknown split value(s) {bad}")
        ids = sp["policy"] + ":" + sp["segment_id"].map("{:04d}".format)
        unknown = sorted(set(ids) - set(clauses["clause_id"]))
        if unknown:
            raise Opp115Error(f"{split_path}: {len(unknown)} segment(s) not in the corpus, e.g. {unknown[0]}")
        clauses["split"] = clauses["clause_id"].map(dict(zip(ids, sp["split"]))).astype("string")
    elif split is not None:
        raise FileNotFoundError(f"{split_path}: no such split file")

    p = pd.DataFrame(practices)
    p["clause_id"] = p["doc_id"] + ":" + p["position"].map("{:04d}".format)
    labels = (p.groupby(["clause_id", "doc_id", "label"], sort=False)
               .agg(category=("category", "first"), n_annotators=("annotator_id", "nunique"), n_practices=("annotation_id", "size"))
               .reset_index())
    labels["majority"] = labels["n_annotators"] >= 2
    order = {c: i for i, c in enumerate(clauses["clause_id"])}
    labels = labels.sort_values(["clause_id", "label"], key=lambda s: s.map(order) if s.name == "clause_id" else s).reset_index(drop=True)

    attr_rows = []
    for r in practices:
        cid = f"{r['doc_id']}:{r['position']:04d}"
        for name, v in r["attrs"].items():
            v = v if isinstance(v, dict) else {"value": str(v)}
            start, end = v.get("startIndexInSegment", -1), v.get("endIndexInSegment", -1)
            attr_rows.append({"annotation_id": r["annotation_id"], "clause_id": cid, "doc_id": r["doc_id"],
                              "annotator_id": r["annotator_id"], "category": r["category"], "label": r["label"],
                              "attribute": name, "value": str(v.get("value", "")), "selected_text": v.get("selectedText", "") or "",
                              "start_in_segment": start if isinstance(start, int) and start >= 0 else pd.NA,
                              "end_in_segment": end if isinstance(end, int) and end >= 0 else pd.NA,
                              "span_errant": (r["annotation_id"], name) in errant})
    attributes = pd.DataFrame(attr_rows)
    for col in ("start_in_segment", "end_in_segment"):
        attributes[col] = attributes[col].astype("Int64")
    return Opp115(documents=documents, clauses=clauses, labels=labels, attributes=attributes, path=root, has_split=has_split)


def _normal(text: str) -> str:
    return " ".join(text.split())


def privacyglue_examples(data: Opp115, *, split: str | None = None, labelled_only: bool = True) -> pd.DataFrame:
    """PrivacyGLUE's OPP-115 examples: one per distinct text within a split.

    A segment carries the labels among :data:`OPP115_LABELS` that at least 2 of its
    3 annotators gave. Segments of a split are grouped by whitespace-normalised
    text (PrivacyGLUE groups its CSV rows by text).

    Parameters
    ----------
    data
        From :func:`load_opp115` (with a split).
    split
        ``train``, ``validation`` or ``test``; all three by default.
    labelled_only
        Drop segments with no majority label among the 12 (PrivacyGLUE has none).

    Returns
    -------
    DataFrame
        ``split, text, labels`` (tuple of label names in :data:`OPP115_LABELS`
        order), ``clause_ids`` (tuple), ``clause_id`` (the first), ``doc_id``.
    """
    if not data.has_split:
        raise ValueError(f"{data.path}: no splits.csv, so no PrivacyGLUE split")
    maj = data.labels[data.labels["majority"] & data.labels["label"].isin(OPP115_LABELS)]
    by_clause = maj.groupby("clause_id")["label"].agg(set).to_dict()
    c = data.clauses[data.clauses["split"].notna()]
    if split is not None:
        if split not in _SPLITS:
            raise ValueError(f"split must be one of {_SPLITS}, not {split!r}")
        c = c[c["split"] == split]
    rows: dict[tuple[str, str], dict] = {}
    for cid, doc, sp, text in zip(c["clause_id"], c["doc_id"], c["split"], c["text"]):
        labs = by_clause.get(cid, set())
        if labelled_only and not labs:
            continue
        key = (sp, _normal(text))
        if key not in rows:
            rows[key] = {"split": sp, "text": text, "labels": set(), "clause_ids": [], "doc_id": doc}
        rows[key]["labels"] |= labs
        rows[key]["clause_ids"].append(cid)
    out = pd.DataFrame(list(rows.values()), columns=["split", "text", "labels", "clause_ids", "doc_id"])
    out["labels"] = [tuple(l for l in OPP115_LABELS if l in s) for s in out["labels"]]
    out["clause_ids"] = out["clause_ids"].map(tuple)
    out["clause_id"] = out["clause_ids"].map(lambda t: t[0])
    rank = {s: i for i, s in enumerate(_SPLITS)}
    out = out.sort_values("split", key=lambda s: s.map(rank), kind="stable").reset_index(drop=True)
    return out[["split", "text", "labels", "clause_ids", "clause_id", "doc_id"]]

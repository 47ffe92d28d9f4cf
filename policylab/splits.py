"""The train / dev / test split of the extended annotated notices (issue #17), kept apart.

``data/extended`` holds real notices with a ``split`` column in its metadata files
(``metadata-*.csv``): ``train`` (rules and models are tuned and trained on these),
``dev`` (measured after each change, not mined for errors) and ``test`` (sealed:
read once per release). Their line-by-line annotations are in
``data/extended/annotations/train/`` (the folder name is the role, "training
annotations"; the split stays in the metadata).

:func:`split_corpus` copies the notices of one split into a folder of their own,
so that building or scoring them never opens a notice of another split, and
returns their annotations. A split of ``test`` is refused unless asked for with
``sealed=True`` (the release evaluation). Translations of test notices are left
out of every other split (:data:`TEST_TRANSLATIONS`): training on them would leak
the test set.

Examples
--------
>>> sorted(set(split_notices("dev")["split"]))
['dev']
>>> split_notices("test")
Traceback (most recent call last):
...
ValueError: the test split is sealed: pass sealed=True only for the release evaluation
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from .corpus import BUNDLED_CORPUS

__all__ = ["EXTENDED", "EXTENDED_ANNOTATIONS", "SPLITS", "TEST_TRANSLATIONS", "split_corpus", "split_notices"]

#: The extended annotated notices (next to the bundled corpus).
EXTENDED = BUNDLED_CORPUS.parent / "extended"
#: Their line-by-line annotations (train and dev notices).
EXTENDED_ANNOTATIONS = EXTENDED / "annotations" / "train"
#: The splits a notice of ``data/extended`` may belong to.
SPLITS = ("train", "dev", "test")
#: Translations of sealed test notices (or notices whose translation is a test
#: notice): never trained on nor measured, whatever their metadata says.
TEST_TRANSLATIONS = frozenset({"matland-gard", "nigardsbreen-camping", "ssb-forbruksundersokelsen", "nav-pensjonskalkulator-en"})


def split_notices(split: str, *, folder: Path | str = EXTENDED, sealed: bool = False) -> pd.DataFrame:
    """The metadata rows of the notices of one split (from every ``metadata-*.csv`` of ``folder``)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    if split == "test" and not sealed:
        raise ValueError("the test split is sealed: pass sealed=True only for the release evaluation")
    rows: dict[str, dict] = {}
    for path in sorted(Path(folder).glob("metadata-*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("split") == split and row["doc_id"] not in TEST_TRANSLATIONS:
                    rows.setdefault(row["doc_id"], row)
    return pd.DataFrame(list(rows.values()))


def split_corpus(split: str, *, folder: Path | str = EXTENDED, annotations: Path | str | None = None,
                 dest: Path | str | None = None, sealed: bool = False) -> tuple[pd.DataFrame, Path]:
    """The annotations of one split and a corpus folder holding only its notices.

    Parameters
    ----------
    split
        ``"train"``, ``"dev"`` (or ``"test"`` with ``sealed=True``).
    folder
        The folder of notices and ``metadata-*.csv`` files (default :data:`EXTENDED`).
    annotations
        The annotation folder (default ``folder/annotations/train``).
    dest
        Where to copy the notices (default: a new temporary folder).

    Returns
    -------
    (annotated, corpus)
        The annotation records of the split's notices (the frame of
        :func:`policylab.annotations.read_annotated_clauses`; empty where none
        is annotated yet) and the corpus folder (with a ``metadata.csv``).
    """
    from .annotations import read_annotated_clauses

    folder = Path(folder)
    notices = split_notices(split, folder=folder, sealed=sealed)
    corpus = Path(dest) if dest is not None else Path(tempfile.mkdtemp(prefix=f"policylab-{split}-"))
    corpus.mkdir(parents=True, exist_ok=True)
    if len(notices):
        for file in notices["file"]:
            shutil.copyfile(folder / file, corpus / file)
        notices.drop(columns=[c for c in ("split",) if c in notices]).to_csv(corpus / "metadata.csv", index=False)
    source = Path(annotations) if annotations is not None else folder / "annotations" / "train"
    files = [source / f"{doc}.jsonl" for doc in notices.get("doc_id", [])]
    frames = [read_annotated_clauses(f) for f in files if f.is_file()]
    annotated = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["doc_id", "clause_id", "text"])
    return annotated, corpus

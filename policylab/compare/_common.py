"""Helpers shared by the comparison modules: clause selection, progress bars, empty frames."""

from __future__ import annotations

import re
import sys
import unicodedata

import pandas as pd
from tqdm.auto import tqdm

from ..tokenize import words

#: Clause kinds compared by default: the body of a notice.
DEFAULT_KINDS = ("paragraph", "list_item", "table_row")
#: With ``progress=None``, bars show only for inputs larger than this.
PROGRESS_MIN = 5_000

_NON_WORD = re.compile(r"[\W_]+")

def _show(progress: bool | None, n: int) -> bool:
    return bool(progress) if progress is not None else n > PROGRESS_MIN


def _bar(iterable, *, total: int, desc: str, show: bool):
    return tqdm(iterable, total=total, desc=desc, file=sys.stderr, disable=not show, leave=False)


def _empty(columns: list[str], dtypes: dict[str, str] | None = None) -> pd.DataFrame:
    dtypes = dtypes or {}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "object")) for c in columns})


def _eligible(clauses: pd.DataFrame | None, include_kinds, min_words: int) -> pd.DataFrame:
    """The clauses to compare: ``clause_id, doc_id, text, n_words`` (fresh index)."""
    columns = ["clause_id", "doc_id", "text", "n_words"]
    if clauses is None or len(clauses) == 0:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "n_words" else "object") for c in columns})
    frame = clauses
    if include_kinds is not None and "kind" in frame.columns:
        frame = frame[frame["kind"].isin(list(include_kinds))]
    text = frame["text"].fillna("").astype(str)
    if "n_words" in frame.columns:
        n_words = frame["n_words"].fillna(0).astype("int64")
    else:
        n_words = text.map(lambda t: len(words(t))).astype("int64")
    doc_id = frame["doc_id"].astype(str) if "doc_id" in frame.columns else pd.Series("", index=frame.index)
    out = pd.DataFrame(
        {"clause_id": frame["clause_id"].astype(str), "doc_id": doc_id, "text": text, "n_words": n_words}
    )
    return out[out["n_words"] >= min_words].reset_index(drop=True)


def _as_clauses(clauses) -> pd.DataFrame:
    """Accept a clauses table or, for estimator use, a plain sequence of texts."""
    if isinstance(clauses, pd.DataFrame):
        return clauses
    texts = [str(t) for t in (clauses if clauses is not None else [])]
    return pd.DataFrame({"clause_id": [str(i) for i in range(len(texts))], "doc_id": "", "text": texts})


def _flat(text: str) -> str:
    # Lower case, letters and digits only: punctuation, bullets and quote styles
    # differ between copies of one text without changing what it says.
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


"""Word tokens of a corpus with their character offsets, and hashed word n-grams.

Text reuse compares notices word by word: each word is a 64-bit hash of its
lower-cased NFKC form (the same word gets the same number in every process,
so dask partitions agree), kept with its character span in the document and
the clause it lies in. Words are letters as in :mod:`policylab.tokenize`
(digits are not words: a copied passage with a new phone number is still
copied).

Examples
--------
>>> clauses = pd.DataFrame({"clause_id": ["a:0000", "a:0001"], "doc_id": ["a", "a"],
...     "kind": ["heading", "paragraph"], "start": [0, 8], "end": [6, 26],
...     "text": ["Innsyn", "Du har rett til innsyn."]})
>>> t = corpus_words(clauses)
>>> t.doc_ids.tolist(), t.start.tolist()[:3], t.clause_ids[t.clause].tolist()[:2]
(['a'], [0, 8, 11], ['a:0000', 'a:0001'])
>>> t.texts[0][8:26]
'Du har rett til in'
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..stopwords import stop_words
from ..tokenize import WORD_RE, stem

__all__ = ["CorpusWords", "corpus_words", "shingles"]

# Polynomial combination of word hashes into an n-gram hash (any odd 64-bit
# constant does); wraps modulo 2**64.
_ROLL = np.uint64(0x100000001B3)


@dataclass
class CorpusWords:
    """The words of a corpus, concatenated document after document.

    ``word`` (uint64 hashes), ``start``/``end`` (character offsets into the
    document's text), ``clause`` (index into ``clause_ids``), ``content``
    (not a stop word) are aligned arrays; the words of document ``d`` are
    ``indptr[d]:indptr[d + 1]``. ``texts[d]`` is the document's text (from the
    documents table, or rebuilt from the clauses with spaces between them).
    """

    doc_ids: np.ndarray
    texts: list
    indptr: np.ndarray
    word: np.ndarray
    start: np.ndarray
    end: np.ndarray
    clause: np.ndarray
    content: np.ndarray
    clause_ids: np.ndarray

    @property
    def doc_of(self) -> np.ndarray:
        """Document index of each word."""
        return np.repeat(np.arange(len(self.doc_ids)), np.diff(self.indptr))


def _hash_word(word: str) -> int:
    digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def _rebuild(frame: pd.DataFrame) -> str:
    """A document's text from its clauses: each at its offsets, spaces between."""
    length = int(frame["end"].max()) if len(frame) else 0
    chars = [" "] * length
    for start, text in zip(frame["start"], frame["text"]):
        chars[int(start) : int(start) + len(text)] = text
    return "".join(chars)


def corpus_words(
    clauses: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    include_kinds=None,
    language: str = "all",
    stems: bool = False,
) -> CorpusWords:
    """Tokenise the clauses of a corpus into words with document offsets.

    Parameters
    ----------
    clauses : DataFrame
        ``clause_id, doc_id, start, end, text`` (``kind`` filtered by
        ``include_kinds`` when given).
    documents : DataFrame or None
        ``doc_id, text``: the texts the offsets point into (rebuilt from the
        clauses when None).
    include_kinds : sequence of str or None
        Clause kinds whose words are kept (None: all).
    language : str
        Stop-word list marking ``content`` words.
    stems : bool
        Hash each word's Snowball stem (Norwegian) instead of the word, so
        inflections and bokmål/nynorsk endings of one word are equal
        (``behandlingen``/``behandlinga``, ``opplysninger``/``opplysningar``).

    Returns
    -------
    CorpusWords
    """
    missing = [c for c in ("clause_id", "doc_id", "start", "end", "text") if c not in clauses.columns]
    if missing:
        raise ValueError(f"the clauses table lacks column(s) {', '.join(missing)}: pass policylab.build(...).clauses")
    frame = clauses
    if include_kinds is not None and "kind" in frame.columns:
        frame = frame[frame["kind"].isin(list(include_kinds))]
    frame = frame.assign(doc_id=frame["doc_id"].astype(str), clause_id=frame["clause_id"].astype(str),
                         text=frame["text"].fillna("").astype(str))
    frame = frame.sort_values(["doc_id", "start"], kind="mergesort")
    texts_of = {}
    if documents is not None:
        texts_of = dict(zip(documents["doc_id"].astype(str), documents["text"].fillna("").astype(str)))
    stops = stop_words(language)
    cache: dict[str, tuple[int, bool]] = {}
    doc_ids, texts, counts = [], [], []
    words, starts, ends, clause_of = [], [], [], []
    clause_ids = frame["clause_id"].to_numpy(dtype=object)
    row = 0
    for doc_id, group in frame.groupby("doc_id", sort=True):
        if doc_id in texts_of:
            text = texts_of[doc_id]
        else:
            text = _rebuild(group)
        n = 0
        for start, body in zip(group["start"].to_numpy(), group["text"].to_numpy()):
            start = int(start)
            for m in WORD_RE.finditer(body):
                w = m.group()
                hit = cache.get(w)
                if hit is None:
                    low = unicodedata.normalize("NFKC", w).lower()
                    hit = cache[w] = (_hash_word(stem(low) if stems else low), low not in stops)
                words.append(hit)
                starts.append(start + m.start())
                ends.append(start + m.end())
                clause_of.append(row)
                n += 1
            row += 1
        doc_ids.append(doc_id)
        texts.append(text)
        counts.append(n)
    pairs = np.array(words, dtype=np.dtype([("h", np.uint64), ("c", bool)])) if words else np.zeros(0, dtype=[("h", np.uint64), ("c", bool)])
    return CorpusWords(
        doc_ids=np.array(doc_ids, dtype=object),
        texts=texts,
        indptr=np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]),
        word=pairs["h"].copy(),
        start=np.array(starts, dtype=np.int64),
        end=np.array(ends, dtype=np.int64),
        clause=np.array(clause_of, dtype=np.int64),
        content=pairs["c"].copy(),
        clause_ids=clause_ids,
    )


def shingles(words: CorpusWords, n: int, *, min_content: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the word n-grams of every document and where they start.

    Returns ``(hash, position)``: ``position`` indexes the n-gram's first word
    in the concatenated word arrays. N-grams crossing a document boundary, and
    those with fewer than ``min_content`` content words (all stop words, such
    as "at det er for å"), are left out.

    >>> clauses = pd.DataFrame({"clause_id": ["a:0", "b:0"], "doc_id": ["a", "b"], "start": 0, "end": 30,
    ...     "text": ["Vi lagrer navn og adresse her", "Vi lagrer navn og adresse"]})
    >>> h, p = shingles(corpus_words(clauses), 5)
    >>> p.tolist(), bool(h[0] == h[2])
    ([0, 1, 6], True)
    """
    total = words.word.size
    m = total - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    h = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * _ROLL + words.word[k : k + m]
    doc = words.doc_of
    content = np.concatenate([[0], np.cumsum(words.content, dtype=np.int64)])
    start = np.arange(m)
    ok = (doc[start] == doc[start + n - 1]) & (content[start + n] - content[start] >= min_content)
    return h[ok], start[ok]

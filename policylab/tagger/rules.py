"""Rule-based tagging of clauses: topics, legal bases and rights (taxonomy.md).

Every label comes from words of the notice. The cues live in one TOML lexicon per
language (``lexicons/nb.toml``, ``nn.toml``, ``en.toml``); this module only
compiles and applies them. A researcher extends the tagger by editing a lexicon.

How a clause gets a label
-------------------------
1. **Cues.** Each label has groups of cues. A cue is a *stem pattern* matched on
   word boundaries, case-insensitively (``oppbevar*``, ``*lagringstid*``,
   ``trekk* ... samtykk*``: ``*`` stands for letters, ``...`` for up to a few
   words, ``(a|b)`` for alternatives, ``~ord`` for the Snowball stem of *ord*
   followed by any letters), or a regular expression (``re``) for structural
   cues. Each group has a ``weight`` (the score of one cue).
2. **Context.** A group may name ``requires`` (some pattern must occur in the
   same sentence: rights need a person-oriented cue such as "du kan", "be om"),
   ``unless`` (no such pattern in the same sentence: "samtykke" is no legal basis
   in a sentence about withdrawing it) and ``not_in`` (the cue must not lie inside
   such a match: "annen behandlingsansvarlig" names no controller). ``@name``
   refers to a named list in the lexicon's ``[context]``. ``or_under`` lets the
   clause's headings stand in for ``requires`` ("• Retting: Få rettet ..." under
   "Dine rettigheter"), and ``enough = n`` lets n distinct cues of the group in
   one clause do so (a list of three data items is a statement of categories).
3. **Article references** ("GDPR artikkel 6 (1) f", "art. 6 nr. 1 bokstav b og
   f", "Article 6(1)(a)") map each letter to its legal basis (``[articles]``).
4. **Scores.** Several distinct cues of one label combine as a noisy-or:
   ``1 - prod(1 - weight)``.
5. **Headings.** A clause inherits the *topics* of its headings (section path,
   nearest first) with a lower score (``[scores] inherit``), source ``heading``,
   its cue being the heading's cue words. Rights are inherited only from the
   nearest heading and only where that heading itself names a right ("Rett til
   innsyn"); legal bases are never inherited. A clause does not inherit a label
   whose cue it contains but that its context vetoed (``unless``/``not_in``),
   nor one whose ``blocks`` patterns it matches ("besvares ... innen 30 dager"
   under a retention heading is a response deadline).

6. **Title.** A title that names a topic rather than the notice ("Cookies og
   lovtekst", not "Personvernerklæring": ``[title] general``) passes its topics
   to every clause with the lowest score (``[title] inherit``).

7. **Lead-ins.** A list item takes the ``[lead_in] topics`` that its lead-in
   (the paragraph just before the list, matching ``[lead_in] match``: "...
   til følgende formål:") has from the words of its last sentence, the one
   that opens the list, source ``heading``: the items
   of "Formål:" are purposes even when they are bare verb phrases ("• Beregne og
   rapportere brukerantall").

Boilerplate clauses and the notice's title (heading of level 0) get no labels.

Examples
--------
>>> tag_text("Vi lagrer opplysningene i to år.", language="nb")[["dimension", "label", "cue"]].values.tolist()
[['topic', 'retention', 'lagrer opplysningene i to år']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..labels import DIMENSION_DTYPE, LABEL_DTYPE, LABELS_BY_DIMENSION, SOURCE_DTYPE
from .inheritance import _ancestors, _contact_blocks, _Inheritance, _lead_ins, _requires_from_headings, _taggable, _topical_title
from .lexicon import LANGUAGES, _lexicon
from .matching import _direct_labels, _implied, _score

__all__ = ["TAG_COLUMNS", "tag_clauses", "tag_document", "tag_frame", "tag_rows", "tag_text"]

#: Columns of the frames this module returns (the first six are tables.md's).
TAG_COLUMNS = [
    "clause_id", "doc_id", "dimension", "label", "score", "cue",
    "source", "cue_start", "cue_end", "from_clause",
]

_DIM_ORDER = {d: i for i, d in enumerate(LABELS_BY_DIMENSION)}
_LABEL_ORDER = {(d, lab): i for d, labs in LABELS_BY_DIMENSION.items() for i, lab in enumerate(labs)}


def _frame(rows: list[tuple]) -> pd.DataFrame:
    """The output table from row tuples in TAG_COLUMNS order (typed column by column:
    ``DataFrame.astype`` costs more than the tagging of a short notice)."""
    cols = list(zip(*rows)) if rows else [()] * len(TAG_COLUMNS)
    data = {
        "clause_id": pd.array(cols[0], dtype="str"),
        "doc_id": pd.array(cols[1], dtype="str"),
        "dimension": pd.Categorical(cols[2], dtype=DIMENSION_DTYPE),
        "label": pd.Categorical(cols[3], dtype=LABEL_DTYPE),
        "score": np.asarray(cols[4], dtype="float64"),
        "cue": pd.array(cols[5], dtype="str"),
        "source": pd.Categorical(cols[6], dtype=SOURCE_DTYPE),
        "cue_start": pd.array(cols[7], dtype="Int64"),
        "cue_end": pd.array(cols[8], dtype="Int64"),
        "from_clause": pd.array(cols[9], dtype="str"),
    }
    return pd.DataFrame(data)


def _empty() -> pd.DataFrame:
    return _frame([])


def _column(clauses, name: str) -> list | None:
    """One column of a clauses frame or dict of lists, as a list (None when absent)."""
    if name not in clauses:
        return None
    values = clauses[name]
    return values.tolist() if hasattr(values, "tolist") else list(values)



def tag_document(clauses_of_one_doc: pd.DataFrame, *, language: str) -> pd.DataFrame:
    """Label the clauses of one notice (the per-notice step of ``build``).

    Parameters
    ----------
    clauses_of_one_doc
        Clauses of one notice in document order, with at least ``clause_id,
        doc_id, text``; ``kind, level, section, start`` are used when present
        (boilerplate and the title get no labels; ``section`` drives heading
        inheritance; ``start`` turns cue offsets into document offsets).
    language
        ``nb``, ``nn`` or ``en``: which lexicon to use; ``""`` is bokmål.
        A language without a lexicon (a Danish notice in a corpus) gets no
        tags (:func:`policylab.languages.resolve`), never a foreign lexicon's.

    Returns
    -------
    DataFrame with :data:`TAG_COLUMNS`: one row per (clause, dimension, label);
    ``cue_start``/``cue_end`` are document offsets of the first cue (of the
    heading's cue for inherited labels), ``from_clause`` the clause whose words
    gave the label.

    Examples
    --------
    >>> from policylab.segment import segment_document
    >>> text = "Personvern\\n\\nOppbevaringstid\\n\\nVi sletter dataene etter fem år.\\n\\nDet gjelder kopier.\\n\\nKrav besvares innen 30 dager."
    >>> tags = tag_document(segment_document("d", text), language="nb")
    >>> tags[["clause_id", "label", "source"]].values.tolist()
    [['d:0001', 'retention', 'rule'], ['d:0002', 'retention', 'rule'], ['d:0003', 'retention', 'heading']]
    """
    return _frame(tag_rows(clauses_of_one_doc, language=language))


def tag_frame(rows: list[tuple]) -> pd.DataFrame:
    """The labels table from the row tuples of :func:`tag_rows` (of one notice or many).

    >>> rows = tag_rows({"clause_id": ["x:0000"], "doc_id": ["x"], "text": ["Du kan kreve innsyn."]}, language="nb")
    >>> tag_frame(rows)[["clause_id", "label", "cue_start"]].values.tolist()
    [['x:0000', 'rights', 13], ['x:0000', 'access', 13]]
    """
    return _frame(rows)


def tag_rows(clauses_of_one_doc, *, language: str) -> list[tuple]:
    """The rows of :func:`tag_document` as tuples in :data:`TAG_COLUMNS` order.

    ``clauses_of_one_doc`` is a clauses frame or a dict of column lists
    (:func:`policylab.segment.segment_columns`); ``build`` frames many notices'
    rows at once.

    >>> tag_rows({"clause_id": ["x:0000"], "doc_id": ["x"], "text": ["Du kan kreve innsyn."]}, language="nb")[1][:4]
    ('x:0000', 'x', 'right', 'access')
    """
    from ..languages import resolve

    # One rule for every caller (policylab.languages.resolve): no language is
    # bokmål, a language without a lexicon gets no tags (never a foreign lexicon's).
    profile = resolve(language)
    if not profile.tagged:
        return []
    language = profile.code
    lex = _lexicon(language)
    raw_texts = _column(clauses_of_one_doc, "text") or []
    n = len(raw_texts)
    if n == 0:
        return []
    kinds = _column(clauses_of_one_doc, "kind") or ["paragraph"] * n
    levels = _column(clauses_of_one_doc, "level") or [None] * n
    keep = _taggable(kinds, levels)
    title = _topical_title(kinds, levels, raw_texts, keep, lex)
    # The title is tagged (its topics may pass down) but gets no rows of its own.
    texts = [str(t) if keep[i] or i == title else "" for i, t in enumerate(raw_texts)]
    is_heading = [k == "heading" for k in kinds]
    sections = [str(s) if isinstance(s, str) else "" for s in _column(clauses_of_one_doc, "section") or [""] * n]
    offsets = [int(s) for s in _column(clauses_of_one_doc, "start") or [0] * n]
    ids = [str(c) for c in _column(clauses_of_one_doc, "clause_id")]
    doc_ids = [str(d) for d in _column(clauses_of_one_doc, "doc_id")]

    # 1. What each clause's own words say (cues in their context, article references).
    accepted, suppressed, pending, context = _direct_labels(texts, is_heading, lex)
    _implied(accepted, lex)
    # 2. Cues that need a person-oriented context may take it from the headings above.
    ancestors = _ancestors(sections, is_heading, [str(t) for t in raw_texts])
    _requires_from_headings(pending, accepted, ancestors)
    if pending:
        _implied(accepted, lex)
    # 3. What each clause takes from its headings, its list's lead-in and the title.
    passes = _Inheritance(lex, texts, keep, accepted, suppressed, context, ancestors,
                          _lead_ins(kinds, sections, texts, keep, lex), title)
    # 4. Lines of contact details under "Personvernombud:" or "Klage:" are the officer's
    #    or the authority's, not the controller's.
    blocks = _contact_blocks(kinds, sections, texts, keep, accepted)
    rows = []
    for i in range(n):
        if not keep[i]:
            continue
        opener = blocks[i]
        owner = None
        if opener is not None and opener != i:
            owner = next(k for k in (("topic", "complaint"), ("topic", "dpo")) if k in accepted[opener])
            # the officer's or authority's lines: no controller, and no other owner's label from a heading
            dropped = {("topic", "controller"), ("topic", "dpo"), ("topic", "complaint")} - {owner}
        for key, hit in accepted[i].items():
            if owner is not None and key == ("topic", "controller"):
                continue
            s, e = hit.span
            rows.append((ids[i], doc_ids[i], key[0], key[1], _score(hit), " | ".join(hit.cues), "rule",
                         offsets[i] + s, offsets[i] + e, ids[i]))
        if lex.column_titles is not None and kinds[i] == "table_row" and lex.column_titles.match(texts[i]):
            continue  # a table's row of column titles says nothing of its own
        inherited = passes.inherit(i)
        if owner is not None:
            inherited = {k: v for k, v in inherited.items() if k not in dropped}
            if owner not in accepted[i]:
                hit = accepted[opener][owner]
                inherited[owner] = (min(_score(hit), lex.inherit[0]), opener, hit)
        for key, (score, a, hit) in inherited.items():
            s, e = hit.span
            rows.append((ids[i], doc_ids[i], key[0], key[1], score, " | ".join(hit.cues), "heading",
                         offsets[a] + s, offsets[a] + e, ids[a]))
    # Rows are built clause by clause; order them by dimension and label within a clause.
    position = {c: i for i, c in enumerate(ids)}
    rows.sort(key=lambda r: (position[r[0]], _DIM_ORDER[r[2]], _LABEL_ORDER[(r[2], r[3])]))
    return rows


def _language_of(text: str) -> str:
    from ..corpus import detect_language

    code = detect_language(text)
    return code if code in LANGUAGES else "nb"


def tag_clauses(
    clauses: pd.DataFrame, *, language: str | None = None, documents: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Label every clause of a ``clauses`` table (any number of notices).

    Parameters
    ----------
    clauses
        A clauses table (tables.md), clauses of each notice in document order.
    language
        Lexicon for notices whose language is not known from ``documents``.
        Default ``"nb"``.
    documents
        A documents table; its ``language`` column picks the lexicon per notice
        (empty languages fall back to ``language``; a language without a
        lexicon gets no tags).

    Returns
    -------
    DataFrame with :data:`TAG_COLUMNS` (see :func:`tag_document`).

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"clause_id": ["x:0000"], "doc_id": ["x"], "text": ["Du kan kreve innsyn."]})
    >>> tag_clauses(c)[["dimension", "label"]].values.tolist()
    [['topic', 'rights'], ['right', 'access']]
    """
    if len(clauses) == 0:
        return _empty()
    fallback = language or "nb"
    languages: dict[str, str] = {}
    if documents is not None and "language" in documents:
        languages = {str(d): str(lang) for d, lang in zip(documents["doc_id"], documents["language"])}
    frames = []
    for doc_id, group in clauses.groupby("doc_id", sort=False):
        lang = languages.get(str(doc_id), "")
        frames.append(tag_document(group, language=lang or fallback))
    frames = [f for f in frames if len(f)]
    if not frames:
        return _empty()
    return pd.concat(frames, ignore_index=True)


def _snippet_clauses(text: str) -> pd.DataFrame:
    """Clauses of a snippet. A snippet has no title: a first heading stays a heading."""
    try:
        from ..segment import segment_document
    except ImportError:  # pragma: no cover - segment.py ships with the package
        return pd.DataFrame({"clause_id": ["snippet:0000"], "doc_id": ["snippet"], "kind": ["paragraph"],
                             "section": [""], "start": [0], "text": [text]})
    clauses = segment_document("snippet", text).copy()
    titles = (clauses["kind"] == "heading") & (clauses["level"].fillna(-1) == 0)
    if titles.any():
        title_pos = int(titles.to_numpy().nonzero()[0][0])
        title = clauses.at[title_pos, "text"]
        clauses["level"] = clauses["level"].astype("Int64")
        clauses.at[title_pos, "level"] = 1
        after = (clauses.index >= title_pos) & (clauses["section"] == "")
        clauses.loc[after, "section"] = title
        clauses.loc[after, "heading"] = title
    return clauses


def tag_text(text: str, *, language: str | None = None) -> pd.DataFrame:
    """Label a snippet of notice text the way :func:`tag_document` labels a notice.

    The snippet is segmented into clauses (doc_id ``"snippet"``); its language is
    detected when not given.

    Parameters
    ----------
    text
        Any text: a sentence, a section, a whole notice.
    language
        ``nb``, ``nn`` or ``en``; ``None`` detects it (falling back to ``nb``).

    Returns
    -------
    DataFrame with :data:`TAG_COLUMNS`, offsets into ``text``.

    Examples
    --------
    >>> tag_text("Du kan trekke tilbake samtykket ditt når som helst.")["label"].tolist()
    ['consent_withdrawal']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    if not text.strip():
        return _empty()
    lang = language if language is not None else _language_of(text)
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    return tag_document(_snippet_clauses(text), language=lang)

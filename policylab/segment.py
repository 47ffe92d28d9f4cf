"""Segmenting a notice into clauses that keep exact character offsets.

A clause is a heading, a paragraph, a list item, a table row, or boilerplate
(breadcrumbs, cookie banners, site notices that are not part of the notice).
Segmentation is lossless: ``text[start:end] == clause text`` for every clause, and
every non-white-space character of the notice lies in exactly one clause.

How the layout is read (cues in ``lexicons/segment.toml``):

1. Blank lines separate blocks. Inside a block, list items, table rows,
   Markdown and numbered headings stand on their own line; other lines join into
   one paragraph while they read as one (a line that ends without end punctuation
   and is continued in lower case, or a long wrapped line), and otherwise each
   line is a paragraph of its own.
2. A heading is a Markdown heading (``## Innsyn``), a numbered heading (``2.3
   Leveranse av produkter``), an ALL-CAPS line, or a short line without end
   punctuation that is followed by body text (``Behandlingsansvarlig``,
   ``Hvordan oppbevares opplysningene?``).
3. Numbered headings nest by their numbers, Markdown headings by their ``#``
   count; the first heading of a notice, before any body text, is its title
   (level 0) and stays out of the section path.
4. Boilerplate patterns mark clauses; a heading whose whole section is
   boilerplate ("Obs!" above a site notice) is boilerplate too.

Examples
--------
>>> clauses = segment_document("demo", "PERSONVERN\\n\\n1 Innsyn\\n\\n• Du kan kreve innsyn\\n")
>>> clauses[["clause_id", "kind", "level", "section", "text"]].values.tolist()
[['demo:0000', 'heading', 0, '', 'PERSONVERN'], ['demo:0001', 'heading', 1, '1 Innsyn', '1 Innsyn'], ['demo:0002', 'list_item', <NA>, '1 Innsyn', '• Du kan kreve innsyn']]
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from . import scan
from .tokenize import NORWEGIAN_ABBREVIATIONS, count_sentences, words

__all__ = ["CLAUSE_COLUMNS", "CLAUSE_KINDS", "clause_frame", "segment_columns", "segment_document", "segment_documents", "segment_with_words"]

CLAUSE_KINDS = ("heading", "paragraph", "list_item", "table_row", "boilerplate")
CLAUSE_COLUMNS = [
    "clause_id", "doc_id", "position", "kind", "level", "section", "heading",
    "start", "end", "text", "n_words", "n_sentences", "page",
]
SECTION_SEPARATOR = " > "
#: Most headings a ``section`` path holds: the outermost ones and the clause's
#: nearest heading. Deeper numbering ("1.1.1.1.1.1.1.1.1") keeps its ``level``
#: but drops the middle of the path, so no clause carries a path that grows
#: with the depth of the notice (quadratic in characters).
MAX_SECTION_DEPTH = 8
#: Longest heading text kept in ``section`` and ``heading`` (cut with "…"); the
#: heading clause itself keeps its whole text.
MAX_PATH_HEADING_CHARS = 200
# The columns of a clause row; ``page`` is filled from the reader's pages afterwards.
_ROW_COLUMNS = [c for c in CLAUSE_COLUMNS if c != "page"]

_END_PUNCT = ".,;:"
_MD_HEADING = re.compile(r"^(#{1,6})\s+\S")
# "2.3 Leveranse", "1 Ansvarlig for ...", "7.1. Informasjon"; components of one
# or two digits so that a postcode ("0667 Oslo") is not a heading.
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)(\.?)\s+(?=[^\W\d_]|«|\")")


@dataclass(frozen=True)
class _Rules:
    max_chars: int
    max_words: int
    never_heading: re.Pattern
    title_max_words_before: int
    section_openers: re.Pattern
    list_item: re.Pattern
    table_row: re.Pattern
    boilerplate: tuple[re.Pattern, ...]
    # Which boilerplate patterns can match in a notice at all: one scan of the
    # notice instead of every pattern over every clause (None without hyperscan).
    boilerplate_filter: "scan.Prefilter | None"


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    raw = tomllib.loads(resources.files("policylab").joinpath("lexicons/segment.toml").read_text("utf-8"))
    heading = raw["heading"]
    boilerplate = tuple(re.compile(b["pattern"]) for b in raw["boilerplate"])
    return _Rules(
        max_chars=int(heading["max_chars"]),
        max_words=int(heading["max_words"]),
        never_heading=re.compile("|".join(f"(?:{p})" for p in heading["never"])),
        title_max_words_before=int(raw["title"]["max_words_before"]),
        section_openers=re.compile(raw["title"]["section_openers"]),
        list_item=re.compile(raw["list_item"]["pattern"]),
        table_row=re.compile(raw["table_row"]["cell_separator"]),
        boilerplate=boilerplate,
        boilerplate_filter=scan.prefilter((p, i) for i, p in enumerate(boilerplate)),
    )


@dataclass
class _Unit:
    start: int
    end: int
    kind: str  # paragraph | list_item | table_row | heading
    block: int
    first_in_block: bool = True
    lines: int = 1
    level: int | None = None
    numbered: bool = False
    markdown: int = 0
    boilerplate: bool = False
    # Where the unit's last line starts (after its newline, indent included):
    # joining a wrapped line looks at that line only, never at the whole unit.
    last_line: int = 0
    extra: dict = field(default_factory=dict)


def _lines(text: str) -> list[tuple[int, int, int]]:
    """(start, end, indent) of each line's content without surrounding white space."""
    out = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        line_end = n if nl == -1 else nl
        line = text[pos:line_end]
        content = line.lstrip()
        s = line_end - len(content)
        e = s + len(content.rstrip())
        out.append((s, e, s - pos))
        if nl == -1:
            break
        pos = nl + 1
    return out


def _is_caps_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _units(text: str, rules: _Rules) -> list[_Unit]:
    units: list[_Unit] = []
    block = 0
    current: list[tuple[int, int, int]] = []

    def close_block() -> None:
        nonlocal block
        if current:
            units.extend(_block_units(text, current, block, rules))
            block += 1
            current.clear()

    for s, e, indent in _lines(text):
        if s == e:
            close_block()
        else:
            current.append((s, e, indent))
    close_block()
    return units


def _block_units(text: str, lines: list[tuple[int, int, int]], block: int, rules: _Rules) -> list[_Unit]:
    contents = [text[s:e] for s, e, _ in lines]
    # A table without separators: an ALL-CAPS header of several words over rows
    # that are not sentences (Resultat24's "OPPLYSNINGSKATEGORI SPESIFISERING ...").
    caps_table = (
        len(lines) >= 3
        and _is_caps_line(contents[0])
        and len(contents[0].split()) >= 2
        and not any(c.rstrip().endswith(".") for c in contents[1:])
    )
    out: list[_Unit] = []
    for (s, e, indent), line in zip(lines, contents):
        md = _MD_HEADING.match(line)
        if caps_table or rules.table_row.search(line):
            kind = "table_row"
        elif md:
            kind = "heading"
        elif rules.list_item.match(line) and not (not out and _numbered_heading(line, rules, alone=len(lines) == 1)):
            kind = "list_item"
        elif not out and _numbered_heading(line, rules, alone=len(lines) == 1):
            kind = "heading"
        else:
            kind = "text"
        prev = out[-1] if out else None
        if kind == "text" and prev is not None and prev.kind in ("text", "list_item") and _continues(text, prev, line, indent):
            prev.end = e
            prev.lines += 1
            prev.last_line = s - indent
            continue
        unit = _Unit(start=s, end=e, kind=kind, block=block, first_in_block=not out, last_line=s)
        if md:
            unit.markdown = len(md.group(1))
        elif kind == "heading":
            unit.numbered = True
        out.append(unit)
    return out


def _numbered_heading(line: str, rules: _Rules, *, alone: bool) -> bool:
    m = _NUMBERED.match(line)
    if not m:
        return False
    number, dot = m.group(1), m.group(2)
    if "." not in number and dot and not alone:
        return False  # "1. item" inside a block is a list item
    rest = line[m.end():]
    return _short_title(rest, rules)


def _short_title(line: str, rules: _Rules) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    # "... samarbeidspartnere mv." ends in an abbreviation, not a full stop.
    ends_in_abbreviation = stripped.endswith(".") and stripped.split()[-1][:-1].lower() in NORWEGIAN_ABBREVIATIONS
    return (
        len(stripped) <= rules.max_chars
        and len(stripped.split()) <= rules.max_words
        and (stripped[-1] not in _END_PUNCT or ends_in_abbreviation)
        and not rules.never_heading.search(stripped)
    )


def _continues(text: str, prev: _Unit, line: str, indent: int) -> bool:
    """Whether ``line`` continues the paragraph or list item ``prev``."""
    # Only the last character and the last line's length of ``prev`` are read:
    # a paragraph of many wrapped lines is never copied (linear in its lines).
    last = text[prev.end - 1]
    first = line[0]
    if prev.kind == "list_item":
        # An indented line that is not a bullet continues the item.
        return indent > 0 and not first.isupper()
    if last in ".!?:;»\"”)":
        return False
    return first.islower() or last == "," or prev.end - prev.last_line >= 60


def _heading_candidate(text: str, unit: _Unit, nxt: _Unit | None, rules: _Rules) -> bool:
    if unit.kind != "text" or unit.lines > 1 or nxt is None:
        return False
    line = text[unit.start:unit.end]
    if not line[0].isupper() and not line[0].isdigit() and line[0] not in "«\"'":
        return False
    if line[-1] == "!" and len(line.split()) > 3:
        return False
    if not _short_title(line, rules):
        return False
    if _is_caps_line(line):
        return True
    alone = nxt.block != unit.block and unit.first_in_block
    if alone:
        return True
    # A heading directly above its body text in the same block.
    body = text[nxt.start:nxt.end]
    return unit.first_in_block and nxt.kind == "text" and len(body) >= 60 and body[-1] in ".!?:"


def segment_document(doc_id: str, text: str, structure=None) -> pd.DataFrame:
    """The clauses of one notice, in document order.

    Parameters
    ----------
    doc_id
        Identifier of the notice; clause ids are ``f"{doc_id}:{position:04d}"``.
    text
        The decoded notice (``documents.text``), newlines normalised to ``\\n``.
    structure
        What the notice's reader found (a :class:`policylab.readers.Reading`),
        used before the layout is guessed from the text (see :func:`segment_with_words`).

    Returns
    -------
    DataFrame with the columns of :data:`CLAUSE_COLUMNS`.

    Examples
    --------
    >>> c = segment_document("x", "Innsyn\\nDu har rett til innsyn i opplysningene vi har lagret om deg.")
    >>> c[["kind", "heading"]].values.tolist()
    [['heading', 'Innsyn'], ['paragraph', 'Innsyn']]
    """
    return clause_frame(segment_with_words(doc_id, text, structure)[0])


def segment_columns(doc_id: str, text: str) -> dict[str, list]:
    """The clauses of :func:`segment_document` as one list per column (``build``
    joins many notices' lists and makes one frame of them).

    >>> segment_columns("x", "Innsyn\\nDu har rett til innsyn i opplysningene vi har lagret om deg.")["kind"]
    ['heading', 'paragraph']
    """
    return segment_with_words(doc_id, text)[0]


def segment_with_words(doc_id: str, text: str, structure=None) -> tuple[dict[str, list], list[list[str]]]:
    """:func:`segment_columns` and the words of each clause (``build`` hands them
    to readability, which would otherwise find them again).

    ``structure`` is what a reader found (a :class:`policylab.readers.Reading`
    or its blocks): each block becomes one clause of its kind and headings keep
    the reader's levels; the layout is guessed from the text only where the
    reader found no structure (plain text, PDF) or no heading (paragraphs are
    then checked for headings as in plain text). A reading with pages fills
    the ``page`` column.

    >>> segment_with_words("x", "Innsyn")[1]
    [['Innsyn']]
    """
    rules = _rules()
    blocks = getattr(structure, "blocks", structure)
    if blocks:
        units = _reader_units(text, blocks)
        guess = not any(u.kind == "heading" for u in units)
    else:
        units = _units(text, rules)
        _check_numbering(text, units)
        guess = True
    boilerplate = rules.boilerplate
    if rules.boilerplate_filter is not None:
        boilerplate = [boilerplate[i] for i in sorted(rules.boilerplate_filter.possible(text))]
    for i, unit in enumerate(units):
        nxt = units[i + 1] if i + 1 < len(units) else None
        if guess and _heading_candidate(text, unit, nxt, rules):
            unit.kind = "heading"
        elif unit.kind == "text":
            unit.kind = "paragraph"
        # On the clause's own text: "^" anchors at the clause, not at the notice.
        unit.boilerplate = bool(boilerplate) and any(p.search(text[unit.start:unit.end]) for p in boilerplate)
    _mark_boilerplate_sections(units)
    if blocks and not guess:
        _assign_reader_levels(text, units, rules)
    else:
        _assign_levels(text, units, rules)
    clause_words: list[list[str]] = []
    columns = _columns(doc_id, text, units, clause_words)
    page_of = getattr(structure, "page_of", None) if getattr(structure, "pages", ()) else None
    columns["page"] = [page_of(start) for start in columns["start"]] if page_of else [None] * len(columns["start"])
    return columns, clause_words


def _reader_units(text: str, blocks) -> list[_Unit]:
    """One unit per block of a reader; headings carry the reader's level."""
    units = []
    for i, b in enumerate(blocks):
        kind = "text" if b.kind == "paragraph" else b.kind
        units.append(_Unit(start=b.start, end=b.end, kind=kind, block=i, lines=text.count("\n", b.start, b.end) + 1,
                           markdown=(b.level or 1) if kind == "heading" else 0))
    return units


def _assign_reader_levels(text: str, units: list[_Unit], rules: _Rules) -> None:
    """Levels of a reader's headings; the first is the title (level 0) when no body
    text comes before it and it ranks above every other heading (a lone ``<h1>``)."""
    headings = [u for u in units if u.kind == "heading" and not u.boilerplate]
    for unit in headings:
        unit.level = unit.markdown
    if not headings:
        return
    first = headings[0]
    body_before = any(
        u.kind != "heading" and not u.boilerplate and len(text[u.start:u.end].split()) > rules.title_max_words_before
        for u in units if u.start < first.start
    )
    if not body_before and all(first.level < u.level for u in headings[1:]):
        first.level = 0


def _check_numbering(text: str, units: list[_Unit]) -> None:
    """Keep a numbered heading only where it follows the notice's numbering.

    "24 Center AS" opens with a number but is not section 24: a top-level number
    must be 1 or continue the last one (the same, or one more).
    """
    last_top = 0
    for unit in units:
        if not unit.numbered:
            continue
        number = _NUMBERED.match(text[unit.start:unit.end]).group(1)
        top = int(number.split(".")[0])
        if top in (1, last_top, last_top + 1) and not (top == last_top and "." not in number):
            last_top = top
        else:
            unit.kind, unit.numbered = "text", False


def _mark_boilerplate_sections(units: list[_Unit]) -> None:
    """A heading whose whole section is boilerplate is boilerplate too.

    A section runs up to the next heading that no boilerplate pattern marked.
    One backward pass (linear in the number of clauses, not headings times
    clauses): the flags read are those the patterns set, as before.
    """
    marked = [u.boilerplate for u in units]
    body_seen, body_all = False, True
    for i in range(len(units) - 1, -1, -1):
        unit = units[i]
        if unit.kind == "heading" and not marked[i]:
            if body_seen and body_all:
                unit.boilerplate = True
            body_seen, body_all = False, True
        else:
            body_seen = True
            body_all = body_all and marked[i]


def _assign_levels(text: str, units: list[_Unit], rules: _Rules) -> None:
    title_done = False
    inside_numbered = 0
    for unit in units:
        if unit.boilerplate:
            continue
        line = text[unit.start:unit.end]
        if unit.kind != "heading":
            if len(line.split()) > rules.title_max_words_before:
                title_done = True
            continue
        if not title_done:
            title_done = True
            if not unit.numbered and not rules.section_openers.match(line.lstrip("# ")):
                unit.level = 0
                continue
        if unit.markdown:
            unit.level = unit.markdown
        elif unit.numbered:
            number = _NUMBERED.match(line).group(1)
            unit.level = number.count(".") + 1
            inside_numbered = unit.level
        elif inside_numbered:
            unit.level = inside_numbered + 1
        else:
            unit.level = 1


def _path_name(heading: str) -> str:
    """A heading as it stands in ``section`` and ``heading``: cut to
    :data:`MAX_PATH_HEADING_CHARS` characters (the clause text keeps it whole)."""
    if len(heading) <= MAX_PATH_HEADING_CHARS:
        return heading
    return heading[: MAX_PATH_HEADING_CHARS - 1] + "…"


def _columns(doc_id: str, text: str, units: list[_Unit], clause_words: list[list[str]]) -> dict[str, list]:
    rows = []
    stack: list[tuple[int, str]] = []
    title = ""
    # ``section`` and ``heading`` change only at headings: one string each per
    # heading, shared by the clauses under it (never joined again per clause).
    section, heading = "", ""
    for position, unit in enumerate(units):
        clause = text[unit.start:unit.end]
        kind = "boilerplate" if unit.boilerplate else unit.kind
        if kind == "heading":
            if unit.level == 0:
                title = _path_name(clause)
            else:
                while stack and stack[-1][0] >= unit.level:
                    stack.pop()
                # The path keeps the outermost headings and the clause's own:
                # a notice numbered 40 levels deep does not carry 40 headings
                # (and their square in characters) on every clause.
                del stack[MAX_SECTION_DEPTH - 1:]
                stack.append((unit.level, _path_name(clause)))
            section = SECTION_SEPARATOR.join(h for _, h in stack)
            heading = stack[-1][1] if stack else title
        clause_words.append(words(clause))
        rows.append(
            (
                f"{doc_id}:{position:04d}", doc_id, position, kind,
                unit.level if kind == "heading" else None,
                section, heading, unit.start, unit.end, clause,
                len(clause_words[-1]), count_sentences(clause),
            )
        )
    columns = list(zip(*rows)) if rows else [()] * len(_ROW_COLUMNS)
    return {name: list(values) for name, values in zip(_ROW_COLUMNS, columns)}


def clause_frame(columns: dict[str, list]) -> pd.DataFrame:
    """The clauses table from column lists (:func:`segment_columns`, or several
    notices' lists joined), typed column by column: a per-column ``astype`` costs
    more than the segmentation.

    >>> clause_frame(segment_columns("x", "Innsyn")).dtypes["level"]
    Int64Dtype()
    """
    data: dict = {}
    for name in CLAUSE_COLUMNS:
        values = columns[name] if name in columns else [None] * len(columns["clause_id"])
        if name in ("position", "start", "end", "n_words", "n_sentences"):
            data[name] = np.asarray(values, dtype="int64")
        elif name in ("level", "page"):
            data[name] = pd.array(values, dtype="Int64")
        else:
            data[name] = pd.array(values, dtype="str")
    return pd.DataFrame(data, columns=CLAUSE_COLUMNS)


def segment_documents(documents: pd.DataFrame) -> pd.DataFrame:
    """Clauses of every notice of a ``documents`` table, concatenated.

    >>> from policylab.corpus import read_corpus
    >>> docs, _ = read_corpus()
    >>> clauses = segment_documents(docs)
    >>> sorted(clauses["kind"].unique())
    ['boilerplate', 'heading', 'list_item', 'paragraph', 'table_row']
    """
    frames = [segment_document(d, t) for d, t in zip(documents["doc_id"], documents["text"])]
    if not frames:
        return segment_document("", "")
    return pd.concat(frames, ignore_index=True)

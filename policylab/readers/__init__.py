"""Reading notices in every format: decoding, one reader per format, folders,
metadata and language detection.

``READERS`` maps a file suffix to its reader; each reader returns a
:class:`Reading` (the text free of markup, every offset refers to it, plus the
:class:`Block` structure the segmenter uses before it guesses). See
:mod:`policylab.readers.types` for the structure contract.

Examples
--------
>>> r = read_bytes("x.html", b"<h1>Personvern</h1><table><tr><td>_ga</td><td>2 \\xc3\\xa5r</td></tr></table>")
>>> r.text, [b.kind for b in r.blocks]
('Personvern\\n\\n_ga | 2 år', ['heading', 'table_row'])
"""

from .corpus import (
    BUNDLED_CORPUS,
    DOCUMENT_COLUMNS,
    PROBLEM_COLUMNS,
    PlannedNotice,
    document_record,
    documents_frame,
    list_notices,
    plan_corpus,
    problems_frame,
    read_corpus,
    read_notice,
    read_planned,
    read_planned_reading,
)
from .decode import decode_bytes
from .folders import FsspecFolder, LocalFolder, escape_name, is_candidate, problem
from .language import detect_language
from .metadata import METADATA_REQUIRED, read_metadata
from .registry import NOTICE_SUFFIXES, READERS, RECOGNISED_SUFFIXES, check_suffix, read_bytes
from .types import BLOCK_KINDS, Block, NoticeError, PolicylabWarning, Reading

__all__ = [
    "BLOCK_KINDS",
    "BUNDLED_CORPUS",
    "DOCUMENT_COLUMNS",
    "METADATA_REQUIRED",
    "NOTICE_SUFFIXES",
    "PROBLEM_COLUMNS",
    "READERS",
    "RECOGNISED_SUFFIXES",
    "Block",
    "FsspecFolder",
    "LocalFolder",
    "NoticeError",
    "PlannedNotice",
    "PolicylabWarning",
    "Reading",
    "check_suffix",
    "decode_bytes",
    "detect_language",
    "document_record",
    "documents_frame",
    "escape_name",
    "is_candidate",
    "list_notices",
    "plan_corpus",
    "problem",
    "problems_frame",
    "read_bytes",
    "read_corpus",
    "read_metadata",
    "read_notice",
    "read_planned",
    "read_planned_reading",
]

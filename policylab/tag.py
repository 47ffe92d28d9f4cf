"""Rule-based tagging of clauses: the names of :mod:`policylab.tagger`, kept here
so that ``from policylab.tag import ...`` goes on working.

The tagger is the package :mod:`policylab.tagger` (patterns, lexicon, matching,
inheritance, rules); new code imports from there. This module re-exports its
public names and the private ones other modules and tests import.

Examples
--------
>>> from policylab import tag, tagger
>>> tag.tag_rows is tagger.tag_rows
True
"""

from __future__ import annotations

from .tagger import (
    LANGUAGES,
    TAG_COLUMNS,
    lexicon_table,
    tag_clauses,
    tag_document,
    tag_frame,
    tag_rows,
    tag_text,
)
from .tagger.inheritance import (  # noqa: F401 - re-exported for older code
    _HEADING_NUMBER,
    _ancestors,
    _is_zero,
    _lead_ins,
    _numbering_depth,
    _taggable,
    _topical_title,
)
from .tagger.lexicon import (  # noqa: F401 - re-exported for older code
    _compile_lexicon,
    _Group,
    _Label,
    _Lexicon,
    _lexicon,
    _merge,
    _prefilter,
    _Prefilter,
    _raw_lexicon,
    _read_toml,
)
from .tagger.matching import (  # noqa: F401 - re-exported for older code
    _SEP,
    _add,
    _ContextMatches,
    _direct_labels,
    _drop_nested,
    _Hit,
    _implied,
    _lower,
    _score,
    _Sentences,
)
from .tagger.patterns import (  # noqa: F401 - re-exported for older code
    _ESCAPE,
    _FLAGS,
    _LEADING,
    _LOOKBEHIND,
    _MACRO,
    _NONWORD,
    _WORDCHAR,
    _caseless,
    _column_titles,
    _Compiler,
    _Finder,
    _split_alternatives,
    _split_words,
)
from .tagger.rules import (  # noqa: F401 - re-exported for older code
    _DIM_ORDER,
    _LABEL_ORDER,
    _column,
    _empty,
    _frame,
    _language_of,
    _snippet_clauses,
)

__all__ = ["TAG_COLUMNS", "LANGUAGES", "tag_clauses", "tag_document", "tag_frame", "tag_rows", "tag_text", "lexicon_table"]

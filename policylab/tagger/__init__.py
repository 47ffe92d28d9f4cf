"""The tagger: topics, legal bases and rights of clauses (taxonomy.md).

One module per step, composed by :func:`~policylab.tagger.rules.tag_rows`:

- :mod:`~policylab.tagger.patterns`: the lexicon's cue patterns compiled to
  regular expressions (stem patterns, alternatives, gaps, macros);
- :mod:`~policylab.tagger.lexicon`: the TOML lexicon of each language read,
  merged, compiled and cached, with the hyperscan prefilter; :func:`lexicon_table`;
- :mod:`~policylab.tagger.matching`: the labels a clause takes from its own
  words (cues in their context, article references, implied labels, scores);
- :mod:`~policylab.tagger.inheritance`: which clauses pass labels to which
  (headings, lead-ins, the title);
- :mod:`~policylab.tagger.rules`: the entry points :func:`tag_rows`,
  :func:`tag_frame`, :func:`tag_document`, :func:`tag_clauses`, :func:`tag_text`,
  and how a clause gets a label, step by step.

The learned model that gives each label a confidence (:mod:`policylab.stacked`)
belongs beside the rules. ``policylab.tag`` re-exports these names for older code.

Examples
--------
>>> tag_text("Vi lagrer opplysningene i to år.", language="nb")[["dimension", "label"]].values.tolist()
[['topic', 'retention']]
"""

from .lexicon import LANGUAGES, lexicon_table
from .rules import TAG_COLUMNS, tag_clauses, tag_document, tag_frame, tag_rows, tag_text

__all__ = ["TAG_COLUMNS", "LANGUAGES", "tag_clauses", "tag_document", "tag_frame", "tag_rows", "tag_text", "lexicon_table"]

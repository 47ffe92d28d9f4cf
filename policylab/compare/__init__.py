"""Comparisons between notices: near duplicates, clusters, neighbours, text reuse, lineage.

One module per job, sharing the n-gram features (:mod:`.ngrams`) and one
all-pairs engine (:func:`.engine.pairs`):

- :mod:`.duplicates` -- :func:`near_duplicates`, :func:`document_similarity`
- :mod:`.clustering` -- :class:`ClauseClusterer`, :func:`cluster_clauses`, :func:`cluster_summary`
- :mod:`.neighbours` -- :func:`similar_clauses`
- :mod:`.words`, :mod:`.align`, :mod:`.reuse` -- :func:`text_reuse`: passages two
  notices share, aligned word by word with character offsets
- :mod:`.lineage` -- :func:`lineage`, :func:`lineage_edges`, :func:`family_labels`,
  :func:`outdated_passages`: template families, borrowed shares, direction,
  labels and outdated references travelling with copies
- :mod:`.figures` -- the lineage network and the borrowed-share bars

Headings and boilerplate are left out of clause comparisons unless
``include_kinds`` asks for them: headings such as "Innsyn" recur in every
notice without being copied text.
"""

from ._common import DEFAULT_KINDS, PROGRESS_MIN
from .clustering import (
    AGGLOMERATIVE_MAX, CLUSTER_COLUMNS, NOISE_LABEL, SUMMARY_COLUMNS, ClauseClusterer, cluster_clauses, cluster_summary,
)
from .duplicates import DOCUMENT_SIMILARITY_COLUMNS, NEAR_DUPLICATE_COLUMNS, document_similarity, near_duplicates
from .engine import pairs
from .neighbours import SIMILAR_COLUMNS, UnknownClauseError, similar_clauses
from .reuse import REUSE_COLUMNS, REUSE_KINDS, text_reuse
from .lineage import (
    EDGE_COLUMNS, FAMILY_LABEL_COLUMNS, LINEAGE_COLUMNS, OUTDATED_COLUMNS, family_labels, lineage, lineage_edges,
    outdated_passages, outdated_patterns,
)

__all__ = [
    "AGGLOMERATIVE_MAX", "CLUSTER_COLUMNS", "DEFAULT_KINDS", "DOCUMENT_SIMILARITY_COLUMNS", "NEAR_DUPLICATE_COLUMNS",
    "NOISE_LABEL", "PROGRESS_MIN", "SIMILAR_COLUMNS", "SUMMARY_COLUMNS",
    "ClauseClusterer", "UnknownClauseError", "cluster_clauses", "cluster_summary", "document_similarity", "near_duplicates", "pairs",
    "similar_clauses", "REUSE_COLUMNS", "REUSE_KINDS", "text_reuse",
    "EDGE_COLUMNS", "FAMILY_LABEL_COLUMNS", "LINEAGE_COLUMNS", "OUTDATED_COLUMNS", "family_labels", "lineage",
    "lineage_edges", "outdated_passages", "outdated_patterns",
]

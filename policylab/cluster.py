"""Similar clauses across notices (kept for old imports; the code lives in :mod:`policylab.compare`).

Privacy notices copy from each other and from templates (Datatilsynet's model
texts, web agencies' boilerplate). ``policylab.cluster`` gives the same public
names as before the split: :func:`near_duplicates`, :func:`cluster_clauses` /
:class:`ClauseClusterer`, :func:`similar_clauses`, :func:`cluster_summary`,
:func:`document_similarity` and the column lists.

Examples
--------
The old names are the objects of :mod:`policylab.compare` (examples of their
use are in its modules, e.g. :mod:`policylab.compare.duplicates`):

>>> from policylab import cluster, compare
>>> cluster.near_duplicates is compare.near_duplicates, cluster.ClauseClusterer is compare.ClauseClusterer
(True, True)
"""

from __future__ import annotations

from .compare import *  # noqa: F401,F403
from .compare._common import _eligible, _flat  # noqa: F401  (older code and tests import these)
from .compare.ngrams import _ngram_counts, _ngram_weights  # noqa: F401

# The names policylab.cluster had before the split (the rest: policylab.compare).
__all__ = [
    "AGGLOMERATIVE_MAX", "CLUSTER_COLUMNS", "DEFAULT_KINDS", "DOCUMENT_SIMILARITY_COLUMNS", "NEAR_DUPLICATE_COLUMNS",
    "SIMILAR_COLUMNS", "SUMMARY_COLUMNS", "ClauseClusterer", "cluster_clauses", "cluster_summary",
    "document_similarity", "near_duplicates", "similar_clauses",
]

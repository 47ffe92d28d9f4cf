"""policylab: tidy tables from privacy notices for comparative research.

>>> import policylab
>>> t = policylab.build()
>>> list(t.clauses.columns[:9])
['clause_id', 'doc_id', 'position', 'kind', 'level', 'section', 'heading', 'start', 'end']
"""

from .build import TABLE_NAMES, Tables, build, document_tables
from .cluster import ClauseClusterer, cluster_clauses, cluster_summary, document_similarity, near_duplicates, similar_clauses
from .corpus import BUNDLED_CORPUS, NoticeError, PolicylabWarning, read_corpus, read_notice
from .compare import family_labels, lineage, lineage_edges, outdated_passages, text_reuse
from .coverage import coverage_score, coverage_table
from . import evaluate  # a callable module: policylab.evaluate(...) and policylab.evaluate.outcomes(...)
from .kwic import kwic
from .labels import public_bodies
from .readability import readability, readability_table
from .retention import find_retention_spans, retention_spans
from .segment import segment_document, segment_documents
from .versions import compare_versions
from .tag import lexicon_table, tag_clauses, tag_document, tag_text
from .languages import language_summary  # noqa: I001 - appended, so merges stay simple
from .readers import READERS, read_bytes

__version__ = "0.1.0"

__all__ = [
    "BUNDLED_CORPUS",
    "ClauseClusterer",
    "evaluate",
    "cluster_clauses",
    "cluster_summary",
    "compare_versions",
    "coverage_score",
    "coverage_table",
    "document_similarity",
    "find_retention_spans",
    "kwic",
    "public_bodies",
    "lexicon_table",
    "near_duplicates",
    "readability",
    "readability_table",
    "retention_spans",
    "similar_clauses",
    "tag_clauses",
    "tag_document",
    "tag_text",
    "NoticeError",
    "PolicylabWarning",
    "TABLE_NAMES",
    "Tables",
    "build",
    "document_tables",
    "read_corpus",
    "read_notice",
    "segment_document",
    "segment_documents",
    "text_reuse",
    "lineage",
    "lineage_edges",
    "family_labels",
    "outdated_passages",
    "READERS",
    "read_bytes",
    "language_summary",
]

"""policylab: tidy tables from privacy notices for comparative research.

>>> import policylab
>>> t = policylab.build()
>>> list(t.clauses.columns[:9])
['clause_id', 'doc_id', 'position', 'kind', 'level', 'section', 'heading', 'start', 'end']
"""

from .build import TABLE_NAMES, Tables, build, document_tables
from .corpus import BUNDLED_CORPUS, NoticeError, PolicylabWarning, read_corpus, read_notice
from .segment import segment_document, segment_documents

__version__ = "0.1.0"

__all__ = [
    "BUNDLED_CORPUS",
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
]

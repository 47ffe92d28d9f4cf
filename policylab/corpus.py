"""Reading a folder of privacy notices into the ``documents`` table.

This module is the stable, older face of :mod:`policylab.readers` (one module
per format, folders, metadata, language detection): every name it had is still
here.

Examples
--------
>>> docs, problems = read_corpus(BUNDLED_CORPUS)
>>> int(docs.shape[0]), problems.empty
(21, True)
"""

from __future__ import annotations

from .readers import (
    BUNDLED_CORPUS,
    DOCUMENT_COLUMNS,
    METADATA_REQUIRED,
    NOTICE_SUFFIXES,
    PROBLEM_COLUMNS,
    FsspecFolder,
    NoticeError,
    PolicylabWarning,
    Reading,
    decode_bytes,
    detect_language,
    document_record,
    documents_frame,
    list_notices,
    plan_corpus,
    problems_frame,
    read_bytes,
    read_corpus,
    read_metadata,
    read_notice,
    read_planned,
    read_planned_reading,
)
from .readers.folders import LocalFolder as _LocalFolder
from .readers.folders import is_candidate as _is_candidate

__all__ = [
    "BUNDLED_CORPUS",
    "NOTICE_SUFFIXES",
    "NoticeError",
    "PolicylabWarning",
    "decode_bytes",
    "detect_language",
    "html_to_text",
    "list_notices",
    "read_corpus",
    "read_metadata",
    "read_notice",
]

#: The older name of :class:`policylab.readers.Reading`.
Notice = Reading


def html_to_text(html: str) -> str:
    """Plain text of an HTML notice, one block per line (blank lines between).

    >>> html_to_text("<h2>Innsyn</h2><script>x()</script><ul><li>Du kan kreve innsyn</li></ul>")
    'Innsyn\\n\\nDu kan kreve innsyn'
    """
    from .readers.html import read_html

    return read_html(html).text


def notice_from_bytes(name: str, data: bytes) -> Reading:
    """Read the bytes of the notice file ``name`` with the reader of its suffix.

    >>> notice_from_bytes("a.html", b"<p>Vi lagrer <b>navn</b>.</p>").text
    'Vi lagrer navn.'
    """
    return read_bytes(name, data)


_ = (DOCUMENT_COLUMNS, METADATA_REQUIRED, PROBLEM_COLUMNS, FsspecFolder, document_record, documents_frame,
     plan_corpus, problems_frame, read_planned, read_planned_reading, _LocalFolder, _is_candidate)

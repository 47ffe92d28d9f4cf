"""Reading a folder of privacy notices into the ``documents`` table.

A corpus folder holds one file per notice (``.txt``, ``.md``, ``.html``/``.htm``)
and an optional ``metadata.csv`` with at least ``doc_id,file``. Reading never
stops at one bad file: every file that cannot be read becomes a row of the
``problems`` table (file, doc_id, severity, problem) and a warning, and the rest
of the corpus still loads.

Decoding: UTF-8 (with or without BOM) first; otherwise the encoding that
charset-normalizer finds among Windows-1252/Latin-1 and friends. Classic mojibake
(``Ã¦`` for ``æ``) is repaired with ftfy. Newlines are normalised to ``\\n``.
``documents.text`` is the text every offset in policylab refers to.

Examples
--------
>>> docs, problems = read_corpus(BUNDLED_CORPUS)
>>> int(docs.shape[0]), problems.empty
(21, True)
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

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

#: The corpus shipped with the repository (``data/corpus``).
BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"

NOTICE_SUFFIXES = (".txt", ".md", ".html", ".htm")
#: Formats we recognise but cannot read yet; they get a problem row, not a crash.
_LATER_SUFFIXES = {".pdf": "PDF", ".docx": "Word", ".doc": "Word", ".odt": "OpenDocument", ".rtf": "RTF"}

DOCUMENT_COLUMNS = [
    "doc_id", "company", "org_number", "sector", "nace_section", "language", "date_stated",
    "language_detected", "file", "encoding", "n_chars", "n_words", "text",
]
PROBLEM_COLUMNS = ["file", "doc_id", "severity", "problem"]

# Magic numbers of formats that are certainly not text.
_BINARY_SIGNATURES = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "ZIP/Office",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x1f\x8b": "gzip",
    b"\xd0\xcf\x11\xe0": "MS Office (OLE)",
}
# Mojibake of Norwegian letters and common punctuation when UTF-8 was read as
# Windows-1252: æ ø å Æ Ø Å é « » – ’ “.
_MOJIBAKE_RE = re.compile("Ã[¦¸¥†˜…©]|Ã\u0098|Ã\u0085|Â[«»]|â€[“”™œ\u009d]")


class PolicylabWarning(UserWarning):
    """Warnings about the input (a file skipped, a metadata row missing...)."""


class NoticeError(ValueError):
    """A notice file that cannot be read; the message names the file and what to do."""

    def __init__(self, path: Path | str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class Notice:
    """One decoded notice: its text and how it was decoded."""

    text: str
    encoding: str
    notes: tuple[str, ...] = ()


def decode_bytes(data: bytes, *, name: str = "<bytes>") -> Notice:
    """Decode the bytes of a text notice, repairing Windows-1252 and mojibake.

    Raises :class:`NoticeError` for empty or binary input.

    >>> decode_bytes("Personvernerklæring".encode("cp1252")).text
    'Personvernerklæring'
    >>> decode_bytes("PersonvernerklÃ¦ring".encode("utf-8")).text
    'Personvernerklæring'
    """
    if not data.strip():
        raise NoticeError(name, "the file is empty: add the notice's text or remove the file")
    for magic, kind in _BINARY_SIGNATURES.items():
        if data.startswith(magic):
            raise NoticeError(
                name, f"this is a binary file ({kind}), not text: convert it to .txt or .html first"
            )
    if b"\x00" in data[:4096]:
        raise NoticeError(
            name, "the file holds NUL bytes (binary or UTF-16): save it as UTF-8 text"
        )
    notes: list[str] = []
    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        text, encoding = _decode_legacy(data, name)
        notes.append(f"not UTF-8: decoded as {encoding}")
    if _MOJIBAKE_RE.search(text):
        import ftfy

        repaired = ftfy.fix_encoding(text)
        if repaired != text:
            notes.append("repaired mojibake (UTF-8 read as Windows-1252)")
            text = repaired
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _control_share(text) > 0.01:
        raise NoticeError(name, "the file looks binary (many control characters): convert it to text")
    return Notice(text=text, encoding=encoding, notes=tuple(notes))


def _decode_legacy(data: bytes, name: str) -> tuple[str, str]:
    # Norwegian notices that are not UTF-8 are almost always Windows-1252; a
    # detector guesses wrong on short texts (mac_roman, say), so it only decides
    # when Windows-1252 cannot decode the bytes.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    # Latin-1 decodes every byte, so nothing is lost.
    return data.decode("latin-1"), "latin-1"


_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f]")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL_RE.findall(text)) / len(text)


_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "nav", "header", "footer", "form", "iframe", "button", "head")
_HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "aside", "blockquote", "pre", "address", "dd", "dt", "figcaption", "caption", "ul", "ol", "table", "dl"}


def html_to_text(html: str) -> str:
    """Plain text of an HTML notice, one block per line.

    Headings, paragraphs, list items and table rows each stand on their own line
    (blank lines between blocks; headings as Markdown ``## Heading``; list items
    as ``• item``; table cells joined by a tab) so that :mod:`policylab.segment` finds them again. Scripts, styles,
    navigation, headers, footers and forms are dropped.

    >>> html_to_text("<h2>Innsyn</h2><script>x()</script><ul><li>Du kan kreve innsyn</li></ul>")
    '## Innsyn\\n\\n• Du kan kreve innsyn'
    """
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(list(_DROP_TAGS)):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": ["navigation", "banner", "contentinfo"]}):
        tag.decompose()
    blocks: list[str] = []
    inline: list[str] = []

    def flush() -> None:
        line = _squash("".join(inline))
        inline.clear()
        if line:
            blocks.append(line)

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("Comment", "Doctype", "ProcessingInstruction", "Declaration", "CData"):
                    continue
                inline.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                inline.append("\n")
            elif name in _HEADING_TAGS:
                flush()
                # Markdown markers keep the heading level for the segmenter.
                blocks.append("#" * _HEADING_TAGS[name] + " " + _squash(child.get_text(" ")))
            elif name == "li":
                flush()
                blocks.append("• " + _squash(child.get_text(" ")))
            elif name == "tr":
                flush()
                cells = [_squash(c.get_text(" ")) for c in child.find_all(["td", "th"])]
                blocks.append("\t".join(c for c in cells if c))
            elif name in _BLOCK_TAGS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    body = soup.body or soup
    walk(body)
    flush()
    return "\n\n".join(b for b in blocks if b.strip())


def _squash(text: str) -> str:
    lines = [" ".join(part.split()) for part in text.split("\n")]
    return "\n".join(line for line in lines if line)


def read_notice(path: Path | str) -> Notice:
    """Read one notice file (``.txt``, ``.md``, ``.html``, ``.htm``) into a :class:`Notice`.

    Raises :class:`NoticeError` naming the file and the problem.

    >>> read_notice(BUNDLED_CORPUS / "balcoo.txt").text.splitlines()[0]
    'Privacy Policy'
    """
    path = Path(path)
    _check_suffix(str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NoticeError(path, f"cannot be read ({exc.strerror or exc})") from exc
    return notice_from_bytes(str(path), data)


def _check_suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in _LATER_SUFFIXES:
        raise NoticeError(name, f"{_LATER_SUFFIXES[suffix]} files are not supported yet: convert it to .txt or .html")
    if suffix not in NOTICE_SUFFIXES:
        raise NoticeError(name, f"unknown file type {suffix or '(none)'}: notices must be {', '.join(NOTICE_SUFFIXES)}")
    return suffix


def notice_from_bytes(name: str, data: bytes) -> Notice:
    """Decode the bytes of the notice file ``name`` (its suffix decides HTML or text).

    >>> notice_from_bytes("a.html", b"<p>Vi lagrer <b>navn</b>.</p>").text
    'Vi lagrer navn.'
    """
    suffix = _check_suffix(name)
    notice = decode_bytes(data, name=name)
    if suffix in (".html", ".htm") or _looks_like_html(notice.text):
        text = html_to_text(notice.text)
        if not text.strip():
            raise NoticeError(name, "the HTML holds no visible text (only scripts, styles or markup)")
        notice = Notice(text=text, encoding=notice.encoding, notes=notice.notes + ("converted from HTML",))
    return notice


def document_record(rel: str, data: bytes, meta_row: dict | None, *, doc_id: str, detect: bool | str = "missing") -> tuple[dict | None, list[dict]]:
    """One row of the ``documents`` table from a file's bytes, or the problems that stop it.

    ``meta_row`` is the file's metadata row: ``None`` where the corpus has a
    ``metadata.csv`` without a row for this file (a warning), ``{}`` where the
    corpus has no metadata at all.

    Used by every engine (serial, processes, dask), so all read notices alike.

    >>> row, problems = document_record("a.txt", "Vi lagrer navn.".encode(), {"company": "A AS"}, doc_id="a", detect=False)
    >>> row["company"], row["n_words"], problems
    ('A AS', 3, [])
    """
    from .tokenize import words

    problems: list[dict] = []
    try:
        notice = notice_from_bytes(rel, data)
    except NoticeError as exc:
        return None, [_problem(rel, doc_id, "error", exc.problem)]
    if meta_row is None:
        problems.append(_problem(rel, doc_id, "warning", f"no row in metadata.csv: loaded with doc_id {doc_id!r} and no company or sector"))
    for note in notice.notes:
        problems.append(_problem(rel, doc_id, "warning", note))
    row = dict(meta_row or {})
    row.update(doc_id=doc_id, file=rel, encoding=notice.encoding, text=notice.text,
               n_chars=len(notice.text), n_words=len(words(notice.text)))
    given = row.get("language", "")
    detected = detect_language(notice.text) if detect is True or (detect and not given) else ""
    row["language_detected"] = detected
    if not given:
        row["language"] = detected
    return row, problems


def documents_frame(rows: list[dict]) -> pd.DataFrame:
    """The ``documents`` table from rows of :func:`document_record`, columns in contract order."""
    documents = pd.DataFrame(rows)
    for col in DOCUMENT_COLUMNS:
        if col not in documents:
            # Typed even when empty, so that joins on doc_id work on an empty corpus.
            documents[col] = pd.Series(0 if col in ("n_chars", "n_words") else "", index=documents.index,
                                       dtype="int64" if col in ("n_chars", "n_words") else object)
    # A notice without a metadata row has no company: "" (the report names it by
    # its doc_id), never NaN, which CSV and the report showed as "nan".
    for col in documents.columns:
        if col not in ("n_chars", "n_words") and not pd.api.types.is_numeric_dtype(documents[col]):
            documents[col] = documents[col].fillna("")
    extra_cols = [c for c in documents.columns if c not in DOCUMENT_COLUMNS]
    documents = documents[DOCUMENT_COLUMNS[:-1] + extra_cols + ["text"]]
    return documents.astype({"n_chars": "int64", "n_words": "int64"})


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


METADATA_REQUIRED = ("doc_id", "file")


def _is_candidate(name: str) -> bool:
    """Whether a file of a corpus folder may be a notice (not metadata, hidden or a README)."""
    return name != "metadata.csv" and not name.startswith(".") and not name.lower().startswith("readme")


class _LocalFolder:
    """File access relative to a local corpus folder."""

    def __init__(self, folder: Path | str):
        self.root = Path(folder).resolve()

    def read(self, name: str) -> bytes:
        return (self.root / name).read_bytes()

    def is_file(self, name: str) -> bool:
        return (self.root / name).is_file()

    def inside(self, name: str) -> bool:
        return (self.root / name).resolve().is_relative_to(self.root)


class FsspecFolder:
    """File access relative to a corpus folder on any fsspec file system (s3://, gs://, ...).

    >>> FsspecFolder(str(BUNDLED_CORPUS)).is_file("balcoo.txt")
    True
    """

    def __init__(self, url: str, **storage_options):
        import posixpath

        import fsspec

        self.fs, root = fsspec.core.url_to_fs(url, **storage_options)
        self.root = posixpath.normpath(root)
        self._join = posixpath.join
        self._norm = posixpath.normpath

    def path(self, name: str) -> str:
        return self._norm(self._join(self.root, name))

    def read(self, name: str) -> bytes:
        return self.fs.cat_file(self.path(name))

    def is_file(self, name: str) -> bool:
        return self.fs.isfile(self.path(name))

    def inside(self, name: str) -> bool:
        return self.path(name).startswith(self.root.rstrip("/") + "/")

    def list(self) -> list[str]:
        """Names of the candidate notice files (as :func:`list_notices` chooses them)."""
        names = [p.rsplit("/", 1)[-1] for p in self.fs.ls(self.root, detail=False) if self.fs.isfile(p)]
        return sorted(n for n in names if _is_candidate(n))


def read_metadata(folder: Path | str | FsspecFolder) -> tuple[pd.DataFrame, list[dict]]:
    """Read ``metadata.csv`` of a corpus folder, checking it row by row.

    Returns the usable rows (all values as strings, ``""`` for missing) and a list
    of problems. A missing file gives an empty table; a missing ``file`` column
    falls back to ``{doc_id}.*``; a missing ``doc_id`` column to the file stem.
    ``folder`` may be an :class:`FsspecFolder` for remote corpora.

    >>> meta, problems = read_metadata(BUNDLED_CORPUS)
    >>> meta.loc[meta.doc_id == "motkraft", "company"].item()
    'Motkraft AS'
    """
    access = folder if isinstance(folder, (FsspecFolder, _LocalFolder)) else _LocalFolder(folder)
    problems: list[dict] = []
    if not access.is_file("metadata.csv"):
        return pd.DataFrame(columns=list(METADATA_REQUIRED)), problems
    try:
        raw = decode_bytes(access.read("metadata.csv"), name="metadata.csv").text
        rows = list(csv.DictReader(io.StringIO(raw)))
    except (NoticeError, csv.Error) as exc:
        problems.append(_problem("metadata.csv", "", "error", f"metadata.csv cannot be parsed ({exc}): every file loads without metadata"))
        return pd.DataFrame(columns=list(METADATA_REQUIRED)), problems
    columns = [c.strip() for c in (rows[0].keys() if rows else [])] if rows else _header(raw)
    rows = [{(k or "").strip(): (v or "").strip() if isinstance(v, str) else "" for k, v in r.items() if k is not None} for r in rows]
    missing = [c for c in METADATA_REQUIRED if c not in columns]
    if len(missing) == 2:
        problems.append(_problem("metadata.csv", "", "error", "metadata.csv has neither a 'doc_id' nor a 'file' column: add them (doc_id,file,...); every file loads without metadata"))
        return pd.DataFrame(columns=list(METADATA_REQUIRED)), problems
    for col in missing:
        fallback = "the file is found as '{doc_id}.*'" if col == "file" else "doc_id is the file name without suffix"
        problems.append(_problem("metadata.csv", "", "warning", f"metadata.csv has no '{col}' column: {fallback}"))
    meta = pd.DataFrame(rows, columns=columns).fillna("").astype(str)
    if "file" not in meta:
        meta["file"] = [_find_by_stem(access, d) for d in meta["doc_id"]]
    if "doc_id" not in meta:
        meta["doc_id"] = [Path(f).stem for f in meta["file"]]
    keep = []
    seen: dict[str, int] = {}
    for i, row in meta.iterrows():
        line = i + 2  # header is line 1
        if not row["doc_id"]:
            problems.append(_problem(row["file"] or "metadata.csv", "", "error", f"metadata.csv line {line} has an empty doc_id: fill it in"))
            continue
        if row["doc_id"] in seen:
            problems.append(_problem(row["file"], row["doc_id"], "error", f"duplicate doc_id {row['doc_id']!r} in metadata.csv (lines {seen[row['doc_id']]} and {line}): give each notice its own doc_id; line {line} is skipped"))
            continue
        if not row["file"]:
            problems.append(_problem("metadata.csv", row["doc_id"], "error", f"metadata.csv line {line} names no file for {row['doc_id']!r}"))
            continue
        if not access.inside(row["file"]):
            problems.append(_problem(row["file"], row["doc_id"], "error", f"metadata.csv line {line} points outside the corpus folder ({row['file']!r}): files must lie inside {folder}"))
            continue
        if not access.is_file(row["file"]):
            problems.append(_problem(row["file"], row["doc_id"], "error", f"metadata.csv line {line} names a file that does not exist: {row['file']!r}"))
            continue
        seen[row["doc_id"]] = line
        keep.append(i)
    return meta.loc[keep].reset_index(drop=True), problems


def _header(raw: str) -> list[str]:
    first = raw.splitlines()[0] if raw.strip() else ""
    return [c.strip() for c in next(csv.reader([first]))] if first else []


def _find_by_stem(access, doc_id: str) -> str:
    for suffix in NOTICE_SUFFIXES:
        if access.is_file(f"{doc_id}{suffix}"):
            return f"{doc_id}{suffix}"
    return ""


def _problem(file: str, doc_id: str, severity: str, problem: str) -> dict:
    return {"file": file, "doc_id": doc_id, "severity": severity, "problem": problem}


def list_notices(folder: Path | str) -> list[Path]:
    """The candidate notice files of a folder (not recursive), sorted by name.

    Every regular file except ``metadata.csv``, hidden files and ``README*`` is a
    candidate, so that a PDF or an image left in the folder is reported, not
    silently ignored.

    >>> len(list_notices(BUNDLED_CORPUS))
    21
    """
    folder = Path(folder)
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and _is_candidate(p.name)
    )


def read_corpus(folder: Path | str | None = None, *, detect: bool | str = "missing", progress: bool | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every notice of ``folder`` into a ``documents`` table and a ``problems`` table.

    ``detect`` says when to detect the language with lingua: ``"missing"``
    (where metadata gives none; the default), ``True`` (always, into
    ``language_detected``, to check the metadata) or ``False`` (never).

    ``documents`` has one row per readable notice with the columns of
    ``tables.md`` (doc_id, company, sector, nace_section, language, n_chars,
    n_words, text, ...). ``problems`` lists every file skipped or repaired, with
    the reason. Each problem is also issued as a :class:`PolicylabWarning`.

    >>> docs, _ = read_corpus()
    >>> docs.set_index("doc_id").loc["digdir", "language"]
    'nn'
    """
    folder = Path(folder) if folder is not None else BUNDLED_CORPUS
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {folder}")
    access = _LocalFolder(folder)
    plan, problems = plan_corpus(access, [p.name for p in list_notices(folder)])
    if progress is None:
        progress = len(plan) > 20
    iterator = plan
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(plan, desc="reading notices", unit="file", leave=False)
    rows: list[dict] = []
    for item in iterator:
        row, row_problems = read_planned(access, item, detect=detect)
        problems.extend(row_problems)
        if row is not None:
            rows.append(row)
    documents = documents_frame(rows)
    return documents, problems_frame(problems, stacklevel=3)


def read_planned(access, item: tuple[str, str, dict | None], *, detect: bool | str = "missing") -> tuple[dict | None, list[dict]]:
    """Read one notice of a :func:`plan_corpus` plan: its documents row (or None) and its problems.

    Every engine reads notices through this function (serial, processes, dask).

    >>> plan, _ = plan_corpus(_LocalFolder(BUNDLED_CORPUS), ["balcoo.txt"])
    >>> row, problems = read_planned(_LocalFolder(BUNDLED_CORPUS), plan[0])
    >>> row["doc_id"], row["language"], problems
    ('balcoo', 'nb', [])
    """
    rel, doc_id, meta_row = item
    try:
        data = access.read(rel)
    except OSError as exc:
        return None, [_problem(rel, doc_id, "error", f"cannot be read ({getattr(exc, 'strerror', None) or exc})")]
    return document_record(rel, data, meta_row, doc_id=doc_id, detect=detect)


def problems_frame(problems: list[dict], *, stacklevel: int = 2) -> pd.DataFrame:
    """The ``problems`` table; each problem is also issued as a :class:`PolicylabWarning`."""
    for p in problems:
        warnings.warn(f"{p['file']}: {p['problem']}", PolicylabWarning, stacklevel=stacklevel + 1)
    return pd.DataFrame(problems, columns=PROBLEM_COLUMNS)


def plan_corpus(access, names: list[str]) -> tuple[list[tuple[str, str, dict | None]], list[dict]]:
    """Which file becomes which notice: ``(file, doc_id, metadata row)`` per notice, and problems.

    Files named in ``metadata.csv`` take its doc_id (they may lie in
    sub-folders); other files take their stem. A doc_id claimed twice is a problem
    for the second file. Every engine reads the corpus through this plan.

    >>> plan, problems = plan_corpus(_LocalFolder(BUNDLED_CORPUS), [p.name for p in list_notices(BUNDLED_CORPUS)])
    >>> plan[0][:2], problems
    (('24center.txt', '24center'), [])
    """
    meta, problems = read_metadata(access)
    meta_rows = meta.to_dict("records")
    by_file = {row["file"]: row for row in meta_rows}
    ordered = list(names) + [f for f in by_file if f not in set(names)]
    plan: list[tuple[str, str, dict | None]] = []
    claimed: dict[str, str] = {}
    for rel in ordered:
        meta_row = by_file.get(rel)
        doc_id = meta_row["doc_id"] if meta_row else Path(rel).stem
        if doc_id in claimed:
            problems.append(_problem(rel, doc_id, "error", f"duplicate doc_id {doc_id!r}: {claimed[doc_id]} already has it; rename the file or give it a metadata row with its own doc_id"))
            continue
        claimed[doc_id] = rel
        plan.append((rel, doc_id, meta_row if meta_row is not None else (None if meta_rows else {})))
    return plan, problems


_LINGUA_CODES = {"BOKMAL": "nb", "NYNORSK": "nn", "ENGLISH": "en", "DANISH": "da", "SWEDISH": "sv", "GERMAN": "de"}


@lru_cache(maxsize=1)
def _language_detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.BOKMAL, Language.NYNORSK, Language.ENGLISH, Language.DANISH, Language.SWEDISH, Language.GERMAN
    ).build()


def detect_language(text: str) -> str:
    """ISO code of the language of ``text``: ``nb``, ``nn``, ``en`` (or ``da``, ``sv``, ``de``).

    Uses lingua's offline models on the first 2,000 characters (enough to tell
    bokmål from nynorsk, and it keeps detection cheap); ``""`` when undecided.

    >>> detect_language("Vi samlar inn opplysningar om korleis du bruker tenesta.")
    'nn'
    >>> detect_language("We collect your e-mail address to send the newsletter.")
    'en'
    """
    sample = text[:2000]
    if not sample.strip():
        return ""
    language = _language_detector().detect_language_of(sample)
    return _LINGUA_CODES.get(language.name, language.iso_code_639_1.name.lower()) if language else ""

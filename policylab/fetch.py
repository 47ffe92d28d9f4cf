"""Collecting a corpus from a list of URLs, politely: ``policylab fetch URLS.csv --out CORPUS``.

:func:`fetch_corpus` downloads each page of a URL list into a corpus folder that
``policylab build CORPUS`` reads as it is:

``CORPUS/<doc_id>.html``
    The page, read by the build with its structure (headings, lists, tables),
    like any HTML notice. (Stored as UTF-8 where its charset was given only in
    the HTTP header; as extracted text, ``<doc_id>.txt``, where even that would
    not read back to the same text.) Plain-text pages are kept as text; PDF
    and Word files as they came (``<doc_id>.pdf`` / ``.docx``), for the
    readers that handle them.
``CORPUS/text/<doc_id>.txt``
    Beside each page, its extracted text (``extractor`` and
    ``extractor_version`` in the metadata): exactly ``documents.text`` of the
    build, so every clause offset can be checked against a plain file. The
    build does not read subfolders.
``CORPUS/raw/<doc_id>.html`` (or ``.txt``, ``.pdf``...)
    The bytes exactly as received; ``sha256`` in ``metadata.csv`` is their hash.
``CORPUS/metadata.csv``
    One row per page fetched: ``doc_id, file, url, final_url, fetched_at,
    http_status, content_type, bytes, sha256, raw_file, extractor,
    extractor_version`` and every other column of the URL list (``company``,
    ``sector``...), so the corpus can be reproduced and cited.
``CORPUS/raw/problems.csv``
    One row per URL that gave no notice (``url, doc_id, stage, http_status,
    problem, fetched_at``): refused by robots.txt, an HTTP error, a timeout,
    a response that is not a notice. A failed URL never stops the others.
    (Kept in ``raw/`` so that the build does not take it for a notice.)

Politeness: robots.txt is read once per host (:mod:`urllib.robotparser`, user
agent token ``policylab``) and obeyed, also for every redirect; a robots.txt that
cannot be reached (a server error, a timeout) means "disallow all" (RFC 9309);
a missing one (4xx) allows all. Requests to one host are at least ``delay``
seconds apart (default 1 s; a longer ``Crawl-delay`` in robots.txt wins). The
User-Agent names policylab and its version (and ``contact`` if given).
Connection errors, read timeouts and the statuses 429, 500, 502, 503 and 504 are
retried ``retries`` times with exponential backoff (urllib3's ``Retry``,
honouring ``Retry-After``). Web-archive snapshot URLs
(``https://web.archive.org/web/<timestamp>/<url>``) are fetched like any other;
their doc_id is made from the archived URL and the snapshot's date.

Needs ``requests`` (the ``fetch`` extra: ``pip install 'policylab[fetch]'``).

Examples
--------
>>> urls = read_url_list(io.StringIO("url,company\\nhttps://www.example.no/personvern,Eksempel AS\\n"))
>>> urls.to_dict("records")
[{'url': 'https://www.example.no/personvern', 'company': 'Eksempel AS', 'doc_id': 'example-no-personvern'}]
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import pandas as pd

__all__ = ["FETCH_COLUMNS", "PROBLEM_COLUMNS", "fetch_corpus", "read_url_list", "url_doc_id", "user_agent"]

#: Columns of ``metadata.csv`` that fetching adds (before the URL list's own columns).
FETCH_COLUMNS = [
    "doc_id", "file", "url", "final_url", "fetched_at", "http_status", "content_type", "bytes", "sha256",
    "raw_file", "extractor", "extractor_version",
]
#: Columns of ``raw/problems.csv``.
PROBLEM_COLUMNS = ["url", "doc_id", "stage", "http_status", "problem", "fetched_at"]

_REDIRECTS = (301, 302, 303, 307, 308)
_MAX_REDIRECTS = 10
_RETRY_STATUSES = (429, 500, 502, 503, 504)
# Content types and how they enter the corpus: (raw suffix, kind).
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_TEXT_TYPES = {"text/plain": ".txt", "text/markdown": ".md", "text/x-markdown": ".md"}
_FILE_TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
# Wayback-style snapshot paths (the Internet Archive, pywb and OpenWayback archives):
# /web/20210301120000/https://example.no/page, with an optional id_ / if_ modifier.
_ARCHIVE_RE = re.compile(r"^(?:/[^/]+)*?/(\d{4,14})(?:[a-z]{2}_)?/(https?:/{1,2}.+)$")
_DOC_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("policylab")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def user_agent(contact: str | None = None) -> str:
    """The User-Agent of policylab's requests: its name and version (and a contact).

    >>> user_agent("forsker@example.no").startswith("policylab/")
    True
    """
    about = f"+{contact}; " if contact else ""
    return f"policylab/{_version()} ({about}privacy notice research; obeys robots.txt)"


def url_doc_id(url: str) -> str:
    """A readable doc_id for a URL: host (without ``www.``) and path as one slug.

    A web-archive snapshot gets the archived URL's slug and the snapshot's date.

    >>> url_doc_id("https://www.motkraft.net/personvern/")
    'motkraft-net-personvern'
    >>> url_doc_id("https://web.archive.org/web/20210301120000/https://www.motkraft.net/personvern")
    'motkraft-net-personvern-20210301'
    """
    parts = urlsplit(url)
    suffix = ""
    archived = _ARCHIVE_RE.match(parts.path)
    if archived:
        suffix = "-" + archived.group(1)[:8]
        inner = archived.group(2)
        if re.match(r"^[a-z]+:/[^/]", inner):  # archives sometimes collapse "//"
            inner = inner.replace(":/", "://", 1)
        parts = urlsplit(inner)
    host = (parts.hostname or "").removeprefix("www.")
    path = re.sub(r"\.[A-Za-z0-9]{2,5}$", "", parts.path)  # personvern.html -> personvern
    slug = re.sub(r"[^a-z0-9]+", "-", f"{host} {path} {parts.query}".lower()).strip("-")
    return (slug[: 80 - len(suffix)].strip("-") or "page") + suffix


def read_url_list(source) -> pd.DataFrame:
    """The URL list of :func:`fetch_corpus`: a CSV with a ``url`` column (and any
    metadata columns: ``doc_id``, ``company``, ``sector``...), or plain text with
    one URL per line (``#`` starts a comment).

    Returns one row per URL with ``url`` and ``doc_id`` (made with
    :func:`url_doc_id` where not given; made unique with ``-2``, ``-3``...).
    All values are strings.
    """
    if isinstance(source, (str, Path)):
        raw = Path(source).read_bytes().decode("utf-8-sig")
    else:
        raw = source.read()
    lines = [line for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise ValueError("the URL list is empty: give a CSV with a 'url' column or one URL per line")
    header = [c.strip().lower() for c in next(csv.reader([lines[0]]))]
    if "url" in header:
        frame = pd.read_csv(io.StringIO("\n".join(lines)), dtype=str, keep_default_na=False, skipinitialspace=True)
        frame.columns = [c.strip().lower() if c.strip().lower() in ("url", "doc_id") else c.strip() for c in frame.columns]
        frame = frame.apply(lambda col: col.str.strip())
    else:
        frame = pd.DataFrame({"url": [line.strip() for line in lines]})
    if "doc_id" not in frame.columns:
        frame["doc_id"] = ""
    seen: dict[str, int] = {}
    ids = []
    for url, given in zip(frame["url"], frame["doc_id"]):
        base = given or url_doc_id(url)
        n = seen.get(base, 0) + 1
        seen[base] = n
        ids.append(base if n == 1 else f"{base}-{n}")
    frame["doc_id"] = ids
    return frame


@dataclass
class _Host:
    """What is known of one host: its robots.txt and when it was last asked."""

    robots: RobotFileParser | None = None
    robots_problem: str = ""
    delay: float = 1.0
    last: float = field(default=-1e9)


class _Fetcher:
    def __init__(self, *, delay: float, timeout: float, retries: int, backoff: float, contact: str | None,
                 max_bytes: int, robots: bool):
        try:
            import requests
            from requests.adapters import HTTPAdapter
            from urllib3.util.retry import Retry
        except ImportError as exc:
            raise ImportError("policylab fetch needs requests: pip install 'policylab[fetch]'") from exc
        self.requests = requests
        self.delay, self.timeout, self.max_bytes, self.obey_robots = delay, timeout, max_bytes, robots
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent(contact)
        retry = Retry(total=retries, connect=retries, read=retries, status=retries, other=0, redirect=0,
                      backoff_factor=backoff, status_forcelist=_RETRY_STATUSES, allowed_methods={"GET"},
                      raise_on_status=False, respect_retry_after_header=True)
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.hosts: dict[str, _Host] = {}

    def close(self) -> None:
        self.session.close()

    # ---- politeness

    def _wait(self, host: _Host) -> None:
        pause = host.last + host.delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        host.last = time.monotonic()

    def _host(self, url: str) -> _Host:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key in self.hosts:
            return self.hosts[key]
        host = self.hosts[key] = _Host(delay=self.delay)
        if not self.obey_robots:
            return host
        parser = RobotFileParser(key + "/robots.txt")
        self._wait(host)
        try:
            response = self.session.get(key + "/robots.txt", timeout=self.timeout)
            status, body = response.status_code, response.content[: 512 * 1024]
        except self.requests.RequestException as exc:
            host.robots_problem = f"robots.txt of {key} cannot be reached ({_reason(exc)}): nothing of this host is fetched (RFC 9309)"
            parser.disallow_all = True
            host.robots = parser
            return host
        if status in (401, 403):
            parser.disallow_all = True
            host.robots_problem = f"robots.txt of {key} answers {status}: nothing of this host is fetched"
        elif 400 <= status < 500:
            parser.allow_all = True
        elif status >= 300:
            parser.disallow_all = True
            host.robots_problem = f"robots.txt of {key} answers {status}: nothing of this host is fetched (RFC 9309)"
        else:
            parser.parse(body.decode("utf-8", errors="replace").splitlines())
            crawl_delay = parser.crawl_delay("policylab")
            if crawl_delay:
                host.delay = max(host.delay, min(float(crawl_delay), 60.0))
        host.robots = parser
        return host

    def allowed(self, url: str) -> tuple[bool, str]:
        host = self._host(url)
        if host.robots is None or host.robots.can_fetch("policylab", url):
            return True, ""
        return False, host.robots_problem or f"robots.txt disallows {urlsplit(url).path or '/'} for policylab"

    # ---- one page

    def get(self, url: str) -> dict:
        """Fetch ``url`` following redirects; a dict with the response or a problem (``stage``, ``problem``)."""
        current = url
        for _ in range(_MAX_REDIRECTS + 1):
            ok, why = self.allowed(current)
            if not ok:
                return {"stage": "robots", "problem": why, "final_url": current}
            host = self._host(current)
            self._wait(host)
            try:
                response = self.session.get(current, timeout=self.timeout, allow_redirects=False, stream=True)
            except self.requests.RequestException as exc:
                return {"stage": "request", "problem": _reason(exc), "final_url": current}
            with response:
                if response.status_code in _REDIRECTS and response.headers.get("Location"):
                    current = urljoin(current, response.headers["Location"])
                    continue
                result = {"final_url": current, "http_status": response.status_code,
                          "content_type": response.headers.get("Content-Type", "")}
                if response.status_code != 200:
                    reason = response.reason or ""
                    result.update(stage="http", problem=f"HTTP {response.status_code} {reason}".strip())
                    return result
                try:
                    body = self._body(response)
                except ValueError as exc:
                    result.update(stage="download", problem=str(exc))
                    return result
                except self.requests.RequestException as exc:
                    result.update(stage="download", problem=_reason(exc))
                    return result
                result["body"] = body
                return result
        return {"stage": "request", "problem": f"more than {_MAX_REDIRECTS} redirects", "final_url": current}

    def _body(self, response) -> bytes:
        chunks, size = [], 0
        deadline = time.monotonic() + max(10 * self.timeout, 30.0)
        for chunk in response.iter_content(64 * 1024):
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_bytes:
                raise ValueError(f"larger than {self.max_bytes:,} bytes: not a privacy notice, or raise max_bytes")
            if time.monotonic() > deadline:
                raise ValueError("the page took too long to arrive")
        return b"".join(chunks)


def _reason(exc: Exception) -> str:
    import requests

    if isinstance(exc, (requests.Timeout,)) or "timed out" in str(exc).lower() or "timeout" in type(exc).__name__.lower():
        return f"timed out ({type(exc).__name__})"
    if isinstance(exc, requests.ConnectionError):
        inner = exc.args[0] if exc.args else exc
        reason = getattr(inner, "reason", inner)
        if "timed out" in str(reason).lower():
            return "timed out (retries exhausted)"
        return f"connection failed ({str(reason)[:200]})"
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def _media_type(content_type: str) -> tuple[str, str]:
    """``(media type, charset)`` of a Content-Type header."""
    media, _, params = content_type.partition(";")
    charset = ""
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    return media.strip().lower(), charset


def _decode(body: bytes, charset: str, name: str) -> str:
    from .corpus import decode_bytes

    if charset:
        try:
            text = body.decode(charset)
            return text.replace("\r\n", "\n").replace("\r", "\n")
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(body, name=name).text


def _sniff(body: bytes) -> str:
    head = body[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "text/html"
    if body.startswith(b"%PDF"):
        return "application/pdf"
    return ""


def _extract(body: bytes, content_type: str, doc_id: str) -> tuple[str, bytes | str, str, str]:
    """``(corpus suffix, content, extractor, extractor version)``; raises ValueError for what is not a notice."""
    from .corpus import NoticeError, html_to_text, notice_from_bytes

    media, charset = _media_type(content_type)
    if not media or media == "application/octet-stream":
        media = _sniff(body) or media
    try:
        if media in _HTML_TYPES:
            page = _decode(body, charset, f"{doc_id}.html")
            text = html_to_text(page)
            if not text.strip():
                raise ValueError("the page holds no visible text (a page built by JavaScript?)")
            # The page itself goes into the corpus, so the build sees its
            # headings, lists and tables (a .txt cannot carry them). Where the
            # bytes alone would not decode to the same page (a charset given
            # only in the HTTP header), the decoded page is stored as UTF-8.
            if notice_from_bytes(f"{doc_id}.html", body).text == text:
                return ".html", body, "policylab.readers.html", _version()
            utf8 = page.encode("utf-8")
            if notice_from_bytes(f"{doc_id}.html", utf8).text == text:
                return ".html", utf8, "policylab.readers.html (page re-encoded as UTF-8)", _version()
            return ".txt", text + "\n", "policylab.corpus.html_to_text", _version()
        if media in _TEXT_TYPES:
            text = _decode(body, charset, f"{doc_id}{_TEXT_TYPES[media]}")
            return _TEXT_TYPES[media], text, "none (text as served, decoded to UTF-8)", ""
    except NoticeError as exc:
        raise ValueError(exc.problem) from exc
    if media in _FILE_TYPES:
        return _FILE_TYPES[media], body, "none (file as served; read by the build)", ""
    raise ValueError(f"not a notice: the response is {media or 'of no stated type'}, not HTML or text; kept in raw/")


def _raw_suffix(content_type: str, body: bytes) -> str:
    media, _ = _media_type(content_type)
    media = media if media and media != "application/octet-stream" else _sniff(body) or media
    if media in _HTML_TYPES:
        return ".html"
    return _TEXT_TYPES.get(media) or _FILE_TYPES.get(media) or ".bin"


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _write_csv_atomic(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    frame.to_csv(tmp, index=False, encoding="utf-8")
    os.replace(tmp, path)


def fetch_corpus(
    urls,
    out: Path | str,
    *,
    delay: float = 1.0,
    timeout: float = 20.0,
    retries: int = 2,
    backoff: float = 1.0,
    contact: str | None = None,
    max_bytes: int = 20_000_000,
    robots: bool = True,
    overwrite: bool = False,
    progress: bool | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Download the pages of a URL list into a corpus folder (see the module docstring).

    Parameters
    ----------
    urls
        A URL list file (see :func:`read_url_list`), a DataFrame with a ``url``
        column, or a list of URLs.
    out
        The corpus folder; it must be missing or empty unless ``overwrite``.
    delay : float, keyword-only
        Seconds between two requests to one host (robots.txt's ``Crawl-delay``
        wins when longer).
    timeout : float, keyword-only
        Seconds to connect and to wait for data; a page must arrive within ten
        times that (at least 30 s).
    retries : int, keyword-only
        Retries of a connection error, a read timeout or a 429/5xx answer.
    backoff : float, keyword-only
        Backoff factor of the retries (seconds; doubles each retry).
    contact : str, keyword-only
        An e-mail or URL added to the User-Agent, so a site owner can reach you.
    max_bytes : int, keyword-only
        Larger responses are refused.
    robots : bool, keyword-only
        Obey robots.txt (default). Only turn it off for sites you run.
    overwrite : bool, keyword-only
        Fetch into a non-empty folder (files of the same doc_id are replaced).
    progress : bool, keyword-only
        A progress bar on stderr (by default for more than five URLs).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The rows of ``metadata.csv`` (pages fetched) and of ``raw/problems.csv``
        (URLs that gave no notice). Every URL is in exactly one of them.
    """
    if isinstance(urls, pd.DataFrame):
        frame = read_url_list(io.StringIO(urls.to_csv(index=False)))
    elif isinstance(urls, (list, tuple)):
        frame = read_url_list(io.StringIO("\n".join(urls)))
    else:
        frame = read_url_list(urls)
    if delay < 0 or timeout <= 0 or retries < 0:
        raise ValueError("delay and retries must be >= 0 and timeout > 0")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out}: is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise FileExistsError(f"{out}: the folder is not empty: choose a new folder for the corpus, or pass --overwrite (overwrite=True)")
    raw_dir = out / "raw"
    raw_dir.mkdir(parents=True, exist_ok=True)
    extra = [c for c in frame.columns if c not in ("url", "doc_id")]
    rows: list[dict] = []
    problems: list[dict] = []
    fetcher = _Fetcher(delay=delay, timeout=timeout, retries=retries, backoff=backoff, contact=contact,
                       max_bytes=max_bytes, robots=robots)
    if progress is None:
        progress = len(frame) > 5
    from tqdm.auto import tqdm

    try:
        for record in tqdm(frame.to_dict("records"), desc="fetching", unit="page", disable=not progress, file=sys.stderr, leave=False):
            url, doc_id = record["url"], record["doc_id"]
            row, problem = _fetch_one(fetcher, url, doc_id, out, raw_dir)
            if problem is not None:
                problems.append(problem)
            else:
                row.update({c: record[c] for c in extra})
                rows.append(row)
            # Written after every page: an interrupted fetch keeps a usable corpus.
            _write_csv_atomic(pd.DataFrame(rows, columns=FETCH_COLUMNS + extra), out / "metadata.csv")
            _write_csv_atomic(pd.DataFrame(problems, columns=PROBLEM_COLUMNS), raw_dir / "problems.csv")
    finally:
        fetcher.close()
    return pd.DataFrame(rows, columns=FETCH_COLUMNS + extra), pd.DataFrame(problems, columns=PROBLEM_COLUMNS)


def _fetch_one(fetcher: _Fetcher, url: str, doc_id: str, out: Path, raw_dir: Path) -> tuple[dict | None, dict | None]:
    fetched_at = _now()

    def problem(stage: str, text: str, status="") -> tuple[None, dict]:
        return None, {"url": url, "doc_id": doc_id, "stage": stage, "http_status": status, "problem": text, "fetched_at": fetched_at}

    if not _DOC_ID_RE.fullmatch(doc_id or ""):
        return problem("url list", f"doc_id {doc_id!r} is not a plain file name: use letters, digits, '-', '_' and '.'")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return problem("url list", f"not an http(s) URL: {url!r}")
    result = fetcher.get(url)
    status = result.get("http_status", "")
    if "problem" in result:
        text = result["problem"]
        if result.get("final_url") and result["final_url"] != url:
            text += f" (after redirect to {result['final_url']})"
        return problem(result["stage"], text, status)
    body: bytes = result["body"]
    content_type = result.get("content_type", "")
    raw_file = f"raw/{doc_id}{_raw_suffix(content_type, body)}"
    (out / raw_file).write_bytes(body)
    try:
        suffix, content, extractor, extractor_version = _extract(body, content_type, doc_id)
    except ValueError as exc:
        return problem("content", str(exc), status)
    file = f"{doc_id}{suffix}"
    if isinstance(content, str):
        (out / file).write_text(content, encoding="utf-8", newline="\n")
    else:
        (out / file).write_bytes(content)
    if suffix == ".html":
        from .corpus import notice_from_bytes

        # The extracted text beside the page: exactly documents.text of the build.
        (out / "text").mkdir(exist_ok=True)
        (out / "text" / f"{doc_id}.txt").write_text(notice_from_bytes(file, content).text, encoding="utf-8", newline="\n")
    return {
        "doc_id": doc_id, "file": file, "url": url, "final_url": result["final_url"], "fetched_at": fetched_at,
        "http_status": status, "content_type": content_type, "bytes": len(body),
        "sha256": hashlib.sha256(body).hexdigest(), "raw_file": raw_file, "extractor": extractor,
        "extractor_version": extractor_version,
    }, None

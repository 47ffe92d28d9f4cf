"""``policylab fetch``: a corpus from a URL list, against a local HTTP server (never the internet)."""

from __future__ import annotations

import hashlib
import itertools
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest
from click.testing import CliRunner

import policylab
from policylab.cli import main

pytest.importorskip("requests")

from policylab.fetch import fetch_corpus, read_url_list, url_doc_id, user_agent

NOTICE = (policylab.BUNDLED_CORPUS / "balcoo.txt").read_text(encoding="utf-8")
PARAGRAPHS = [p for p in NOTICE.split("\n\n") if p.strip()]
HTML = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Personvern</title><script>track()</script></head><body>"
    "<nav><a href='/'>Hjem</a></nav><main><h1>Personvernerklæring</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</main><footer>© Balcoo</footer></body></html>"
)
TEXT = "Personvern for kunder\n\nVi lagrer navn og e-post i to år. Du kan kreve innsyn, retting og sletting.\n"


class Server:
    """A local site: good pages, a 404, a redirect, a slow page, an image, a flaky page and robots.txt rules."""

    def __init__(self, robots: str | int = "User-agent: *\nDisallow: /private/\n"):
        self.requests: list[tuple[float, str, str]] = []
        self.flaky = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_GET(self):
                server.requests.append((time.monotonic(), self.path, self.headers.get("User-Agent", "")))
                path = self.path
                if path == "/robots.txt":
                    if isinstance(robots, int):
                        return self._send(robots, "text/plain", b"error")
                    return self._send(200, "text/plain", robots.encode())
                if path == "/personvern.html" or path.startswith("/web/"):
                    return self._send(200, "text/html; charset=utf-8", HTML.encode("utf-8"))
                if path == "/vilkar.txt":
                    return self._send(200, "text/plain; charset=iso-8859-1", TEXT.encode("latin-1"))
                if path == "/old-url":
                    self.send_response(301)
                    self.send_header("Location", "/personvern.html")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if path == "/slow":
                    time.sleep(1.5)
                    return self._send(200, "text/html", b"<p>too late</p>")
                if path == "/logo.png":
                    return self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
                if path == "/flaky":
                    server.flaky += 1
                    if server.flaky == 1:
                        return self._send(503, "text/plain", b"busy")
                    return self._send(200, "text/html; charset=utf-8", HTML.encode("utf-8"))
                if path == "/private/notice.html":
                    return self._send(200, "text/html", b"<p>secret</p>")
                return self._send(404, "text/html", b"<h1>Not found</h1>")

            def _send(self, status, content_type, body):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self) -> list[str]:
        return [p for _, p, _ in self.requests]


@pytest.fixture(scope="module")
def site():
    with Server() as server:
        yield server


@pytest.fixture(scope="module")
def fetched(site, tmp_path_factory):
    out = tmp_path_factory.mktemp("fetched") / "corpus"
    urls = tmp_path_factory.mktemp("urls") / "urls.csv"
    urls.write_text(
        "url,doc_id,company\n"
        f"{site.url}/personvern.html,balcoo,Balcoo AS\n"
        f"{site.url}/vilkar.txt,,Vilkår AS\n"
        f"{site.url}/old-url,moved,Flyttet AS\n"
        f"{site.url}/web/20210301120000/https://www.example.no/personvern,,Arkiv AS\n"
        f"{site.url}/flaky,flaky,Ustabil AS\n"
        f"{site.url}/missing,missing,Borte AS\n"
        f"{site.url}/slow,slow,Treg AS\n"
        f"{site.url}/logo.png,logo,Bilde AS\n"
        f"{site.url}/private/notice.html,private,Privat AS\n"
        "ftp://example.no/x,ftp,FTP AS\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    meta, problems = fetch_corpus(urls, out, delay=0.2, timeout=0.5, retries=1, backoff=0.05, progress=False)
    return out, meta, problems, time.monotonic() - started


def test_every_outcome_is_recorded(fetched):
    out, meta, problems, _ = fetched
    assert meta.doc_id.tolist() == ["balcoo", "127-0-0-1-vilkar", "moved", "example-no-personvern-20210301", "flaky"]
    by_id = problems.set_index("doc_id")
    assert set(by_id.index) == {"missing", "slow", "logo", "private", "ftp"}
    assert by_id.loc["missing", "stage"] == "http" and by_id.loc["missing", "problem"].startswith("HTTP 404")
    assert str(by_id.loc["missing", "http_status"]) == "404"
    assert by_id.loc["slow", "stage"] == "request" and "timed out" in by_id.loc["slow", "problem"]
    assert by_id.loc["logo", "stage"] == "content" and "image/png" in by_id.loc["logo", "problem"]
    assert by_id.loc["private", "stage"] == "robots" and "robots.txt disallows" in by_id.loc["private", "problem"]
    assert by_id.loc["ftp", "stage"] == "url list"
    # The files on disk say the same.
    on_disk = pd.read_csv(out / "metadata.csv", dtype=str, keep_default_na=False)
    assert on_disk.doc_id.tolist() == meta.doc_id.tolist()
    assert pd.read_csv(out / "raw" / "problems.csv", dtype=str).doc_id.tolist() == problems.doc_id.tolist()
    assert (out / "raw" / "logo.bin").exists() and not (out / "logo.txt").exists()


def test_metadata_makes_the_corpus_reproducible(site, fetched):
    out, meta, _, _ = fetched
    row = meta.set_index("doc_id").loc["moved"]
    assert row.url == f"{site.url}/old-url" and row.final_url == f"{site.url}/personvern.html"
    assert int(row.http_status) == 200 and row.content_type.startswith("text/html")
    assert row.extractor == "policylab.readers.html" and (out / "moved.html").exists() and row.extractor_version == policylab.__version__
    for r in meta.itertuples():
        raw = (out / r.raw_file).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == r.sha256 and len(raw) == r.bytes
        assert r.fetched_at.endswith("+00:00")
    assert meta.set_index("doc_id").loc["balcoo", "company"] == "Balcoo AS"
    # A page served as Latin-1 is stored as UTF-8 text with its letters intact.
    assert "retting og sletting" in (out / "127-0-0-1-vilkar.txt").read_text(encoding="utf-8")
    assert (out / "raw" / "127-0-0-1-vilkar.txt").read_bytes() == TEXT.encode("latin-1")


def test_polite_robots_user_agent_delay_and_retries(site, fetched):
    paths = site.paths()
    assert "/private/notice.html" not in paths  # robots.txt obeyed
    assert paths.count("/robots.txt") == 1  # read once per host
    assert paths.count("/flaky") == 2  # 503, then retried
    assert paths.count("/slow") == 2  # timed out, retried once
    assert all(ua == user_agent() for _, _, ua in site.requests)
    assert user_agent().startswith(f"policylab/{policylab.__version__} ")
    # One host: no two requests closer than the delay (0.2 s) except the retries of one request.
    times = [t for t, p, _ in site.requests if p not in ("/flaky", "/slow")]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.17  # 0.2 s at the client; the server sees a little jitter


def test_the_fetched_corpus_builds(fetched, tables):
    out, meta, _, _ = fetched
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", policylab.PolicylabWarning)
        built = policylab.build(out, progress=False)
    assert sorted(built.documents.doc_id) == sorted(meta.doc_id)
    assert not (built.problems.severity == "error").any(), built.problems.to_dict("records")
    docs = built.documents.set_index("doc_id")
    assert docs.loc["balcoo", "company"] == "Balcoo AS" and docs.loc["balcoo", "url"].endswith("/personvern.html")
    # The page is in the corpus as HTML; the text beside it is the documents text:
    # offsets can be checked against a plain file on disk.
    assert (out / "balcoo.html").exists() and not (out / "balcoo.txt").exists()
    assert docs.loc["balcoo", "text"] == (out / "text" / "balcoo.txt").read_text(encoding="utf-8")
    text = docs.loc["balcoo", "text"]
    assert "track()" not in text and "Hjem" not in text and "© Balcoo" not in text
    for paragraph in PARAGRAPHS[:5]:
        assert " ".join(paragraph.split()) in text
    # Tagged as the bundled text of the same notice is.
    fetched_labels = set(built.labels[built.labels.doc_id == "balcoo"].label)
    bundled_labels = set(tables.labels[tables.labels.doc_id == "balcoo"].label)
    assert {"access", "controller"} <= fetched_labels
    assert len(fetched_labels & bundled_labels) >= 0.9 * len(bundled_labels)


def test_unreachable_robots_means_disallow_and_other_hosts_go_on(tmp_path):
    with Server(robots=500) as broken, Server() as good:
        meta, problems = fetch_corpus([f"{broken.url}/personvern.html", f"{good.url}/personvern.html"],
                                      tmp_path / "c", delay=0, timeout=2, retries=0, progress=False)
        assert "/personvern.html" not in broken.paths()
    assert len(meta) == 1 and meta.final_url.iloc[0].startswith(good.url)
    assert problems.stage.tolist() == ["robots"] and "500" in problems.problem.iloc[0]


def test_missing_robots_allows_everything(tmp_path):
    with Server(robots=404) as site:
        meta, problems = fetch_corpus([f"{site.url}/private/notice.html"], tmp_path / "c", delay=0, timeout=2,
                                      retries=0, progress=False)
    assert problems.empty and len(meta) == 1


def test_non_empty_out_is_refused_unless_overwrite(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "mine.txt").write_text("x")
    with pytest.raises(FileExistsError, match="not empty"):
        fetch_corpus(["http://127.0.0.1:9/x"], tmp_path / "c", progress=False)


def test_url_list_forms_and_doc_ids(tmp_path):
    plain = tmp_path / "urls.txt"
    plain.write_text("# my list\nhttps://a.no/personvern\n\nhttps://a.no/personvern\nhttps://www.b.no/om/personvern.html\n")
    frame = read_url_list(plain)
    assert frame.doc_id.tolist() == ["a-no-personvern", "a-no-personvern-2", "b-no-om-personvern"]
    assert url_doc_id("https://web.archive.org/web/2019id_/http:/www.c.no/p") == "c-no-p-2019"
    with pytest.raises(ValueError, match="empty"):
        read_url_list(tmp_path / "urls.txt" if False else _empty(tmp_path))


def _empty(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("# nothing\n")
    return path


def test_cli_fetch_then_build(site, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site.url}/personvern.html\n{site.url}/missing\n")
    result = CliRunner().invoke(main, ["fetch", str(urls), "--out", str(tmp_path / "c"), "--delay", "0", "--timeout", "2",
                                       "--retries", "0", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "fetched 1 of 2" in result.output and "HTTP 404" in result.output
    result = CliRunner().invoke(main, ["build", str(tmp_path / "c"), "--out", str(tmp_path / "t"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "read 1 notices" in result.output
    result = CliRunner().invoke(main, ["fetch", str(urls), "--out", str(tmp_path / "c"), "--quiet"])
    assert result.exit_code == 1 and "--overwrite" in result.output


def test_text_file_builds_like_the_raw_page(fetched, tmp_path):
    """The extracted .txt gives the clauses the build makes of the raw .html itself."""
    out, _, _, _ = fetched
    html_corpus = tmp_path / "html"
    html_corpus.mkdir()
    (html_corpus / "balcoo.html").write_bytes((out / "raw" / "balcoo.html").read_bytes())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", policylab.PolicylabWarning)
        from_txt = policylab.build(out, progress=False).clauses
        from_html = policylab.build(html_corpus, progress=False).clauses
    a = from_txt[from_txt.doc_id == "balcoo"][["kind", "text"]].reset_index(drop=True)
    b = from_html[["kind", "text"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)

"""Write the report as a small static site: ``report.html``, one page per notice, figures, CSVs, static files."""

from __future__ import annotations

import html
import math
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from ..style import MIN_GROUP
from .context import ReportData, prepare
from .figures import figure_table
from .tables import (
    ITEM_EXPECTED,
    ITEM_PHRASES,
    _article,
    _has,
    missing_items,
    summary_text,
)

__all__ = ["MAX_QUOTE", "MAX_TABLE_ROWS", "write_report"]

#: Tables on a page hold at most this many rows; the whole table is linked as CSV.
MAX_TABLE_ROWS = 1000
#: Rows of a figure's table shown under the figure (all of them are in its CSV).
PREVIEW_ROWS = 8
#: Quoted evidence is cut to this many characters (the whole clause is a link away).
MAX_QUOTE = 110
#: Further evidence clauses linked beside a quote.
MAX_MORE = 1
#: Rows of a CSV linked from the report (the full tables are written by ``policylab build``).
MAX_CSV_ROWS = 20_000
#: Shared passages in ``csv/shared_passages.csv`` (the longest; all of them: ``policylab.text_reuse``).
MAX_PASSAGE_ROWS = 1_000
#: Shared passages listed on the overview / on a notice page.
MAX_PASSAGES = 50
MAX_NOTICE_PASSAGES = 2
MAX_PARTNERS = 4
MAX_SECTIONS = 3
DPI = 90

_STATIC = Path(__file__).with_name("static")
#: CSS class of a clause by its kind on a notice page (short: a page holds the whole notice).
_KIND_CLASS = {"heading": "h", "list_item": "li", "table_row": "tr", "boilerplate": "bp"}
_TEMPLATES = Path(__file__).with_name("templates")


def _env():
    try:
        import jinja2
    except ImportError as error:  # pragma: no cover - jinja2 is a core dependency
        raise ImportError("the report needs jinja2: pip install jinja2") from error
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def _slug(doc_id: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", str(doc_id)).strip("._") or "notice"
    base = base[:80]
    slug, i = base, 1
    while slug.lower() in taken:
        i += 1
        slug = f"{base}-{i}"
    taken.add(slug.lower())
    return slug


def clause_anchor(clause_id: str) -> str:
    """The HTML id of a clause on its notice's page: ``c`` and its position (unique within the notice).

    >>> clause_anchor("okorad:0041")
    'c0041'
    """
    return "c" + re.sub(r"[^A-Za-z0-9_-]+", "-", str(clause_id).rsplit(":", 1)[-1])


def _shorten(text, limit: int = MAX_QUOTE) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fmt(value, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, (list, tuple, np.ndarray)):
        return "; ".join(map(str, value))
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.{digits}g}" if abs(float(value)) < 1e6 else f"{float(value):.0f}"
    return str(value)


def _pct(value) -> str:
    return "" if value is None or pd.isna(value) else f"{100 * float(value):.0f}%"


def human_days(days) -> str:
    """A storage period in the unit a reader would use.

    >>> [human_days(d) for d in (30 / 1440, 0.5, 14, 90, 730, 1825.5)]
    ['30 minutes', '12 hours', '14 days', '3 months', '2 years', '5 years']
    """
    if days is None or pd.isna(days) or days <= 0:
        return ""
    for unit, size, limit in (("minute", 1 / 1440, 1 / 24), ("hour", 1 / 24, 1), ("day", 1, 60),
                              ("month", 30, 365), ("year", 365, math.inf)):
        if days < limit:
            n = days / size
            n_text = f"{n:.0f}" if abs(n - round(n)) < 0.05 or n >= 10 else f"{n:.1f}"
            return f"{n_text} {unit}{'' if n_text == '1' else 's'}"
    return ""  # pragma: no cover


def _html_table(frame: pd.DataFrame, *, numeric: set[str] = frozenset(), links: dict[str, str] | None = None,
                sortable: bool = True, quote: set[str] = frozenset(), attrs=None, table_id: str = "") -> str:
    """An HTML table of ``frame`` (escaped); ``links`` maps a column to a column of hrefs; ``attrs(row)`` gives row attributes."""
    if frame is None or frame.empty:
        return '<p class="note">nothing to show</p>'
    links = links or {}
    hidden = set(links.values())
    columns = [c for c in frame.columns if c not in hidden and not str(c).startswith("_")]
    head = "".join(
        f'<th class="num" data-sort-method="number">{html.escape(str(c))}</th>' if c in numeric
        else f"<th>{html.escape(str(c))}</th>" for c in columns)
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for c in columns:
            text = html.escape(_fmt(record[c]))
            if c in links and record.get(links[c]):
                text = f'<a href="{html.escape(str(record[links[c]]))}">{text}</a>'
            cls = ' class="num"' if c in numeric else (' class="quote"' if c in quote else "")
            cells.append(f"<td{cls}>{text}</td>")
        extra = attrs(record) if attrs else ""
        rows.append(f"<tr{extra}>{''.join(cells)}</tr>")
    ident = f' id="{table_id}"' if table_id else ""
    cls = ' class="sortable"' if sortable else ""
    return f"<table{ident}{cls}><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"


def _attr(name: str, value) -> str:
    return f' {name}="{html.escape(str(value), quote=True)}"'


def _csv(frame: pd.DataFrame, path: Path, *, keep_text: bool = False) -> int:
    """Write ``frame`` as CSV (at most :data:`MAX_CSV_ROWS` rows; clause texts left out unless ``keep_text``)."""
    out = frame.head(MAX_CSV_ROWS)
    if not keep_text:
        # Clause texts are in the clauses table and on the notice pages; ids and offsets find them.
        out = out.drop(columns=[c for c in out.columns if str(c) in ("text", "text_a", "text_b")])
    out = out.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = [("; ".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v)
                           for v in out[column]]
    out.to_csv(path, index=False, encoding="utf-8")
    return len(out)


# ---------------------------------------------------------------- notice pages


def _notice_context(doc: dict, n: dict, d: ReportData, parts: dict, href: dict, names: dict, corpus: dict) -> dict:
    doc_id = n["doc_id"]
    clauses = parts["clauses"].get(doc_id, pd.DataFrame(columns=["clause_id", "text", "kind"]))
    text_of = dict(zip(clauses["clause_id"], clauses["text"]))
    heading = {c for c, k in zip(clauses["clause_id"], clauses["kind"]) if str(k) == "heading"}
    coverage = parts["coverage"].get(doc_id)
    covers, misses, not_required = [], [], []
    covers_by_clause: dict[str, dict] = {}
    if coverage is not None and n["tagged"]:
        for r in coverage.to_dict("records"):
            evidence = [e for e in (r.get("evidence") if r.get("evidence") is not None else []) if e in text_of]
            # Quote what the notice says, not its heading: headings are quoted only when nothing else gives the item.
            evidence = sorted(evidence, key=lambda e: e in heading)
            article = _article(r.get("article", ""))
            if bool(r["covered"]) and evidence:
                # Items given by the same clause share one row: the clause is quoted once.
                row = covers_by_clause.get(evidence[0])
                if row is None:
                    row = covers_by_clause[evidence[0]] = {
                        "items": [], "clause_id": evidence[0], "anchor": clause_anchor(evidence[0]),
                        "quote": _shorten(text_of[evidence[0]]), "more": {}}
                    covers.append(row)
                row["items"].append({"item": str(r["item"]), "article": article, "required": bool(r["required"])})
                for e in evidence[1:]:
                    row["more"].setdefault(e, clause_anchor(e))
            elif not bool(r["covered"]) and bool(r["required"]):
                item = str(r["item"])
                misses.append({"item": item, "article": article,
                               "missing": ITEM_PHRASES.get(item, item.replace("_", " ") + " not covered"),
                               "expected": ITEM_EXPECTED.get(item, "see the article")})
            elif not bool(r["covered"]):
                not_required.append(f"{r['item']} ({article})")
    for row in covers:
        more = [{"clause_id": c, "anchor": a} for c, a in row["more"].items() if c != row["clause_id"]]
        row["n_more"] = max(0, len(more) - MAX_MORE)
        row["more"] = more[:MAX_MORE]
    periods = []
    retention = parts["retention"].get(doc_id)
    if retention is not None:
        for r in retention.to_dict("records"):
            periods.append({"raw": r.get("raw", ""), "kind": r.get("kind", ""), "days": _fmt(r.get("days")),
                            "human": human_days(r.get("days")) if r.get("kind") == "duration" else "",
                            "qualifier": _fmt(r.get("qualifier")), "clause_id": r["clause_id"],
                            "anchor": clause_anchor(r["clause_id"])})
    r = None
    read = parts["readability"].get(doc_id)
    if read is not None and pd.notna(read.get("lix")):
        lix = float(read["lix"])
        scale = corpus["lix_scale"]
        r = {"lix": f"{lix:.0f}", "band": read.get("lix_band", ""), "rank": int(corpus["lix_rank"][doc_id]),
             "n": corpus["lix_n"], "median": f"{corpus['lix_median']:.0f}", "words": _fmt(read.get("words")),
             "sentences": _fmt(read.get("sentences")), "sentence_length": f"{read.get('mean_sentence_length', 0):.1f}",
             "scale": f"{scale:.0f}", "pos": f"{min(100, 100 * lix / scale):.1f}",
             "median_pos": f"{min(100, 100 * corpus['lix_median'] / scale):.1f}"}
    sections = []
    sec = parts["sections"].get(doc_id)
    if sec is not None:
        hardest = sec[sec["words"] >= 20] if "words" in sec else sec
        for s in hardest.sort_values("lix", ascending=False).head(MAX_SECTIONS).to_dict("records"):
            name = str(s.get("section") or "").split(" > ")[-1] or "(before the first heading)"
            sections.append({"section": name, "words": _fmt(s.get("words")), "lix": _fmt(s.get("lix"), 2)})
    t, passages, outdated = None, [], []
    lin = parts["lineage"].get(doc_id)
    if lin is not None and float(lin.get("borrowed_share") or 0) > 0:
        partners = [p for p in (lin.get("partners") if lin.get("partners") is not None else []) if p in href]
        t = {"family": int(lin["family"]), "family_size": int(lin.get("family_size", 0)),
             "share": _pct(lin["borrowed_share"]),
             "partners": [{"company": names.get(p, p), "href": "../" + href[p]} for p in partners[:MAX_PARTNERS]],
             "more_partners": max(0, len(partners) - MAX_PARTNERS)}
        mine = parts["reuse"].get(doc_id, [])
        for p in mine[:MAX_NOTICE_PASSAGES]:
            passages.append({"company": names.get(p["other"], p["other"]), "href": "../" + href.get(p["other"], ""),
                             "words": p["words"], "text": _shorten(p["text"], 100), "clause_id": p["clause_id"],
                             "anchor": clause_anchor(p["clause_id"]) if p["clause_id"] else ""})
        outdated = parts["outdated"].get(doc_id, [])
    text = [{"anchor": clause_anchor(c), "kind": _KIND_CLASS.get(str(k), ""), "text": x}
            for c, k, x in zip(clauses["clause_id"], clauses["kind"], clauses["text"])]
    return {"covers": covers, "misses": misses, "not_required": not_required, "periods": periods, "r": r,
            "sections": sections, "sections_total": len(sec) if sec is not None else 0, "t": t, "passages": passages,
            "passages_capped": len(parts["reuse"].get(doc_id, [])) > MAX_NOTICE_PASSAGES,
            "passages_total": len(parts["reuse"].get(doc_id, [])), "outdated": outdated, "clauses": text}


def _by_doc(frame: pd.DataFrame | None, column: str = "doc_id") -> dict:
    if frame is None or frame.empty or column not in frame:
        return {}
    return {str(k): g for k, g in frame.groupby(frame[column].astype(str), sort=False)}


def _reuse_sides(reuse: pd.DataFrame) -> dict[str, list[dict]]:
    """Per notice, its shared passages (this side's wording, the other notice, the first clause), longest first."""
    out: dict[str, list[dict]] = {}
    if reuse is None or reuse.empty:
        return out
    for r in reuse.to_dict("records"):
        for me, other, side in ((r["doc_a"], r["doc_b"], "a"), (r["doc_b"], r["doc_a"], "b")):
            ids = r.get(f"clauses_{side}")
            ids = list(ids) if ids is not None else []
            out.setdefault(str(me), []).append({"other": str(other), "words": int(r[f"words_{side}"]),
                                                "text": r[f"text_{side}"], "clause_id": ids[0] if ids else ""})
    for v in out.values():
        v.sort(key=lambda p: -p["words"])
    return out


# ---------------------------------------------------------------- the site


def write_report(tables, out: Path | str, *, svg: bool = False, random_state: int = 0,
                 reuse: pd.DataFrame | None = None, clusters: pd.DataFrame | bool = False,
                 progress: bool | None = None) -> Path:
    """Write the report of ``tables`` into ``out`` as a small static site and return its main page.

    Writes ``out/report.html`` (contents, sectors, a filterable and sortable
    table of notices, the figures, shared templates, notices left out,
    problems), ``out/notices/<doc_id>.html`` (one page per notice: what it
    covers with the clause quoted and linked, what it misses with the article
    and what is expected, its storage periods, readability against the corpus,
    the notices it shares text with, and its text clause by clause),
    ``out/figures/<name>.png`` (+ ``.svg`` with ``svg=True``), the table behind
    every figure as ``out/csv/<name>.csv`` (with the notices, sectors,
    missing items, coverage evidence and shared passages), ``out/static/`` (tablesort, CSS,
    JS: nothing is loaded from the network) and ``out/summary.txt``.

    Parameters
    ----------
    tables
        A :class:`policylab.Tables` (``policylab.build()``).
    out
        The folder to write into (created if missing).
    svg
        Also write every figure as SVG.
    random_state
        Seed of the clause clustering.
    reuse
        A precomputed :func:`policylab.text_reuse` table (else computed here).
    clusters
        A precomputed :func:`policylab.cluster_clauses` table, ``True`` to
        cluster here (slow: 58 s at 500 notices), or ``False`` (default)
        to leave the cluster figure out.
    progress
        Show a progress bar (tqdm); ``None``: only on a terminal.

    Examples
    --------
    >>> import tempfile
    >>> from policylab.build import build
    >>> write_report(build(), tempfile.mkdtemp(), progress=False).name
    'report.html'
    """
    from tqdm.auto import tqdm

    out = Path(out)
    if (out / "report.html").is_file():
        # An earlier report in this folder: its pages, figures and CSVs go, so none is left from notices since removed.
        for sub, suffixes in (("notices", {".html"}), ("figures", {".png", ".svg"}), ("csv", {".csv"})):
            for stale in (out / sub).glob("*") if (out / sub).is_dir() else []:
                if stale.is_file() and stale.suffix in suffixes:
                    stale.unlink()
    for sub in ("figures", "csv", "notices", "static"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    t = tables
    bar = tqdm(total=4 + len(t.documents), desc="report", unit="step", disable=(None if progress is None else not progress))

    def step(name: str) -> None:
        bar.set_postfix_str(name)

    d = prepare(t, reuse=reuse, clusters=clusters, random_state=random_state, step=step)
    bar.update(1)
    env = _env()
    (out / "summary.txt").write_text(summary_text(t), encoding="utf-8")
    for path in _STATIC.iterdir():
        if path.is_file():
            shutil.copyfile(path, out / "static" / path.name)

    notices = d.notices.copy()
    taken: set[str] = set()
    href = {doc_id: f"notices/{_slug(doc_id, taken)}.html" for doc_id in notices["doc_id"]}
    names = dict(zip(notices["doc_id"], notices["company"]))
    notices["_href"] = notices["doc_id"].map(href)

    # Figures, each with the table behind it.
    step("figures")
    figures = []
    for spec in figure_table(d):
        bar.set_postfix_str(f"figure {spec.name}")
        fig = spec.draw(d)
        fig.savefig(out / "figures" / f"{spec.name}.png", format="png", dpi=DPI)
        if svg:
            fig.savefig(out / "figures" / f"{spec.name}.svg", format="svg")
        width, height = (round(v * DPI) for v in fig.get_size_inches())
        behind = spec.behind(d)
        rows = _csv(behind, out / "csv" / f"{spec.name}.csv")
        preview = behind.head(PREVIEW_ROWS).copy()
        for column in preview.columns:
            if preview[column].dtype == object:
                preview[column] = [_shorten(v, 160) if isinstance(v, str) else v for v in preview[column]]
        figures.append({"name": spec.name, "title": spec.title, "read": spec.read, "rows": rows, "total": len(behind),
                        "width": width,
                        "height": height, "preview_rows": len(preview),
                        "preview": _html_table(preview, sortable=False, quote={"text", "text_a", "text_b"})})
    bar.update(1)

    # Overview tables and CSVs.
    step("tables")
    downloads = []
    notices_csv = notices.drop(columns=["_href"])
    downloads.append(("notices", _csv(notices_csv, out / "csv" / "notices.csv")))
    downloads.append(("sectors", _csv(d.sectors, out / "csv" / "sectors.csv")))
    # The message repeats company, item and article: the CSV keeps the columns, the pages the sentences.
    gaps = missing_items(t.coverage, t.documents).drop(columns=["company", "message"])
    downloads.append(("missing_items", _csv(gaps, out / "csv" / "missing_items.csv")))
    reuse_table = d.reuse if d.reuse is not None else pd.DataFrame()
    # Clause lists are left out: the offsets find each passage in documents.text, and its clauses.
    reuse_table = reuse_table.drop(columns=[c for c in ("clauses_a", "clauses_b") if c in reuse_table])
    if "words_a" in reuse_table:
        reuse_table = reuse_table.sort_values(["words_a", "doc_a", "start_a"], ascending=[False, True, True])
    downloads.append(("shared_passages", _csv(reuse_table.head(MAX_PASSAGE_ROWS), out / "csv" / "shared_passages.csv")))
    if len(d.left_out):
        downloads.append(("left_out", _csv(d.left_out, out / "csv" / "left_out.csv")))
    if len(t.problems):
        downloads.append(("problems", _csv(t.problems, out / "csv" / "problems.csv")))
    downloads += [(f["name"], f["rows"]) for f in figures]
    totals = {"shared_passages": len(reuse_table), **{f["name"]: f["total"] for f in figures}}
    downloads = [(name, rows, max(rows, totals.get(name, rows))) for name, rows in downloads]

    shown = notices.head(MAX_TABLE_ROWS).copy()
    view = pd.DataFrame({
        "company": shown["company"], "_href": shown["_href"], "sector": shown["sector"],
        "language": shown["language"], "words": shown["words"], "clauses": shown["clauses"],
        "coverage": [_pct(v) if tag else "not scored" for v, tag in zip(shown["coverage_score"], shown["tagged"])],
        "missing": [(f"{len(m.split(', '))}: {m}" if m else "0") if tag else "left out"
                    for m, tag in zip(shown["missing"], shown["tagged"])],
        "LIX": shown["lix"].round(0), "periods": shown["periods"],
        "borrowed": [_pct(v) if pd.notna(v) and v > 0 else "" for v in shown["borrowed_share"]],
    })
    meta = shown[["sector", "language", "company"]].to_dict("records")
    row_attrs = iter(meta)
    notices_table = _html_table(
        view, numeric={"words", "clauses", "coverage", "LIX", "periods", "borrowed"}, links={"company": "_href"},
        table_id="notice-table",
        attrs=lambda _r: "".join(_attr(f"data-{k}", v) for k, v in next(row_attrs).items()))
    sectors_view = d.sectors.assign(
        median_coverage=[_pct(v) if pd.notna(v) else f"n<{MIN_GROUP}" for v in d.sectors["median_coverage"]],
        median_lix=[f"{v:.0f}" if pd.notna(v) else f"n<{MIN_GROUP}" for v in d.sectors["median_lix"]],
    ).drop(columns=["note"])
    sectors_table = _html_table(sectors_view, numeric={"notices", "tagged", "median_coverage", "median_lix"})

    families = []
    if _has(d.lineage, ["doc_id", "family"]):
        fam = d.lineage[d.lineage["family"] >= 0]
        for family, part in fam.groupby("family", sort=True):
            part = part.sort_values("borrowed_share", ascending=False)
            families.append({"family": int(family), "size": len(part), "members": [
                {"company": names.get(m, m), "href": href.get(m, ""), "share": _pct(s)}
                for m, s in zip(part["doc_id"], part["borrowed_share"])]})
    passages = []
    if _has(d.reuse, ["doc_a", "doc_b", "text_a"]):
        top = d.reuse.assign(_w=d.reuse["words_a"]).sort_values("_w", ascending=False).head(MAX_PASSAGES)
        for r in top.to_dict("records"):
            passages.append({"company_a": names.get(r["doc_a"], r["doc_a"]), "href_a": href.get(r["doc_a"], ""),
                             "company_b": names.get(r["doc_b"], r["doc_b"]), "href_b": href.get(r["doc_b"], ""),
                             "words": int(r["words_a"]), "text": _shorten(r["text_a"])})
    problems = ""
    if len(t.problems):
        problems = _html_table(t.problems.head(MAX_TABLE_ROWS))
        if len(t.problems) > MAX_TABLE_ROWS:
            problems += f'<p class="note">first {MAX_TABLE_ROWS} of {len(t.problems)}: all in csv/problems.csv</p>'
    left = [{"doc_id": r["doc_id"], "company": names.get(r["doc_id"], r["doc_id"]), "reason": r["reason"],
             "href": href.get(r["doc_id"], "")} for r in d.left_out.to_dict("records")]
    index = env.get_template("index.html.j2").render(
        title="Overview", root="", corpus=t.corpus, n_notices=len(notices), n_clauses=len(t.clauses),
        n_tagged=int(notices["tagged"].sum()), left_out=left, min_group=MIN_GROUP,
        sectors=d.sectors.to_dict("records"), sectors_table=_markup(sectors_table),
        filter_sectors=sorted(notices["sector"].unique()), filter_languages=sorted(notices["language"].unique()),
        notices_shown=len(shown), notices_capped=len(notices) > len(shown), notices_table=_markup(notices_table),
        figures=[{**f, "preview": _markup(f["preview"])} for f in figures], families=families, passages=passages,
        n_passages=len(d.reuse) if d.reuse is not None else 0,
        n_sharing=int((d.lineage["borrowed_share"] > 0).sum()) if _has(d.lineage, ["borrowed_share"]) else 0,
        problems=_markup(problems), downloads=downloads)
    (out / "report.html").write_text(index, encoding="utf-8")
    bar.update(1)

    # One page per notice.
    step("notice pages")
    parts = {
        "clauses": _by_doc(t.clauses), "coverage": _by_doc(t.coverage),
        "retention": _by_doc(t.retention.sort_values(["doc_id", "start"]) if _has(t.retention, ["start"])
                             else t.retention),
        "readability": {k: g.iloc[0].to_dict() for k, g in _by_doc(t.readability).items()},
        "sections": _by_doc(d.sections), "reuse": _reuse_sides(d.reuse),
        "lineage": {k: g.iloc[0].to_dict() for k, g in _by_doc(d.lineage).items()},
        "outdated": {k: g[["match", "note"]].to_dict("records") for k, g in _by_doc(d.outdated).items()},
    }
    corpus = _corpus_readability(t.readability)
    docs = t.documents.set_index(t.documents["doc_id"].astype(str))
    template = env.get_template("notice.html.j2")
    records = notices.to_dict("records")
    reasons = dict(zip(d.left_out["doc_id"], d.left_out["reason"])) if len(d.left_out) else {}
    median_score = _pct(notices.loc[notices["tagged"], "coverage_score"].median())
    for i, n in enumerate(records):
        bar.set_postfix_str(f"notice {n['doc_id']}")
        doc = docs.loc[n["doc_id"]].to_dict() if n["doc_id"] in docs.index else {}
        context = _notice_context(doc, n, d, parts, href, names, corpus)
        page = template.render(
            title=n["company"], root="../", corpus_median_score=median_score,
            n={**n, "score": _pct(n["coverage_score"]), "covered": _fmt(n["items_covered"]),
               "required": _fmt(n["items_required"]), "file": doc.get("file", ""), "date": _fmt(doc.get("date_stated")),
               "sector_text": _fmt(doc.get("sector")), "words": _fmt(n["words"]),
               "reason": reasons.get(n["doc_id"], "")},
            prev={"href": "../" + records[i - 1]["_href"], "company": records[i - 1]["company"]} if i else None,
            next={"href": "../" + records[i + 1]["_href"], "company": records[i + 1]["company"]}
            if i + 1 < len(records) else None,
            **context)
        (out / n["_href"]).write_text(page, encoding="utf-8")
        bar.update(1)
    bar.update(1)
    bar.close()
    return out / "report.html"


def _markup(text: str):
    from markupsafe import Markup

    return Markup(text)


def _corpus_readability(readability: pd.DataFrame) -> dict:
    if not _has(readability, ["doc_id", "lix"]):
        return {"lix_rank": {}, "lix_n": 0, "lix_median": float("nan"), "lix_scale": 60.0}
    lix = readability.drop_duplicates("doc_id").set_index("doc_id")["lix"].astype(float).dropna()
    return {"lix_rank": lix.rank(method="min").astype(int).to_dict(), "lix_n": len(lix),
            "lix_median": float(lix.median()), "lix_scale": max(60.0, float(lix.max()) * 1.1)}

"""Writing tables: atomic output, the manifest, CSV injection, Excel formats (#13 items 12-13, #15 item 4)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import policylab
from policylab.cli import main
from policylab.export import (
    EXCEL_CELL_LIMIT,
    MANIFEST_NAME,
    OutputError,
    check_output,
    escape_cell,
    read_manifest,
    unescape_cell,
    write_tables,
)

HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+47 22 00 00 00", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "'=already", "trygg tekst", "æøå ÆØÅ"]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if "policylab-" in p.name)


def _small(tables) -> dict[str, pd.DataFrame]:
    keep = tables.documents.doc_id.iloc[:2].tolist()
    return {
        "documents": tables.documents[tables.documents.doc_id.isin(keep)],
        "clauses": tables.clauses[tables.clauses.doc_id.isin(keep)],
        "coverage": tables.coverage[tables.coverage.doc_id.isin(keep)],
        "readability": tables.readability[tables.readability.doc_id.isin(keep)],
    }


# ---------------------------------------------------------------- atomic output


def test_interrupted_write_leaves_previous_output_untouched(tables, tmp_path):
    out = tmp_path / "out"
    tables.write(out)
    before = _snapshot(out)

    def boom(folder):
        assert any(folder.iterdir())  # the new tables were being written
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_tables(tables, out, format="csv", _writer_hook=boom)
    assert _snapshot(out) == before
    assert _leftovers(out) == []


def test_error_inside_the_writer_leaves_previous_output_untouched(tables, tmp_path, monkeypatch):
    out = tmp_path / "out"
    tables.write(out, format="csv")
    before = _snapshot(out)
    calls = []
    real = pd.DataFrame.to_parquet

    def failing(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", failing)
    with pytest.raises(OSError, match="No space"):
        tables.write(out)
    assert _snapshot(out) == before
    assert _leftovers(out) == []


def test_rewrite_removes_stale_tables_of_the_other_format(tables, tmp_path):
    out = tmp_path / "out"
    tables.write(out, format="csv")
    tables.write(out, format="parquet")
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([f"{n}.parquet" for n in (*policylab.TABLE_NAMES, "problems")] + [MANIFEST_NAME])
    tables.write(out, format="xlsx")
    assert sorted(p.name for p in out.iterdir()) == ["policylab-manifest.json", "tables.xlsx"]


def test_non_empty_foreign_folder_is_refused_unless_overwrite(tables, tmp_path):
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.docx").write_bytes(b"my work")
    (out / "labels.xlsx").write_bytes(b"the user's own workbook")
    for name in (*policylab.TABLE_NAMES, "problems"):  # a complete output of a policylab from before manifests
        (out / f"{name}.parquet").write_bytes(b"old")
    before = sorted(p.name for p in out.iterdir())
    with pytest.raises(OutputError, match="not written by policylab.*chapter1.docx"):
        tables.write(out, format="csv")
    assert sorted(p.name for p in out.iterdir()) == before
    tables.write(out, format="csv", overwrite=True)
    names = {p.name for p in out.iterdir()}
    assert (out / "chapter1.docx").read_bytes() == b"my work" and (out / "labels.xlsx").exists()
    assert "clauses.parquet" not in names and "clauses.csv" in names and MANIFEST_NAME in names
    # A policylab output (with a manifest) may be rewritten without --overwrite; the foreign file stays.
    tables.write(out, format="parquet")
    assert (out / "chapter1.docx").read_bytes() == b"my work"
    assert "clauses.csv" not in {p.name for p in out.iterdir()}


def test_out_that_is_a_file_or_cannot_be_created_is_refused(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="is a file"):
        check_output(blocker)
    with pytest.raises(OutputError, match="blocker"):
        check_output(blocker / "tables")
    assert [p.name for p in tmp_path.iterdir()] == ["blocker"]


def test_manifest_records_every_file_with_its_sha256(tables, tmp_path):
    out = tmp_path / "out"
    paths = tables.write(out, format="csv")
    manifest = read_manifest(out)
    assert manifest["written_by"] == "policylab" and manifest["policylab_version"] == policylab.__version__
    assert manifest["format"] == "csv" and manifest["corpus"] == tables.corpus
    files = {f["file"]: f for f in manifest["files"]}
    assert set(files) == {p.name for p in paths}
    for path in paths:
        entry = files[path.name]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["rows"] == len(getattr(tables, entry["table"]))
    assert json.loads((out / MANIFEST_NAME).read_text())["csv"]["separator"] == ","


# ---------------------------------------------------------------- CSV injection


def test_csv_neutralises_formula_cells_and_keeps_numbers(tmp_path):
    frame = pd.DataFrame({"text": HOSTILE, "days": range(-4, len(HOSTILE) - 4)})
    frame["label"] = pd.Categorical(["=cat"] * len(HOSTILE))
    write_tables({"t": frame}, tmp_path / "csv", format="csv")
    back = pd.read_csv(tmp_path / "csv" / "t.csv", keep_default_na=False)
    for raw, written in zip(HOSTILE, back["text"]):
        dangerous = raw.lstrip("'")[:1] in ("=", "+", "-", "@", "\t", "\r")
        assert written == ("'" + raw if dangerous else raw)
        assert unescape_cell(written) == raw
    assert back["days"].tolist() == frame["days"].tolist()  # negative numbers are numbers, not formulas
    assert set(back["label"]) == {"'=cat"}
    # Parquet keeps the true values.
    write_tables({"t": frame}, tmp_path / "pq")
    assert pd.read_parquet(tmp_path / "pq" / "t.parquet")["text"].tolist() == HOSTILE


@given(st.text(max_size=30))
def test_escape_round_trips_and_never_starts_with_a_formula(text):
    escaped = escape_cell(text)
    assert unescape_cell(escaped) == text
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_of_the_bundled_corpus_has_no_formula_cells(tables, tmp_path):
    tables.write(tmp_path / "out", format="csv")
    clauses = pd.read_csv(tmp_path / "out" / "clauses.csv", keep_default_na=False)
    starts = clauses["text"].str[:1]
    assert not starts.isin(["=", "+", "-", "@"]).any()
    # A clause of the bundled corpus is a phone number ("+47 ..."): escaped, and restored by unescape_cell.
    escaped = clauses["text"].str.startswith("'+47")
    assert escaped.sum() == 1
    original = tables.clauses.set_index("clause_id")["text"]
    for clause_id, text in clauses.loc[escaped, ["clause_id", "text"]].itertuples(index=False):
        assert unescape_cell(text) == original[clause_id]


# ---------------------------------------------------------------- Excel formats


def test_csv_excel_has_bom_semicolons_decimal_comma_and_norwegian_letters(tables, tmp_path):
    small = _small(tables)
    write_tables(small, tmp_path / "out", format="csv-excel")
    raw = (tmp_path / "out" / "readability.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header, first = raw.decode("utf-8-sig").splitlines()[:2]
    assert header.startswith("doc_id;") and "," in first.split(";")[header.split(";").index("lix")]
    back = pd.read_csv(tmp_path / "out" / "readability.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert back["lix"].tolist() == pytest.approx(small["readability"]["lix"].tolist())
    docs = pd.read_csv(tmp_path / "out" / "documents.csv", sep=";", encoding="utf-8-sig", keep_default_na=False)
    assert docs["text"].map(unescape_cell).tolist() == small["documents"]["text"].tolist()
    assert any(ch in "".join(docs["text"]) for ch in "æøå")


def test_csv_excel_with_another_separator(tmp_path):
    frame = pd.DataFrame({"a": [1.5], "b": ["æ,ø"]})
    write_tables({"t": frame}, tmp_path / "out", format="csv-excel", csv_sep="\t")
    assert (tmp_path / "out" / "t.csv").read_text(encoding="utf-8-sig").splitlines() == ["a\tb", "1,5\tæ,ø"]
    with pytest.raises(ValueError, match="csv_sep"):
        write_tables({"t": frame}, tmp_path / "bad", format="csv-excel", csv_sep=";;")


def test_xlsx_one_sheet_per_table_text_intact_formulas_inert_long_cells_cut(tables, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    small = _small(tables)
    small["hostile"] = pd.DataFrame({"text": HOSTILE + ["x" * (EXCEL_CELL_LIMIT + 10)], "n": range(len(HOSTILE) + 1),
                                     "evidence": [["a:0001", "a:0002"]] * (len(HOSTILE) + 1)})
    small["hostile"].loc[0, "n"] = -1
    (path,) = write_tables(small, tmp_path / "out", format="xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [*small, "notes"]
    sheet = book["hostile"]
    rows = list(sheet.iter_rows(min_row=2))
    for raw, row in zip(HOSTILE, rows):
        cell = row[0]
        assert cell.data_type == "s" and cell.value == raw.replace("\r", "\r")  # true value, typed as text
    assert rows[0][1].value == -1 and rows[0][2].value == "a:0001;a:0002"
    long_cell = rows[-1][0].value
    assert len(long_cell) == EXCEL_CELL_LIMIT and "truncated" in long_cell
    notes = " ".join(str(v) for row in book["notes"].iter_rows(values_only=True) for v in row)
    assert "hostile.text" in notes and "32,767" in notes
    docs = pd.read_excel(path, sheet_name="documents", engine="openpyxl")
    assert docs["company"].fillna("").tolist() == small["documents"]["company"].fillna("").tolist()
    clauses = pd.read_excel(path, sheet_name="clauses", engine="openpyxl")
    assert clauses["text"].tolist() == small["clauses"]["text"].tolist()
    assert any(ch in "".join(clauses["text"]) for ch in "æøå")


def test_xlsx_without_openpyxl_says_what_to_install(tmp_path, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_openpyxl(name, *args, **kwargs):
        if name.startswith("openpyxl"):
            raise ImportError("No module named 'openpyxl'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    with pytest.raises(ImportError, match=r"policylab\[excel\]"):
        write_tables({"t": pd.DataFrame({"a": [1]})}, tmp_path / "out", format="xlsx")
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- the command line


def _corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text((policylab.BUNDLED_CORPUS / "balcoo.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_cli_checks_out_before_the_build(tmp_path, monkeypatch):
    import sys

    build_module = sys.modules["policylab.build"]  # the package's ``build`` attribute is the function

    def no_build(*args, **kwargs):
        raise AssertionError("the build must not start")

    monkeypatch.setattr(build_module, "build", no_build)
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    for command in ("build", "report"):
        result = CliRunner().invoke(main, [command, str(_corpus(tmp_path)) if command == "build" else str(tmp_path / "corpus"),
                                           "--out", str(blocker / "out"), "--quiet"])
        assert result.exit_code == 1, result.output
        assert "blocker" in result.output and "Traceback" not in result.output
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    for command in ("build", "report"):
        result = CliRunner().invoke(main, [command, str(tmp_path / "corpus"), "--out", str(foreign), "--quiet"])
        assert result.exit_code == 1 and "--overwrite" in result.output


def test_cli_build_xlsx_and_csv_excel_and_overwrite(tmp_path):
    pytest.importorskip("openpyxl")
    corpus = _corpus(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), "--format", "xlsx", "--quiet"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, "tables.xlsx"]
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), "--format", "csv-excel", "--csv-sep", ",", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "tables.xlsx" not in {p.name for p in out.iterdir()}
    assert (out / "clauses.csv").read_bytes().startswith(b"\xef\xbb\xbfclause_id,doc_id,")
    (out / "mine.txt").write_text("kept")
    os.remove(out / MANIFEST_NAME)  # no longer recognisable as policylab output
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), "--quiet"])
    assert result.exit_code == 1 and "--overwrite" in result.output
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), "--overwrite", "--quiet"])
    assert result.exit_code == 0, result.output
    assert (out / "mine.txt").read_text() == "kept" and not (out / "clauses.csv").exists()


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40),
                min_size=1, max_size=8))
def test_csv_round_trips_any_text(tmp_path_factory, texts):
    out = tmp_path_factory.mktemp("csv") / "out"
    frame = pd.DataFrame({"text": texts, "n": range(len(texts))})
    for fmt, options in (("csv", {}), ("csv-excel", {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"})):
        write_tables({"t": frame}, out, format=fmt)
        back = pd.read_csv(out / "t.csv", dtype={"text": str}, keep_default_na=False, **options)
        assert back["text"].map(unescape_cell).tolist() == texts
        assert back["n"].tolist() == list(range(len(texts)))


def test_cli_report_replaces_its_own_earlier_report(tmp_path, monkeypatch):
    import sys

    report_module = sys.modules.get("policylab.report") or __import__("policylab.report").report
    calls = []
    monkeypatch.setattr(report_module, "write_report", lambda tables, out, **_: calls.append(out) or out / "report.html")
    corpus = _corpus(tmp_path)
    out = tmp_path / "report"
    for _ in range(2):  # the second run finds only the tables of the first (its report was not written)
        result = CliRunner().invoke(main, ["report", str(corpus), "--out", str(out), "--quiet"])
        assert result.exit_code == 0, result.output
    assert read_manifest(out / "tables")["format"] == "parquet" and len(calls) == 2


@pytest.mark.parametrize("fmt", ["parquet", "csv", "csv-excel", "xlsx"])
def test_read_tables_gives_back_what_was_written(tables, tmp_path, fmt):
    from policylab.export import read_tables

    if fmt == "xlsx":
        pytest.importorskip("openpyxl")
    small = _small(tables)
    small["hostile"] = pd.DataFrame({"text": HOSTILE, "days": [-1.5] * len(HOSTILE)})
    write_tables(small, tmp_path / "out", format=fmt)
    back = read_tables(tmp_path / "out")
    assert list(back) == list(small)
    assert back["hostile"]["text"].tolist() == HOSTILE
    assert back["hostile"]["days"].tolist() == [-1.5] * len(HOSTILE)
    assert back["clauses"]["text"].tolist() == small["clauses"]["text"].tolist()
    assert back["readability"]["lix"].tolist() == pytest.approx(small["readability"]["lix"].tolist())
    # A file changed after writing is caught.
    victim = next(p for p in (tmp_path / "out").iterdir() if p.name != MANIFEST_NAME)
    victim.write_bytes(victim.read_bytes()[:-10])
    with pytest.raises(OutputError, match="changed"):
        read_tables(tmp_path / "out")


def test_a_lone_user_file_named_like_a_table_is_not_removed(tables, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "labels.csv").write_text("my own labels")
    tables.write(out, overwrite=True)
    assert (out / "labels.csv").read_text() == "my own labels" and (out / "labels.parquet").exists()


def test_out_given_as_dot_or_through_a_link(tables, tmp_path, monkeypatch):
    target = tmp_path / "real"
    tables.write(target)
    link = tmp_path / "link"
    link.symlink_to(target)
    tables.write(link, format="csv")
    assert link.is_symlink() and (target / "clauses.csv").exists() and not (target / "clauses.parquet").exists()
    monkeypatch.chdir(target)
    tables.write(".")  # the working folder is updated in place, never renamed away
    assert Path.cwd() == target and (target / "clauses.parquet").exists() and not (target / "clauses.csv").exists()

"""Reading notices: bad input gets a clear problem row and the rest still builds."""

import warnings

import pandas as pd
import pytest
from click.testing import CliRunner

import policylab
from policylab.cli import main
from policylab.corpus import NoticeError, decode_bytes, read_corpus, read_notice

GOOD = "Personvernerklæring\n\nVi lagrer opplysningene i to år. Du kan kreve innsyn.\n"


def make_corpus(tmp_path, files, metadata=None):
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if metadata is not None:
        (tmp_path / "metadata.csv").write_text(metadata, encoding="utf-8")
    return tmp_path


def read(folder):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        docs, problems = read_corpus(folder, detect=False)
    return docs, problems, caught


def problem_for(problems, file):
    rows = problems[problems.file == file]
    assert len(rows) >= 1, f"no problem reported for {file}: {problems.to_dict('records')}"
    return " ".join(rows.problem)


def test_bundled_corpus_reads_cleanly(tables):
    assert len(tables.documents) == 21
    assert tables.problems.empty
    docs = tables.documents.set_index("doc_id")
    assert docs.loc["motkraft", "company"] == "Motkraft AS"
    assert docs.loc["kvam-esport", "language"] == "nn"


def test_language_detection_agrees_with_the_metadata(tables):
    docs, _ = read_corpus(detect=True, progress=False)
    assert (docs.language == docs.language_detected).all()
    assert set(docs.language) == {"nb", "nn"}


def test_language_is_detected_where_metadata_has_none(tmp_path):
    folder = make_corpus(tmp_path, {"nn.txt": "Vi samlar inn namn og e-postadresse når du melder deg på. Opplysningane vert sletta etter arrangementet.",
                                    "en.txt": "We store your name and e-mail address for two years. You may ask for a copy of your data."})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs, _ = read_corpus(folder)
    assert dict(zip(docs.doc_id, docs.language)) == {"en": "en", "nn": "nn"}
    for col in ["company", "sector", "nace_section", "language", "n_chars", "n_words", "text"]:
        assert col in docs.columns
    assert (docs.n_chars == docs.text.str.len()).all()


def test_empty_file_is_skipped_with_a_reason(tmp_path):
    docs, problems, caught = read(make_corpus(tmp_path, {"a.txt": GOOD, "empty.txt": "  \n"}))
    assert docs.doc_id.tolist() == ["a"]
    assert "empty" in problem_for(problems, "empty.txt")
    assert any("empty.txt" in str(w.message) for w in caught)


@pytest.mark.parametrize(
    "content, kind",
    [(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"), (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"), (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
     (b"\x00\x01\x02\x03binary\x00junk", "NUL")],
)
def test_binary_files_are_refused(tmp_path, content, kind):
    docs, problems, _ = read(make_corpus(tmp_path, {"a.txt": GOOD, "b.txt": content}))
    assert docs.doc_id.tolist() == ["a"]
    assert kind in problem_for(problems, "b.txt")


def test_pdf_suffix_says_convert(tmp_path):
    docs, problems, _ = read(make_corpus(tmp_path, {"a.txt": GOOD, "b.pdf": b"%PDF-1.4 ..."}))
    assert "convert" in problem_for(problems, "b.pdf")


def test_windows_1252_is_decoded(tmp_path):
    text = "Behandlingsansvarlig\n\nØkoRåd lagrer på «sikre» servere – i to år.\r\n"
    docs, problems, _ = read(make_corpus(tmp_path, {"w.txt": text.encode("cp1252")}))
    assert docs.text.item() == text.replace("\r\n", "\n")
    assert docs.encoding.item() in ("cp1252", "windows-1252", "latin_1", "iso8859_15")
    assert "not UTF-8" in problem_for(problems, "w.txt")


def test_mojibake_is_repaired(tmp_path):
    broken = "Personvernerklæring for Økorådet: vi lagrer data på én server.".encode("utf-8").decode("cp1252")
    docs, problems, _ = read(make_corpus(tmp_path, {"m.txt": broken}))
    assert docs.text.item() == "Personvernerklæring for Økorådet: vi lagrer data på én server."
    assert "mojibake" in problem_for(problems, "m.txt")


def test_bom_and_crlf(tmp_path):
    docs, _, _ = read(make_corpus(tmp_path, {"b.txt": b"\xef\xbb\xbfInnsyn\r\n\r\nDu kan kreve innsyn.\r\n"}))
    assert docs.text.item() == "Innsyn\n\nDu kan kreve innsyn.\n"


def test_html_keeps_blocks_and_drops_scripts(tmp_path):
    html = """<html><head><style>p{color:red}</style><script>var secret = 1;</script></head><body>
    <nav><a href="/">Hjem</a> &gt; Personvern</nav>
    <h1>Personvernerklæring</h1><h2>Oppbevaring</h2><p>Vi lagrer <b>data</b> i to år.</p>
    <ul><li>Du kan kreve innsyn</li><li>Du kan kreve sletting</li></ul>
    <table><tr><th>Navn</th><th>Levetid</th></tr><tr><td>_ga</td><td>2 år</td></tr></table>
    <footer>© 2024</footer></body></html>"""
    docs, problems, _ = read(make_corpus(tmp_path, {"h.html": html}))
    text = docs.text.item()
    assert "secret" not in text and "color" not in text and "Hjem" not in text and "©" not in text
    # The text is free of markup; headings, list items and rows come from the reader.
    assert "#" not in text and "•" not in text and "Vi lagrer data i to år." in text
    assert not len(problems)  # no warning for a good HTML file
    clauses = policylab.build(tmp_path, progress=False).clauses
    kinds = dict(zip(clauses.text, clauses.kind))
    assert kinds["Oppbevaring"] == "heading"
    assert kinds["Du kan kreve innsyn"] == "list_item"
    assert kinds["_ga | 2 år"] == "table_row"
    assert clauses.loc[clauses.text == "Vi lagrer data i to år.", "section"].item() == "Oppbevaring"
    assert clauses.loc[clauses.text == "Personvernerklæring", "level"].item() == 0


def test_broken_html_still_reads(tmp_path):
    html = "<html><body><h2>Innsyn<p>Du kan kreve innsyn.<li>Kopi<div>Uavsluttet"
    docs, problems, _ = read(make_corpus(tmp_path, {"x.htm": html}))
    assert "Du kan kreve innsyn." in docs.text.item()
    assert "Uavsluttet" in docs.text.item()


def test_html_with_only_scripts_is_a_problem(tmp_path):
    docs, problems, _ = read(make_corpus(tmp_path, {"a.txt": GOOD, "s.html": "<html><script>x()</script></html>"}))
    assert "no visible text" in problem_for(problems, "s.html")


def test_metadata_without_file_column_falls_back_to_stems(tmp_path):
    folder = make_corpus(tmp_path, {"a.txt": GOOD, "b.txt": GOOD}, "doc_id,company\na,A AS\nb,B AS\n")
    docs, problems, _ = read(folder)
    assert dict(zip(docs.doc_id, docs.company)) == {"a": "A AS", "b": "B AS"}
    assert "no 'file' column" in problem_for(problems, "metadata.csv")


def test_metadata_problems(tmp_path):
    metadata = (
        "doc_id,file,company\n"
        "a,a.txt,A AS\n"
        "a,b.txt,Duplicate AS\n"
        "ghost,ghost.txt,Ghost AS\n"
        "escape,../outside.txt,Escape AS\n"
    )
    (tmp_path.parent / "outside.txt").write_text(GOOD, encoding="utf-8")
    folder = make_corpus(tmp_path / "c", {"a.txt": GOOD, "b.txt": GOOD, "c.txt": GOOD}, None)
    (folder / "metadata.csv").write_text(metadata, encoding="utf-8")
    (folder.parent / "outside.txt").write_text(GOOD, encoding="utf-8")
    docs, problems, _ = read(folder)
    assert sorted(docs.doc_id) == ["a", "b", "c"]  # b and c load under their file stems
    assert "duplicate doc_id 'a'" in problem_for(problems, "b.txt")
    assert "does not exist" in problem_for(problems, "ghost.txt")
    assert "outside the corpus folder" in problem_for(problems, "../outside.txt")
    assert "no row in metadata.csv" in problem_for(problems, "c.txt")
    assert docs.set_index("doc_id").loc["a", "company"] == "A AS"


def test_duplicate_doc_id_from_file_stems(tmp_path):
    docs, problems, _ = read(make_corpus(tmp_path, {"a.txt": GOOD, "a.html": "<p>Vi lagrer data.</p>"}))
    assert docs.doc_id.tolist() == ["a"]
    assert "duplicate doc_id 'a'" in " ".join(problems.problem)


def test_malformed_metadata_does_not_sink_the_corpus(tmp_path):
    folder = make_corpus(tmp_path, {"a.txt": GOOD, "metadata.csv": b"\x00\x01\x02 not a csv"})
    docs, problems, _ = read(folder)
    assert docs.doc_id.tolist() == ["a"]
    assert "metadata.csv cannot be parsed" in problem_for(problems, "metadata.csv")


def test_read_notice_errors_name_the_file(tmp_path):
    path = tmp_path / "tom.txt"
    path.write_text("")
    with pytest.raises(NoticeError, match="tom.txt: the file is empty"):
        read_notice(path)


def test_decode_prefers_utf8():
    assert decode_bytes("Ærlig talt, blåbær.".encode()).text == "Ærlig talt, blåbær."


def test_cli_build_writes_tables_and_reports_skips(tmp_path):
    folder = make_corpus(tmp_path / "c", {"a.txt": GOOD, "empty.txt": ""})
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(tmp_path / "out"), "--format", "csv", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "skipped 1 files" in result.output and "empty.txt" in result.output
    clauses = pd.read_csv(tmp_path / "out" / "clauses.csv")
    assert clauses.doc_id.unique().tolist() == ["a"]
    for name in policylab.TABLE_NAMES:
        assert (tmp_path / "out" / f"{name}.csv").exists()


def test_cli_build_fails_only_when_nothing_reads(tmp_path):
    folder = make_corpus(tmp_path / "c", {"empty.txt": "", "bin.txt": b"%PDF-1.4"})
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 1
    assert "no notice could be read" in result.output


def test_parquet_round_trip(tables, tmp_path):
    tables.write(tmp_path, format="parquet")
    back = pd.read_parquet(tmp_path / "clauses.parquet")
    pd.testing.assert_frame_equal(back, tables.clauses, check_dtype=False)

"""Safe reading (#13): hostile files, folders and metadata never sink a build, never
read outside the corpus, and always leave a problem row that names them."""

from __future__ import annotations

import os
import socket
import string
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policylab
from policylab.readers import NoticeError, decode_bytes, read_bytes, read_corpus

GOOD = "Personvernerklæring\n\nVi lagrer opplysningene i to år. Du kan kreve innsyn.\n"


def quiet_build(folder):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return policylab.build(folder, progress=False)


def quiet_read(folder):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_corpus(folder, detect=False)


def problem_for(problems, file):
    rows = problems[problems.file == file]
    assert len(rows) >= 1, f"no problem reported for {file!r}: {problems.to_dict('records')}"
    return " ".join(rows.problem)


# --- HTML ------------------------------------------------------------------------

def test_deeply_nested_html_reads():
    assert read_bytes("deep.html", ("<div>" * 994 + "x").encode()).text == "x"
    assert read_bytes("deeper.html", ("<div><span>" * 5000 + "Vi lagrer navn.").encode()).text == "Vi lagrer navn."


@pytest.mark.parametrize("hidden", [
    '<p hidden>SKJULT</p>',
    '<div style="display: none">SKJULT</div>',
    '<div style="color:red;visibility:hidden">SKJULT</div>',
    '<template><p>SKJULT</p></template>',
    '<textarea>SKJULT</textarea>',
    '<select><option>SKJULT</option></select>',
    '<math><mi>SKJULT</mi></math>',
    '<svg><text>SKJULT</text></svg>',
    '<script>var SKJULT = 1;</script>',
    '<style>.SKJULT{}</style>',
    '<!-- SKJULT -->',
    '<input type="hidden" value="SKJULT">',
])
def test_what_a_browser_does_not_show_is_not_read(hidden):
    reading = read_bytes("h.html", f"<h2>Innsyn</h2>{hidden}<p>Du kan kreve innsyn.</p>".encode())
    assert "SKJULT" not in reading.text
    assert reading.text == "Innsyn\n\nDu kan kreve innsyn."


def test_text_after_a_hidden_element_is_kept():
    reading = read_bytes("h.html", b"<p>Vi lagrer <span hidden>x</span>navn og e-post.</p>")
    assert reading.text == "Vi lagrer navn og e-post."


def test_nested_lists_and_tables_in_html():
    html = ("<ul><li>Navn<ul><li>Fornavn</li></ul></li></ul>"
            "<table><tr><td>A<p>B</p></td><td><table><tr><td>inner</td></tr></table></td></tr><tr><td>C</td></tr></table>")
    reading = read_bytes("n.html", html.encode())
    blocks = [(b.kind, reading.text[b.start:b.end]) for b in reading.blocks]
    assert blocks == [("list_item", "Navn"), ("list_item", "Fornavn"), ("table_row", "A B | inner"), ("table_row", "C")]


# --- encodings -------------------------------------------------------------------

TEXT = "Personvern: vi lagrer «navn» i 2 år – pris 100 €.\nÆØÅ æøå.\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-8-sig"])
def test_unicode_encodings_with_and_without_bom(encoding):
    reading = decode_bytes(TEXT.encode(encoding), name="u.txt")
    assert reading.text == TEXT


def test_iso_8859_15_keeps_the_euro_sign():
    text = "Abonnementet koster 100 € i måneden. Vi lagrer kvitteringer i fem år."
    reading = decode_bytes(text.encode("iso-8859-15"), name="e.txt")
    assert reading.text == text
    assert "not UTF-8" in " ".join(reading.notes)


def test_windows_1252_still_wins_where_it_is_windows_1252():
    text = "Prisen er 100 € – «fast» pris."
    assert decode_bytes(text.encode("cp1252")).text == text


def test_a_few_stray_nuls_in_good_text_are_read_with_a_note(tmp_path):
    data = ("Personvernerklæring\n\n" + "Vi lagrer opplysningene i to år. " * 20).encode()
    data = data[:100] + b"\x00" + data[100:300] + b"\x00\x00" + data[300:]
    (tmp_path / "n.txt").write_bytes(data)
    docs, problems = quiet_read(tmp_path)
    assert "\x00" not in docs.text.item() and "Vi lagrer" in docs.text.item()
    assert "removed 3 stray NUL bytes" in problem_for(problems, "n.txt")


def test_binary_with_many_nuls_is_still_refused():
    with pytest.raises(NoticeError, match="NUL"):
        decode_bytes(b"\x00\x01\x02\x03binary\x00junk" * 10)


# --- folders ---------------------------------------------------------------------

@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    return folder


def test_a_symlink_is_never_followed(corpus, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("HEMMELIG passord\n", encoding="utf-8")
    (corpus / "passwd.txt").symlink_to(secret)
    t = quiet_build(corpus)
    assert t.documents.doc_id.tolist() == ["good"]
    assert not t.clauses.text.str.contains("HEMMELIG").any()
    assert "symbolic link" in problem_for(t.problems, "passwd.txt")


def test_metadata_naming_a_symlink_does_not_load_it(corpus, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("HEMMELIG passord\n", encoding="utf-8")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "link.txt").symlink_to(secret)
    (corpus / "linkdir").symlink_to(tmp_path)
    (corpus / "metadata.csv").write_text("doc_id,file\ngood,good.txt\nx,sub/link.txt\ny,linkdir/secret.txt\n", encoding="utf-8")
    t = quiet_build(corpus)
    assert t.documents.doc_id.tolist() == ["good"]
    assert not t.documents.text.str.contains("HEMMELIG").any()
    assert "symbolic link" in problem_for(t.problems, "sub/link.txt")
    assert problem_for(t.problems, "linkdir/secret.txt")


def test_special_entries_each_get_a_problem_row(corpus):
    os.mkfifo(corpus / "fifo.txt")
    (corpus / "dir.txt").mkdir()
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(corpus / "sock.txt"))
    except OSError:
        pass
    t = quiet_build(corpus)  # would block forever if the FIFO were opened
    assert t.documents.doc_id.tolist() == ["good"]
    assert "FIFO" in problem_for(t.problems, "fifo.txt")
    assert "directory" in problem_for(t.problems, "dir.txt")
    assert "symbolic link" in problem_for(t.problems, "loop.txt")
    if (corpus / "sock.txt").exists():
        assert "socket" in problem_for(t.problems, "sock.txt")
    sock.close()


def test_control_characters_in_names_are_escaped(corpus):
    (corpus / "evil\nerror: forged.txt").write_bytes(b"")
    t = quiet_build(corpus)
    assert "evil\\nerror: forged.txt" in t.problems.file.tolist()
    assert not t.problems.file.str.contains("\n").any()


# --- metadata --------------------------------------------------------------------

def metadata_problems(corpus, metadata: bytes | str):
    (corpus / "metadata.csv").write_bytes(metadata if isinstance(metadata, bytes) else metadata.encode())
    docs, problems = quiet_read(corpus)
    return docs, problems


def test_metadata_with_a_field_too_many(corpus):
    docs, problems = metadata_problems(corpus, "doc_id,file,company\ngood,good.txt,Good AS,\n")
    assert docs.company.item() == "Good AS"
    docs, problems = metadata_problems(corpus, "doc_id,file,company\ngood,good.txt,Good,AS\n")
    assert docs.company.item() == "Good"
    assert "line 2 has 4 fields" in problem_for(problems, "metadata.csv")


def test_metadata_header_with_a_trailing_comma(corpus):
    docs, problems = metadata_problems(corpus, "doc_id,file,company,\ngood,good.txt,Good AS,\n")
    assert docs.company.item() == "Good AS"
    assert "without a name" in problem_for(problems, "metadata.csv")


def test_semicolon_separated_metadata_gets_a_hint(corpus):
    docs, problems = metadata_problems(corpus, "doc_id;file;company\ngood;good.txt;Good AS\n")
    assert docs.company.item() == "Good AS"
    assert "semicolons" in problem_for(problems, "metadata.csv")


def test_duplicate_metadata_columns_are_an_error(corpus):
    docs, problems = metadata_problems(corpus, "doc_id,file,company,company\ngood,good.txt,A,B\n")
    assert "column 'company' twice" in problem_for(problems, "metadata.csv")
    assert (problems.severity == "error").any()
    assert docs.doc_id.tolist() == ["good"]


def test_an_unterminated_quote_is_reported(corpus):
    (corpus / "other.txt").write_text(GOOD, encoding="utf-8")
    docs, problems = metadata_problems(corpus, 'doc_id,file,company\ngood,good.txt,"Good AS\nother,other.txt,Other AS\n')
    assert "quote opened on line 2 is never closed" in problem_for(problems, "metadata.csv")
    assert sorted(docs.doc_id) == ["good", "other"]


def test_messages_never_show_object_reprs(corpus, tmp_path):
    (tmp_path / "outside.txt").write_text(GOOD, encoding="utf-8")
    _, problems = metadata_problems(corpus, "doc_id,file\ngood,good.txt\nout,../outside.txt\n")
    text = " ".join(problems.problem)
    assert "outside the corpus folder" in text
    assert "object at 0x" not in text and str(corpus.resolve()) in text


# --- fuzzing -----------------------------------------------------------------------

def lossless(t):
    """Every clause is its text, and every non-space character lies in a clause."""
    texts = dict(zip(t.documents.doc_id, t.documents.text))
    for doc_id, group in t.clauses.groupby("doc_id"):
        text = texts[doc_id]
        covered = [False] * len(text)
        for c in group.itertuples():
            assert text[c.start:c.end] == c.text
            for i in range(c.start, c.end):
                covered[i] = True
        assert all(covered[i] or ch.isspace() for i, ch in enumerate(text))


def check_outcome(folder, t, names):
    lossless(t)
    read = set(t.documents.file)
    reported = set(t.problems.loc[t.problems.severity == "error", "file"])
    for name in names:
        assert name in read or name in reported, f"{name!r}: neither read nor reported"


tags = st.sampled_from(["div", "p", "span", "h1", "h2", "h4", "ul", "ol", "li", "table", "tr", "td", "th", "b",
                        "template", "script", "br", "section", "math", "textarea", "a", "pre"])
words = st.text(alphabet=string.ascii_letters + "æøåÆØÅ .,:;!?-\n\t<>&\"'|#*", max_size=30)


@st.composite
def html_tree(draw, depth=0):
    if depth > 6 or draw(st.booleans()):
        return draw(words)
    tag = draw(tags)
    attrs = draw(st.sampled_from(["", " hidden", ' style="display:none"', ' class="x"', ' role="navigation"']))
    children = draw(st.lists(html_tree(depth + 1), max_size=4))
    closing = draw(st.booleans())
    return f"<{tag}{attrs}>" + "".join(children) + (f"</{tag}>" if closing else "")


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(files=st.lists(st.binary(max_size=300), min_size=1, max_size=4))
def test_fuzz_random_bytes(tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("bytes")
    names = []
    for i, data in enumerate(files):
        name = f"f{i}.{['txt', 'md', 'html', 'pdf', 'docx'][i % 5]}"
        (folder / name).write_bytes(data)
        names.append(name)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    t = quiet_build(folder)
    check_outcome(folder, t, names + ["good.txt"])
    assert "good" in set(t.documents.doc_id)


@FUZZ
@given(trees=st.lists(html_tree(), min_size=1, max_size=3))
def test_fuzz_random_html_trees(tmp_path_factory, trees):
    folder = tmp_path_factory.mktemp("html")
    names = []
    for i, tree in enumerate(trees):
        (folder / f"h{i}.html").write_text(tree, encoding="utf-8")
        (folder / f"m{i}.md").write_text(tree, encoding="utf-8")
        names += [f"h{i}.html", f"m{i}.md"]
    t = quiet_build(folder)
    check_outcome(folder, t, names)


cells = st.text(alphabet=string.ascii_letters + ",;\"\n\r '.", max_size=12)


@FUZZ
@given(rows=st.lists(st.lists(cells, max_size=5), max_size=5), header=st.sampled_from(["doc_id,file,company", "doc_id;file", "file", "", "doc_id,doc_id"]))
def test_fuzz_random_metadata(tmp_path_factory, rows, header):
    folder = tmp_path_factory.mktemp("meta")
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b.txt").write_text(GOOD, encoding="utf-8")
    body = "\n".join([header] + [",".join(r) for r in rows])
    (folder / "metadata.csv").write_text(body, encoding="utf-8")
    t = quiet_build(folder)
    lossless(t)
    assert t.documents.file.isin(["a.txt", "b.txt"]).all()
    assert len(t.documents) >= 1 or len(t.problems)


# --- the hostile folder --------------------------------------------------------------

def hostile_folder(root: Path, good: list[Path]) -> dict[str, str]:
    """Every hostile case of #13's reading items beside good notices; name -> what it is."""
    root.mkdir()
    for path in good:
        (root / path.name).write_bytes(path.read_bytes())
    outside = root.parent / "outside-secret.txt"
    outside.write_text("HEMMELIG\n", encoding="utf-8")
    cases = {}

    def add(name, data, what):
        (root / name).write_bytes(data)
        cases[name] = what

    (root / "passwd.txt").symlink_to(outside)
    cases["passwd.txt"] = "symlink out of the corpus"
    (root / "loop.txt").symlink_to(root / "loop.txt")
    cases["loop.txt"] = "symlink loop"
    os.mkfifo(root / "fifo.txt")
    cases["fifo.txt"] = "FIFO"
    (root / "dir.txt").mkdir()
    cases["dir.txt"] = "directory named like a notice"
    add("empty.txt", b"", "empty")
    add("binary.txt", b"\x00\x01\x02\x03binary\x00junk" * 20, "binary")
    add("scan.pdf", b"%PDF-1.4 broken", "damaged PDF")
    add("word.docx", b"PK\x03\x04 not a zip", "damaged Word")
    add("old.doc", b"\xd0\xcf\x11\xe0 old word", "old Word format")
    add("image.png", b"\x89PNG\r\n\x1a\n", "an image")
    add("scripts.html", b"<html><script>x()</script></html>", "no visible text")
    add("evil\nline.txt", b"", "control character in the name")
    return cases


def test_hostile_folder_builds_and_names_every_hostile_file(tmp_path):
    good = sorted(policylab.BUNDLED_CORPUS.glob("*.txt"))[:4]
    clean = tmp_path / "clean"
    clean.mkdir()
    for path in good:
        (clean / path.name).write_bytes(path.read_bytes())
    cases = hostile_folder(tmp_path / "hostile", good)
    # Also hostile but readable: deep HTML, hidden text, UTF-16, a metadata row naming the link.
    readable = {
        "deep.html": ("<div>" * 994 + "<p>Vi lagrer navn i to år.</p>").encode(),
        "utf16.txt": GOOD.encode("utf-16"),
        "hidden.html": b"<h1>Personvern</h1><p hidden>HEMMELIG</p><p>Vi lagrer navn.</p>",
    }
    for name, data in readable.items():
        (tmp_path / "hostile" / name).write_bytes(data)
    rows = ["doc_id,file", "linked,passwd.txt"] + [f"{p.stem},{p.name}" for p in good] + [f"{Path(n).stem},{n}" for n in readable]
    (tmp_path / "hostile" / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (clean / "metadata.csv").write_text("\n".join(["doc_id,file"] + [f"{p.stem},{p.name}" for p in good]) + "\n", encoding="utf-8")

    hostile = quiet_build(tmp_path / "hostile")
    baseline = quiet_build(clean)
    ids = [p.stem for p in good]
    for name in ("documents", "clauses", "labels", "retention", "readability", "coverage"):
        mine = getattr(hostile, name)
        mine = mine[mine.doc_id.isin(ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, getattr(baseline, name).reset_index(drop=True), obj=name)
    named = set(hostile.problems.file)
    for name, what in cases.items():
        escaped = name.replace("\n", "\\n")
        assert escaped in named, f"{what} ({name!r}) has no problem row"
    assert not hostile.documents.text.str.contains("HEMMELIG").any()
    assert set(hostile.documents.doc_id) == set(ids) | {Path(n).stem for n in readable}
    lossless(hostile)

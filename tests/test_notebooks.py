"""Notebooks stay healthy: stored without outputs, parameterised for papermill.

The notebooks themselves are executed by nbmake (``pytest --nbmake notebooks``,
part of the default test run); these tests check how they are stored.
"""

import ast
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
EXPECTED = {"01_corpus.ipynb", "02_coverage.ipynb", "03_readability.ipynb", "04_retention.ipynb",
            "05_clause_clusters.ipynb"}


def test_the_five_notebooks_are_there():
    assert EXPECTED <= {p.name for p in NOTEBOOKS}


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def notebook(request):
    return nbformat.read(request.param, as_version=nbformat.NO_CONVERT)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_valid_nbformat_4_with_python3_kernel(notebook):
    assert notebook.nbformat == 4
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"


def test_stored_without_outputs_or_execution_counts(notebook):
    for cell in code_cells(notebook):
        assert cell.outputs == [], cell.source[:60]
        assert cell.execution_count is None, cell.source[:60]
        assert "execution" not in cell.metadata


def test_first_code_cell_holds_the_parameters(notebook):
    first = code_cells(notebook)[0]
    assert "parameters" in first.metadata.get("tags", [])
    assert not any("parameters" in c.metadata.get("tags", []) for c in code_cells(notebook)[1:])
    # Plain assignments only, so papermill can override them.
    tree = ast.parse(first.source)
    assigned = {}
    for statement in tree.body:
        assert isinstance(statement, ast.Assign), ast.dump(statement)
        assigned[statement.targets[0].id] = ast.literal_eval(statement.value)
    # Every notebook takes the corpus; the evaluation notebooks (06, 07) also take annotations.
    assert assigned.get("CORPUS", "missing") is None
    assert set(assigned) <= {"CORPUS", "SEED", "ANNOTATIONS", "METHOD"}


def test_reads_like_a_paper(notebook):
    """It opens with a question, and every figure is followed by clauses or their ids."""
    assert notebook.cells[0].cell_type == "markdown"
    assert "**Question.**" in notebook.cells[0].source
    sources = [c.source for c in code_cells(notebook)]
    # The corpus under study is the parameter (later builds may show other folders).
    builds = [s for s in sources if "policylab.build(" in s or "opp115_path(" in s]  # 08 reads OPP-115, not a notice folder
    assert not builds or "policylab.build(CORPUS" in builds[0] or "opp115_path(CORPUS" in builds[0]
    assert builds or "corpus=CORPUS" in "\n".join(sources)
    figures = [i for i, s in enumerate(sources) if "plots." in s]
    for i in figures:
        later = "\n".join(sources[i:])
        tables_of_clauses = ("clause_id", "evidence_clauses", "coverage_evidence", "shared_templates",
                             "retention_clauses", "legal_basis_clauses")
        assert any(name in later for name in tables_of_clauses), sources[i]


def test_cells_parse_as_python(notebook):
    for cell in code_cells(notebook):
        # IPython magics are not Python; the rest of the cell must be.
        ast.parse("\n".join(line for line in cell.source.splitlines() if not line.startswith("%")))

"""Parallel and distributed builds give the same tables as a serial build."""

import warnings

import pandas as pd
import pytest

import policylab


def assert_same_tables(a, b):
    for name in policylab.TABLE_NAMES + ("problems",):
        left, right = getattr(a, name), getattr(b, name)
        key = [c for c in ("doc_id", "clause_id", "item", "dimension", "label", "start") if c in left.columns]
        if key:
            left = left.sort_values(key).reset_index(drop=True)
            right = right.sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_dtype=False, obj=name)


@pytest.fixture(scope="module")
def serial(tables):
    return tables


def test_jobs_equal_serial(serial):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parallel = policylab.build(jobs=2, progress=False)
    assert_same_tables(serial, parallel)


def test_dask_local_cluster_equals_serial(serial, tmp_path):
    distributed = pytest.importorskip("distributed")
    from policylab.distributed import build_dask

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        tables = build_dask(str(policylab.BUNDLED_CORPUS), client=client, partition_size=5)
        assert_same_tables(serial, tables)
        n = build_dask(str(policylab.BUNDLED_CORPUS), client=client, partition_size=5, out=str(tmp_path / "out"))
    assert n == len(serial.documents)
    clauses = pd.read_parquet(tmp_path / "out" / "clauses")
    assert sorted(clauses.clause_id) == sorted(serial.clauses.clause_id)


def test_dask_reports_bad_files(tmp_path):
    (tmp_path / "a.txt").write_text("Personvern\n\nVi lagrer navn i to år.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"%PDF-1.4")
    tables = policylab.build(tmp_path, engine="dask")
    assert tables.documents.doc_id.tolist() == ["a"]
    assert "PDF" in tables.problems.set_index("file").loc["b.txt", "problem"]


def test_unknown_engine():
    with pytest.raises(ValueError, match="engine must be"):
        policylab.build(engine="spark")


def test_no_import_cycles_between_modules():
    """The layers import downwards only: no module imports one that imports it back
    (the package's ``__init__`` facade aside). build and distributed once did."""
    import ast
    from graphlib import TopologicalSorter
    from pathlib import Path

    root = Path(policylab.__file__).parent
    modules = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                for candidate in [target] + [f"{target}.{a.name}" for a in node.names]:
                    if candidate in modules and candidate not in (name, "policylab"):
                        graph[name].add(candidate)
    # static_order raises CycleError naming the modules of a cycle.
    assert len(list(TopologicalSorter(graph).static_order())) == len(modules)

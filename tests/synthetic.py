"""Test helpers that make larger corpora from the bundled tables without rebuilding."""


def copies(tables, k: int):
    """``k`` renamed copies of every notice of ``tables`` (21 k notices), without rebuilding anything."""
    import dataclasses

    import pandas as pd

    frames = {}
    for name in ("documents", "clauses", "labels", "retention", "readability", "coverage"):
        parts = []
        for i in range(k):
            part = getattr(tables, name).copy()
            part["doc_id"] = part["doc_id"] + f"-{i}"
            if "clause_id" in part:
                part["clause_id"] = part["clause_id"].str.replace(":", f"-{i}:", n=1, regex=False)
            if "evidence" in part:
                part["evidence"] = [[e.replace(":", f"-{i}:", 1) for e in ev] for ev in part["evidence"]]
            if "company" in part:
                part["company"] = part["company"] + f" {i}"
            parts.append(part)
        frames[name] = pd.concat(parts, ignore_index=True)
    return dataclasses.replace(tables, **frames)

"""The fixed label scheme of ``taxonomy.md`` as data.

Label names are exact strings shared by every table, notebook and evaluation:
:data:`TOPICS`, :data:`LEGAL_BASES` and :data:`RIGHTS`, one tuple per dimension,
and a pandas :class:`~pandas.CategoricalDtype` for each (defined once, so label
columns keep one category order through parquet and concatenation).

The coverage checklist (taxonomy.md §5) lives in ``lexicons/checklist.toml``;
:func:`checklist` reads it into a table with one row per item.

Examples
--------
>>> "retention" in TOPICS, LEGAL_BASES[0], RIGHTS[-1]
(True, 'consent', 'objection')
>>> checklist()["item"].tolist()[:3]
['controller_identity', 'dpo_contact', 'purposes']
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

import pandas as pd

__all__ = [
    "TOPICS",
    "LEGAL_BASES",
    "RIGHTS",
    "DIMENSIONS",
    "LABELS_BY_DIMENSION",
    "ALL_LABELS",
    "BASIS_LETTERS",
    "TOPIC_DTYPE",
    "LEGAL_BASIS_DTYPE",
    "RIGHT_DTYPE",
    "DIMENSION_DTYPE",
    "LABEL_DTYPE",
    "SOURCE_DTYPE",
    "LABEL_COLUMNS",
    "CHECKLIST_ITEMS",
    "ITEM_DTYPE",
    "checklist",
    "public_sections",
]

#: Topics (taxonomy.md §1), in the order of the taxonomy table.
TOPICS: tuple[str, ...] = (
    "controller",
    "dpo",
    "purpose",
    "data_categories",
    "data_source",
    "recipients",
    "transfer",
    "retention",
    "rights",
    "consent_withdrawal",
    "complaint",
    "requirement",
    "automated_decisions",
    "cookies",
    "security",
    "marketing",
    "children",
    "policy_change",
    "definitions",
)

#: Legal bases of GDPR Art. 6(1), letters (a) to (f) in order.
LEGAL_BASES: tuple[str, ...] = (
    "consent",
    "contract",
    "legal_obligation",
    "vital_interests",
    "public_task",
    "legitimate_interests",
)

#: Art. 6(1) letter of each legal basis ("a" -> "consent").
BASIS_LETTERS: dict[str, str] = dict(zip("abcdef", LEGAL_BASES))

#: Data-subject rights (taxonomy.md §3), in the order of the taxonomy table.
RIGHTS: tuple[str, ...] = (
    "access",
    "rectification",
    "erasure",
    "restriction",
    "portability",
    "objection",
)

#: The label dimensions, as named in the ``dimension`` column of ``labels``.
DIMENSIONS: tuple[str, ...] = ("topic", "legal_basis", "right")

LABELS_BY_DIMENSION: dict[str, tuple[str, ...]] = {
    "topic": TOPICS,
    "legal_basis": LEGAL_BASES,
    "right": RIGHTS,
}

#: Every label name of every dimension (names do not repeat across dimensions).
ALL_LABELS: tuple[str, ...] = TOPICS + LEGAL_BASES + RIGHTS

TOPIC_DTYPE = pd.CategoricalDtype(TOPICS)
LEGAL_BASIS_DTYPE = pd.CategoricalDtype(LEGAL_BASES)
RIGHT_DTYPE = pd.CategoricalDtype(RIGHTS)
DIMENSION_DTYPE = pd.CategoricalDtype(DIMENSIONS)
#: The ``label`` column of ``labels`` mixes dimensions, so it gets the union.
LABEL_DTYPE = pd.CategoricalDtype(ALL_LABELS)
#: ``rule``: the clause's own words; ``heading``: inherited from its heading; ``model``: the learned model (policylab.stacked).
SOURCE_DTYPE = pd.CategoricalDtype(("rule", "heading", "model"))

#: Required columns of the ``labels`` table (tables.md); taggers add more.
LABEL_COLUMNS: tuple[str, ...] = ("clause_id", "doc_id", "dimension", "label", "score", "cue")


@lru_cache(maxsize=1)
def _checklist_data() -> dict:
    text = resources.files("policylab").joinpath("lexicons/checklist.toml").read_text("utf-8")
    data = tomllib.loads(text)
    for item in data["item"]:
        dimension = item["dimension"]
        if dimension not in LABELS_BY_DIMENSION:
            raise ValueError(f"checklist item {item['name']!r}: unknown dimension {dimension!r}")
        unknown = set(item["labels"]) - set(LABELS_BY_DIMENSION[dimension])
        if unknown:
            raise ValueError(f"checklist item {item['name']!r}: unknown labels {sorted(unknown)}")
        rule = item["required"]
        if not (rule in ("always", "never", "if_public_authority") or rule.startswith("if_basis:")):
            raise ValueError(f"checklist item {item['name']!r}: unknown required rule {rule!r}")
    return data


def checklist() -> pd.DataFrame:
    """The coverage checklist: one row per item, in taxonomy order.

    Columns: ``item, article, dimension, labels`` (tuple of labels; empty = any
    label of the dimension), ``required`` (the rule, see ``checklist.toml``) and
    ``note``.

    >>> c = checklist()
    >>> c.set_index("item").loc["consent_withdrawal", "required"]
    'if_basis:consent'
    """
    rows = [
        {
            "item": item["name"],
            "article": item["article"],
            "dimension": item["dimension"],
            "labels": tuple(item["labels"]),
            "required": item["required"],
            "note": item.get("note", ""),
        }
        for item in _checklist_data()["item"]
    ]
    return pd.DataFrame(rows)


def public_sections() -> tuple[str, ...]:
    """NACE sections counted as public authorities (``dpo_contact`` required).

    >>> public_sections()
    ('O',)
    """
    return tuple(_checklist_data().get("public_sections", ()))


def public_body_rules() -> pd.DataFrame:
    """The patterns that mark a public authority or body when metadata does not say.

    One row per rule of ``checklist.toml`` (``pattern, note``), searched
    case-insensitively in ``company`` and ``sector``.

    >>> bool(public_body_rules()["pattern"].str.contains("kommune").any())
    True
    """
    return pd.DataFrame(_checklist_data().get("public_body", []), columns=["pattern", "note"])


def public_bodies(documents: pd.DataFrame) -> pd.Series:
    """Whether each notice is a public authority's or body's (GDPR Art. 37(1)(a)).

    A ``public_body`` value in the metadata decides (true/false, yes/no, 1/0);
    where it is missing, the notice is a public body's when its ``nace_section``
    is one of :func:`public_sections` or its ``company`` or ``sector`` matches one
    of :func:`public_body_rules`. Returns a boolean Series aligned with
    ``documents``.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "company": ["Sula kommune", "Acme AS", "Helse Bergen HF"],
    ...                      "nace_section": ["O", "G", "Q"], "public_body": [None, None, ""]})
    >>> public_bodies(docs).tolist()
    [True, False, True]
    """
    import re

    n = len(documents)
    given = documents["public_body"] if "public_body" in documents else pd.Series([None] * n, index=documents.index)
    sections = set(public_sections())
    rules = [re.compile(p, re.IGNORECASE) for p in public_body_rules()["pattern"]]

    def column(name: str) -> list[str]:
        if name not in documents:
            return [""] * n
        return ["" if pd.isna(v) else str(v) for v in documents[name]]

    out = []
    for value, nace, company, sector in zip(given, column("nace_section"), column("company"), column("sector")):
        stated = _truth(value)
        if stated is not None:
            out.append(stated)
            continue
        out.append(nace in sections or any(r.search(company) or r.search(sector) for r in rules))
    return pd.Series(out, index=documents.index, dtype=bool, name="public_body")


def _truth(value) -> bool | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (bool, int, float)):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "yes", "ja", "1", "y"):
        return True
    if text in ("false", "no", "nei", "0", "n"):
        return False
    return None


#: Checklist item names in checklist order.
CHECKLIST_ITEMS: tuple[str, ...] = tuple(item["name"] for item in _checklist_data()["item"])
ITEM_DTYPE = pd.CategoricalDtype(CHECKLIST_ITEMS, ordered=True)

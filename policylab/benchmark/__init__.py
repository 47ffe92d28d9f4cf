"""Benchmarks against public annotations: OPP-115 (model, ablation, grouped CV, zero-shot rules, transfer)."""

from .opp115 import (
    ABLATION,
    ANCHORS,
    Opp115Model,
    clause_features,
    grouped_cv,
    opp115_ablation,
    run_opp115,
    score_labels,
)
from .mapping import mapping_table, opp115_to_policylab, zero_shot_labels
from .transfer import EnglishClauseTagger, english_notices, transfer_effect

__all__ = [
    "ABLATION",
    "ANCHORS",
    "EnglishClauseTagger",
    "Opp115Model",
    "clause_features",
    "english_notices",
    "grouped_cv",
    "mapping_table",
    "opp115_ablation",
    "opp115_to_policylab",
    "run_opp115",
    "score_labels",
    "transfer_effect",
    "zero_shot_labels",
]

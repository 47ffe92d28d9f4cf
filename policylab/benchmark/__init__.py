"""Benchmarks against public annotations: OPP-115 (model, ablation, grouped CV, zero-shot rules)."""

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

__all__ = [
    "ABLATION",
    "ANCHORS",
    "Opp115Model",
    "clause_features",
    "grouped_cv",
    "mapping_table",
    "opp115_ablation",
    "opp115_to_policylab",
    "run_opp115",
    "score_labels",
    "zero_shot_labels",
]

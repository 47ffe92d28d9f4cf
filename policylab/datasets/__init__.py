"""Readers for public corpora that policylab is compared against.

Nothing of these corpora ships with policylab: each reader takes the path of a
user's own download.
"""

from .opp115 import OPP115_LABELS, Opp115, load_opp115, opp115_path

__all__ = ["OPP115_LABELS", "Opp115", "load_opp115", "opp115_path"]

"""The scoring variants under A/B test, and the deterministic assignment of users to them."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType


@dataclass(frozen=True)
class Variant:
    """One set of ranker weights (``features.FEATURES`` order) and the memory it reads with."""

    name: str
    half_life_days: float  # of past orders
    reservation_half_life_days: float
    weights: Mapping[str, float]


# Fitted by ``pitchaseat recs tune`` on the tuning fan models and seeds only
# (recs/evaluation/split.py); never on what ``pitchaseat recs evaluate`` reports.
_TUNED_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "favourite": 0.624,
        "team": 0.147,
        "side": 0.137,
        "stadium": 0.031,
        "day": 0.448,
        "fixture": 0.074,
        "price_habit": 3.912,
        "price": -0.446,
        "popularity": 3.129,
        "lead": 0.212,
        "availability": 0.652,
        "reserved": 3.429,
        "team_focus": 0.259,
        "stadium_focus": 1.59,
        "day_focus": 1.91,
        "fixture_focus": 0.005,
        "lead_focus": 0.966,
    }
)
_VARIANT_A = Variant(
    name="A", half_life_days=90.0, reservation_half_life_days=14.0, weights=_TUNED_WEIGHTS
)
# B asks real fans the one question the synthetic ones cannot settle: is a shorter memory
# better (habits that move faster than the synthetic fans' do)?
_VARIANT_B = replace(_VARIANT_A, name="B", half_life_days=30.0)
VARIANTS: dict[str, Variant] = {variant.name: variant for variant in (_VARIANT_A, _VARIANT_B)}
DEFAULT_VARIANT = "A"


class UnknownVariant(ValueError):
    pass


def get_variant(name: str) -> Variant:
    try:
        return VARIANTS[name]
    except KeyError:
        raise UnknownVariant(f"no scoring variant {name!r}; known: {sorted(VARIANTS)}") from None


def assign_variant(user_id: int, split: Mapping[str, float], salt: str) -> str:
    """The variant a user sees, the same in every process and on every run.

    ``split`` maps variant names to their shares (normalised here, so ``{"A": 1, "B": 1}`` is
    50/50). The user's bucket is a SHA-256 of salt and id mapped to [0, 1); a new salt (a new
    experiment) reshuffles users independently of the last one.
    """
    total = sum(split.values())
    if total <= 0 or any(share < 0 for share in split.values()):
        raise ValueError("split shares must be non-negative and not all zero")
    digest = hashlib.sha256(f"{salt}:{user_id}".encode()).digest()
    bucket = int.from_bytes(digest[:8], "big") / 2**64
    threshold = 0.0
    names = sorted(split)
    for name in names:
        threshold += split[name] / total
        if bucket < threshold:
            return name
    return names[-1]  # float rounding left the bucket a hair above the last threshold

"""The scoring variants under A/B test, and the deterministic assignment of users to them."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Variant:
    """Weights of the log-linear score (docs/recommendations.md has the formula)."""

    name: str
    half_life_days: float  # of past orders
    reservation_half_life_days: float
    favourite_team: float
    team: float
    side: float  # the team at home or away, as the user usually buys it
    stadium: float
    day_type: float  # weekday or weekend, as the user usually goes
    popularity: float
    reservation: float
    soonness: float
    horizon_days: float  # how far ahead "soon" reaches for a user without a habit
    personal_horizon: bool  # stretch the horizon to the user's own lead time and order rhythm


# Weights tuned on the synthetic fans of evaluate.TUNING_SEED, never on the reported seed.
# A, the control: the user's teams, parks and days, popularity, a generic "sooner is likelier".
_VARIANT_A = Variant(
    name="A",
    half_life_days=60.0,
    reservation_half_life_days=14.0,
    favourite_team=1.0,
    team=2.0,
    side=0.0,
    stadium=0.5,
    day_type=0.5,
    popularity=2.0,
    reservation=0.0,
    soonness=1.0,
    horizon_days=21.0,
    personal_horizon=False,
)
# B: A plus the game-level features: reservations, home/away habit, personal lead time
# (the stadium weight drops as the home/away habit carries much of the same information).
_VARIANT_B = replace(
    _VARIANT_A,
    name="B",
    side=0.25,
    stadium=0.25,
    reservation=8.0,
    personal_horizon=True,
)
VARIANTS: dict[str, Variant] = {variant.name: variant for variant in (_VARIANT_A, _VARIANT_B)}
DEFAULT_VARIANT = "B"


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

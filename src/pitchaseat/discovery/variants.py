"""Which scoring variant a caller sees: a deterministic split set in the settings."""

from __future__ import annotations

from functools import cache

from pitchaseat.recs import VARIANTS, assign_variant
from pitchaseat.settings import Settings

ANONYMOUS_VARIANT = "A"


@cache
def parse_split(text: str) -> tuple[tuple[str, float], ...]:
    """'A=50,B=50' -> (('A', 50.0), ('B', 50.0)); unknown variants are refused."""
    shares = []
    for part in text.split(","):
        name, _, share = part.partition("=")
        name = name.strip()
        if name not in VARIANTS:
            raise ValueError(f"unknown recommendation variant {name!r} in the split {text!r}")
        shares.append((name, float(share)))
    return tuple(shares)


def variant_for(user_id: int | None, settings: Settings) -> str:
    if user_id is None:
        return ANONYMOUS_VARIANT
    return assign_variant(
        user_id, dict(parse_split(settings.recs_variant_split)), settings.recs_experiment
    )

"""Statistics for the A/B test of the scoring variants (for the planned ``pitchaseat recs
report``): click-through with confidence intervals, the difference between two variants, and
the sample-ratio-mismatch check that tells when the assignment itself is broken.

Pure functions on counts; only the standard library (``statistics.NormalDist``, ``math``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist

from pitchaseat.recs._gamma import chi_square_survival

SRM_P_VALUE_THRESHOLD = 0.001


def z_value(confidence: float) -> float:
    """The two-sided normal quantile: 1.96 for 95 %."""
    return NormalDist().inv_cdf(0.5 + confidence / 2)


@dataclass(frozen=True)
class Proportion:
    successes: int
    trials: int
    rate: float
    low: float
    high: float


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> Proportion:
    """Click-through with its Wilson score interval, which, unlike the plain normal
    approximation, stays inside [0, 1] and behaves for few clicks or few impressions."""
    if trials <= 0:
        return Proportion(successes, trials, 0.0, 0.0, 1.0)
    if not 0 <= successes <= trials:
        raise ValueError("successes must lie between 0 and the number of trials")
    z = z_value(confidence)
    rate = successes / trials
    denominator = 1 + z * z / trials
    centre = (rate + z * z / (2 * trials)) / denominator
    half_width = z * math.sqrt(rate * (1 - rate) / trials + z * z / (4 * trials**2)) / denominator
    return Proportion(
        successes, trials, rate, max(0.0, centre - half_width), min(1.0, centre + half_width)
    )


@dataclass(frozen=True)
class Difference:
    difference: float  # rate of B minus rate of A
    low: float
    high: float
    z: float  # pooled two-proportion z statistic
    p_value: float  # two-sided


def difference_of_proportions(
    successes_a: int, trials_a: int, successes_b: int, trials_b: int, confidence: float = 0.95
) -> Difference:
    """B minus A, with a normal-approximation (Wald) interval and a pooled z test."""
    if trials_a <= 0 or trials_b <= 0:
        raise ValueError("both variants need at least one trial")
    rate_a, rate_b = successes_a / trials_a, successes_b / trials_b
    difference = rate_b - rate_a
    spread = math.sqrt(rate_a * (1 - rate_a) / trials_a + rate_b * (1 - rate_b) / trials_b)
    half_width = z_value(confidence) * spread
    pooled = (successes_a + successes_b) / (trials_a + trials_b)
    pooled_spread = math.sqrt(pooled * (1 - pooled) * (1 / trials_a + 1 / trials_b))
    z = difference / pooled_spread if pooled_spread else 0.0
    p_value = math.erfc(abs(z) / math.sqrt(2))
    return Difference(difference, difference - half_width, difference + half_width, z, p_value)


@dataclass(frozen=True)
class SampleRatioCheck:
    statistic: float  # Pearson's chi-square
    degrees_of_freedom: int
    p_value: float
    warning: str | None  # set when p < SRM_P_VALUE_THRESHOLD: do not trust the results


def sample_ratio_check(
    users_per_variant: Mapping[str, int],
    split: Mapping[str, float],
    threshold: float = SRM_P_VALUE_THRESHOLD,
) -> SampleRatioCheck:
    """Chi-square goodness of fit of the users seen per variant against the configured split.

    A mismatch (p below 0.001, the usual bar for this check) means users were lost or moved
    unevenly (a crash in one variant, a cache, a bot filter), so the click-through comparison
    is biased whatever it says.
    """
    total_share = sum(split.values())
    total_users = sum(users_per_variant.get(name, 0) for name in split)
    if total_share <= 0 or total_users <= 0:
        raise ValueError("need a split with positive shares and at least one user")
    statistic = 0.0
    for name, share in split.items():
        expected = total_users * share / total_share
        if expected > 0:
            statistic += (users_per_variant.get(name, 0) - expected) ** 2 / expected
    degrees = len(split) - 1
    p_value = chi_square_survival(statistic, degrees) if degrees else 1.0
    warning = None
    if p_value < threshold:
        seen = ", ".join(f"{name}={users_per_variant.get(name, 0)}" for name in split)
        warning = (
            f"sample ratio mismatch: users {seen} do not fit the split "
            f"(chi-square {statistic:.2f}, p = {p_value:.2g}); check the assignment first"
        )
    return SampleRatioCheck(statistic, degrees, p_value, warning)

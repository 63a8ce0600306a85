"""The seller score shown everywhere: a Bayesian average that starts every seller at a prior
and lets their own ratings outweigh it as they accumulate, so one 5-star review does not
outrank fifty 4.8s."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RatingPrior:
    mean: float = 4.0  # what we assume of a seller we know nothing about
    weight: int = 5  # worth this many ratings


def smoothed_score(rating_sum: int, rating_count: int, prior: RatingPrior) -> float | None:
    if rating_count == 0:
        return None
    return round((prior.mean * prior.weight + rating_sum) / (prior.weight + rating_count), 3)

"""Fit the ranker's weights by maximum likelihood on the tuning fan models only.

The score is a conditional logit: the fan chooses game g among the candidates with probability
exp(w . x_g) / sum_j exp(w . x_j). Each tuning case contributes its bought game and up to
``SAMPLED_ALTERNATIVES`` other candidates drawn uniformly (McFadden: a uniformly sampled choice
set keeps the estimate consistent), and Newton's method with a small ridge penalty finds the
maximum in a few steps. Pure Python: about a minute on the default tuning set.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from pitchaseat.recs.evaluation.protocol import Case, build_cases
from pitchaseat.recs.evaluation.split import TUNING_FANS, TUNING_MODELS, TUNING_SEEDS
from pitchaseat.recs.evaluation.world import build_world
from pitchaseat.recs.features import FEATURES, fan_context, game_features
from pitchaseat.recs.profile import build_profile, reservation_intent
from pitchaseat.recs.scoring import eligible, popularity_scores
from pitchaseat.recs.variants import DEFAULT_VARIANT, Variant, get_variant

SAMPLED_ALTERNATIVES = 40
RIDGE = 1.0
NEWTON_STEPS = 25

Vector = list[float]


@dataclass(frozen=True)
class ChoiceSet:
    chosen: tuple[float, ...]
    others: tuple[tuple[float, ...], ...]


def choice_set(case: Case, variant: Variant, rng: random.Random) -> ChoiceSet | None:
    profile = build_profile(case.signals.purchases, case.now, variant.half_life_days)
    games = eligible(case.candidates, case.now, profile.bought_game_ids)
    target = next((c for c in games if c.game.game_id == case.held_out.game_id), None)
    if target is None:
        return None
    intent = reservation_intent(
        case.signals.reservations, case.now, variant.reservation_half_life_days
    )
    popularity = popularity_scores((c.game for c in games), case.recent_tickets_traded)
    context = fan_context(case.signals, profile, games, intent, popularity)
    others = [c for c in games if c is not target]
    sampled = rng.sample(others, min(SAMPLED_ALTERNATIVES, len(others)))
    return ChoiceSet(
        game_features(context, target, case.now),
        tuple(game_features(context, c, case.now) for c in sampled),
    )


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return math.fsum(x * y for x, y in zip(a, b, strict=True))


def _log_likelihood(sets: Sequence[ChoiceSet], w: Vector) -> float:
    total = -0.5 * RIDGE * _dot(w, w)
    for choice in sets:
        scores = [_dot(w, choice.chosen), *(_dot(w, x) for x in choice.others)]
        top = max(scores)
        total += scores[0] - top - math.log(math.fsum(math.exp(s - top) for s in scores))
    return total


def _gradient_and_hessian(sets: Sequence[ChoiceSet], w: Vector) -> tuple[Vector, list[Vector]]:
    n = len(w)
    gradient = [-RIDGE * value for value in w]
    hessian = [[-RIDGE * (i == j) for j in range(n)] for i in range(n)]
    for choice in sets:
        rows = [choice.chosen, *choice.others]
        scores = [_dot(w, x) for x in rows]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        norm = math.fsum(exps)
        probs = [e / norm for e in exps]
        mean = [math.fsum(p * x[i] for p, x in zip(probs, rows, strict=True)) for i in range(n)]
        for i in range(n):
            gradient[i] += choice.chosen[i] - mean[i]
        for p, x in zip(probs, rows, strict=True):
            for i in range(n):
                pxi = p * x[i]
                for j in range(i, n):
                    hessian[i][j] -= pxi * x[j]
        for i in range(n):
            for j in range(i, n):
                hessian[i][j] += mean[i] * mean[j]
    for i in range(n):
        for j in range(i):
            hessian[i][j] = hessian[j][i]
    return gradient, hessian


def _solve(matrix: list[Vector], vector: Vector) -> Vector:
    """Gaussian elimination with partial pivoting: matrix x = vector."""
    n = len(vector)
    rows = [[*matrix[i], vector[i]] for i in range(n)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(col + 1, n):
            factor = rows[r][col] / rows[col][col]
            for c in range(col, n + 1):
                rows[r][c] -= factor * rows[col][c]
    solution = [0.0] * n
    for r in reversed(range(n)):
        solution[r] = (
            rows[r][n] - math.fsum(rows[r][c] * solution[c] for c in range(r + 1, n))
        ) / rows[r][r]
    return solution


def newton(sets: Sequence[ChoiceSet], features: int = len(FEATURES)) -> Vector:
    w = [0.0] * features
    current = _log_likelihood(sets, w)
    for _ in range(NEWTON_STEPS):
        gradient, hessian = _gradient_and_hessian(sets, w)
        step = _solve([[-h for h in row] for row in hessian], gradient)
        size = 1.0
        while size > 1e-4:
            trial = [a + size * b for a, b in zip(w, step, strict=True)]
            value = _log_likelihood(sets, trial)
            if value >= current:
                break
            size /= 2
        else:
            break
        improved = value - current
        w, current = trial, value
        if improved < 1e-6 * len(sets):
            break
    return w


def tuning_choice_sets(
    fans: int = TUNING_FANS, seeds: Sequence[int] = TUNING_SEEDS
) -> list[ChoiceSet]:
    variant = get_variant(DEFAULT_VARIANT)
    rng = random.Random(0)
    sets = []
    for seed in seeds:
        for case in build_cases(build_world(fans, seed, TUNING_MODELS)):
            choice = choice_set(case, variant, rng)
            if choice is not None:
                sets.append(choice)
    return sets


def fit_weights(fans: int = TUNING_FANS, seeds: Sequence[int] = TUNING_SEEDS) -> dict[str, float]:
    """The maximum-likelihood weights on the tuning models and seeds, rounded for the source."""
    weights = newton(tuning_choice_sets(fans, seeds))
    return {name: round(value, 3) for name, value in zip(FEATURES, weights, strict=True)}

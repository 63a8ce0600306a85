from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest

from pitchaseat.cli import main
from pitchaseat.recs.evaluation.fans import FAN_MODELS
from pitchaseat.recs.evaluation.fit import ChoiceSet, newton
from pitchaseat.recs.evaluation.protocol import BASELINES, TradeIndex, build_cases
from pitchaseat.recs.evaluation.report import (
    DECLARED_BUT_COLD,
    MIXTURE,
    EvaluationReport,
    run_evaluation,
)
from pitchaseat.recs.evaluation.split import (
    HELD_OUT_MODELS,
    REPORT_SEEDS,
    TUNING_MODELS,
    TUNING_SEEDS,
)
from pitchaseat.recs.evaluation.world import Trade, build_world

T0 = datetime(2031, 4, 1, tzinfo=UTC)
# Small, but every fan model gets a few dozen fans; a seed used neither to tune nor to report.
SMALL_FANS, SMALL_SEED = 700, 5


@pytest.fixture(scope="module")
def small_report() -> EvaluationReport:
    return run_evaluation(SMALL_FANS, (SMALL_SEED,))


def test_trade_index_counts_tickets_in_a_half_open_window() -> None:
    trades = TradeIndex([Trade(1, T0, 2), Trade(1, T0 + timedelta(days=1), 3), Trade(2, T0, 4)])

    assert trades.tickets(1, T0, T0 + timedelta(days=1)) == 2
    assert trades.tickets(1, T0, T0 + timedelta(days=2)) == 5
    assert trades.tickets(3, T0, T0 + timedelta(days=2)) == 0


def test_the_world_is_the_same_for_the_same_seed_and_its_mixture_is_drawn_per_run() -> None:
    assert build_world(30, seed=4) == build_world(30, seed=4)
    assert build_world(30, seed=4).mixture != build_world(30, seed=5).mixture


def test_cases_see_nothing_from_the_held_out_purchase_on() -> None:
    cases = build_cases(build_world(150, seed=3))

    for case in cases:
        assert all(p.bought_at < case.now for p in case.signals.purchases)
        assert all(r.reserved_at < case.now for r in case.signals.reservations)
        assert all(c.game.starts_at > case.now for c in case.candidates)
        assert case.held_out.game_id in {c.game.game_id for c in case.candidates}


def test_tuning_and_reported_models_and_seeds_are_apart() -> None:
    assert set(TUNING_MODELS).isdisjoint(HELD_OUT_MODELS)
    assert set(TUNING_MODELS) | set(HELD_OUT_MODELS) == set(FAN_MODELS)
    assert set(TUNING_SEEDS).isdisjoint(REPORT_SEEDS)


def test_ours_ranks_above_every_baseline_on_every_fan_model(small_report: EvaluationReport) -> None:
    names = {group.name for group in small_report.groups}
    assert set(FAN_MODELS) | {DECLARED_BUT_COLD, MIXTURE} <= names

    for group in small_report.groups:
        ours = group.arms["ours"]
        for baseline in BASELINES:
            assert ours.ndcg > group.arms[baseline].ndcg, (group.name, baseline)
            assert ours.hit >= group.arms[baseline].hit, (group.name, baseline)


def test_the_ceiling_ranks_above_ours_on_the_mixture(small_report: EvaluationReport) -> None:
    # Four fifths of the ceiling is a target for the full-size run (docs/recommendations.md).
    mixture = small_report.group(MIXTURE)

    assert mixture.arms["ceiling"].ndcg > mixture.arms["ours"].ndcg


def test_newton_recovers_the_weights_of_a_known_choice_model() -> None:
    rng = random.Random(1)
    truth = (1.5, -0.7)
    sets = []
    for _ in range(1500):
        options = [(rng.gauss(0, 1), rng.gauss(0, 1)) for _ in range(8)]
        odds = [math.exp(truth[0] * a + truth[1] * b) for a, b in options]
        chosen = rng.choices(range(8), odds)[0]
        others = tuple(x for i, x in enumerate(options) if i != chosen)
        sets.append(ChoiceSet(options[chosen], others))

    fitted = newton(sets, features=2)

    assert fitted == pytest.approx(truth, abs=0.15)


def test_cli_prints_a_table_per_fan_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recs", "evaluate", "--fans", "120", "--seeds", "3,4"]) == 0

    out = capsys.readouterr().out
    assert "120 synthetic fans per run, report seeds 3, 4" in out
    for row in ("popularity", "favourite team", "original scoring", "ours", "ceiling"):
        assert row in out
    assert "loyal (tuning model)" in out
    assert "fixture (held-out model)" in out
    assert "mixture (all)" in out

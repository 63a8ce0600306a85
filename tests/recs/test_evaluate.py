from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pitchaseat.cli import main
from pitchaseat.recs.evaluate import (
    TradeIndex,
    build_cases,
    format_table,
    run_evaluation,
)
from pitchaseat.recs.metrics import ndcg_at_k, precision_at_k, recall_at_k
from pitchaseat.recs.synthetic import Trade, build_world

T0 = datetime(2031, 4, 1, tzinfo=UTC)


def test_ndcg_is_one_for_a_perfect_ranking_and_lower_when_the_hit_comes_later() -> None:
    assert ndcg_at_k([7, 8, 9], {7}, 5) == 1.0
    assert ndcg_at_k([8, 7, 9], {7}, 5) == pytest.approx(1 / 1.5849625)
    assert ndcg_at_k([8, 9], {7}, 5) == 0.0


def test_precision_and_recall_count_game_level_hits() -> None:
    assert precision_at_k([1, 2, 3, 4, 5], {2, 9}, 5) == pytest.approx(0.2)
    assert recall_at_k([1, 2, 3, 4, 5], {2, 9}, 5) == pytest.approx(0.5)


def test_trade_index_counts_tickets_in_a_half_open_window() -> None:
    trades = TradeIndex([Trade(1, T0, 2), Trade(1, T0 + timedelta(days=1), 3), Trade(2, T0, 4)])

    assert trades.tickets(1, T0, T0 + timedelta(days=1)) == 2
    assert trades.tickets(1, T0, T0 + timedelta(days=2)) == 5
    assert trades.tickets(3, T0, T0 + timedelta(days=2)) == 0


def test_the_synthetic_world_is_the_same_for_the_same_seed() -> None:
    assert build_world(30, seed=4) == build_world(30, seed=4)
    assert build_world(30, seed=4) != build_world(30, seed=5)


def test_cases_see_nothing_from_the_held_out_future() -> None:
    cases = build_cases(build_world(200, seed=3))

    for case in cases:
        assert all(p.bought_at < case.now for p in case.signals.purchases)
        assert all(r.reserved_at < case.now for r in case.signals.reservations)
        assert all(c.game.starts_at > case.now for c in case.candidates)
        assert case.held_out


def test_the_recommender_beats_both_baselines_on_ndcg() -> None:
    report = run_evaluation(users=400, seed=5)
    ndcg = {result.method: result.ndcg for result in report.results}

    best_baseline = max(
        ndcg["popularity"], ndcg["favourite team, soonest"], ndcg["favourite team, most traded"]
    )
    assert ndcg["recommender B"] > best_baseline * 1.15
    assert "recommender B" in format_table(report)


def test_cli_prints_a_row_per_method(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recs", "evaluate", "--users", "60", "--seed", "3"]) == 0

    out = capsys.readouterr().out
    assert "60 synthetic users, seed 3" in out
    for method in ("popularity", "favourite team, soonest", "recommender A", "recommender B"):
        assert method in out

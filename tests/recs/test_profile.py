from __future__ import annotations

from datetime import timedelta

import pytest

from pitchaseat.recs.profile import build_profile, decay_weight, reservation_intent
from pitchaseat.recs.signals import Reservation
from tests.recs.factories import NOW, bought, game


def test_weight_after_one_half_life_is_half() -> None:
    assert decay_weight(timedelta(days=30), half_life_days=30) == pytest.approx(0.5)


def test_weight_after_two_half_lives_is_a_quarter() -> None:
    assert decay_weight(timedelta(days=20), half_life_days=10) == pytest.approx(0.25)


def test_weight_now_is_one_and_the_future_is_not_boosted() -> None:
    assert decay_weight(timedelta(0), 30) == 1.0
    assert decay_weight(timedelta(days=-3), 30) == 1.0


def test_recent_orders_count_more_than_old_ones() -> None:
    old, recent = game(1, -60, home=1, away=2), game(2, -1, home=3, away=4)

    profile = build_profile([bought(old, 61), bought(recent, 1)], NOW, half_life_days=30)

    assert profile.team_share[3] > profile.team_share[1]
    assert profile.team_share[3] + profile.team_share[1] == pytest.approx(1.0)


def test_shares_do_not_depend_on_how_many_orders_in_the_same_proportions() -> None:
    home_game, away_game = game(1, -10, home=1, away=2), game(2, -10, home=3, away=1)
    light = [bought(home_game, 10), bought(away_game, 10)]
    heavy = light * 25

    light_profile = build_profile(light, NOW, 30)
    heavy_profile = build_profile(heavy, NOW, 30)

    assert heavy_profile.total_weight == pytest.approx(25 * light_profile.total_weight)
    assert heavy_profile.team_share == pytest.approx(light_profile.team_share)
    assert heavy_profile.team_share[1] == pytest.approx(1.0)


def test_orders_after_now_are_not_known_yet() -> None:
    later = bought(game(1, 5), days_ago=-2)

    profile = build_profile([later], NOW, 30)

    assert not profile.has_orders
    assert profile.bought_game_ids == frozenset()


def test_lead_time_and_rhythm_are_measured_in_days() -> None:
    first, second = game(1, -20), game(2, -10)
    purchases = [bought(first, 23.0), bought(second, 13.0)]  # a little over 3 days ahead

    profile = build_profile(purchases, NOW, 30)

    assert profile.typical_lead_days == pytest.approx(3.27, abs=0.01)
    assert profile.days_between_orders == pytest.approx(10.0)


def test_reservation_intent_keeps_the_latest_hold_of_a_game() -> None:
    holds = [Reservation(7, NOW - timedelta(days=14)), Reservation(7, NOW - timedelta(days=7))]

    intent = reservation_intent(holds, NOW, half_life_days=7)

    assert intent == {7: pytest.approx(0.5)}

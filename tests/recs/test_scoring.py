from __future__ import annotations

from datetime import timedelta

import pytest

from pitchaseat.recs.scoring import popularity_scores, recommend
from pitchaseat.recs.signals import Candidate, Reservation, UserSignals
from pitchaseat.recs.variants import UnknownVariant
from tests.recs.factories import NOW, bought, game, on_sale

FAN_OF_1 = UserSignals(favourite_team_ids=frozenset({1}))


def test_popularity_is_log_scaled_and_divided_by_the_most_traded() -> None:
    games = [game(1, 1), game(2, 2), game(3, 3)]

    scores = popularity_scores(games, {1: 99, 2: 9})

    assert scores == {1: 1.0, 2: pytest.approx(0.5), 3: 0.0}


def test_cold_user_gets_the_most_traded_of_otherwise_alike_games_in_order() -> None:
    games = [game(1, 4), game(2, 4), game(3, 4), game(4, 4)]

    picks = recommend(UserSignals(), on_sale(*games), {3: 40, 1: 12, 4: 5}, NOW, limit=3)

    assert [pick.game.game_id for pick in picks] == [3, 1, 4]
    assert picks[0].reasons == ({"code": "popular"},)


def test_a_bargain_hunter_is_shown_the_cheaper_of_two_alike_games() -> None:
    past = [bought(game(10 + n, -3 - n, home=3, away=4), 5 + n, price=180) for n in range(6)]
    cheap, dear = game(1, 3, home=1, away=2), game(2, 3, home=1, away=2)
    candidates = [Candidate(cheap, 4, 200), Candidate(dear, 4, 600), Candidate(game(3, 9), 4, 400)]

    picks = recommend(UserSignals(purchases=tuple(past)), candidates, {}, NOW)

    assert picks[0].game.game_id == 1
    assert {"code": "good_price"} in picks[0].reasons


def test_a_pairing_the_fan_comes_back_to_is_named() -> None:
    past = [bought(game(10 + n, -3 - 3 * n, home=4, away=5), 5 + 3 * n) for n in range(4)]

    picks = recommend(UserSignals(purchases=tuple(past)), on_sale(game(1, 3, 4, 5)), {}, NOW)

    assert {"code": "usual_fixture", "home_team_id": 4, "away_team_id": 5} in picks[0].reasons


@pytest.mark.parametrize("variant", ["A", "B"])
def test_games_that_started_or_have_no_tickets_are_never_returned(variant: str) -> None:
    started, sold_out, open_game = game(1, -0.5), game(2, 1), game(3, 20, home=5, away=6)
    candidates = [Candidate(started, 9), Candidate(sold_out, 0), Candidate(open_game, 1)]

    picks = recommend(FAN_OF_1, candidates, {1: 50, 2: 50}, NOW, variant=variant)

    assert [pick.game.game_id for pick in picks] == [3]


def test_cold_start_also_skips_started_and_sold_out_games() -> None:
    candidates = [Candidate(game(1, -0.5), 9), Candidate(game(2, 1), 0), Candidate(game(3, 2), 1)]

    picks = recommend(UserSignals(), candidates, {1: 50, 2: 50}, NOW)

    assert [pick.game.game_id for pick in picks] == [3]


def test_a_game_already_bought_is_not_recommended_again() -> None:
    upcoming = game(1, 3)
    signals = UserSignals(purchases=(bought(upcoming, 1),))

    picks = recommend(signals, on_sale(upcoming, game(2, 4)), {}, NOW)

    assert [pick.game.game_id for pick in picks] == [2]


def test_favourite_team_ranks_first_and_says_so() -> None:
    theirs, other = game(1, 5, home=1, away=3), game(2, 5, home=4, away=5)

    picks = recommend(FAN_OF_1, on_sale(other, theirs), {}, NOW)

    assert picks[0].game.game_id == 1
    assert {"code": "favourite_team", "team_id": 1} in picks[0].reasons


def test_bought_team_before_names_the_team_and_the_last_game() -> None:
    past = game(10, -5, home=2, away=4)
    signals = UserSignals(purchases=(bought(past, 8),))

    picks = recommend(signals, on_sale(game(1, 3, home=2, away=6), game(2, 3, 5, 6)), {}, NOW)

    assert picks[0].game.game_id == 1
    assert {"code": "bought_team_before", "team_id": 2, "game_id": 10} in picks[0].reasons
    assert {"code": "usual_stadium", "stadium_id": 2} in picks[0].reasons


def test_every_recommendation_carries_at_least_one_reason() -> None:
    signals = UserSignals(purchases=(bought(game(90, -5, home=2, away=4), 8),))
    games = [game(i, i, home=1 + i % 6, away=1 + (i + 1) % 6) for i in range(1, 12)]

    picks = recommend(signals, on_sale(*games), {1: 3}, NOW, limit=11)

    assert len(picks) == 11
    assert all(pick.reasons for pick in picks)


@pytest.mark.parametrize("variant", ["A", "B"])
def test_a_fresh_reservation_lifts_its_game_to_the_top(variant: str) -> None:
    reserved = game(2, 12, home=5, away=6)
    signals = UserSignals(
        favourite_team_ids=frozenset({1}),
        reservations=(Reservation(2, NOW - timedelta(hours=3)),),
    )

    picks = recommend(signals, on_sale(game(1, 2), reserved), {}, NOW, variant=variant)

    assert picks[0].game.game_id == 2
    assert {"code": "reserved", "game_id": 2} in picks[0].reasons


def test_the_same_habit_counts_more_when_more_orders_show_it() -> None:
    habits = [bought(game(10, -9, home=1, away=2), 12), bought(game(11, -4, home=3, away=1), 7)]
    light, heavy = UserSignals(purchases=tuple(habits)), UserSignals(purchases=tuple(habits * 20))
    candidates = on_sale(game(1, 3, home=1, away=4), game(2, 3, home=5, away=6))

    def margin(signals: UserSignals) -> float:
        first, second = recommend(signals, candidates, {1: 5, 2: 5}, NOW)
        assert first.game.game_id == 1
        return first.score - second.score

    assert margin(heavy) > margin(light) > 0


def test_an_unknown_variant_is_refused() -> None:
    with pytest.raises(UnknownVariant):
        recommend(FAN_OF_1, [], {}, NOW, variant="Z")

"""What one game means for one fan, as the ranker's numbers (docs/recommendations.md).

Every habit is a share of the fan's decayed orders *shrunk toward what an indifferent fan would
show*: ``(count + PRIOR_ORDERS * base) / (W + PRIOR_ORDERS)``. One order says little, twenty say
a lot, and a fan without orders gets the base everywhere (so only the population terms rank).
A declared favourite team counts as ``FAVOURITE_PSEUDO_ORDERS`` orders of that team: it leads
while the fan has few orders and fades once their orders say otherwise (a stale favourite).
The habit features are logarithms, so the score is a log-linear choice model: a game has to
fit the team *and* the park *and* the day.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from pitchaseat.recs.profile import MIN_LEAD_DAYS, TasteProfile, days_between
from pitchaseat.recs.signals import Candidate, UserSignals

FEATURES = (
    "favourite",  # 1 when a declared favourite team plays
    "team",  # ln P(either team is why the fan goes)
    "side",  # ln share of the home side's home games / the visitors' away games
    "stadium",  # ln share of the park
    "day",  # ln lift of the weekend (or weekday) habit over the calendar's share
    "fixture",  # ln share of this very pairing (home against away)
    "price_habit",  # the fan's usual price level times this game's price level
    "price",  # this game's price level: ln(cheapest / median cheapest)
    "popularity",  # ln(1 + tickets traded lately), scaled to [0, 1]
    "lead",  # -(ln days until the game - ln the fan's usual lead time)^2
    "availability",  # ln(1 + tickets on sale), scaled to [0, 1]
    "reserved",  # decayed weight of the fan's hold of this very game
    # The same habits again, times how focused the fan's orders are on that habit (0: no
    # orders or spread like chance, 1: all on one team / park / kind of day / pairing; for the
    # lead time, how many orders it rests on), so a focused fan's habit weighs more.
    "team_focus",
    "stadium_focus",
    "day_focus",
    "fixture_focus",
    "lead_focus",
)
PRIOR_ORDERS = 2.0
FAVOURITE_PSEUDO_ORDERS = 3.0
TEAM_BASE = 1 / 3  # a team plays in 2 of the 6 teams' games
SIDE_BASE = STADIUM_BASE = 1 / 6
FIXTURE_BASE = 1 / 30  # 6 x 5 ordered pairings
WEEKEND_BASE = 1 / 3  # Saturdays and Sundays among game days
DEFAULT_LEAD_DAYS = 4.0


def _smoothed(share: float, total: float, base: float) -> float:
    return (share * total + PRIOR_ORDERS * base) / (total + PRIOR_ORDERS)


@dataclass(frozen=True)
class FanContext:
    """Everything about the fan and the candidate set that does not depend on the game."""

    profile: TasteProfile
    favourites: frozenset[int]
    team_share: dict[int, float]  # smoothed, favourites included
    team_default: float  # the smoothed share of a team the fan never bought
    weekend_lift: float
    weekday_lift: float
    log_lead_days: float
    reference_log_price: float
    price_habit: float  # shrunk mean of ln(price paid) - reference
    intent: Mapping[int, float]
    popularity: Mapping[int, float]
    log_most_tickets: float
    focus: tuple[float, float, float, float, float]  # team, stadium, day, fixture, lead

    def share(self, shares: Mapping[int, float], key: int, base: float) -> float:
        weight = self.profile.total_weight
        return _smoothed(shares.get(key, 0.0), weight, base)


def _team_shares(
    profile: TasteProfile, favourites: frozenset[int]
) -> tuple[dict[int, float], float]:
    extra = FAVOURITE_PSEUDO_ORDERS * len(favourites)
    total = profile.total_weight + extra + PRIOR_ORDERS
    default = PRIOR_ORDERS * TEAM_BASE / total
    teams = set(profile.team_share) | favourites
    shares = {
        team: (
            profile.team_share.get(team, 0.0) * profile.total_weight
            + FAVOURITE_PSEUDO_ORDERS * (team in favourites)
            + PRIOR_ORDERS * TEAM_BASE
        )
        / total
        for team in teams
    }
    return shares, default


def _focus(shares: Iterable[float], base: float, evidence: float) -> float:
    return evidence * max(0.0, (max(shares, default=0.0) - base) / (1.0 - base))


def _focuses(profile: TasteProfile) -> tuple[float, float, float, float, float]:
    evidence = profile.total_weight / (profile.total_weight + PRIOR_ORDERS)
    weekend = profile.weekend_share
    day = max(0.0, (weekend - WEEKEND_BASE) / (1 - WEEKEND_BASE), 1 - weekend / WEEKEND_BASE)
    return (
        _focus(profile.team_share.values(), TEAM_BASE, evidence),
        _focus(profile.stadium_share.values(), STADIUM_BASE, evidence),
        evidence * day if profile.has_orders else 0.0,
        _focus(profile.fixture_share.values(), FIXTURE_BASE, evidence),
        evidence,
    )


def fan_context(
    signals: UserSignals,
    profile: TasteProfile,
    candidates: Sequence[Candidate],
    intent: Mapping[int, float],
    popularity: Mapping[int, float],
) -> FanContext:
    teams, default = _team_shares(profile, signals.favourite_team_ids)
    weekend = _smoothed(profile.weekend_share, profile.total_weight, WEEKEND_BASE)
    weight = profile.total_weight
    mean_lead = profile.mean_log_lead_days
    log_lead = ((mean_lead or 0.0) * weight + PRIOR_ORDERS * math.log(DEFAULT_LEAD_DAYS)) / (
        weight + PRIOR_ORDERS
    )
    prices = [math.log(c.cheapest_price) for c in candidates if c.cheapest_price]
    reference = statistics.median(prices) if prices else 0.0
    habit = 0.0
    if profile.mean_log_price is not None:
        priced = profile.priced_weight
        habit = priced * (profile.mean_log_price - reference) / (priced + PRIOR_ORDERS)
    return FanContext(
        profile=profile,
        favourites=signals.favourite_team_ids,
        team_share=teams,
        team_default=default,
        weekend_lift=math.log(weekend / WEEKEND_BASE),
        weekday_lift=math.log((1.0 - weekend) / (1.0 - WEEKEND_BASE)),
        log_lead_days=log_lead,
        reference_log_price=reference,
        price_habit=habit,
        intent=intent,
        popularity=popularity,
        log_most_tickets=math.log1p(max((c.tickets_available for c in candidates), default=0)),
        focus=_focuses(profile),
    )


def price_level(context: FanContext, candidate: Candidate) -> float:
    """ln(cheapest price / the candidates' median cheapest price); 0 when unknown."""
    if not candidate.cheapest_price:
        return 0.0
    return math.log(candidate.cheapest_price) - context.reference_log_price


def game_features(context: FanContext, candidate: Candidate, now: datetime) -> tuple[float, ...]:
    """The values of ``FEATURES`` for one candidate game, in that order."""
    game, profile = candidate.game, context.profile
    home, away = game.home_team_id, game.away_team_id
    home_share = context.team_share.get(home, context.team_default)
    away_share = context.team_share.get(away, context.team_default)
    side = max(
        context.share(profile.host_share, home, SIDE_BASE),
        context.share(profile.visitor_share, away, SIDE_BASE),
    )
    fixture = _smoothed(
        profile.fixture_share.get(game.team_ids, 0.0), profile.total_weight, FIXTURE_BASE
    )
    level = price_level(context, candidate)
    days = max(days_between(now, game.starts_at), MIN_LEAD_DAYS)
    supply = math.log1p(max(candidate.tickets_available, 0))
    team = math.log(1.0 - (1.0 - home_share) * (1.0 - away_share))
    stadium = math.log(context.share(profile.stadium_share, game.stadium_id, STADIUM_BASE))
    day = context.weekend_lift if game.on_weekend else context.weekday_lift
    pairing = math.log(fixture)
    lead = -((math.log(days) - context.log_lead_days) ** 2)
    focus_team, focus_stadium, focus_day, focus_fixture, focus_lead = context.focus
    return (
        1.0 if context.favourites.intersection(game.team_ids) else 0.0,
        team,
        math.log(side),
        stadium,
        day,
        pairing,
        context.price_habit * level,
        level,
        context.popularity.get(game.game_id, 0.0),
        lead,
        supply / context.log_most_tickets if context.log_most_tickets else 0.0,
        context.intent.get(game.game_id, 0.0),
        team * focus_team,
        stadium * focus_stadium,
        day * focus_day,
        pairing * focus_fixture,
        lead * focus_lead,
    )

"""A recommendation's reasons in words, in the viewer's language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pitchaseat.catalog.models import Game, Team
from pitchaseat.discovery.schemas import ReasonOut
from pitchaseat.i18n import current_locale
from pitchaseat.i18n import gettext as _


def reason_text(reason: Mapping[str, Any], teams: Mapping[int, Team]) -> str:
    team = teams.get(int(reason.get("team_id", 0)))
    name = (team.name_en if current_locale() == "en" else team.name_zh) if team else ""
    code = reason.get("code")
    if code == "favourite_team":
        return _("Your favourite team: %(team)s") % {"team": name}
    if code == "bought_team_before":
        return _("You bought tickets for %(team)s before") % {"team": name}
    if code == "reserved":
        return _("You were looking at this game")
    if code == "usual_stadium":
        return _("At a ballpark you often go to")
    if code == "weekend_habit":
        return _("On a weekend, when you usually go")
    if code == "weekday_habit":
        return _("On a weekday, when you usually go")
    if code == "popular":
        return _("Popular with fans this week")
    return _("Coming up soon")


def explain(reasons: Iterable[Mapping[str, Any]], game: Game) -> list[ReasonOut]:
    """A pick's reasons as the API and the home page show them: code, words, details."""
    teams = {team.id: team for team in (game.home_team, game.away_team)}
    return [
        ReasonOut(
            code=str(reason["code"]),
            text=reason_text(reason, teams),
            details={key: value for key, value in reason.items() if key != "code"},
        )
        for reason in reasons
    ]

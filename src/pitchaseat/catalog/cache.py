"""The cached month calendar: response bytes per (month, team), in one group that every
change to a game's listing figures drops."""

from __future__ import annotations

import re

from pitchaseat.bounds import MAX_ID
from pitchaseat.edge import EdgeRoute

CALENDAR_GROUP = "calendar"
CALENDAR_TTL_SECONDS = 300
_MONTH = re.compile(r"^(20\d\d|2100)-(0[1-9]|1[0-2])$")


def calendar_key(month: str, team_id: int | None) -> str:
    return f"{month}|{team_id or ''}"


def _locate(match: re.Match[str], query_string: bytes) -> tuple[str, str] | None:
    month: str | None = None
    team_id: int | None = None
    for part in query_string.decode("latin-1").split("&"):
        name, _, value = part.partition("=")
        if name == "month" and month is None and _MONTH.match(value):
            month = value
        elif (
            name == "team_id" and team_id is None and value.isdigit() and 1 <= int(value) <= MAX_ID
        ):
            team_id = int(value)
        elif name in ("month", "team_id"):
            return None
    if month is None:
        return None
    return CALENDAR_GROUP, calendar_key(month, team_id)


CALENDAR_ROUTE = EdgeRoute(
    path=re.compile(r"^/api/v1/calendar$"), template="/api/v1/calendar", locate=_locate
)

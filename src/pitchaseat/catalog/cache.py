"""The cached month calendar: response bytes per (month, team), in one group that every
change to a game's listing figures drops."""

from __future__ import annotations

import re

from pitchaseat.bounds import MAX_ID

CALENDAR_GROUP = "calendar"
CALENDAR_TTL_SECONDS = 300
CALENDAR_PATH = re.compile(r"^/api/v1/calendar$")
_MONTH = re.compile(r"^(20\d\d|2100)-(0[1-9]|1[0-2])$")


def calendar_key(month: str, team_id: int | None) -> str:
    return f"{month}|{team_id or ''}"


def calendar_query(query_string: bytes) -> tuple[str, int | None] | None:
    """(month, team id) if the route would accept the query; None to let the route decide."""
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
    return month, team_id


def locate_calendar(_match: re.Match[str], query_string: bytes) -> tuple[str, str] | None:
    parsed = calendar_query(query_string)
    return (CALENDAR_GROUP, calendar_key(*parsed)) if parsed else None

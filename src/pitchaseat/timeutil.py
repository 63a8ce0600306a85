"""Time helpers: everything is stored in UTC; games are shown in Asia/Taipei."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_taipei(moment: datetime) -> datetime:
    return moment.astimezone(TAIPEI)


def taipei_day_bounds_utc(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """UTC instants covering whole Taipei days ``first_day``..``last_day`` (end exclusive)."""
    start = datetime.combine(first_day, time.min, TAIPEI).astimezone(UTC)
    end = datetime.combine(last_day + timedelta(days=1), time.min, TAIPEI).astimezone(UTC)
    return start, end


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    next_first = date(year + (month == 12), month % 12 + 1, 1)
    return first, next_first - timedelta(days=1)

"""Shared parameter types. Ids are bounded to the 32-bit range every backend stores."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path, Query

MAX_ID = 2_147_483_647

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalIdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]

# The days the site knows: a date outside them is no game day (and 9999-12-31 + 1 day would
# not even be a date).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
OptionalDayQuery = Annotated[date | None, Query(ge=FIRST_DAY, le=LAST_DAY)]

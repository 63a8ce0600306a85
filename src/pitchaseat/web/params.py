"""Shared parameter types. Ids are bounded to the 32-bit range every backend stores."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path, Query

from pitchaseat.bounds import FIRST_DAY, LAST_DAY, MAX_ID

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalIdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
OptionalDayQuery = Annotated[date | None, Query(ge=FIRST_DAY, le=LAST_DAY)]

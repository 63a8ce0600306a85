"""Shared parameter types. Ids are bounded to the 32-bit range every backend stores."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from pitchaseat.bounds import MAX_ID

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalIdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from pitchaseat.catalog import service
from pitchaseat.catalog.fast_path import calendar_bytes
from pitchaseat.catalog.schemas import CalendarOut, GameOut, StadiumOut, TeamOut
from pitchaseat.web.deps import ServicesDep, SessionDep
from pitchaseat.web.openapi import error_responses
from pitchaseat.web.pagination import Page, PageDep
from pitchaseat.web.params import IdPath, OptionalDayQuery, OptionalIdQuery

router = APIRouter(prefix="/api/v1", tags=["catalog"])

TeamIdQuery = OptionalIdQuery


@router.get("/teams", response_model=list[TeamOut])
async def list_teams(session: SessionDep) -> list[TeamOut]:
    return [TeamOut.model_validate(team) for team in await service.list_teams(session)]


@router.get("/stadiums", response_model=list[StadiumOut])
async def list_stadiums(session: SessionDep) -> list[StadiumOut]:
    return [StadiumOut.model_validate(s) for s in await service.list_stadiums(session)]


@router.get("/games", response_model=Page[GameOut], responses=error_responses(422))
async def list_games(
    session: SessionDep,
    page: PageDep,
    date_from: OptionalDayQuery = None,
    date_to: OptionalDayQuery = None,
    team_id: TeamIdQuery = None,
) -> Page[GameOut]:
    result = await service.list_games(
        session,
        date_from=date_from,
        date_to=date_to,
        team_id=team_id,
        offset=page.offset,
        limit=page.page_size,
    )
    return Page(
        items=[GameOut.model_validate(game) for game in result.games],
        page=page.page,
        page_size=page.page_size,
        total=result.total,
    )


@router.get("/games/{game_id}", response_model=GameOut, responses=error_responses(404))
async def get_game(session: SessionDep, game_id: IdPath) -> GameOut:
    return GameOut.model_validate(await service.get_game(session, game_id))


@router.get("/calendar", response_model=CalendarOut, responses=error_responses(422))
async def calendar(
    services: ServicesDep,
    month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", examples=["2027-04"])],
    team_id: TeamIdQuery = None,
) -> Response:
    # Valid queries are answered by the edge layer; this route validates and documents.
    return Response(await calendar_bytes(services, month, team_id), media_type="application/json")

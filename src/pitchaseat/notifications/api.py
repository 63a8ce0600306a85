"""The notifications API: the list, read marks and the live stream (Server-Sent Events)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request, Response, status
from sse_starlette import EventSourceResponse, ServerSentEvent

from pitchaseat.accounts.deps import CurrentUser
from pitchaseat.adapters.fanout import FanOut
from pitchaseat.errors import DomainError
from pitchaseat.i18n import current_locale
from pitchaseat.notifications import service
from pitchaseat.notifications.deps import OwnedNotification
from pitchaseat.notifications.kinds import render
from pitchaseat.notifications.schemas import NotificationOut, NotificationPageOut, UnreadCount
from pitchaseat.web.deps import ServicesDep, SessionDep
from pitchaseat.web.openapi import error_responses
from pitchaseat.web.pagination import PageDep

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])
HEARTBEAT_SECONDS = 15.0


class LiveUnavailable(DomainError):
    status = 503
    code = "live_unavailable"
    default_message = "Live notifications are not available right now."


@router.get("", response_model=NotificationPageOut, responses=error_responses(401, 422))
async def list_notifications(
    user: CurrentUser,
    session: SessionDep,
    page: PageDep,
    unread: Annotated[bool, Query(description="only unread ones")] = False,
) -> NotificationPageOut:
    found = await service.list_notifications(
        session, user.id, unread_only=unread, offset=page.offset, limit=page.page_size
    )
    locale = current_locale()
    return NotificationPageOut(
        items=[NotificationOut.of(note, locale) for note in found.items],
        page=page.page,
        page_size=page.page_size,
        total=found.total,
        unread_count=found.unread_count,
    )


@router.get("/unread-count", response_model=UnreadCount, responses=error_responses(401))
async def unread_count(user: CurrentUser, session: SessionDep) -> UnreadCount:
    return UnreadCount(count=await service.unread_count(session, user.id))


@router.post(
    "/read-all", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(401, 403)
)
async def read_all(user: CurrentUser, session: SessionDep) -> Response:
    await service.mark_all_read(session, user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{notification_id}/read",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404, 422),
)
async def read_one(note: OwnedNotification, session: SessionDep) -> Response:
    await service.mark_read(session, note)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# Not in the OpenAPI document: a stream never ends, which generated tests cannot use.
@router.get("/stream", include_in_schema=False)
async def stream(
    request: Request, user: CurrentUser, session: SessionDep, services: ServicesDep
) -> EventSourceResponse:
    if services.fanout is None:
        raise LiveUnavailable()
    unread = await service.unread_count(session, user.id)
    return EventSourceResponse(
        _events(request, services.fanout, user.id, unread, current_locale()),
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _events(
    request: Request, fanout: FanOut, user_id: int, unread: int, locale: str
) -> AsyncIterator[ServerSentEvent]:
    async with fanout.subscribe(user_id) as subscription:
        yield ServerSentEvent(data=orjson.dumps({"unread_count": unread}).decode(), event="hello")
        while not await request.is_disconnected():
            event = await subscription.next(HEARTBEAT_SECONDS)
            if event is None:
                yield ServerSentEvent(comment="heartbeat")
                continue
            payload = {
                "id": event["id"],
                "kind": event["kind"],
                "title": render(event["kind"], event["params"], locale).title,
                "link": event["link"],
                "unread_count": event["unread_count"],
            }
            yield ServerSentEvent(
                data=orjson.dumps(payload).decode(), event="notification", id=str(event["id"])
            )

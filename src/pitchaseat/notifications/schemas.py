from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from pitchaseat.notifications.kinds import render
from pitchaseat.notifications.models import Notification
from pitchaseat.paging import Page


class NotificationOut(BaseModel):
    id: int
    kind: str
    title: str
    body: str
    link: str | None
    read_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, note: Notification, locale: str) -> NotificationOut:
        text = render(note.kind, note.params, locale)
        return cls(
            id=note.id,
            kind=note.kind,
            title=text.title,
            body=text.body,
            link=note.link,
            read_at=note.read_at,
            created_at=note.created_at,
        )


class NotificationPageOut(Page[NotificationOut]):
    unread_count: int


class UnreadCount(BaseModel):
    count: int

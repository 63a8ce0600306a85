"""A caller's own notifications; anyone else's are 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from pitchaseat.accounts.deps import CurrentUser
from pitchaseat.notifications import service
from pitchaseat.notifications.models import Notification
from pitchaseat.web.deps import SessionDep
from pitchaseat.web.params import IdPath


async def owned_notification(
    notification_id: IdPath, user: CurrentUser, session: SessionDep
) -> Notification:
    return await service.owned_notification(session, user.id, notification_id)


OwnedNotification = Annotated[Notification, Depends(owned_notification)]

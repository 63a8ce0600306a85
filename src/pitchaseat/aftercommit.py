"""What a transaction may reach beyond the database, and the side effects that follow its
commit.

The composition root (``runtime.AppServices``) puts one ``Collaborators`` into the info of
every session its factory makes. Code deep in a domain asks the session for them instead of
taking them as arguments, so no caller has to remember to pass a cache along. The choke points
(the order state machine, the stock functions) ``announce`` what happened; the subscribers
wired by the composition root (market figures, page caches) act once the change is committed.
A session without collaborators (a test's, a one-off script's) simply has no side effects.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.db import after_commit

if TYPE_CHECKING:
    from pitchaseat.adapters.cache import GroupCache
    from pitchaseat.adapters.fanout import FanOut
    from pitchaseat.adapters.queue import JobQueue

log = logging.getLogger(__name__)
COLLABORATORS_KEY = "pitchaseat.collaborators"


class Happening(enum.StrEnum):
    # An order became paid or refunded: what counts as traded changed.
    market_changed = "market_changed"
    # Games' listing figures (counts, lowest prices, stock) changed.
    listings_changed = "listings_changed"


@dataclass(frozen=True)
class Collaborators:
    base_url: str = ""
    fanout: FanOut | None = None
    jobs: JobQueue | None = None
    cache: GroupCache | None = None
    page_cache_enabled: bool = True
    # (collaborators, the game ids concerned) -> coroutine, per happening.
    subscribers: Mapping[Happening, Sequence[Subscriber]] = field(default_factory=dict)


Subscriber = Callable[[Collaborators, frozenset[int]], Awaitable[None]]


def collaborators(session: AsyncSession) -> Collaborators | None:
    found: Collaborators | None = session.info.get(COLLABORATORS_KEY)
    return found


def session_fanout(session: AsyncSession) -> FanOut | None:
    found = collaborators(session)
    return found.fanout if found else None


def session_jobs(session: AsyncSession) -> JobQueue | None:
    found = collaborators(session)
    return found.jobs if found else None


def session_base_url(session: AsyncSession) -> str:
    found = collaborators(session)
    return found.base_url if found else ""


_PENDING_KEY = "pitchaseat.announced"


def announce(session: AsyncSession, happening: Happening, game_ids: Collection[int]) -> None:
    """After this transaction commits, tells the subscribers of ``happening`` (once per
    transaction and happening, with every game id announced in it)."""
    found = collaborators(session)
    if found is None or not found.subscribers.get(happening):
        return
    pending: dict[Happening, set[int]] = session.info.setdefault(_PENDING_KEY, {})
    first = happening not in pending
    pending.setdefault(happening, set()).update(game_ids)
    if not first:
        return

    async def deliver() -> None:
        ids = frozenset(session.info.get(_PENDING_KEY, {}).pop(happening, set()))
        for subscriber in found.subscribers[happening]:
            try:
                await subscriber(found, ids)
            except Exception:
                # The change is committed; a missed cache drop only ages out with its TTL.
                log.warning("after-commit %s subscriber failed", happening, exc_info=True)

    after_commit(session, deliver)

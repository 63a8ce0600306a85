"""Matching a listing against every reservation of its game in a few set-based statements,
however many reservations there are: the alerts (once per reservation and listing), one
in-site notification per fan, and their emails in the outbox, all in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BindParameter,
    ColumnElement,
    Select,
    String,
    case,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.catalog.models import Game
from pitchaseat.catalog.sales import is_on_sale
from pitchaseat.listings.match_requests import MatchRequest
from pitchaseat.listings.models import Listing, ListingStatus
from pitchaseat.notifications.events import game_params
from pitchaseat.notifications.kinds import Kind, render
from pitchaseat.notifications.models import EmailOutbox, EmailPreference, EmailStatus, Notification
from pitchaseat.reservations.models import (
    Reservation,
    ReservationAlert,
    ReservationSeatArea,
)
from pitchaseat.timeutil import utcnow

KIND = Kind.reservation_match


@dataclass
class MatchOutcome:
    listing_id: int | None
    notified_user_ids: list[int] = field(default_factory=list)
    outbox_ids: list[int] = field(default_factory=list)
    # (notification id, fan) pairs; every one of a batch has the same kind, params and link.
    notes: list[tuple[int, int]] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    link: str = ""
    created_at: datetime | None = None


def _text(value: str) -> BindParameter[str]:
    return literal(value, String())


async def match_listing(
    session: AsyncSession, listing_id: int, *, base_url: str = "", now: datetime | None = None
) -> MatchOutcome:
    """Tells every fan whose reservation the listing now satisfies, once per listing; one's
    own listing and reservations of games that have started never alert."""
    now = now or utcnow()
    outcome = MatchOutcome(listing_id)
    listing = await session.get(Listing, listing_id)
    if listing is None or listing.status is not ListingStatus.active:
        return outcome
    game = await session.get(Game, listing.game_id)
    if game is None or not is_on_sale(game, now):
        return outcome
    batch = uuid.uuid4().hex
    own_areas = select(ReservationSeatArea.reservation_id).where(
        ReservationSeatArea.reservation_id == Reservation.id
    )
    matching = select(
        Reservation.id, literal(listing.id), Reservation.user_id, _text(batch), literal(now)
    ).where(
        Reservation.game_id == listing.game_id,
        Reservation.user_id != listing.seller_id,
        Reservation.quantity <= listing.available_quantity,
        or_(Reservation.min_price.is_(None), Reservation.min_price <= listing.price),
        or_(Reservation.max_price.is_(None), Reservation.max_price >= listing.price),
        or_(
            not_(exists(own_areas)),
            exists(own_areas.where(ReservationSeatArea.seat_area_id == listing.seat_area_id)),
        ),
        not_(
            exists().where(
                ReservationAlert.reservation_id == Reservation.id,
                ReservationAlert.listing_id == listing.id,
            )
        ),
    )
    await session.execute(
        insert(ReservationAlert).from_select(
            ["reservation_id", "listing_id", "user_id", "batch", "created_at"], matching
        )
    )
    fans = select(ReservationAlert.user_id).where(ReservationAlert.batch == batch).distinct()
    params = {
        **(await game_params(session, game.id)),
        "quantity": listing.available_quantity,
        "price": listing.price,
        "listing_id": listing.id,
    }
    # The game page, newest first, scrolled to the listing itself.
    link = f"/games/{game.id}?sort=newest#listing-{listing.id}"
    # Rows this batch adds are found above these marks (a clock can repeat; ids cannot).
    last_note = await session.scalar(select(func.coalesce(func.max(Notification.id), 0)))
    last_email = await session.scalar(select(func.coalesce(func.max(EmailOutbox.id), 0)))
    await session.execute(
        insert(Notification).from_select(
            ["user_id", "kind", "params", "link", "order_id", "created_at"],
            select(
                User.id,
                _text(KIND.value),
                literal(params, JSON()),
                _text(link),
                literal(None),
                literal(now),
            ).where(User.id.in_(fans)),
        )
    )
    await session.execute(
        insert(EmailOutbox).from_select(
            [
                "user_id",
                "to_address",
                "subject",
                "body_text",
                "body_html",
                "locale",
                "kind",
                "status",
                "attempts",
                "next_attempt_at",
                "created_at",
            ],
            _emails(fans, params, f"{base_url}{link}", now),
        )
    )
    # Read back by the id marks alone (a plain range scan); another batch's rows that slipped
    # in between are dropped by the set of fans told here.
    told = set(await session.scalars(fans))
    notes = await session.execute(
        select(Notification.id, Notification.user_id).where(
            Notification.id > last_note, Notification.kind == KIND.value
        )
    )
    outcome.notes = [(row.id, row.user_id) for row in notes if row.user_id in told]
    outcome.notified_user_ids = [user_id for _id, user_id in outcome.notes]
    outcome.params, outcome.link, outcome.created_at = params, link, now
    emails = await session.execute(
        select(EmailOutbox.id, EmailOutbox.user_id).where(
            EmailOutbox.id > last_email, EmailOutbox.kind == KIND.value
        )
    )
    outcome.outbox_ids = [row.id for row in emails if row.user_id in told]
    return outcome


def _emails(
    fans: Select[int], params: dict[str, object], url: str, now: datetime
) -> Select[*tuple[Any, ...]]:
    """The same email for everyone, in each fan's language, skipping those who opted out."""
    by_locale = {locale: render(KIND.value, dict(params), locale) for locale in ("zh_TW", "en")}
    english = User.locale == "en"

    def pick(zh: str, en: str) -> ColumnElement[str]:
        return case((english, _text(en)), else_=_text(zh))

    zh, en = by_locale["zh_TW"], by_locale["en"]
    opted_out = exists().where(
        EmailPreference.user_id == User.id,
        EmailPreference.kind == KIND.value,
        EmailPreference.email_enabled == false(),
    )
    return select(
        User.id,
        User.email,
        pick(zh.title[:200], en.title[:200]),
        pick(f"{zh.body}\n\n{url}\n", f"{en.body}\n\n{url}\n"),
        literal(None),
        User.locale,
        _text(KIND.value),
        _text(EmailStatus.pending.value),
        literal(0),
        literal(now),
        literal(now),
    ).where(User.id.in_(fans), not_(opted_out))


async def take_requests(session: AsyncSession, request_id: int | None) -> list[int]:
    """The listings waiting to be matched (one request, or all of them for the sweep), and
    the requests removed: a listing is matched once however many times it was asked for."""
    query = select(MatchRequest.id, MatchRequest.listing_id)
    if request_id is not None:
        anchor = await session.get(MatchRequest, request_id)
        if anchor is None:
            return []
        query = query.where(MatchRequest.listing_id == anchor.listing_id)
    rows = (await session.execute(query.with_for_update(skip_locked=True))).all()
    if not rows:
        return []
    await session.execute(
        delete(MatchRequest)
        .where(MatchRequest.id.in_([row.id for row in rows]))
        .execution_options(synchronize_session=False)
    )
    return sorted({row.listing_id for row in rows})

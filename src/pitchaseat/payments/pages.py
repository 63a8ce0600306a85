"""Order pages: buy from a game page, the checkout (hold countdown and payment), the order
with its timeline and the actions each side may take, and "my purchases" / "my sales"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload
from starlette.datastructures import FormData

from pitchaseat.accounts.deps import PageUser, cookie_user
from pitchaseat.accounts.models import User
from pitchaseat.adapters.payments.base import Cardholder
from pitchaseat.catalog import seatmap
from pitchaseat.catalog.models import Game, Stadium
from pitchaseat.db import release_connection
from pitchaseat.errors import DomainError, InvalidInput, NotFound
from pitchaseat.listings.deps import ListingPagesDep
from pitchaseat.listings.models import DeliveryMethod, Listing
from pitchaseat.orders import lifecycle
from pitchaseat.orders.deadlines import ship_by
from pitchaseat.orders.deps import HoldPolicyDep
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.placing import place_hold
from pitchaseat.orders.schemas import DisputeRequest, ShipRequest
from pitchaseat.orders.service import list_orders
from pitchaseat.payments import cancellation, checkout
from pitchaseat.payments.pages_text import event_label
from pitchaseat.payments.schemas import CardholderIn
from pitchaseat.reviews import service as reviews
from pitchaseat.reviews.schemas import ReviewIn
from pitchaseat.reviews.score import RatingPrior
from pitchaseat.timeutil import utcnow
from pitchaseat.web.csrf import require_form_csrf
from pitchaseat.web.deps import ServicesDep, SessionDep
from pitchaseat.web.forms import form_error
from pitchaseat.web.i18n import gettext as _
from pitchaseat.web.params import IdPath
from pitchaseat.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(cookie_user)])


def _sandbox_cards() -> list[tuple[str, str]]:
    """The sandbox provider's documented test primes, as a card picker."""
    return [
        ("test_prime_ok", _("Test card: approved")),
        ("test_prime_declined", _("Test card: declined by the bank")),
        ("test_prime_expired", _("Test card: the card form expired")),
    ]


def _login(path: str) -> RedirectResponse:
    return RedirectResponse(f"/login?next={path}", status_code=303)


async def _form(request: Request) -> FormData:
    form = await request.form()
    require_form_csrf(request, form.get("csrf_token"))
    return form


async def _owned(session: AsyncSession, order_id: int, user_id: int) -> Order:
    """The order with what its page shows; anyone but its buyer and seller gets 404."""
    order = await session.scalar(
        select(Order)
        .where(Order.id == order_id)
        .options(selectinload(Order.events))
        .execution_options(populate_existing=True)
    )
    if order is None or user_id not in (order.buyer_id, order.seller_id):
        raise NotFound("No such order.")
    return order


@router.post("/listings/{listing_id}/buy")
async def buy(
    request: Request,
    listing_id: IdPath,
    user: PageUser,
    services: ServicesDep,
    policy: HoldPolicyDep,
    pages: ListingPagesDep,
) -> Response:
    if user is None:
        return _login("/")
    form = await _form(request)
    quantity = str(form.get("quantity") or "1")
    if not quantity.isdigit() or not 1 <= int(quantity) <= 10:
        raise InvalidInput("Choose how many tickets (1 to 10).", field="quantity")
    order = await place_hold(
        services.session_factory,
        services.rate_limiter,
        services.settings.holds_per_user,
        user,
        listing_id=listing_id,
        quantity=int(quantity),
        policy=policy,
        idempotency_key=str(form.get("idempotency_key") or "") or None,
        cache=pages,
    )
    return RedirectResponse(f"/orders/{order.id}", status_code=303)


async def _order_context(
    session: AsyncSession, order: Order, viewer: User, services: ServicesDep
) -> dict[str, Any]:
    game = await session.scalar(
        select(Game)
        .where(Game.id == order.game_id)
        .options(
            joinedload(Game.home_team),
            joinedload(Game.away_team),
            joinedload(Game.stadium).selectinload(Stadium.seat_areas),
        )
    )
    listing = await session.scalar(
        select(Listing).where(Listing.id == order.listing_id).options(joinedload(Listing.seat_area))
    )
    other_id = order.seller_id if viewer.id == order.buyer_id else order.buyer_id
    other = await session.get(User, other_id)
    assert game is not None and listing is not None and other is not None
    settings = services.settings
    now = utcnow()
    deadline = ship_by(
        game.starts_at, timedelta(minutes=settings.ship_deadline_minutes_before_game)
    )
    is_buyer = viewer.id == order.buyer_id
    status = order.status
    holding = status is OrderStatus.pending_payment and order.hold_expires_at > now
    return {
        "order": order,
        "game": game,
        "listing": listing,
        "seat_shapes": seatmap.park_shapes(game.stadium.seat_areas),
        "other": other,
        "role": "buyer" if is_buyer else "seller",
        "timeline": [(event, event_label(event.action, event.to_status)) for event in order.events],
        "ship_by": deadline,
        "holding": holding,
        "can_pay": is_buyer and holding,
        "can_ship": not is_buyer and status is OrderStatus.paid,
        "can_confirm": is_buyer and status is OrderStatus.shipped,
        "can_dispute": is_buyer and status in (OrderStatus.paid, OrderStatus.shipped),
        "can_refund_as_seller": not is_buyer and status in (OrderStatus.paid, OrderStatus.shipped),
        "can_cancel_postponed": is_buyer
        and game.status.value == "postponed"
        and status in cancellation.POSTPONED_CANCELLABLE,
        "delivery_methods": [method.value for method in DeliveryMethod],
        "payment_provider": settings.payment_provider,
        "sandbox_cards": _sandbox_cards(),
        "tappay": {
            "app_id": settings.tappay_app_id,
            "app_key": settings.tappay_app_key,
            "server_type": settings.tappay_server_type,
            "sdk_url": settings.tappay_sdk_url,
        },
    }


async def _order_page(
    request: Request,
    session: AsyncSession,
    services: ServicesDep,
    order_id: int,
    user_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    viewer = await session.get(User, user_id)
    assert viewer is not None
    order = await _owned(session, order_id, user_id)
    context = await _order_context(session, order, viewer, services)
    context["review"] = await reviews.review_of_order(session, order.id)
    context["can_review"] = (
        context["role"] == "buyer"
        and order.status is OrderStatus.completed
        and context["review"] is None
    )
    context["error"] = error
    context["notice"] = request.query_params.get("done")
    return render(request, "orders/detail.html", context, status_code=status_code)


@router.get("/orders/{order_id}")
async def order_page(
    request: Request, order_id: IdPath, user: PageUser, session: SessionDep, services: ServicesDep
) -> Response:
    if user is None:
        return _login(f"/orders/{order_id}")
    return await _order_page(request, session, services, order_id, user.id)


@router.post("/orders/{order_id}/{action}")
async def order_action(
    request: Request,
    order_id: IdPath,
    action: str,
    user: PageUser,
    session: SessionDep,
    services: ServicesDep,
    pages: ListingPagesDep,
) -> Response:
    if user is None:
        return _login(f"/orders/{order_id}")
    user_id = user.id
    order = await _owned(session, order_id, user_id)
    form = await _form(request)
    try:
        await _act(session, services, pages, order, user, action, form)
    except (DomainError, ValidationError) as error:
        await session.rollback()
        message, status = form_error(error)
        return await _order_page(
            request, session, services, order_id, user_id, error=message, status_code=status
        )
    return RedirectResponse(f"/orders/{order_id}?done={action}", status_code=303)


async def _act(
    session: AsyncSession,
    services: ServicesDep,
    pages: ListingPagesDep,
    order: Order,
    user: User,
    action: str,
    form: FormData,
) -> None:
    def text(name: str) -> str | None:
        value = form.get(name)
        return value.strip() or None if isinstance(value, str) else None

    settings = services.settings
    if action == "pay":
        cardholder = CardholderIn(
            name=text("name") or "", email=text("email") or "", phone_number=text("phone") or ""
        )
        # The payment runs in its own short transactions: this request's must not hold the
        # connection (or, on SQLite, the write lock) meanwhile.
        await release_connection(session)
        await checkout.pay_for_order(
            services.session_factory,
            services.payments,
            checkout.PaySite.for_settings(settings),
            order.id,
            user.id,
            prime=text("prime") or "",
            cardholder=Cardholder(**cardholder.model_dump()),
            stats_cache=services.cache,
        )
    elif action == "ship":
        shipment = ShipRequest(
            method=text("method") or "", tracking_number=text("tracking_number"), note=text("note")
        )
        await lifecycle.ship(session, order, user.id, **shipment.model_dump())
    elif action == "confirm":
        await lifecycle.confirm_receipt(session, order, user.id)
    elif action == "dispute":
        dispute = DisputeRequest(reason=text("reason") or "")
        await lifecycle.open_dispute(session, order, user.id, reason=dispute.reason)
    elif action == "cancel":
        await cancellation.cancel_order(
            session,
            services.session_factory,
            services.payments,
            order,
            user,
            reason=text("reason"),
            cache=pages,
        )
    elif action == "review":
        rating = text("rating") or ""
        review = ReviewIn(rating=int(rating) if rating.isdigit() else 0, comment=text("comment"))
        prior = RatingPrior(settings.rating_prior_mean, settings.rating_prior_weight)
        await reviews.rate_seller(
            session, order, user.id, rating=review.rating, comment=review.comment, prior=prior
        )
    else:
        raise NotFound("No such action.")


async def _orders_list(
    request: Request, session: AsyncSession, user: User, *, as_seller: bool
) -> Response:
    page = await list_orders(session, user, as_seller=as_seller, limit=100)
    games = {
        game.id: game
        for game in await session.scalars(
            select(Game)
            .where(Game.id.in_({order.game_id for order in page.orders}))
            .options(joinedload(Game.home_team), joinedload(Game.away_team))
        )
    }
    context = {"orders": page.orders, "games": games, "as_seller": as_seller}
    return render(request, "orders/list.html", context)


@router.get("/me/purchases")
async def my_purchases(request: Request, user: PageUser, session: SessionDep) -> Response:
    if user is None:
        return _login("/me/purchases")
    return await _orders_list(request, session, user, as_seller=False)


@router.get("/me/sales")
async def my_sales(request: Request, user: PageUser, session: SessionDep) -> Response:
    if user is None:
        return _login("/me/sales")
    return await _orders_list(request, session, user, as_seller=True)

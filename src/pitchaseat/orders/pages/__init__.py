"""Order pages: buy from a game page, the checkout (hold countdown and payment), the order
with its timeline and the buttons ``allowed_actions`` offers, one POST route per action, and
"my purchases" / "my sales"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from starlette.datastructures import FormData

from pitchaseat.accounts.deps import SignedInPageUser, cookie_user
from pitchaseat.accounts.models import User
from pitchaseat.adapters.payments.base import Cardholder
from pitchaseat.catalog import seatmap
from pitchaseat.catalog.models import Game, Stadium
from pitchaseat.catalog.sales import sales_close_at
from pitchaseat.errors import DomainError, InvalidInput, NotFound
from pitchaseat.i18n import gettext as _
from pitchaseat.listings.deps import StorageDep
from pitchaseat.listings.models import Listing
from pitchaseat.listings.pages.browse import BuyRefusal, render_game_page
from pitchaseat.orders import delivery, holds, lifecycle, messages
from pitchaseat.orders.actions import allowed_actions
from pitchaseat.orders.deps import HoldPolicyDep
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.pages.handoff import (
    delivery_from_form,
    field_errors,
    form_values,
    handoff_context,
    message_from_form,
    proof_from_form,
    shipment_from_form,
)
from pitchaseat.orders.schemas import DisputeRequest
from pitchaseat.orders.timeline import event_label
from pitchaseat.orders.workflows import cancellation, paying
from pitchaseat.orders.workflows.placing import place_hold
from pitchaseat.payments.models import PaymentStatus
from pitchaseat.payments.schemas import CardholderIn
from pitchaseat.reviews import service as reviews
from pitchaseat.reviews.schemas import ReviewIn
from pitchaseat.reviews.score import RatingPrior
from pitchaseat.runtime import AppServices
from pitchaseat.timeutil import utcnow
from pitchaseat.web.csrf import CsrfForm
from pitchaseat.web.deps import ServicesDep, SessionDep
from pitchaseat.web.forms import FormErrors, form_error
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


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


async def _owned(session: AsyncSession, order_id: int, user_id: int) -> Order:
    """The order with its history; anyone but its buyer and seller gets 404."""
    order = await holds.order_with_history(session, order_id)
    if order is None or user_id not in (order.buyer_id, order.seller_id):
        raise NotFound("No such order.")
    return order


@router.post("/listings/{listing_id}/buy")
async def buy(
    request: Request,
    listing_id: IdPath,
    user: SignedInPageUser,
    form: CsrfForm,
    services: ServicesDep,
    policy: HoldPolicyDep,
    storage: StorageDep,
) -> Response:
    quantity = _text(form, "quantity") or "1"
    try:
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
            idempotency_key=_text(form, "idempotency_key"),
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        # No dead end: the game page again, the reason beside the listing's Buy button.
        refused = BuyRefusal(listing_id, _(error.message), error.status)
        async with services.session_factory() as session:
            game_id = await session.scalar(select(Listing.game_id).where(Listing.id == listing_id))
            if game_id is None:
                raise NotFound("No such listing.") from error
            return await render_game_page(request, session, storage, game_id, refused=refused)
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
    is_buyer = viewer.id == order.buyer_id
    other = await session.get(User, order.seller_id if is_buyer else order.buyer_id)
    assert game is not None and listing is not None and other is not None
    settings = services.settings
    now = utcnow()
    review = await reviews.review_of_order(session, order.id)
    return {
        "order": order,
        "game": game,
        "listing": listing,
        "seat_shapes": seatmap.park_shapes(game.stadium.seat_areas),
        "other": other,
        "role": "buyer" if is_buyer else "seller",
        "timeline": [
            (event, event_label(event.action, for_seller=not is_buyer)) for event in order.events
        ],
        "ship_by": sales_close_at(game.starts_at),
        "holding": order.status is OrderStatus.pending_payment and order.hold_expires_at > now,
        "actions": allowed_actions(order, viewer.id, game, now),
        "payment_in_flight": order.charge_in_flight or order.refund_in_flight,
        "review": review,
        "can_review": is_buyer and order.status is OrderStatus.completed and review is None,
        **await handoff_context(session, order, viewer, services),
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
    viewer_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
    refused: FormErrors | None = None,
    form: FormData | None = None,
) -> Response:
    viewer = await session.get(User, viewer_id)
    assert viewer is not None
    order = await _owned(session, order_id, viewer_id)
    context = await _order_context(session, order, viewer, services)
    context["error"] = error
    context["form_values"] = form_values(form)
    context["errors"] = refused
    context["notice"] = request.query_params.get("done")
    return render(request, "orders/detail.html", context, status_code=status_code)


@router.get("/orders/{order_id}")
async def order_page(
    request: Request,
    order_id: IdPath,
    user: SignedInPageUser,
    session: SessionDep,
    services: ServicesDep,
) -> Response:
    return await _order_page(request, session, services, order_id, user.id)


@dataclass(frozen=True)
class ActionRequest:
    """One order action sent from the order page."""

    session: AsyncSession
    services: AppServices
    order_id: int
    user: User
    form: FormData

    def text(self, name: str) -> str | None:
        return _text(self.form, name)

    async def order(self) -> Order:
        return await _owned(self.session, self.order_id, self.user.id)


async def _pay(act: ActionRequest) -> str | None:
    cardholder = CardholderIn(
        name=act.text("name") or "",
        email=act.text("email") or "",
        phone_number=act.text("phone") or "",
    )
    # A workflow: it runs its own short transactions, this request holds none.
    services = act.services
    payment = await paying.pay_for_order(
        services.session_factory,
        services.payments,
        paying.PaySite.for_settings(services.settings),
        act.order_id,
        act.user.id,
        prime=act.text("prime") or "",
        cardholder=Cardholder(**cardholder.model_dump()),
        delivery=delivery_from_form(act.form),
    )
    if payment.status is PaymentStatus.unknown:
        return "pay_confirming"  # no answer from the bank yet: never told as a decline
    return None


async def _cancel(act: ActionRequest) -> str | None:
    await cancellation.cancel_order(
        act.services.session_factory,
        act.services.payments,
        act.order_id,
        act.user,
        reason=act.text("reason"),
    )
    return None


async def _ship(act: ActionRequest) -> str | None:
    # The proof photo is decoded first, with no transaction open.
    photo = await proof_from_form(act.form, act.session, act.services)
    order = await act.order()
    method = await delivery.delivery_method_of(act.session, order)
    shipment = shipment_from_form(act.form, method.value)
    storage = act.services.storage
    await lifecycle.ship(act.session, order, act.user.id, shipment, photo=photo, storage=storage)
    return None


async def _delivery(act: ActionRequest) -> str | None:
    details = delivery_from_form(act.form)
    await delivery.update_delivery(act.session, act.order_id, act.user.id, details)
    return None


async def _message(act: ActionRequest) -> str | None:
    body = message_from_form(act.form)
    await messages.check_rate(act.services.rate_limiter, act.user.id)
    await messages.post_message(act.session, await act.order(), act.user, body.body)
    return None


async def _confirm(act: ActionRequest) -> str | None:
    await lifecycle.confirm_receipt(act.session, await act.order(), act.user.id)
    return None


async def _dispute(act: ActionRequest) -> str | None:
    body = DisputeRequest(reason=act.text("reason") or "")
    await lifecycle.open_dispute(act.session, await act.order(), act.user.id, reason=body.reason)
    return None


async def _review(act: ActionRequest) -> str | None:
    rating = act.text("rating") or ""
    body = ReviewIn(rating=int(rating) if rating.isdigit() else 0, comment=act.text("comment"))
    settings = act.services.settings
    prior = RatingPrior(settings.rating_prior_mean, settings.rating_prior_weight)
    await reviews.rate_seller(
        act.session,
        await act.order(),
        act.user.id,
        rating=body.rating,
        comment=body.comment,
        prior=prior,
    )
    return None


# Each action returns what the page says it did, or None for its own name.
Perform = Callable[[ActionRequest], Awaitable[str | None]]
ACTIONS: dict[str, Perform] = {
    "pay": _pay,
    "cancel": _cancel,
    "ship": _ship,
    "confirm": _confirm,
    "dispute": _dispute,
    "review": _review,
    "delivery": _delivery,
    "message": _message,
}


def _action_route(name: str, perform: Perform) -> Any:
    async def route(
        request: Request,
        order_id: IdPath,
        user: SignedInPageUser,
        form: CsrfForm,
        session: SessionDep,
        services: ServicesDep,
    ) -> Response:
        """Runs the action; a refusal comes back on the order page with its message."""
        viewer_id = user.id  # read now: a rollback expires the loaded user
        try:
            done = await perform(ActionRequest(session, services, order_id, user, form)) or name
        except (DomainError, ValidationError) as error:
            await session.rollback()
            message, status = form_error(error)
            refused = field_errors(error)
            return await _order_page(
                request,
                session,
                services,
                order_id,
                viewer_id,
                error=refused.general or message,
                status_code=status,
                refused=refused,
                form=form,
            )
        anchor = "#messages" if name == "message" else ""
        return RedirectResponse(f"/orders/{order_id}?done={done}{anchor}", status_code=303)

    route.__name__ = f"order_{name}"
    return route


# One POST route per action, each with the same plumbing.
for _name, _perform in ACTIONS.items():
    router.add_api_route(
        f"/orders/{{order_id}}/{_name}", _action_route(_name, _perform), methods=["POST"]
    )


async def _orders_list(
    request: Request, session: AsyncSession, user: User, *, as_seller: bool
) -> Response:
    page = await holds.list_orders(session, user, as_seller=as_seller, limit=100)
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
async def my_purchases(request: Request, user: SignedInPageUser, session: SessionDep) -> Response:
    return await _orders_list(request, session, user, as_seller=False)


@router.get("/me/sales")
async def my_sales(request: Request, user: SignedInPageUser, session: SessionDep) -> Response:
    return await _orders_list(request, session, user, as_seller=True)

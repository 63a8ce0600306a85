"""Dashboard, listings (search, reports, take-down, restore) and users (search, story,
suspend, reinstate)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.admin import moderation, queries, reports
from pitchaseat.admin.deps import Operator
from pitchaseat.admin.pages.common import (
    back_to,
    console_router,
    page,
    reason_of,
    refused,
    text_field,
)
from pitchaseat.errors import DomainError, NotFound
from pitchaseat.ledger.service import payouts_due
from pitchaseat.monitoring import market
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.payments.models import Payment
from pitchaseat.timeutil import utcnow
from pitchaseat.web.csrf import CsrfForm
from pitchaseat.web.deps import SessionDep
from pitchaseat.web.forms import FormErrors
from pitchaseat.web.params import IdPath

router = console_router()


def _figure(figures: list[Any], name: str) -> int:
    return int(sum(figure.value for figure in figures if figure.name == name))


@router.get("")
async def dashboard(request: Request, session: SessionDep) -> Response:
    now = utcnow()
    charges = await market._charges(session, now)
    outbox = await market._outbox(session, now)
    disputes = await session.scalar(
        select(func.count(Order.id)).where(Order.status == OrderStatus.disputed)
    )
    due = await payouts_due(session)
    sales = await queries.today_sales(session)
    tiles = [
        ("reports", await reports.open_report_count(session), "/admin/listings?reported=1"),
        ("disputes", int(disputes or 0), "/admin/disputes"),
        ("payouts", len(due), "/admin/payouts"),
        ("emails", _figure(outbox, "pas_email_outbox_failed"), "/admin/emails"),
        ("charges", _figure(charges, "pas_charges_unanswered"), "/admin/charges"),
    ]
    context = {"tiles": tiles, "sales": sales, "due_total": sum(amount for _, amount in due)}
    return page(request, "dashboard.html", context)


@router.get("/charges")
async def unanswered_charges(request: Request, session: SessionDep) -> Response:
    """Charges still waiting for the bank's answer (the reconcile job settles them)."""
    rows = await session.execute(
        select(Payment.id, Payment.order_id, Payment.status, Payment.amount, Payment.created_at)
        .join(Order, Order.id == Payment.order_id)
        .where(Order.status == OrderStatus.pending_payment, Payment.status.in_(market.UNANSWERED))
        .order_by(Payment.created_at)
        .limit(100)
    )
    return page(request, "charges.html", {"charges": rows.all()})


LISTING_FIELDS = {"reason"}


async def _listings_page(
    request: Request,
    session: AsyncSession,
    errors: FormErrors | None = None,
    failed_id: int | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    params = request.query_params
    filters = {
        name: (params.get(name) or "").strip()[:100] for name in ("game_id", "seller_id", "q")
    }
    reported = params.get("reported") == "1"
    found = await queries.search_listings(
        session,
        game_id=int(filters["game_id"]) if filters["game_id"].isdigit() else None,
        seller_id=int(filters["seller_id"]) if filters["seller_id"].isdigit() else None,
        text=filters["q"] or None,
        reported_only=reported,
    )
    by_listing = await reports.open_reports_for(session, [listing.id for listing, _ in found])
    context = {
        "rows": found,
        "filters": filters,
        "reported": reported,
        "reports": by_listing,
        "errors": errors,
        "failed_id": failed_id,
        "values": values or {},
        "done": params.get("done"),
    }
    return page(request, "listings.html", context, errors)


@router.get("/listings")
async def listings(request: Request, session: SessionDep) -> Response:
    return await _listings_page(request, session)


async def _listing_action(
    request: Request, session: AsyncSession, listing_id: int, form: Any, action: Any, done: str
) -> Response:
    reason = text_field(form, "reason")
    try:
        await action(reason_of(form))
    except (ValidationError, DomainError) as error:
        errors = await refused(session, error, LISTING_FIELDS)
        return await _listings_page(request, session, errors, listing_id, {"reason": reason})
    back = text_field(form, "back")
    return back_to(back if back.startswith("/admin/") else f"/admin/listings?done={done}")


@router.post("/listings/{listing_id}/take-down")
async def take_down(
    request: Request, listing_id: IdPath, operator: Operator, session: SessionDep, form: CsrfForm
) -> Response:
    async def act(reason: str) -> None:
        await moderation.take_down(session, operator, listing_id, reason=reason)

    return await _listing_action(request, session, listing_id, form, act, "removed")


@router.post("/listings/{listing_id}/restore")
async def restore(
    request: Request, listing_id: IdPath, operator: Operator, session: SessionDep, form: CsrfForm
) -> Response:
    async def act(reason: str) -> None:
        await moderation.restore(session, operator, listing_id, reason=reason)

    return await _listing_action(request, session, listing_id, form, act, "restored")


@router.post("/listings/{listing_id}/dismiss")
async def dismiss(
    request: Request, listing_id: IdPath, operator: Operator, session: SessionDep, form: CsrfForm
) -> Response:
    async def act(reason: str) -> None:
        await moderation.dismiss_reports(session, operator, listing_id, reason=reason)

    return await _listing_action(request, session, listing_id, form, act, "dismissed")


@router.get("/users")
async def users(request: Request, session: SessionDep) -> Response:
    text = (request.query_params.get("q") or "").strip()[:100]
    found = await queries.search_users(session, text or None)
    return page(request, "users.html", {"users": found, "q": text})


async def _user_page(
    request: Request,
    session: AsyncSession,
    user_id: int,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    user = await session.get(User, user_id, populate_existing=True)
    if user is None:
        raise NotFound("No such user.")
    story = await queries.user_story(session, user)
    context = {
        "story": story,
        "person": user,
        "errors": errors,
        "values": values or {},
        "done": request.query_params.get("done"),
    }
    return page(request, "user.html", context, errors)


@router.get("/users/{user_id}")
async def user_detail(request: Request, user_id: IdPath, session: SessionDep) -> Response:
    return await _user_page(request, session, user_id)


@router.post("/users/{user_id}/{move}")
async def user_move(
    request: Request,
    user_id: IdPath,
    move: str,
    operator: Operator,
    session: SessionDep,
    form: CsrfForm,
) -> Response:
    moves = {"suspend": moderation.suspend, "reinstate": moderation.reinstate}
    if move not in moves:
        raise NotFound()
    try:
        await moves[move](session, operator, user_id, reason=reason_of(form))
    except (ValidationError, DomainError) as error:
        errors = await refused(session, error, {"reason"})
        return await _user_page(
            request, session, user_id, errors, {"reason": text_field(form, "reason")}
        )
    return back_to(f"/admin/users/{user_id}?done={move}")

"""Disputes (order, timeline and both sides' evidence side by side; resolve) and payouts
(who is owed what, record a bank transfer, the file for the bank)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.admin import evidence, money, settling
from pitchaseat.admin.deps import Operator
from pitchaseat.admin.pages.common import back_to, console_router, page, text_field
from pitchaseat.admin.presenters import evidence_out
from pitchaseat.admin.schemas import PayoutCreate, ResolveBody
from pitchaseat.db import release_connection, rollback
from pitchaseat.errors import DomainError, NotFound
from pitchaseat.listings.deps import StorageDep
from pitchaseat.orders.handoff_view import handoff_view
from pitchaseat.orders.holds import order_with_history
from pitchaseat.orders.messages import list_messages
from pitchaseat.orders.models import OrderStatus as S
from pitchaseat.orders.timeline import event_label
from pitchaseat.web.csrf import CsrfForm
from pitchaseat.web.deps import ServicesDep, SessionDep
from pitchaseat.web.forms import FormErrors
from pitchaseat.web.params import IdPath

router = console_router()


@router.get("/disputes")
async def disputes(request: Request, session: SessionDep, storage: StorageDep) -> Response:
    found = await evidence.open_disputes(session, limit=100)
    return page(request, "disputes.html", {"found": found})


async def _dispute_page(
    request: Request,
    session: AsyncSession,
    storage: StorageDep,
    order_id: int,
    operator: User,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    order = await order_with_history(session, order_id)
    if order is None:
        raise NotFound("No such order.")
    people = {
        user.id: user
        for user in await session.scalars(
            select(User).where(User.id.in_([order.buyer_id, order.seller_id]))
        )
    }
    items = (await evidence.evidence_by_order(session, [order.id])).get(order.id, [])
    shown = [evidence_out(item, order, storage) for item in items]
    # What the two wrote to each other and how the tickets were to reach the buyer: the
    # operator's view of them is the one rule in orders.guards (only while disputed).
    handoff = await handoff_view(session, order, operator, storage)
    messages = (await list_messages(session, order.id)).items if order.status is S.disputed else []
    context = {
        "order": order,
        "buyer": people.get(order.buyer_id),
        "seller": people.get(order.seller_id),
        "timeline": [(event, event_label(event.action)) for event in order.events],
        "handoff": handoff,
        "messages": messages,
        "buyer_evidence": [item for item in shown if item.role == "buyer"],
        "seller_evidence": [item for item in shown if item.role == "seller"],
        "errors": errors,
        "values": values or {},
        "done": request.query_params.get("done"),
    }
    return page(request, "dispute.html", context, errors)


@router.get("/disputes/{order_id}")
async def dispute(
    request: Request,
    order_id: IdPath,
    operator: Operator,
    session: SessionDep,
    storage: StorageDep,
) -> Response:
    return await _dispute_page(request, session, storage, order_id, operator)


@router.post("/disputes/{order_id}/resolve")
async def resolve(
    request: Request,
    order_id: IdPath,
    operator: Operator,
    session: SessionDep,
    services: ServicesDep,
    storage: StorageDep,
    form: CsrfForm,
) -> Response:
    values = {"outcome": text_field(form, "outcome"), "note": text_field(form, "note")}
    # The workflow owns its transactions: this request's own session holds none meanwhile.
    await release_connection(session)
    try:
        body = ResolveBody.model_validate(values)
        await settling.resolve(
            services.session_factory,
            services.payments,
            operator.id,
            order_id,
            outcome=body.outcome,
            note=body.note,
        )
    except (ValidationError, DomainError) as error:
        await rollback(session)
        errors = FormErrors.of(error, known=frozenset(values))
        return await _dispute_page(request, session, storage, order_id, operator, errors, values)
    return back_to(f"/admin/disputes/{order_id}?done={body.outcome.value}")


async def _payouts_page(
    request: Request,
    session: AsyncSession,
    errors: FormErrors | None = None,
    failed_id: int | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    context = {
        "due": await money.sellers_due(session),
        "errors": errors,
        "failed_id": failed_id,
        "values": values or {},
        "done": request.query_params.get("done"),
    }
    return page(request, "payouts.html", context, errors)


@router.get("/payouts")
async def payouts(request: Request, session: SessionDep) -> Response:
    return await _payouts_page(request, session)


@router.post("/payouts")
async def record_payout(
    request: Request, operator: Operator, session: SessionDep, form: CsrfForm
) -> Response:
    values = {name: text_field(form, name) for name in ("seller_id", "amount", "reference")}
    seller_id = int(values["seller_id"]) if values["seller_id"].isdigit() else None
    try:
        body = PayoutCreate.model_validate(values)
        await money.record_payout(
            session,
            operator,
            seller_id=body.seller_id,
            amount=body.amount,
            reference=body.reference,
        )
    except (ValidationError, DomainError) as error:
        await rollback(session)
        errors = FormErrors.of(
            error,
            known=frozenset({"amount", "reference"}),
            rename={"payout_above_balance": "amount"},
        )
        if isinstance(error, DomainError) and error.code in (
            "payout_above_balance",
            "nothing_to_pay",
            "payout_not_positive",
        ):
            errors = FormErrors(fields={"amount": errors.general or ""}, status=error.status)
        elif isinstance(error, DomainError) and error.code == "payout_already_recorded":
            errors = FormErrors(fields={"reference": errors.general or ""}, status=error.status)
        return await _payouts_page(request, session, errors, seller_id, values)
    return back_to("/admin/payouts?done=paid")

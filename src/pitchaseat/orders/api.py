from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, status

from pitchaseat.accounts.deps import CurrentUser
from pitchaseat.listings.deps import ListingPagesDep
from pitchaseat.orders import lifecycle, service
from pitchaseat.orders.deps import HoldPolicyDep, OwnedOrder
from pitchaseat.orders.models import OrderStatus
from pitchaseat.orders.placing import place_hold
from pitchaseat.orders.schemas import (
    DisputeRequest,
    OrderCreate,
    OrderOut,
    ShipRequest,
)
from pitchaseat.web.deps import ServicesDep, SessionDep
from pitchaseat.web.openapi import error_responses
from pitchaseat.web.pagination import Page, PageDep

router = APIRouter(prefix="/api/v1", tags=["orders"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=100,
        description="Repeat the same key to get the first result instead of a second order.",
    ),
]


@router.post(
    "/orders",
    status_code=status.HTTP_201_CREATED,
    response_model=OrderOut,
    responses=error_responses(401, 403, 404, 409, 422, 429),
)
async def create_order(
    body: OrderCreate,
    buyer: CurrentUser,
    services: ServicesDep,
    policy: HoldPolicyDep,
    pages: ListingPagesDep,
    idempotency_key: IdempotencyKey = None,
) -> OrderOut:
    order = await place_hold(
        services.session_factory,
        services.rate_limiter,
        services.settings.holds_per_user,
        buyer,
        listing_id=body.listing_id,
        quantity=body.quantity,
        policy=policy,
        idempotency_key=idempotency_key,
        cache=pages,
    )
    return OrderOut.model_validate(order)


@router.get("/orders", response_model=Page[OrderOut], responses=error_responses(401, 422))
async def list_orders(
    user: CurrentUser,
    session: SessionDep,
    page: PageDep,
    role: Literal["buyer", "seller"] = "buyer",
    status: OrderStatus | None = None,
) -> Page[OrderOut]:
    result = await service.list_orders(
        session,
        user,
        as_seller=role == "seller",
        status=status,
        offset=page.offset,
        limit=page.page_size,
    )
    return Page(
        items=[OrderOut.model_validate(order) for order in result.orders],
        page=page.page,
        page_size=page.page_size,
        total=result.total,
    )


@router.get("/orders/{order_id}", response_model=OrderOut, responses=error_responses(401, 404))
async def get_order(order: OwnedOrder) -> OrderOut:
    return OrderOut.model_validate(order)


@router.post(
    "/orders/{order_id}/ship",
    response_model=OrderOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def ship_order(
    order: OwnedOrder, body: ShipRequest, user: CurrentUser, session: SessionDep
) -> OrderOut:
    shipped = await lifecycle.ship(
        session,
        order,
        user.id,
        method=body.method.value,
        tracking_number=body.tracking_number,
        note=body.note,
    )
    return OrderOut.model_validate(shipped)


@router.post(
    "/orders/{order_id}/confirm",
    response_model=OrderOut,
    responses=error_responses(401, 403, 404, 409),
)
async def confirm_order(order: OwnedOrder, user: CurrentUser, session: SessionDep) -> OrderOut:
    return OrderOut.model_validate(await lifecycle.confirm_receipt(session, order, user.id))


@router.post(
    "/orders/{order_id}/dispute",
    response_model=OrderOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def dispute_order(
    order: OwnedOrder, body: DisputeRequest, user: CurrentUser, session: SessionDep
) -> OrderOut:
    disputed = await lifecycle.open_dispute(session, order, user.id, reason=body.reason)
    return OrderOut.model_validate(disputed)

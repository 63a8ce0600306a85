"""The operators' JSON API (every route behind ``current_operator``) and the two routes fans
use: reporting a listing and adding evidence to a dispute."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile, status
from sqlalchemy import select

from pitchaseat.accounts.deps import CurrentUser
from pitchaseat.accounts.models import User
from pitchaseat.admin import audit, evidence, games, moderation, money, reports, settling
from pitchaseat.admin.deps import Operator, current_operator
from pitchaseat.admin.errors import BadScheduleUpload
from pitchaseat.admin.models import ReportStatus
from pitchaseat.admin.presenters import audit_out, dispute_out, evidence_out, report_out
from pitchaseat.admin.schemas import (
    AuditOut,
    DisputeOut,
    EvidenceOut,
    GameChangeOut,
    ImportOut,
    Note,
    PayoutCreate,
    PayoutDueOut,
    PayoutOut,
    PostponeBody,
    ReasonBody,
    ReportCreate,
    ReportOut,
    ResolveBody,
    UserAdminOut,
)
from pitchaseat.db import release_connection
from pitchaseat.errors import NotFound
from pitchaseat.listings.deps import PhotoPipelineDep, StorageDep
from pitchaseat.listings.models import Listing
from pitchaseat.listings.photos import MAX_UPLOAD_BYTES
from pitchaseat.listings.presenters import listing_out
from pitchaseat.listings.schemas import ListingOut
from pitchaseat.orders.game_changes import GameChange
from pitchaseat.orders.models import Order
from pitchaseat.orders.schemas import OrderOut
from pitchaseat.web.deps import ServicesDep, SessionDep, SettingsDep
from pitchaseat.web.openapi import error_responses
from pitchaseat.web.pagination import Page, PageDep
from pitchaseat.web.params import IdPath

fans = APIRouter(prefix="/api/v1", tags=["reports"])
router = APIRouter(prefix="/api/v1/admin", tags=["admin"], dependencies=[Depends(current_operator)])
MAX_SCHEDULE_BYTES = 2 * 1024 * 1024


@fans.post(
    "/listings/{listing_id}/reports",
    status_code=status.HTTP_201_CREATED,
    response_model=ReportOut,
    responses=error_responses(401, 403, 404, 409, 422, 429),
)
async def report_listing(
    listing_id: IdPath,
    body: ReportCreate,
    user: CurrentUser,
    session: SessionDep,
    services: ServicesDep,
    settings: SettingsDep,
) -> ReportOut:
    report = await reports.report_listing(
        session,
        user,
        listing_id,
        reason=body.reason,
        note=body.note,
        limiter=services.rate_limiter,
        rule=settings.listing_reports_per_user,
    )
    listing = await session.get(Listing, listing_id)
    assert listing is not None
    return report_out(report, listing)


@fans.post(
    "/orders/{order_id}/evidence",
    status_code=status.HTTP_201_CREATED,
    response_model=EvidenceOut,
    responses=error_responses(401, 403, 404, 409, 413, 415, 422),
)
async def add_evidence(
    order_id: IdPath,
    note: Annotated[Note, Form()],
    user: CurrentUser,
    session: SessionDep,
    storage: StorageDep,
    photos: PhotoPipelineDep,
    file: Annotated[UploadFile | None, File(description="JPEG, PNG or WebP, at most 8 MiB")] = None,
) -> EvidenceOut:
    photo = None
    if file is not None and file.filename:
        data = await file.read(MAX_UPLOAD_BYTES + 1)
        # Decoded with no transaction open, exactly as listing photos are.
        await release_connection(session)
        photo = await photos.process(data)
    added = await evidence.add_evidence(
        session, user, order_id, note=note, photo=photo, storage=storage
    )
    order = await session.get(Order, order_id)
    assert order is not None
    return evidence_out(added, order, storage)


@router.get("/reports", response_model=Page[ReportOut], responses=error_responses(404, 422))
async def list_reports(
    session: SessionDep, page: PageDep, status: ReportStatus = ReportStatus.open
) -> Page[ReportOut]:
    found = await reports.list_reports(
        session, status=status, offset=page.offset, limit=page.page_size
    )
    listings = {
        listing.id: listing
        for listing in await session.scalars(
            select(Listing).where(Listing.id.in_([r.listing_id for r in found.reports]))
        )
    }
    return Page(
        items=[report_out(r, listings[r.listing_id]) for r in found.reports],
        page=page.page,
        page_size=page.page_size,
        total=found.total,
    )


@router.post(
    "/listings/{listing_id}/take-down",
    response_model=ListingOut,
    responses=error_responses(404, 409, 422),
)
async def take_down(
    listing_id: IdPath,
    body: ReasonBody,
    operator: Operator,
    session: SessionDep,
    storage: StorageDep,
) -> ListingOut:
    listing = await moderation.take_down(session, operator, listing_id, reason=body.reason)
    return listing_out(listing, storage)


@router.post(
    "/listings/{listing_id}/restore",
    response_model=ListingOut,
    responses=error_responses(404, 409, 422),
)
async def restore(
    listing_id: IdPath,
    body: ReasonBody,
    operator: Operator,
    session: SessionDep,
    storage: StorageDep,
) -> ListingOut:
    listing = await moderation.restore(session, operator, listing_id, reason=body.reason)
    return listing_out(listing, storage)


@router.post(
    "/users/{user_id}/suspend",
    response_model=UserAdminOut,
    responses=error_responses(404, 409, 422),
)
async def suspend(
    user_id: IdPath, body: ReasonBody, operator: Operator, session: SessionDep
) -> UserAdminOut:
    user = await moderation.suspend(session, operator, user_id, reason=body.reason)
    return UserAdminOut.model_validate(user)


@router.post(
    "/users/{user_id}/reinstate",
    response_model=UserAdminOut,
    responses=error_responses(404, 409, 422),
)
async def reinstate(
    user_id: IdPath, body: ReasonBody, operator: Operator, session: SessionDep
) -> UserAdminOut:
    user = await moderation.reinstate(session, operator, user_id, reason=body.reason)
    return UserAdminOut.model_validate(user)


@router.get("/disputes", response_model=Page[DisputeOut], responses=error_responses(404, 422))
async def list_disputes(
    session: SessionDep, page: PageDep, storage: StorageDep
) -> Page[DisputeOut]:
    found = await evidence.open_disputes(session, offset=page.offset, limit=page.page_size)
    return Page(
        items=[dispute_out(o, found.evidence.get(o.id, []), storage) for o in found.orders],
        page=page.page,
        page_size=page.page_size,
        total=found.total,
    )


@router.post(
    "/orders/{order_id}/resolve",
    response_model=OrderOut,
    responses=error_responses(402, 404, 409, 422),
)
async def resolve(
    order_id: IdPath, body: ResolveBody, operator: Operator, services: ServicesDep
) -> OrderOut:
    # A workflow: it owns its transactions (the gateway is asked between them).
    order = await settling.resolve(
        services.session_factory,
        services.payments,
        operator.id,
        order_id,
        outcome=body.outcome,
        note=body.note,
    )
    return OrderOut.model_validate(order)


@router.get("/payouts", response_model=list[PayoutDueOut], responses=error_responses(404))
async def payouts_due(session: SessionDep) -> list[PayoutDueOut]:
    return [
        PayoutDueOut(
            seller_id=row.seller_id,
            display_name=row.display_name,
            available=row.available,
            pending=row.pending,
            masked_payout_account=row.masked_account,
        )
        for row in await money.sellers_due(session)
    ]


@router.get("/payouts.csv", responses=error_responses(404))
async def payouts_csv(session: SessionDep) -> Response:
    body = money.bank_csv(await money.sellers_due(session))
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="payouts-due.csv"'},
    )


@router.post(
    "/payouts",
    status_code=status.HTTP_201_CREATED,
    response_model=PayoutOut,
    responses=error_responses(404, 409, 422),
)
async def record_payout(body: PayoutCreate, operator: Operator, session: SessionDep) -> PayoutOut:
    payout = await money.record_payout(
        session, operator, seller_id=body.seller_id, amount=body.amount, reference=body.reference
    )
    return PayoutOut(
        id=payout.id,
        seller_id=payout.seller_id,
        amount=payout.amount,
        reference=payout.reference,
        paid_at=payout.created_at,
    )


@router.post(
    "/games/{game_id}/postpone",
    response_model=GameChangeOut,
    responses=error_responses(404, 409, 422),
)
async def postpone_game(
    game_id: IdPath, body: PostponeBody, operator: Operator, session: SessionDep
) -> GameChangeOut:
    change = await games.postpone(
        session, operator, game_id, makeup_starts_at=body.makeup_starts_at, reason=body.reason
    )
    return _change_out(change)


@router.post(
    "/games/{game_id}/cancel",
    response_model=GameChangeOut,
    responses=error_responses(404, 409, 422),
)
async def cancel_game(
    game_id: IdPath, body: ReasonBody, operator: Operator, services: ServicesDep
) -> GameChangeOut:
    change = await settling.call_off_game(
        services.session_factory, services.payments, operator.id, game_id, reason=body.reason
    )
    return _change_out(change)


def _change_out(change: GameChange) -> GameChangeOut:
    return GameChangeOut(
        game_id=change.game_id,
        status=change.status.value,
        holds_released=change.holds_released,
        refunded=change.refunded,
        refund_failed=change.refund_failed,
    )


@router.post(
    "/games/import",
    status_code=status.HTTP_200_OK,
    response_model=ImportOut,
    responses=error_responses(404, 413, 422),
)
async def import_games(
    operator: Operator,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="Schedule CSV, see docs/schedule-csv.md")],
    dry_run: Annotated[bool, Query(description="Check every row, write nothing")] = False,
) -> ImportOut:
    text = decode_schedule(await file.read(MAX_SCHEDULE_BYTES + 1))
    if dry_run:
        result = await games.preview_schedule(session, text)
    else:
        result = await games.import_season(session, operator, text, file_name=file.filename or "")
    return ImportOut(created=result.created, dry_run=dry_run)


def decode_schedule(data: bytes) -> str:
    if len(data) > MAX_SCHEDULE_BYTES:
        raise BadScheduleUpload("The file is larger than 2 MiB.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadScheduleUpload() from error


@router.post("/emails/{email_id}/resend", status_code=204, responses=error_responses(404, 409))
async def resend_email(email_id: IdPath, operator: Operator, session: SessionDep) -> Response:
    await games.resend_email(session, operator, email_id)
    return Response(status_code=204)


@router.get("/audit", response_model=Page[AuditOut], responses=error_responses(404, 422))
async def audit_log(
    session: SessionDep,
    page: PageDep,
    actor_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
) -> Page[AuditOut]:
    found = await audit.list_entries(
        session, actor_id=actor_id, action=action, offset=page.offset, limit=page.page_size
    )
    return Page(
        items=[audit_out(entry) for entry in found.entries],
        page=page.page,
        page_size=page.page_size,
        total=found.total,
    )


@router.get("/users/{user_id}", response_model=UserAdminOut, responses=error_responses(404))
async def get_user(user_id: IdPath, session: SessionDep) -> UserAdminOut:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return UserAdminOut.model_validate(user)

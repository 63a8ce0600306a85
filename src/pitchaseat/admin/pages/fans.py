"""The forms fans use: report a listing (on the game page), add evidence to a dispute."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.datastructures import UploadFile

from pitchaseat.accounts.deps import SignedInPageUser, cookie_user
from pitchaseat.admin import evidence, reports
from pitchaseat.admin.pages.common import text_field
from pitchaseat.admin.presenters import evidence_out
from pitchaseat.admin.schemas import ReportCreate
from pitchaseat.db import release_connection, rollback
from pitchaseat.errors import DomainError, NotFound
from pitchaseat.listings.deps import PhotoPipelineDep, StorageDep
from pitchaseat.listings.models import Listing
from pitchaseat.listings.photos import MAX_UPLOAD_BYTES
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.web.csrf import CsrfForm
from pitchaseat.web.deps import ServicesDep, SessionDep, SettingsDep
from pitchaseat.web.forms import FormErrors
from pitchaseat.web.params import IdPath
from pitchaseat.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(cookie_user)])
REPORT_FIELDS = frozenset({"reason", "note"})


@router.post("/listings/{listing_id}/report")
async def report(
    request: Request,
    listing_id: IdPath,
    user: SignedInPageUser,
    session: SessionDep,
    services: ServicesDep,
    settings: SettingsDep,
    form: CsrfForm,
) -> Response:
    values = {name: text_field(form, name) for name in REPORT_FIELDS}
    game_id = await session.scalar(select(Listing.game_id).where(Listing.id == listing_id))
    if game_id is None:
        raise NotFound("No such listing.")
    try:
        body = ReportCreate.model_validate({**values, "note": values["note"] or None})
        await reports.report_listing(
            session,
            user,
            listing_id,
            reason=body.reason,
            note=body.note,
            limiter=services.rate_limiter,
            rule=settings.listing_reports_per_user,
        )
    except (ValidationError, DomainError) as error:
        await rollback(session)
        errors = FormErrors.of(error, known=REPORT_FIELDS)
        context = {"listing_id": listing_id, "game_id": game_id, "errors": errors, "values": values}
        return render(request, "admin/report.html", context, status_code=errors.status)
    return RedirectResponse(f"/games/{game_id}?reported={listing_id}", status_code=303)


async def _evidence_page(
    request: Request,
    session: SessionDep,
    storage: StorageDep,
    order: Order,
    viewer_id: int,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    items = (await evidence.evidence_by_order(session, [order.id])).get(order.id, [])
    context = {
        "order": order,
        "role": "buyer" if viewer_id == order.buyer_id else "seller",
        "items": [evidence_out(item, order, storage) for item in items],
        "open": order.status is OrderStatus.disputed,
        "errors": errors,
        "values": values or {},
        "added": request.query_params.get("added"),
    }
    return render(
        request, "admin/evidence.html", context, status_code=errors.status if errors else 200
    )


async def _party_order(session: SessionDep, order_id: int, viewer_id: int) -> Order:
    order = await session.get(Order, order_id, populate_existing=True)
    if order is None or viewer_id not in (order.buyer_id, order.seller_id):
        raise NotFound("No such order.")
    return order


@router.get("/orders/{order_id}/dispute")
async def evidence_page(
    request: Request,
    order_id: IdPath,
    user: SignedInPageUser,
    session: SessionDep,
    storage: StorageDep,
) -> Response:
    order = await _party_order(session, order_id, user.id)
    return await _evidence_page(request, session, storage, order, user.id)


@router.post("/orders/{order_id}/dispute/evidence")
async def add_evidence(
    request: Request,
    order_id: IdPath,
    user: SignedInPageUser,
    session: SessionDep,
    storage: StorageDep,
    photos: PhotoPipelineDep,
    form: CsrfForm,
) -> Response:
    values = {"note": text_field(form, "note")}
    upload = form.get("file")
    try:
        note = values["note"]
        if not note:
            raise ValidationError.from_exception_data(
                "evidence", [{"type": "missing", "loc": ("note",), "input": None}]
            )
        photo = None
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read(MAX_UPLOAD_BYTES + 1)
            await release_connection(session)
            photo = await photos.process(data)
        await evidence.add_evidence(
            session, user, order_id, note=note[:1000], photo=photo, storage=storage
        )
    except (ValidationError, DomainError) as error:
        await rollback(session)
        if isinstance(error, NotFound):
            raise
        errors = FormErrors.of(error, known=frozenset({"note", "file"}))
        if isinstance(error, DomainError) and error.code in (
            "unsupported_photo_type",
            "photo_too_large",
            "photo_dimensions_too_large",
        ):
            errors = FormErrors(fields={"file": errors.general or ""}, status=error.status)
        order = await _party_order(session, order_id, user.id)
        return await _evidence_page(request, session, storage, order, user.id, errors, values)
    return RedirectResponse(f"/orders/{order_id}/dispute?added=1", status_code=303)

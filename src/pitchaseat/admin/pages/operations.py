"""Games (postpone, call off, import a season with a preview), failed emails and the audit
log."""

from __future__ import annotations

from datetime import datetime

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from starlette.datastructures import UploadFile

from pitchaseat.admin import audit, games, settling
from pitchaseat.admin.api import decode_schedule
from pitchaseat.admin.deps import Operator
from pitchaseat.admin.pages.common import back_to, console_router, page, reason_of, text_field
from pitchaseat.admin.presenters import audit_out
from pitchaseat.catalog.models import Game, GameStatus
from pitchaseat.db import release_connection, rollback
from pitchaseat.errors import DomainError, InvalidInput
from pitchaseat.notifications.delivery import failed_emails
from pitchaseat.timeutil import TAIPEI, utcnow
from pitchaseat.web.csrf import CsrfForm
from pitchaseat.web.deps import ServicesDep, SessionDep
from pitchaseat.web.forms import FormErrors
from pitchaseat.web.params import IdPath

router = console_router()


async def _games_page(
    request: Request,
    session: AsyncSession,
    errors: FormErrors | None = None,
    failed_id: int | None = None,
    values: dict[str, str] | None = None,
    preview: dict[str, object] | None = None,
) -> Response:
    upcoming = await session.scalars(
        select(Game)
        .where(Game.starts_at >= utcnow(), Game.status != GameStatus.final)
        .options(joinedload(Game.home_team), joinedload(Game.away_team))
        .order_by(Game.starts_at, Game.id)
        .limit(60)
    )
    context = {
        "games": list(upcoming),
        "errors": errors,
        "failed_id": failed_id,
        "values": values or {},
        "preview": preview,
        "done": request.query_params.get("done"),
    }
    return page(request, "games.html", context, errors)


@router.get("/games")
async def games_page(request: Request, session: SessionDep) -> Response:
    return await _games_page(request, session)


def _makeup(text: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput("Enter the make-up date and time.", field="makeup") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=TAIPEI)


@router.post("/games/{game_id}/postpone")
async def postpone(
    request: Request, game_id: IdPath, operator: Operator, session: SessionDep, form: CsrfForm
) -> Response:
    values = {"reason": text_field(form, "reason"), "makeup": text_field(form, "makeup")}
    try:
        await games.postpone(
            session,
            operator,
            game_id,
            makeup_starts_at=_makeup(values["makeup"]),
            reason=reason_of(form),
        )
    except (ValidationError, DomainError) as error:
        await rollback(session)
        errors = FormErrors.of(error, known=frozenset({"reason", "makeup"}))
        return await _games_page(request, session, errors, game_id, values)
    return back_to("/admin/games?done=postponed")


@router.post("/games/{game_id}/cancel")
async def cancel(
    request: Request,
    game_id: IdPath,
    operator: Operator,
    session: SessionDep,
    services: ServicesDep,
    form: CsrfForm,
) -> Response:
    values = {"reason": text_field(form, "reason")}
    await release_connection(session)
    try:
        await settling.call_off_game(
            services.session_factory,
            services.payments,
            operator.id,
            game_id,
            reason=reason_of(form),
        )
    except (ValidationError, DomainError) as error:
        await rollback(session)
        errors = FormErrors.of(error, known=frozenset({"reason"}))
        return await _games_page(request, session, errors, game_id, values)
    return back_to("/admin/games?done=cancelled")


@router.post("/games/import")
async def import_schedule(
    request: Request, operator: Operator, session: SessionDep, form: CsrfForm
) -> Response:
    """Without ``confirmed`` the file is only checked (every bad row listed, nothing
    written); the preview page sends the same text back to import it."""
    upload = form.get("file")
    try:
        if isinstance(upload, UploadFile) and upload.filename:
            text = decode_schedule(await upload.read(2 * 1024 * 1024 + 1))
            name = upload.filename
        else:
            text, name = text_field(form, "csv_text"), text_field(form, "file_name")
        if not text:
            raise InvalidInput("Choose a CSV file.", field="file")
        if form.get("confirmed") == "1":
            result = await games.import_season(session, operator, text, file_name=name)
            return back_to(f"/admin/games?done=imported&count={result.created}")
        result = await games.preview_schedule(session, text)
    except DomainError as error:
        await rollback(session)
        rows = error.details.get("errors") or []
        errors = FormErrors.of(error, known=frozenset({"file"}))
        return await _games_page(request, session, errors, None, {}, {"rows": rows})
    preview = {"created": result.created, "csv_text": text, "file_name": name}
    return await _games_page(request, session, preview=preview)


@router.get("/emails")
async def emails(request: Request, session: SessionDep) -> Response:
    found = await failed_emails(session)
    return page(request, "emails.html", {"emails": found, "done": request.query_params.get("done")})


@router.post("/emails/{email_id}/resend")
async def resend(
    request: Request, email_id: IdPath, operator: Operator, session: SessionDep, form: CsrfForm
) -> Response:
    await games.resend_email(session, operator, email_id)
    return back_to("/admin/emails?done=resent")


@router.get("/audit")
async def audit_page(request: Request, session: SessionDep) -> Response:
    params = request.query_params
    actor = (params.get("actor_id") or "").strip()
    action = (params.get("action") or "").strip()[:40]
    page_number = int(params["page"]) if (params.get("page") or "").isdigit() else 1
    page_number = max(1, min(page_number, 100_000))
    found = await audit.list_entries(
        session,
        actor_id=int(actor) if actor.isdigit() and len(actor) < 10 else None,
        action=action or None,
        offset=(page_number - 1) * 50,
        limit=50,
    )
    context = {
        "entries": [audit_out(entry) for entry in found.entries],
        "total": found.total,
        "page_number": page_number,
        "actor_id": actor,
        "action": action,
        "actions": [member.value for member in audit.Action],
    }
    return page(request, "audit.html", context)

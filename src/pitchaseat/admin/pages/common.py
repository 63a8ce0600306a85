"""What every console page shares: the guarded router, the reason field, refusals."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

from pitchaseat.admin.deps import current_operator
from pitchaseat.admin.schemas import ReasonBody
from pitchaseat.db import rollback
from pitchaseat.errors import DomainError
from pitchaseat.web.forms import FormErrors
from pitchaseat.web.templating import render


def console_router() -> APIRouter:
    return APIRouter(
        prefix="/admin", include_in_schema=False, dependencies=[Depends(current_operator)]
    )


def text_field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def reason_of(form: FormData) -> str:
    """The operator's reason, checked as the API checks it (empty is refused)."""
    return ReasonBody(reason=text_field(form, "reason")).reason


async def refused(
    session: AsyncSession, error: DomainError | ValidationError, known: set[str]
) -> FormErrors:
    await rollback(session)
    return FormErrors.of(error, known=frozenset(known))


def back_to(path: str) -> Response:
    return RedirectResponse(path, status_code=303)


def page(
    request: Request, template: str, context: dict[str, Any], errors: FormErrors | None = None
) -> Response:
    status = errors.status if errors else 200
    return render(request, f"admin/{template}", context, status_code=status)

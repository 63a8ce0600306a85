"""The seller's money page: pending, available and paid-out sums, the payout history, and
the bank account payouts go to (shown by its last four digits only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.deps import SignedInPageUser, cookie_user
from pitchaseat.accounts.models import User
from pitchaseat.db import rollback
from pitchaseat.errors import DomainError
from pitchaseat.ledger.payout_accounts import NewPayoutAccount, payout_account, set_payout_account
from pitchaseat.ledger.schemas import PayoutAccountIn
from pitchaseat.ledger.service import payout_history, seller_balance
from pitchaseat.settings import Settings
from pitchaseat.web.csrf import require_form_csrf
from pitchaseat.web.deps import SessionDep, SettingsDep
from pitchaseat.web.forms import FormErrors
from pitchaseat.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(cookie_user)])
MONEY_PATH = "/me/money"
ACCOUNT_FIELDS = frozenset({"bank_code", "account_number", "account_name"})
HISTORY_SHOWN = 50


async def _money_page(
    request: Request,
    session: AsyncSession,
    user: User,
    settings: Settings,
    *,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
) -> Response:
    balance = await seller_balance(session, user.id)
    payouts, total = await payout_history(session, user.id, limit=HISTORY_SHOWN)
    context: dict[str, Any] = {
        "balance": balance,
        "payouts": payouts,
        "payout_total": total,
        "account": await payout_account(session, user.id),
        "fee_percent": f"{settings.seller_fee_bps / 100:g}",
        "email_verified": user.email_verified,
        "values": values or {},
        "errors": errors,
        "saved": request.query_params.get("saved") == "1",
    }
    status = errors.status if errors else 200
    return render(request, "ledger/money.html", context, status_code=status)


@router.get(MONEY_PATH)
async def money_page(
    request: Request, user: SignedInPageUser, session: SessionDep, settings: SettingsDep
) -> Response:
    return await _money_page(request, session, user, settings)


@router.post(f"{MONEY_PATH}/account")
async def save_account(
    request: Request, user: SignedInPageUser, session: SessionDep, settings: SettingsDep
) -> Response:
    form = await request.form()
    require_form_csrf(request, form.get("csrf_token"))
    values = {name: str(form.get(name) or "")[:80] for name in ACCOUNT_FIELDS}
    try:
        body = PayoutAccountIn(**values)
        await set_payout_account(
            session,
            user.id,
            NewPayoutAccount(body.bank_code, body.account_number, body.account_name),
            secret_key=settings.secret_key,
        )
    except (ValidationError, DomainError) as error:
        await rollback(session)
        await session.refresh(user)
        errors = FormErrors.of(error, known=ACCOUNT_FIELDS)
        return await _money_page(request, session, user, settings, values=values, errors=errors)
    return RedirectResponse(f"{MONEY_PATH}?saved=1#account", status_code=303)

"""A seller's money: held in escrow, available, paid out."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from pitchaseat.accounts.deps import CurrentUser
from pitchaseat.ledger.payout_accounts import NewPayoutAccount, payout_account, set_payout_account
from pitchaseat.ledger.schemas import PayoutAccountIn, PayoutAccountOut, PayoutOut
from pitchaseat.ledger.service import payout_history, seller_balance
from pitchaseat.paging import Page
from pitchaseat.web.deps import ServicesDep, SessionDep, SettingsDep
from pitchaseat.web.openapi import error_responses
from pitchaseat.web.pagination import PageDep

router = APIRouter(prefix="/api/v1", tags=["money"])


class BalanceOut(BaseModel):
    pending: int = Field(description="Held in escrow for your open sales (TWD, before the fee)")
    available: int = Field(description="Earned and waiting for the next payout (TWD)")
    paid_out: int = Field(description="Sent to your bank so far (TWD)")
    seller_fee_percent: float = Field(description="The platform fee on a sale, taken at payout")


@router.get("/me/balance", response_model=BalanceOut, responses=error_responses(401))
async def my_balance(user: CurrentUser, session: SessionDep, services: ServicesDep) -> BalanceOut:
    balance = await seller_balance(session, user.id)
    return BalanceOut(
        pending=balance.pending,
        available=balance.available,
        paid_out=balance.paid_out,
        seller_fee_percent=services.settings.seller_fee_bps / 100,
    )


@router.get("/me/payouts", response_model=Page[PayoutOut], responses=error_responses(401, 422))
async def my_payouts(user: CurrentUser, session: SessionDep, page: PageDep) -> Page[PayoutOut]:
    payouts, total = await payout_history(
        session, user.id, offset=page.offset, limit=page.page_size
    )
    return Page[PayoutOut](
        items=[
            PayoutOut(id=p.id, amount=p.amount, reference=p.reference, paid_at=p.created_at)
            for p in payouts
        ],
        page=page.page,
        page_size=page.page_size,
        total=total,
    )


@router.get(
    "/me/payout-account", response_model=PayoutAccountOut | None, responses=error_responses(401)
)
async def my_payout_account(user: CurrentUser, session: SessionDep) -> PayoutAccountOut | None:
    """The bank account payouts go to (its number's last four digits only), or null."""
    account = await payout_account(session, user.id)
    return PayoutAccountOut.model_validate(account) if account is not None else None


@router.put(
    "/me/payout-account", response_model=PayoutAccountOut, responses=error_responses(401, 422)
)
async def put_payout_account(
    body: PayoutAccountIn, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> PayoutAccountOut:
    """Sets the bank account payouts go to; the full number is never shown again."""
    account = await set_payout_account(
        session,
        user.id,
        NewPayoutAccount(body.bank_code, body.account_number, body.account_name),
        secret_key=settings.secret_key,
    )
    return PayoutAccountOut.model_validate(account)

"""A seller's money: held in escrow, available, paid out."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from pitchaseat.accounts.deps import CurrentUser
from pitchaseat.ledger.service import seller_balance
from pitchaseat.web.deps import ServicesDep, SessionDep
from pitchaseat.web.openapi import error_responses

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

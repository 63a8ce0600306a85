"""Paying sellers: who is owed what (from the ledger), recording a bank transfer, and the
file for the bank."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.admin import audit
from pitchaseat.admin.audit import Action
from pitchaseat.errors import Conflict, NotFound
from pitchaseat.ledger.models import Payout
from pitchaseat.ledger.payout_accounts import payout_account
from pitchaseat.ledger.service import mark_payout_paid, payouts_due, seller_balance


class PayoutAlreadyRecorded(Conflict):
    code = "payout_already_recorded"
    default_message = "A payout with this bank reference is already recorded for this seller."


async def masked_payout_account(session: AsyncSession, seller_id: int) -> str | None:
    """The seller's payout bank account as shown to operators: the bank code, the last four
    digits and the name on the account, never the whole number."""
    account = await payout_account(session, seller_id)
    if account is None:
        return None
    return f"{account.bank_code} ···{account.account_number_last4} {account.account_name}"


@dataclass(frozen=True)
class SellerDue:
    seller_id: int
    display_name: str
    email: str
    available: int
    pending: int
    masked_account: str | None


async def sellers_due(session: AsyncSession) -> list[SellerDue]:
    due = await payouts_due(session)
    if not due:
        return []
    people = {
        user.id: user
        for user in await session.scalars(select(User).where(User.id.in_([s for s, _ in due])))
    }
    found = []
    for seller_id, available in due:
        balance = await seller_balance(session, seller_id)
        person = people[seller_id]
        found.append(
            SellerDue(
                seller_id=seller_id,
                display_name=person.display_name,
                email=person.email,
                available=available,
                pending=balance.pending,
                masked_account=await masked_payout_account(session, seller_id),
            )
        )
    return found


async def record_payout(
    session: AsyncSession, operator: User, *, seller_id: int, amount: int, reference: str
) -> Payout:
    """Never more than the seller's available balance; the seller's row is locked first, so
    two payouts recorded at once are taken in turn and the second sees what the first left."""
    locked = await session.scalar(select(User.id).where(User.id == seller_id).with_for_update())
    if locked is None:
        raise NotFound("No such seller.")
    twin = await session.scalar(
        select(Payout.id).where(Payout.seller_id == seller_id, Payout.reference == reference)
    )
    if twin is not None:
        raise PayoutAlreadyRecorded()
    payout = await mark_payout_paid(session, seller_id, reference=reference, amount=amount)
    await audit.record(
        session,
        operator.id,
        Action.payout_recorded,
        target_type="payout",
        target_id=payout.id,
        reason=reference,
        data={"seller_id": seller_id, "amount": payout.amount},
    )
    return payout


def bank_csv(rows: list[SellerDue]) -> str:
    """One line per seller owed money, for the bank's batch transfer."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["seller_id", "name", "email", "amount_twd", "payout_account"])
    for row in rows:
        writer.writerow(
            [
                row.seller_id,
                _cell(row.display_name),
                row.email,
                row.available,
                row.masked_account or "",
            ]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    # A spreadsheet would run a cell starting with = + - @ as a formula.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text

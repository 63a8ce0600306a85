"""Booking money movements and reading balances.

Each movement is a set of entries that sums to zero, written in the same transaction as the
order change that causes it, so the book and the orders can never disagree.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.guards import require_verified_email
from pitchaseat.accounts.models import User
from pitchaseat.errors import NotFound
from pitchaseat.ledger.errors import (
    NoPayoutAccount,
    NothingToPay,
    PayoutAboveBalance,
    PayoutNotPositive,
)
from pitchaseat.ledger.models import Account, EntryKind, LedgerEntry, Payout, PayoutAccount
from pitchaseat.notifications.events import notify_payout

BASIS_POINTS = 10_000


def seller_fee(amount: int, fee_bps: int) -> int:
    """The platform's cut of a sale, rounded half up to a whole dollar."""
    return (amount * fee_bps + BASIS_POINTS // 2) // BASIS_POINTS


@dataclass(frozen=True)
class OrderMoney:
    order_id: int
    seller_id: int
    amount: int
    fee_bps: int


def _book(
    session: AsyncSession,
    kind_by_leg: list[tuple[EntryKind, Account, int, int | None]],
    *,
    order_id: int | None = None,
    payout_id: int | None = None,
) -> None:
    assert sum(amount for _, _, amount, _ in kind_by_leg) == 0, "a movement must balance"
    movement = uuid.uuid4().hex
    session.add_all(
        LedgerEntry(
            movement=movement,
            kind=kind,
            account=account,
            amount=amount,
            seller_id=seller_id,
            order_id=order_id,
            payout_id=payout_id,
        )
        for kind, account, amount, seller_id in kind_by_leg
    )


def book_charge(session: AsyncSession, order: OrderMoney) -> None:
    """The buyer paid: the money is held in escrow for this order."""
    _book(
        session,
        [
            (EntryKind.charge, Account.buyer_cards, -order.amount, None),
            (EntryKind.charge, Account.escrow, order.amount, order.seller_id),
        ],
        order_id=order.order_id,
    )


def book_completion(session: AsyncSession, order: OrderMoney) -> None:
    """The buyer has the tickets: escrow is released to the seller, less the platform fee."""
    fee = seller_fee(order.amount, order.fee_bps)
    _book(
        session,
        [
            (EntryKind.payout_due, Account.escrow, -order.amount, order.seller_id),
            (EntryKind.payout_due, Account.seller_payable, order.amount - fee, order.seller_id),
            (EntryKind.fee, Account.platform_fees, fee, order.seller_id),
        ],
        order_id=order.order_id,
    )


def book_refund(session: AsyncSession, order: OrderMoney) -> None:
    """The sale failed: the held money goes back to the buyer's card in full."""
    _book(
        session,
        [
            (EntryKind.refund, Account.escrow, -order.amount, order.seller_id),
            (EntryKind.refund, Account.buyer_cards, order.amount, None),
        ],
        order_id=order.order_id,
    )


@dataclass(frozen=True)
class SellerBalance:
    seller_id: int
    pending: int  # held in escrow for the seller's open orders (before the fee)
    available: int  # earned and not yet paid out
    paid_out: int


async def seller_balance(session: AsyncSession, seller_id: int) -> SellerBalance:
    rows = await session.execute(
        select(LedgerEntry.account, func.sum(LedgerEntry.amount))
        .where(
            LedgerEntry.seller_id == seller_id,
            LedgerEntry.account.in_((Account.escrow, Account.seller_payable, Account.seller_bank)),
        )
        .group_by(LedgerEntry.account)
    )
    sums = {Account(account): int(total or 0) for account, total in rows.all()}
    return SellerBalance(
        seller_id=seller_id,
        pending=sums.get(Account.escrow, 0),
        available=sums.get(Account.seller_payable, 0),
        paid_out=sums.get(Account.seller_bank, 0),
    )


async def payouts_due(session: AsyncSession) -> list[tuple[int, int]]:
    """(seller id, amount) for every seller with money available, largest first."""
    total = func.sum(LedgerEntry.amount)
    rows = await session.execute(
        select(LedgerEntry.seller_id, total)
        .where(LedgerEntry.account == Account.seller_payable)
        .group_by(LedgerEntry.seller_id)
        .having(total > 0)
        .order_by(total.desc(), LedgerEntry.seller_id)
    )
    return [(int(seller_id or 0), int(amount)) for seller_id, amount in rows.all()]


async def mark_payout_paid(
    session: AsyncSession, seller_id: int, *, reference: str, amount: int | None = None
) -> Payout:
    """Records that money was sent to the seller's bank: ``amount``, or else the whole
    available balance; never more than is available.

    Two payouts for one seller recorded at once are taken in turn: the seller's row is locked
    before the balance is read, so the second one sees what the first left (SQLite, which
    ignores FOR UPDATE, has each writing transaction take the database's write lock up front).
    """
    seller = await session.scalar(
        select(User)
        .where(User.id == seller_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if seller is None:
        raise NotFound("No such seller.")
    require_verified_email(seller)
    if await session.get(PayoutAccount, seller_id) is None:
        raise NoPayoutAccount(seller_id=seller_id)
    balance = await seller_balance(session, seller_id)
    if amount is not None and amount <= 0:
        raise PayoutNotPositive(amount=amount)
    if balance.available <= 0:
        raise NothingToPay(seller_id=seller_id)
    if amount is not None and amount > balance.available:
        raise PayoutAboveBalance(amount=amount, available=balance.available)
    paying = balance.available if amount is None else amount
    payout = Payout(seller_id=seller_id, amount=paying, reference=reference)
    session.add(payout)
    await session.flush()
    _book(
        session,
        [
            (EntryKind.payout, Account.seller_payable, -payout.amount, seller_id),
            (EntryKind.payout, Account.seller_bank, payout.amount, seller_id),
        ],
        payout_id=payout.id,
    )
    await notify_payout(session, seller_id=seller_id, amount=payout.amount, reference=reference)
    await session.flush()
    return payout


async def account_totals(session: AsyncSession) -> dict[Account, int]:
    rows = await session.execute(
        select(LedgerEntry.account, func.sum(LedgerEntry.amount)).group_by(LedgerEntry.account)
    )
    return {Account(account): int(total or 0) for account, total in rows.all()}


async def payout_history(
    session: AsyncSession, seller_id: int, *, offset: int = 0, limit: int = 20
) -> tuple[list[Payout], int]:
    """The seller's payouts, newest first, and how many there are."""
    total = await session.scalar(select(func.count(Payout.id)).where(Payout.seller_id == seller_id))
    rows = await session.scalars(
        select(Payout)
        .where(Payout.seller_id == seller_id)
        .order_by(Payout.created_at.desc(), Payout.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(rows), int(total or 0)

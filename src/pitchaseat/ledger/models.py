from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pitchaseat.db import Base, UtcDateTime
from pitchaseat.timeutil import utcnow


class Account(enum.StrEnum):
    """Where money sits. The two outside accounts mirror the world: buyers' cards and the
    sellers' banks; the three inside ones are what the platform holds."""

    buyer_cards = "buyer_cards"  # outside: money comes in by charge and leaves by refund
    escrow = "escrow"  # held for an order until it completes or is refunded
    platform_fees = "platform_fees"  # the seller fee, the platform's revenue
    seller_payable = "seller_payable"  # owed to a seller (per seller): the available balance
    seller_bank = "seller_bank"  # outside: paid out to a seller


class EntryKind(enum.StrEnum):
    charge = "charge"
    fee = "fee"
    payout_due = "payout_due"
    refund = "refund"
    payout = "payout"


class PayoutStatus(enum.StrEnum):
    paid = "paid"


class LedgerEntry(Base):
    """One side of a movement. The entries of one movement (same ``movement``) sum to zero."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        # One order is charged, settled or refunded once: a replayed step cannot book twice.
        UniqueConstraint("order_id", "kind", "account"),
        Index("ix_ledger_entries_seller_account", "seller_id", "account"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    movement: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[EntryKind] = mapped_column(
        Enum(EntryKind, native_enum=False, length=16, create_constraint=True)
    )
    account: Mapped[Account] = mapped_column(
        Enum(Account, native_enum=False, length=20, create_constraint=True)
    )
    amount: Mapped[int] = mapped_column(Integer)  # signed TWD: + into the account, - out of it
    seller_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), nullable=True)
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("payouts.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Payout(Base):
    """Money sent to a seller's bank by an operator, for their whole available balance."""

    __tablename__ = "payouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    status: Mapped[PayoutStatus] = mapped_column(
        Enum(PayoutStatus, native_enum=False, length=12, create_constraint=True),
        default=PayoutStatus.paid,
    )
    reference: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PayoutAccount(Base):
    """Where a seller's payouts go. The account number is kept encrypted (Fernet, a key
    derived from the app secret); pages and the API only ever show its last four digits."""

    __tablename__ = "payout_accounts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    bank_code: Mapped[str] = mapped_column(String(3))
    account_number_encrypted: Mapped[str] = mapped_column(Text)
    account_number_last4: Mapped[str] = mapped_column(String(4))
    account_name: Mapped[str] = mapped_column(String(60))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

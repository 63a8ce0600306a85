"""The order's side of a charge, as services in the caller's transaction: claim the order
before the gateway is asked, and record the gateway's answer once.

A hold with a charge in flight cannot be let go, expire or be cancelled until the answer is
recorded. An answer that comes for an order that can no longer take it (its 3-D Secure was
given up and the hold ended) is not applied: the workflow refunds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from pitchaseat.adapters.payments.base import ChargeOutcome, ChargeResult, TradeRecord
from pitchaseat.catalog.models import Game, GameStatus
from pitchaseat.catalog.sales import is_on_sale
from pitchaseat.errors import NotFound
from pitchaseat.listings.errors import GameNotOnSale
from pitchaseat.listings.models import DeliveryMethod, Listing
from pitchaseat.orders.actions import Action, check_action
from pitchaseat.orders.codes import OrderEventCode
from pitchaseat.orders.delivery import store_delivery
from pitchaseat.orders.models import Order, OrderDelivery, OrderEvent, OrderStatus
from pitchaseat.orders.notices import notify_payment_not_taken
from pitchaseat.orders.schemas import DeliveryIn
from pitchaseat.orders.states import Claim, claim, release_claim, transition
from pitchaseat.payments import attempts
from pitchaseat.payments.errors import HoldExpired, PaymentInProgress
from pitchaseat.payments.models import Payment, PaymentStatus
from pitchaseat.timeutil import utcnow

# How long after its hold ended a charge left waiting (3-D Secure not finished) is given up.
ABANDON_AFTER_HOLD = timedelta(minutes=5)
ABANDONED = "abandoned"


@dataclass(frozen=True)
class PaymentStart:
    payment: Payment
    replay: bool  # an earlier request with the same key: answer with its result


@dataclass(frozen=True)
class _Payable:
    order: Order
    game: GameView
    delivery_method: DeliveryMethod
    stored_delivery: OrderDelivery | None
    open_attempt: bool


@dataclass
class GameView:
    """The game as ``is_on_sale`` and the order guards read it (catalog.sales.GameTimes)."""

    id: int
    status: GameStatus
    starts_at: datetime


async def _payable(session: AsyncSession, order_id: int) -> _Payable | None:
    """The order, locked, with all that paying for it checks, in one statement where the
    database can lock the order alone (PostgreSQL's ``FOR UPDATE OF``). MariaDB would lock
    the game and the listing as well, which holds and sweeps also lock in their own order:
    there the order is locked first, on its own."""
    open_attempt = exists().where(
        Payment.order_id == Order.id, Payment.status.in_(attempts.OPEN_STATUSES)
    )
    query = (
        select(
            Order,
            OrderDelivery,
            Game.status,
            Game.starts_at,
            Listing.delivery_method,
            open_attempt.label("open_attempt"),
        )
        .join(Game, Game.id == Order.game_id)
        .join(Listing, Listing.id == Order.listing_id)
        .outerjoin(OrderDelivery, OrderDelivery.order_id == Order.id)
        .where(Order.id == order_id)
    )
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        query = query.with_for_update(of=Order)
    elif dialect != "sqlite":
        await session.execute(select(Order.id).where(Order.id == order_id).with_for_update())
    row = (await session.execute(query)).one_or_none()
    if row is None:
        return None
    order, stored, status, starts_at, method, open_found = row
    return _Payable(order, GameView(order.game_id, status, starts_at), method, stored, open_found)


async def start_payment(
    session: AsyncSession,
    order_id: int,
    buyer_id: int,
    *,
    provider: str,
    idempotency_key: str | None,
    request_fingerprint: str | None = None,
    delivery: DeliveryIn | None = None,
) -> PaymentStart:
    """Transaction 1: checks the order can be paid, stores the buyer's delivery details
    (refused, before anything is written or the gateway asked, when the listing's method
    needs more), claims the order and records the attempt."""
    payable = await _payable(session, order_id)
    if payable is None or payable.order.buyer_id != buyer_id:
        raise NotFound("No such order.")
    order, game = payable.order, payable.game
    if idempotency_key:
        earlier = await attempts.replayed_attempt(
            session, order_id, idempotency_key, request_fingerprint or ""
        )
        if earlier is not None:
            return PaymentStart(earlier, replay=True)
    now = utcnow()
    if order.status is OrderStatus.pending_payment and not order.charge_in_flight:
        if order.hold_expires_at <= now:
            raise HoldExpired()
        if not is_on_sale(game, now):
            raise GameNotOnSale(game_id=game.id)
    check_action(order, buyer_id, Action.pay, game, now)
    if payable.open_attempt:
        raise PaymentInProgress()
    await claim(session, order, Claim.charge, frozenset({OrderStatus.pending_payment}))
    # After the claim, which follows the row lock at once: on MariaDB a racing cancel that
    # reaches the status index in between deadlocks with it. A refusal rolls both back.
    await store_delivery(session, order, delivery, payable.delivery_method, payable.stored_delivery)
    payment = attempts.new_attempt(
        session,
        order_id=order_id,
        amount=order.amount,
        provider=provider,
        idempotency_key=idempotency_key,
        request_fingerprint=request_fingerprint,
    )
    await session.flush()
    return PaymentStart(payment, replay=False)


@dataclass(frozen=True)
class Recorded:
    payment: Payment
    # A successful charge its order could no longer take: the workflow refunds it.
    late_charge: bool = False
    # The order this answer paid, with its history (what the buyer is shown).
    paid_order: Order | None = None


async def record_result(
    session: AsyncSession, payment_id: int, result: ChargeResult | None
) -> Recorded:
    """Transaction 2: stores what the provider said and moves the order once.

    ``None`` means the provider did not answer: the payment is marked unknown for the
    reconcile job, and the order stays claimed (neither failed nor paid blindly).
    """
    payment, order = await _locked_attempt_and_order(session, payment_id)
    if payment.status is not PaymentStatus.pending:
        return Recorded(payment)  # already settled (a replayed answer changes nothing)
    if result is None:
        payment.status = PaymentStatus.unknown
    elif result.outcome is ChargeOutcome.declined:
        payment.status = PaymentStatus.failed
        payment.error_code = result.error_code
        # No money moved: the hold runs on, and the buyer may try another card.
        await release_claim(session, payment.order_id, Claim.charge)
    elif result.outcome is ChargeOutcome.needs_3ds:
        payment.rec_trade_id = result.rec_trade_id
        payment.payment_url = result.payment_url
    else:
        payment.status = PaymentStatus.paid
        payment.rec_trade_id = result.rec_trade_id
        return await _charge_succeeded(session, payment, order)
    await session.flush()
    return Recorded(payment)


async def _locked_attempt_and_order(
    session: AsyncSession, payment_id: int
) -> tuple[Payment, Order]:
    """The attempt, locked (whoever records an answer holds it), and its order in the same
    statement. The order needs no lock of its own: while it is claimed, nothing but the
    holder of this attempt may move it."""
    row = (
        await session.execute(
            select(Payment, Order)
            .join(Order, Order.id == Payment.order_id)
            .where(Payment.id == payment_id)
            .with_for_update(of=Payment)
        )
    ).one_or_none()
    if row is None:
        raise NotFound("No such payment.")
    return row[0], row[1]


async def _charge_succeeded(session: AsyncSession, payment: Payment, order: Order) -> Recorded:
    if order.status is not OrderStatus.pending_payment or not order.charge_in_flight:
        await session.flush()
        return Recorded(payment, late_charge=True)
    await transition(
        session,
        order,
        OrderStatus.paid,
        code=OrderEventCode.charge_succeeded,
        actor_id=order.buyer_id,
        data={"payment_id": payment.id, "rec_trade_id": payment.rec_trade_id},
        settles=Claim.charge,
    )
    await session.flush()
    history = await session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id)
    )
    set_committed_value(order, "events", list(history))
    return Recorded(payment, paid_order=order)


async def settle_from_record(
    session: AsyncSession,
    payment_id: int,
    record: TradeRecord | None,
    *,
    now: datetime | None = None,
) -> Recorded:
    """Settles a pending or unknown payment from the provider's own records, once.

    Nothing on record for an unknown charge means it never happened: the payment failed and
    the hold runs on. A charge still waiting for 3-D Secure is given up once its hold has
    been over for a while, so the tickets go back; should the bank still approve it later,
    that late charge is refunded.
    """
    payment = await attempts.locked_attempt(session, payment_id)
    if _approved_after_giving_up(payment, record):
        assert record is not None
        payment.status = PaymentStatus.paid
        payment.rec_trade_id = record.rec_trade_id
        await session.flush()
        return Recorded(payment, late_charge=True)
    if payment.status not in (PaymentStatus.pending, PaymentStatus.unknown):
        return Recorded(payment)
    if record is not None and record.amount != payment.amount:
        return Recorded(payment)  # not our charge: never settle on a mismatch
    if record is not None and record.paid:
        payment.status = PaymentStatus.pending
        return await record_result(
            session, payment.id, ChargeResult(ChargeOutcome.paid, rec_trade_id=record.rec_trade_id)
        )
    never_charged = record is None and payment.status is PaymentStatus.unknown
    if never_charged or (record is not None and record.failed):
        return await _fail(session, payment, "not_charged")
    order = await session.get(Order, payment.order_id)
    assert order is not None
    if order.hold_expires_at + ABANDON_AFTER_HOLD <= (now or utcnow()):
        return await _fail(session, payment, ABANDONED)
    return Recorded(payment)


def _approved_after_giving_up(payment: Payment, record: TradeRecord | None) -> bool:
    return (
        payment.status is PaymentStatus.failed
        and payment.error_code == ABANDONED
        and record is not None
        and record.paid
        and record.amount == payment.amount
    )


async def _fail(session: AsyncSession, payment: Payment, error_code: str) -> Recorded:
    was_unanswered = payment.status is PaymentStatus.unknown
    payment.status = PaymentStatus.pending
    recorded = await record_result(
        session, payment.id, ChargeResult(ChargeOutcome.declined, error_code=error_code)
    )
    if was_unanswered:  # the buyer was told "being confirmed": now tell them how it ended
        order = await session.get(Order, payment.order_id)
        assert order is not None
        await notify_payment_not_taken(session, order)
    return recorded

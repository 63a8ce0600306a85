from __future__ import annotations

from pitchaseat.errors import Conflict, DomainError


class PaymentFailed(DomainError):
    status = 402
    code = "payment_failed"
    default_message = "The payment did not go through; no money was taken."


class HoldExpired(Conflict):
    code = "hold_expired"
    default_message = "The hold on these tickets has ended; start again."


class PaymentInProgress(Conflict):
    code = "payment_in_progress"
    default_message = "A payment for this order is already under way."


class RefundFailed(Conflict):
    code = "refund_failed"
    default_message = "The refund did not go through; nothing changed. Please try again."

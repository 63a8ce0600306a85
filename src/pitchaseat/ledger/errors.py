from __future__ import annotations

from pitchaseat.errors import Conflict, InvalidInput


class NothingToPay(Conflict):
    code = "nothing_to_pay"
    default_message = "This seller has no available balance to pay out."


class PayoutAboveBalance(Conflict):
    code = "payout_above_balance"
    default_message = "A payout cannot be more than the seller's available balance."


class PayoutNotPositive(InvalidInput):
    code = "payout_not_positive"
    default_message = "A payout must be at least NT$1."


class NoPayoutAccount(Conflict):
    code = "payout_account_missing"
    default_message = "This seller has not given a bank account for payouts yet."

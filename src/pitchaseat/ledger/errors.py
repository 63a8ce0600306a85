from __future__ import annotations

from pitchaseat.errors import Conflict


class NothingToPay(Conflict):
    code = "nothing_to_pay"
    default_message = "This seller has no available balance to pay out."

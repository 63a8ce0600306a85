"""Permission checks on an account, one named function each, used by every domain that needs
them (listings for selling, the ledger for payouts)."""

from __future__ import annotations

from pitchaseat.accounts.errors import EmailNotVerified
from pitchaseat.accounts.models import User


def require_verified_email(user: User) -> None:
    """Selling and payouts need a proven address; browsing and buying do not."""
    if not user.email_verified:
        raise EmailNotVerified()

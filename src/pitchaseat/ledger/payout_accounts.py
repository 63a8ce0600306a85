"""Where a seller's payouts go: a Taiwanese bank account (bank code, account number, name).

The number is stored encrypted with Fernet under a key derived (HKDF) from the app secret, and
only its last four digits are ever shown again: on the seller's money page, in the API and to
the operator who records the payout.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.ledger.models import PayoutAccount

_KEY_INFO = b"pitchaseat payout account numbers"


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_account_number(number: str, *, secret_key: str) -> str:
    return _fernet(secret_key).encrypt(number.encode()).decode()


def decrypt_account_number(token: str, *, secret_key: str) -> str | None:
    """The full number, for the operator's bank transfer; None if the secret changed since."""
    try:
        return _fernet(secret_key).decrypt(token.encode()).decode()
    except InvalidToken:
        return None


@dataclass(frozen=True)
class NewPayoutAccount:
    bank_code: str
    account_number: str
    account_name: str


async def set_payout_account(
    session: AsyncSession, seller_id: int, data: NewPayoutAccount, *, secret_key: str
) -> PayoutAccount:
    """Stores (or replaces) the seller's account; the caller has checked the fields' shape."""
    account = await session.get(PayoutAccount, seller_id)
    if account is None:
        account = PayoutAccount(user_id=seller_id)
        session.add(account)
    account.bank_code = data.bank_code
    account.account_number_encrypted = encrypt_account_number(
        data.account_number, secret_key=secret_key
    )
    account.account_number_last4 = data.account_number[-4:]
    account.account_name = data.account_name
    await session.flush()
    return account


async def payout_account(session: AsyncSession, seller_id: int) -> PayoutAccount | None:
    return await session.get(PayoutAccount, seller_id)

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from pitchaseat.textinput import OneLine


def _digits_only(value: object) -> object:
    # People copy numbers from bank apps with spaces and dashes; the digits are what count.
    return value.replace(" ", "").replace("-", "") if isinstance(value, str) else value


class PayoutAccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bank_code: Annotated[str, StringConstraints(pattern=r"^\d{3}$")] = Field(
        description="The bank's three-digit code (e.g. 004 Bank of Taiwan, 822 CTBC)"
    )
    account_number: Annotated[
        str, BeforeValidator(_digits_only), StringConstraints(pattern=r"^\d{10,16}$")
    ] = Field(description="10 to 16 digits; never returned")
    account_name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), OneLine
    ]


class PayoutAccountOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    bank_code: str
    account_number_last4: str
    account_name: str


class PayoutOut(BaseModel):
    id: int
    amount: int
    reference: str
    paid_at: datetime

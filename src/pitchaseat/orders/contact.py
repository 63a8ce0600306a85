"""The shapes of hand-off data: Taiwanese phone numbers, postal addresses and Chunghwa Post
tracking numbers. Pure functions; the schemas use them as validators."""

from __future__ import annotations

import re

from pydantic_core import PydanticCustomError

_PHONE_SEPARATORS = re.compile(r"[\s\-()]")
# After normalising to the domestic form: a mobile 09 + 8 digits, or a landline 0 + area code
# + number (02-2345-6789, 037-123456, 049-2345678, 0836-12345: 9 or 10 digits in all).
_MOBILE = re.compile(r"09\d{8}")
_LANDLINE = re.compile(r"0[2-8]\d{7,8}")
# Taiwan's postal codes: 3 digits (100-983), or 3+2 / 3+3 digits (the 5- and 6-digit forms).
_POSTAL_CODE = re.compile(r"(?<!\d)[1-9]\d{2}(?:\d{2}|\d{3})?(?!\d)")
# Chunghwa Post: domestic registered mail (掛號) numbers are 14 or 20 digits; international
# items carry a UPU S10 number: two letters, eight digits and a check digit, then TW.
_CHUNGHWA_DOMESTIC = re.compile(r"\d{14}|\d{20}")
_CHUNGHWA_INTERNATIONAL = re.compile(r"[A-Z]{2}\d{9}TW")
CHUNGHWA_TRACKING_PAGE = "https://postserv.post.gov.tw/pstmail/main_mail.html?targetTxn=EB500200"


def normalize_phone(value: str) -> str:
    """A Taiwanese phone number in its domestic digits (``+886 912 345 678`` ->
    ``0912345678``); anything else is refused."""
    digits = _PHONE_SEPARATORS.sub("", value)
    if digits.startswith("+886"):
        digits = "0" + digits[4:].removeprefix("0")
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return digits
    raise PydanticCustomError(
        "invalid_phone",
        "Enter a Taiwanese phone number: a mobile (0912345678) or a landline with its area "
        "code (02-2345-6789).",
    )


def check_address(value: str) -> str:
    if not _POSTAL_CODE.search(value):
        raise PydanticCustomError(
            "postal_code_missing",
            "Include the postal code (3, 5 or 6 digits) in the address.",
        )
    return value


def normalize_tracking_number(value: str) -> str:
    return re.sub(r"[\s\-]", "", value).upper()


def is_chunghwa_tracking_number(value: str) -> bool:
    return bool(_CHUNGHWA_DOMESTIC.fullmatch(value) or _CHUNGHWA_INTERNATIONAL.fullmatch(value))


def check_chunghwa_tracking_number(value: str) -> str:
    number = normalize_tracking_number(value)
    if not is_chunghwa_tracking_number(number):
        raise PydanticCustomError(
            "invalid_tracking_number",
            "A Chunghwa Post tracking number has 14 or 20 digits, or looks like RR123456789TW.",
        )
    return number

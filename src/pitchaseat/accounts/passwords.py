"""Password hashing (argon2id at or above OWASP's minimum) and the strength rules."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import Type
from zxcvbn import zxcvbn  # type: ignore[import-untyped]

# OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1 is the minimum.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128

# Strength from zxcvbn (Dropbox's estimator, maintained on PyPI): its frequency lists of
# leaked passwords, words and names, plus keyboard walks, sequences, dates and l33t, each
# also tried together with the user's own email and name. Score 3 means more than 10^8
# guesses, what OWASP calls enough behind a slow hash and rate-limited log-ins.
MIN_STRENGTH_SCORE = 3
# Estimating costs grow fast with length; a prefix this long that is strong is strong.
_STRENGTH_CHECKED_CHARS = 64


def _too_guessable(password: str, user_inputs: list[str]) -> bool:
    result = zxcvbn(password[:_STRENGTH_CHECKED_CHARS], user_inputs=user_inputs)
    return int(result["score"]) < MIN_STRENGTH_SCORE


def password_problems(password: str, *, email: str = "", display_name: str = "") -> list[str]:
    """Human-readable reasons a password is too weak (empty when it is acceptable)."""
    problems: list[str] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"Use at most {MAX_PASSWORD_LENGTH} characters.")
    if not any(ch.isalpha() for ch in password) or not any(ch.isdigit() for ch in password):
        problems.append("Mix letters and digits.")
    if len(set(password)) < 4:
        problems.append("Use more different characters.")
    lowered = password.lower()
    local_part = email.split("@", 1)[0].lower()
    if not problems and _too_guessable(password, [local_part, display_name]):
        problems.append("This password is too common.")
    local_part = email.split("@", 1)[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        problems.append("Do not use your email address in the password.")
    if len(display_name) >= 4 and display_name.lower() in lowered:
        problems.append("Do not use your display name in the password.")
    return problems


async def check_password(password: str, *, email: str = "", display_name: str = "") -> list[str]:
    """``password_problems`` off the event loop (the estimate takes up to ~100 ms of CPU)."""
    return await asyncio.to_thread(
        password_problems, password, email=email, display_name=display_name
    )


# Hashing costs ~20-40 ms of CPU: run it in a thread so the event loop keeps serving.
async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_HASHER.hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    def _verify() -> bool:
        try:
            return _HASHER.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(_verify)


# Used when the email is unknown, so both paths cost the same and timing leaks nothing.
_DUMMY_HASH = _HASHER.hash("timing-equaliser-not-a-password-1")


async def burn_verification_time(password: str) -> None:
    await verify_password(_DUMMY_HASH, password)

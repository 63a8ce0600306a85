"""Limits every layer agrees on: ids fit the 32-bit range every backend stores, and a page of
a list holds at most this many items."""

from __future__ import annotations

MAX_ID = 2_147_483_647
MAX_PAGE_SIZE = 100

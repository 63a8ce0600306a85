"""Limits every layer agrees on: ids fit the 32-bit range every backend stores, a page of
a list holds at most this many items, and the site knows the days between these two."""

from __future__ import annotations

from datetime import date

MAX_ID = 2_147_483_647
MAX_PAGE_SIZE = 100
# A date outside them is no game day (and 9999-12-31 plus a day would not even be a date).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)

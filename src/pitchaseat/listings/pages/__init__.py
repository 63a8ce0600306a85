"""Listing pages: a game's tickets and the seller's own listings (``browse``), and the sell
form for one or more tickets (``sell``)."""

from __future__ import annotations

from pitchaseat.listings.pages.browse import router as browse_router
from pitchaseat.listings.pages.sell import router as sell_router

routers = (browse_router, sell_router)

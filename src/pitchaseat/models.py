"""Imports every domain's models so that the metadata is complete (Alembic, tests)."""

from pitchaseat.accounts import models as accounts_models
from pitchaseat.adapters.payments import sandbox as sandbox_payments_models
from pitchaseat.admin import models as admin_models
from pitchaseat.catalog import models as catalog_models
from pitchaseat.db import Base
from pitchaseat.discovery import models as discovery_models
from pitchaseat.ledger import models as ledger_models
from pitchaseat.listings import match_requests as listing_match_requests
from pitchaseat.listings import models as listings_models
from pitchaseat.notifications import models as notifications_models
from pitchaseat.ops import scheduler as scheduler_models
from pitchaseat.orders import models as orders_models
from pitchaseat.payments import models as payments_models
from pitchaseat.reservations import models as reservations_models
from pitchaseat.reviews import models as reviews_models

__all__ = [
    "Base",
    "accounts_models",
    "admin_models",
    "catalog_models",
    "discovery_models",
    "ledger_models",
    "listing_match_requests",
    "listings_models",
    "notifications_models",
    "orders_models",
    "payments_models",
    "reservations_models",
    "reviews_models",
    "sandbox_payments_models",
    "scheduler_models",
]

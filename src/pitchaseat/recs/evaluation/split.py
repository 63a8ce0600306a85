"""Which fan models and seeds tune the weights, and which are reported: never the same.

The held-out models (two-team, no favourite, fixture, cold) are never seen by the fit;
the tuning models are reported only on other seeds, with other mixture weights.
"""

from __future__ import annotations

from pitchaseat.recs.evaluation.fans import FAN_MODELS

TUNING_MODELS = ("loyal", "park", "weekend_only", "bargain")
HELD_OUT_MODELS = tuple(model for model in FAN_MODELS if model not in TUNING_MODELS)
TUNING_SEEDS = (101, 102)
TUNING_FANS = 2500  # per tuning seed
REPORT_SEEDS = (2027, 2028, 2029)
REPORT_FANS = 6000  # per report seed

"""Offline evaluation of the recommender on fan models of different structure.

``world`` draws a season of fans from a mixture of ``fans`` models, ``protocol`` hides each
fan's last purchase and defines the arms (baselines, ours, the ceiling), ``report`` scores them
per fan model and for the mixture, ``fit`` tunes the weights on ``split.TUNING_MODELS`` only.
"""

from pitchaseat.recs.evaluation.report import EvaluationReport, format_report, run_evaluation
from pitchaseat.recs.evaluation.split import REPORT_FANS, REPORT_SEEDS, TUNING_FANS

__all__ = [
    "REPORT_FANS",
    "REPORT_SEEDS",
    "TUNING_FANS",
    "EvaluationReport",
    "format_report",
    "run_evaluation",
]

"""Click-through per scoring variant from the logged events, with confidence intervals, after
checking that users reached each variant in the configured proportions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.discovery.models import RecommendationEvent, RecommendationEventKind
from pitchaseat.recs.abtest import (
    Difference,
    Proportion,
    SampleRatioCheck,
    difference_of_proportions,
    sample_ratio_check,
    wilson_interval,
)


@dataclass(frozen=True)
class VariantFigures:
    variant: str
    users: int
    impressions: int
    clicks: int
    click_through: Proportion


@dataclass(frozen=True)
class ExperimentReport:
    variants: list[VariantFigures]
    sample_ratio: SampleRatioCheck | None  # None before any user has seen a recommendation
    difference: Difference | None  # B minus A; None when the check failed or a side is empty


async def experiment_report(session: AsyncSession, split: dict[str, float]) -> ExperimentReport:
    def count_of(kind: RecommendationEventKind) -> ColumnElement[int]:
        # SUM(CASE ...), not COUNT(...) FILTER: MariaDB has no FILTER clause.
        return func.coalesce(func.sum(case((RecommendationEvent.kind == kind, 1), else_=0)), 0)

    rows = await session.execute(
        select(
            RecommendationEvent.variant,
            func.count(distinct(RecommendationEvent.user_id)),
            count_of(RecommendationEventKind.impression),
            count_of(RecommendationEventKind.click),
        ).group_by(RecommendationEvent.variant)
    )
    counted = {row[0]: (int(row[1]), int(row[2]), int(row[3])) for row in rows.all()}
    variants = []
    for name in sorted(split):
        users, impressions, clicks = counted.get(name, (0, 0, 0))
        # A click whose impression was never logged still counts once as shown.
        shown = max(impressions, clicks)
        variants.append(VariantFigures(name, users, shown, clicks, wilson_interval(clicks, shown)))
    users_per_variant = {v.variant: v.users for v in variants}
    if not any(users_per_variant.values()):
        return ExperimentReport(variants, None, None)
    check = sample_ratio_check(users_per_variant, split)
    difference = None
    by_name = {v.variant: v for v in variants}
    if check.warning is None and {"A", "B"} <= by_name.keys():
        a, b = by_name["A"], by_name["B"]
        if a.impressions and b.impressions:
            difference = difference_of_proportions(a.clicks, a.impressions, b.clicks, b.impressions)
    return ExperimentReport(variants, check, difference)

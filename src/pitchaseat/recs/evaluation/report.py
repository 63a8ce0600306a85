"""Metrics per fan model, for the fans with a declared favourite and no orders, and for the
whole mixture; and the table ``pitchaseat recs evaluate`` prints.

At k = 5, averaged over fans: hit@5 (the hidden game is in the top 5), NDCG@5 (binary
relevance: 1 / log2(1 + its position)), team precision@5 (the share of the 5 picks with a team
of the hidden game), coverage (the share of the games on sale that someone was shown) and the
cold hit rate (hit@5 over fans without earlier orders).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pitchaseat.recs.evaluation.fans import FAN_MODELS
from pitchaseat.recs.evaluation.protocol import ARMS, Case, build_cases
from pitchaseat.recs.evaluation.split import TUNING_MODELS
from pitchaseat.recs.evaluation.world import build_world

TOP_K = 5
DECLARED_BUT_COLD = "favourite, no orders"
MIXTURE = "mixture"


@dataclass(frozen=True)
class ArmResult:
    hit: float
    ndcg: float
    team_precision: float
    coverage: float
    cold_hit: float | None  # None when the group has no cold fan


@dataclass(frozen=True)
class GroupResult:
    name: str
    role: str  # "tuning model", "held-out model", "segment", "all"
    cases: int
    cold: int
    arms: Mapping[str, ArmResult]


@dataclass(frozen=True)
class EvaluationReport:
    fans_per_run: int
    mixtures: Mapping[int, Mapping[str, float]]  # seed -> drawn model shares
    groups: tuple[GroupResult, ...]

    def group(self, name: str) -> GroupResult:
        return next(group for group in self.groups if group.name == name)


def _ndcg(position: int | None) -> float:
    return 1.0 / math.log2(position + 2) if position is not None else 0.0


def _arm_result(
    cases: Sequence[Case], ranked: Sequence[list[int]], k: int, teams: Mapping[int, tuple[int, int]]
) -> ArmResult:
    hits = ndcg = team = 0.0
    cold_hits = cold = 0
    shown: set[int] = set()
    on_sale: set[int] = set()
    for case, picks in zip(cases, ranked, strict=True):
        target = case.held_out
        position = picks.index(target.game_id) if target.game_id in picks else None
        hits += position is not None
        ndcg += _ndcg(position)
        team += sum(bool(set(teams[g]) & set(target.team_ids)) for g in picks) / k
        if case.is_cold:
            cold += 1
            cold_hits += position is not None
        shown.update(picks)
        on_sale.update(c.game.game_id for c in case.candidates if c.tickets_available > 0)
    count = len(cases) or 1
    return ArmResult(
        hit=hits / count,
        ndcg=ndcg / count,
        team_precision=team / count,
        coverage=len(shown & on_sale) / len(on_sale) if on_sale else 0.0,
        cold_hit=cold_hits / cold if cold else None,
    )


def _role(model: str) -> str:
    return "tuning model" if model in TUNING_MODELS else "held-out model"


def evaluate_cases(cases: Sequence[Case], k: int = TOP_K) -> tuple[GroupResult, ...]:
    ranked = {name: [arm(case, k) for case in cases] for name, arm in ARMS.items()}
    # Every world plays the same season: one map of game ids to teams serves all cases.
    teams = {game.game_id: game.team_ids for case in cases[:1] for game in case.world.games}
    groups: list[tuple[str, str, list[int]]] = [
        (model, _role(model), [i for i, case in enumerate(cases) if case.model == model])
        for model in FAN_MODELS
    ]
    groups.append(
        (DECLARED_BUT_COLD, "segment", [i for i, c in enumerate(cases) if c.declared_but_cold])
    )
    groups.append((MIXTURE, "all", list(range(len(cases)))))
    results = []
    for name, role, members in groups:
        if not members:
            continue
        chosen = [cases[i] for i in members]
        arms = {
            arm: _arm_result(chosen, [lists[i] for i in members], k, teams)
            for arm, lists in ranked.items()
        }
        cold = sum(case.is_cold for case in chosen)
        results.append(GroupResult(name, role, len(chosen), cold, arms))
    return tuple(results)


def run_evaluation(fans: int, seeds: Sequence[int], k: int = TOP_K) -> EvaluationReport:
    cases: list[Case] = []
    mixtures = {}
    for seed in seeds:
        world = build_world(fans, seed)
        mixtures[seed] = world.mixture
        cases.extend(build_cases(world))
    return EvaluationReport(fans, mixtures, evaluate_cases(cases, k))


def format_report(report: EvaluationReport) -> str:
    seeds = ", ".join(map(str, report.mixtures))
    lines = [
        f"{report.fans_per_run} synthetic fans per run, report seeds {seeds}; "
        f"weights fitted on the tuning models {', '.join(TUNING_MODELS)} (other seeds)",
        "each fan's last purchase held out; a hit is that very game",
        "mixture per run: "
        + "; ".join(
            f"{seed}: " + " ".join(f"{m} {share:.2f}" for m, share in mixture.items())
            for seed, mixture in report.mixtures.items()
        ),
        "",
    ]
    header = (
        f"  {'arm':<18} {'hit@5':>6} {'NDCG@5':>7} {'team P@5':>8} {'coverage':>8} {'cold hit':>8}"
    )
    for group in report.groups:
        ceiling = group.arms["ceiling"].ndcg
        ours = group.arms["ours"].ndcg
        share = f", ours = {ours / ceiling:.0%} of the ceiling's NDCG@5" if ceiling else ""
        lines.append(f"{group.name} ({group.role}): {group.cases} fans, {group.cold} cold{share}")
        lines.append(header)
        for arm, result in group.arms.items():
            cold = f"{result.cold_hit:8.3f}" if result.cold_hit is not None else f"{'-':>8}"
            lines.append(
                f"  {arm:<18} {result.hit:6.3f} {result.ndcg:7.3f} {result.team_precision:8.3f} "
                f"{result.coverage:8.3f} {cold}"
            )
        lines.append("")
    return "\n".join(lines)

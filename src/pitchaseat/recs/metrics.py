"""Top-k ranking metrics with binary relevance (a hit is the very game the user bought)."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence


def hits_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> int:
    return sum(1 for game_id in ranked[:k] if game_id in relevant)


def precision_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    return hits_at_k(ranked, relevant, k) / k


def recall_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    return hits_at_k(ranked, relevant, k) / len(relevant) if relevant else 0.0


def ndcg_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    """DCG of the ranking over DCG of a perfect one: hits at the top count most."""
    gain = sum(
        1.0 / math.log2(position + 2)
        for position, game_id in enumerate(ranked[:k])
        if game_id in relevant
    )
    ideal = sum(1.0 / math.log2(position + 2) for position in range(min(k, len(relevant))))
    return gain / ideal if ideal else 0.0

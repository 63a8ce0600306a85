from __future__ import annotations

from collections import Counter

import pytest

from pitchaseat.recs.features import FEATURES
from pitchaseat.recs.variants import VARIANTS, UnknownVariant, assign_variant, get_variant


def test_assignment_is_the_same_on_every_call() -> None:
    first = [assign_variant(user_id, {"A": 1, "B": 1}, "exp-1") for user_id in range(200)]
    second = [assign_variant(user_id, {"A": 1, "B": 1}, "exp-1") for user_id in range(200)]

    assert first == second


def test_known_users_land_in_pinned_variants_in_any_process() -> None:
    # Pinned (SHA-256, not hash()): a change here would move users between variants mid-test.
    users = range(1, 9)

    assigned = [assign_variant(user_id, {"A": 1, "B": 1}, "recs-2031") for user_id in users]

    assert assigned == ["A", "B", "A", "B", "A", "A", "B", "B"]


def test_the_order_of_the_split_does_not_matter() -> None:
    forward = [assign_variant(user_id, {"A": 1, "B": 3}, "exp") for user_id in range(100)]
    backward = [assign_variant(user_id, {"B": 3, "A": 1}, "exp") for user_id in range(100)]

    assert forward == backward


@pytest.mark.parametrize(
    ("split", "expected_a"), [({"A": 0.5, "B": 0.5}, 0.5), ({"A": 1, "B": 3}, 0.25)]
)
def test_ten_thousand_users_follow_the_split(split: dict[str, float], expected_a: float) -> None:
    counts = Counter(assign_variant(user_id, split, "exp-7") for user_id in range(10_000))

    assert counts["A"] / 10_000 == pytest.approx(expected_a, abs=0.02)
    assert counts["A"] + counts["B"] == 10_000


def test_a_new_salt_reshuffles_users() -> None:
    old = [assign_variant(user_id, {"A": 1, "B": 1}, "exp-1") for user_id in range(1000)]
    new = [assign_variant(user_id, {"A": 1, "B": 1}, "exp-2") for user_id in range(1000)]

    moved = sum(a != b for a, b in zip(old, new, strict=True))
    assert 400 < moved < 600


def test_a_split_without_any_share_is_refused() -> None:
    with pytest.raises(ValueError, match="split"):
        assign_variant(1, {"A": 0, "B": 0}, "exp")


def test_variants_are_found_by_name() -> None:
    assert get_variant("A") is VARIANTS["A"]
    with pytest.raises(UnknownVariant):
        get_variant("a")


def test_every_variant_weighs_exactly_the_rankers_features() -> None:
    for variant in VARIANTS.values():
        assert set(variant.weights) == set(FEATURES)

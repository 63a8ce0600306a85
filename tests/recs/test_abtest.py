from __future__ import annotations

import math

import pytest

from pitchaseat.recs._gamma import chi_square_survival, regularized_upper_gamma
from pitchaseat.recs.abtest import (
    difference_of_proportions,
    sample_ratio_check,
    wilson_interval,
    z_value,
)


def test_z_value_for_95_percent_is_1_96() -> None:
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)


def test_wilson_interval_of_8_clicks_in_10_matches_the_textbook() -> None:
    ctr = wilson_interval(8, 10)

    assert ctr.rate == pytest.approx(0.8)
    assert (ctr.low, ctr.high) == pytest.approx((0.4902, 0.9433), abs=1e-4)


def test_wilson_interval_stays_inside_zero_and_one() -> None:
    none, all_of_them = wilson_interval(0, 20), wilson_interval(20, 20)

    assert none.low == pytest.approx(0.0, abs=1e-12)
    assert none.high == pytest.approx(0.1611, abs=1e-4)
    assert all_of_them.high == 1.0


def test_wilson_interval_without_impressions_is_uninformative() -> None:
    assert (wilson_interval(0, 0).low, wilson_interval(0, 0).high) == (0.0, 1.0)


def test_more_clicks_than_impressions_is_refused() -> None:
    with pytest.raises(ValueError, match="successes"):
        wilson_interval(11, 10)


def test_difference_of_20_and_25_percent_in_1000_each() -> None:
    result = difference_of_proportions(200, 1000, 250, 1000)

    assert result.difference == pytest.approx(0.05)
    assert (result.low, result.high) == pytest.approx((0.01346, 0.08654), abs=1e-5)
    assert result.z == pytest.approx(2.6774, abs=1e-4)
    assert result.p_value == pytest.approx(0.00742, abs=1e-5)


def test_equal_rates_differ_by_nothing_with_p_one() -> None:
    result = difference_of_proportions(50, 500, 100, 1000)

    assert result.difference == pytest.approx(0.0)
    assert result.p_value == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("statistic", "degrees", "p_value"),
    [
        (3.841458821, 1, 0.05),
        (6.634896601, 1, 0.01),
        (5.991464547, 2, 0.05),
        (7.814727903, 3, 0.05),
        (18.30703805, 10, 0.05),
        (0.5, 4, 0.973501),
    ],
)
def test_chi_square_survival_matches_the_tables(
    statistic: float, degrees: int, p_value: float
) -> None:
    assert chi_square_survival(statistic, degrees) == pytest.approx(p_value, rel=1e-6)


def test_chi_square_with_two_degrees_is_an_exponential() -> None:
    for statistic in (0.1, 1.0, 7.0, 40.0):
        assert chi_square_survival(statistic, 2) == pytest.approx(math.exp(-statistic / 2))


def test_regularized_upper_gamma_at_zero_is_one() -> None:
    assert regularized_upper_gamma(3.0, 0.0) == 1.0


def test_sample_ratio_mismatch_warns_below_one_in_a_thousand() -> None:
    check = sample_ratio_check({"A": 10_000, "B": 10_500}, {"A": 0.5, "B": 0.5})

    assert check.statistic == pytest.approx(12.195, abs=1e-3)
    assert check.p_value == pytest.approx(0.000479, abs=1e-6)
    assert check.warning is not None
    assert "sample ratio mismatch" in check.warning


def test_a_split_that_fits_gives_no_warning() -> None:
    check = sample_ratio_check({"A": 5_000, "B": 5_050}, {"A": 1, "B": 1})

    assert check.p_value == pytest.approx(0.6180, abs=1e-4)
    assert check.warning is None


def test_uneven_split_is_judged_against_its_own_shares() -> None:
    check = sample_ratio_check({"A": 2_500, "B": 7_500}, {"A": 0.25, "B": 0.75})

    assert check.statistic == pytest.approx(0.0)
    assert check.warning is None


def test_three_variants_use_two_degrees_of_freedom() -> None:
    check = sample_ratio_check({"A": 330, "B": 340, "C": 330}, {"A": 1, "B": 1, "C": 1})

    assert check.degrees_of_freedom == 2
    assert check.p_value == pytest.approx(math.exp(-0.1))

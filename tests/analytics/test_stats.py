"""The experiment statistics against published worked examples."""

import pytest

from analytics.stats import compare, mean_difference, rate


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        # Newcomb RG, "Two-sided confidence intervals for the single proportion: comparison
        # of seven methods", Statistics in Medicine 1998;17:857-872, table II, method 3
        # (score interval without continuity correction); also Altman et al., "Statistics
        # with Confidence", 2nd ed., chapter 6.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_intervals_match_newcombs_examples(successes, trials, low, high):
    result = rate(successes, trials)

    assert result.value == pytest.approx(successes / trials)
    assert result.low == pytest.approx(low, abs=5e-5)
    assert result.high == pytest.approx(high, abs=5e-5)


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        # Newcomb RG, "Interval estimation for the difference between independent
        # proportions: comparison of eleven methods", Statistics in Medicine
        # 1998;17:873-890, table II, method 10 (hybrid score): examples (a) and (b).
        ((56, 70), (48, 80), 0.0524, 0.3339),
        ((9, 10), (3, 10), 0.1705, 0.8090),
    ],
)
def test_the_difference_interval_matches_newcombs_method_10(a, b, low, high):
    result = compare(*a, *b)

    assert result.difference_low == pytest.approx(low, abs=5e-5)
    assert result.difference_high == pytest.approx(high, abs=5e-5)


def test_the_ratio_interval_is_the_log_interval_of_the_risk_ratio():
    # By hand: RR = (56/70)/(48/80) = 1.3333; SE(ln RR) = sqrt(1/56 - 1/70 + 1/48 - 1/80)
    # = 0.10911; 1.3333 × exp(±1.96 × 0.10911) = 1.0766 to 1.6512.
    result = compare(56, 70, 48, 80)

    assert result.ratio == pytest.approx(4 / 3)
    assert result.ratio_low == pytest.approx(1.0766, abs=1e-4)
    assert result.ratio_high == pytest.approx(1.6512, abs=1e-4)
    assert result.significant


def test_a_small_difference_on_few_people_is_not_significant():
    # By hand: pooled p = 31/200 = 0.155, z = 0.05 / sqrt(0.155 × 0.845 × (1/100 + 1/100))
    # = 0.977, two-sided p = 0.3286.
    result = compare(18, 100, 13, 100)

    assert result.p_value == pytest.approx(0.3286, abs=1e-4)
    assert not result.significant


def test_no_trials_gives_no_rate_rather_than_a_division_by_zero():
    assert rate(0, 0).value is None
    assert compare(3, 10, 0, 0).ratio is None


def test_the_difference_of_means_uses_welchs_variance():
    # a: 4 values 10, 20, 30, 40 (mean 25, variance 166.67); b: 3 zeros and a 20 (mean 5,
    # variance 100). Margin = 1.96 × sqrt(166.67/4 + 100/4) = 16.00.
    result = mean_difference(4, 100, 3000, 4, 20, 400)

    assert result.difference == pytest.approx(20)
    assert result.low == pytest.approx(20 - 16.0036, abs=1e-3)
    assert result.high == pytest.approx(20 + 16.0036, abs=1e-3)

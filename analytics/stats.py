"""Confidence intervals and tests for the dashboard's experiments, from SciPy.

Rates get Wilson score intervals (good for small counts and rates near 0, unlike the normal
approximation); a difference of two rates gets Newcomb's hybrid score interval, built from the
two Wilson intervals (Newcomb 1998, method 10); a ratio the log interval of the risk ratio
(Katz); a difference of mean revenues a normal interval with Welch's variance. Significance
is the two-sided test of two proportions (chi-squared on the 2×2 table, no continuity
correction), at 5 %.
"""

import math
from dataclasses import dataclass

from scipy.stats import binomtest, chi2_contingency, norm
from scipy.stats.contingency import relative_risk

LEVEL = 0.95
Z = float(norm.ppf(1 - (1 - LEVEL) / 2))


@dataclass(frozen=True)
class Rate:
    """successes / trials with its Wilson interval (all None when there were no trials)."""

    successes: int
    trials: int
    value: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Comparison:
    """Arm a against arm b: the ratio and the difference of their rates, with intervals."""

    a: Rate
    b: Rate
    ratio: float | None
    ratio_low: float | None
    ratio_high: float | None
    difference: float | None
    difference_low: float | None
    difference_high: float | None
    p_value: float | None

    @property
    def significant(self):
        return self.p_value is not None and self.p_value < 1 - LEVEL


def rate(successes, trials):
    """The rate successes / trials with its 95 % Wilson score interval."""
    successes, trials = int(successes), int(trials)
    if trials <= 0:
        return Rate(successes, trials, None, None, None)
    interval = binomtest(min(successes, trials), trials).proportion_ci(LEVEL, method="wilson")
    return Rate(successes, trials, successes / trials, float(interval.low), float(interval.high))


def compare(a_successes, a_trials, b_successes, b_trials):
    """Arm a against arm b: ratio a/b (log interval), difference a−b (Newcomb), p-value."""
    a, b = rate(a_successes, a_trials), rate(b_successes, b_trials)
    if a.value is None or b.value is None:
        return Comparison(a, b, None, None, None, None, None, None, None)
    difference = a.value - b.value
    difference_low = difference - math.sqrt((a.value - a.low) ** 2 + (b.high - b.value) ** 2)
    difference_high = difference + math.sqrt((a.high - a.value) ** 2 + (b.value - b.low) ** 2)
    ratio = ratio_low = ratio_high = None
    if a.successes and b.successes:
        risk = relative_risk(a.successes, a.trials, b.successes, b.trials)
        interval = risk.confidence_interval(LEVEL)
        ratio, ratio_low, ratio_high = (
            float(risk.relative_risk),
            float(interval.low),
            float(interval.high),
        )
    p_value = None
    table = [[a.successes, a.trials - a.successes], [b.successes, b.trials - b.successes]]
    # The test needs both outcomes in the table (else every rate is 0 % or 100 %).
    if (a.successes + b.successes) and (a.trials + b.trials - a.successes - b.successes):
        p_value = float(chi2_contingency(table, correction=False).pvalue)
    return Comparison(
        a, b, ratio, ratio_low, ratio_high, difference, difference_low, difference_high, p_value
    )


@dataclass(frozen=True)
class MeanDifference:
    """Mean of a minus mean of b, with a 95 % normal interval (Welch's variance)."""

    difference: float | None
    low: float | None
    high: float | None


def mean_difference(a_n, a_sum, a_sum_sq, b_n, b_sum, b_sum_sq):
    """The difference of two means known by their count, sum and sum of squares."""
    if a_n < 2 or b_n < 2:
        return MeanDifference(None, None, None)
    a_mean, b_mean = a_sum / a_n, b_sum / b_n
    a_var = max(a_sum_sq - a_n * a_mean**2, 0.0) / (a_n - 1)
    b_var = max(b_sum_sq - b_n * b_mean**2, 0.0) / (b_n - 1)
    margin = Z * math.sqrt(a_var / a_n + b_var / b_n)
    difference = a_mean - b_mean
    return MeanDifference(difference, difference - margin, difference + margin)

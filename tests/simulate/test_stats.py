"""Streaming statistics: exact where they claim to be, and blind to how runs are blocked."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drawdown.simulate.outcomes import mean_interval, quantile_interval
from drawdown.simulate.stats import MAX_EXACT, Moments, Tally

LEVELS = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)


def _split(values: np.ndarray, cuts: list[int]) -> list[np.ndarray]:
    return np.split(values, sorted({c % (values.size + 1) for c in cuts}))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 60), min_size=1, max_size=400),
    st.lists(st.integers(0, 1000), max_size=6),
    st.sampled_from([1.0, 0.25, 1e4 / 3]),
    st.booleans(),
)
def test_tally_quantiles_are_numpys(
    ints: list[int], cuts: list[int], scale: float, never: bool
) -> None:
    """A tally's quantiles and intervals are bit for bit numpy's on all the runs
    (inverted_cdf and linear, with 'never' as +inf), however the runs are split."""
    values = np.array(ints, dtype=float) * scale
    if never:
        values[::3] = np.inf
    tally = Tally()
    for part in _split(values, cuts):
        tally.add(part)
    for q in LEVELS:
        assert tally.interval(q) == quantile_interval(values, q)
        assert tally.quantile(q) == float(np.quantile(values, q, method="inverted_cdf"))
        if not never:
            assert tally.quantile(q, method="linear") == float(np.quantile(values, q))


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 300), st.lists(st.integers(0, 1000), max_size=6), st.integers(0, 2**32))
def test_moments_within_a_window_are_numpys(n: int, cuts: list[int], seed: int) -> None:
    """Up to one window of runs, mean and interval are numpy's mean and std(ddof=1) exactly."""
    values = np.random.default_rng(seed).normal(50, 20, n)
    moments = Moments(["x"])
    for part in _split(values, cuts):
        moments.add(part[None, :])
    moments.flush()
    expected = mean_interval(values)
    got = moments.interval("x")
    assert got[0] == expected[0]
    assert got[1:] == expected[1:] or n == 1


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1, 500), min_size=1, max_size=8), st.integers(0, 2**32))
def test_moments_over_windows_ignore_the_blocks(blocks: list[int], seed: int) -> None:
    """Past one window, the same runs in other blocks give the same bits; the values agree
    with numpy to rounding."""
    values = np.random.default_rng(seed).normal(1e3, 300, sum(blocks))
    one, other = Moments(["x"], window=64), Moments(["x"], window=64)
    one.add(values[None, :])
    at = 0
    for size in blocks:
        other.add(values[None, at : at + size])
        at += size
    assert one.state() == other.state()
    assert one.mean("x") == pytest.approx(values.mean(), rel=1e-12)
    if values.size > 1:
        assert one.std("x") == pytest.approx(values.std(ddof=1), rel=1e-9)


def test_tally_bins_past_max_exact_distinct_values() -> None:
    """Past MAX_EXACT distinct values a tally bins them (0.1% relative), whatever the order
    the runs came in, and its quantiles stay within a bin of the exact ones."""
    rng = np.random.default_rng(5)
    values = rng.lognormal(12, 1, MAX_EXACT + 5000)
    forward, backward = Tally(), Tally()
    for part in np.array_split(values, 7):
        forward.add(part)
    for part in np.array_split(values[::-1], 3):
        backward.add(part)
    assert forward.binned and backward.binned
    assert np.array_equal(forward.values(), backward.values())
    assert np.array_equal(forward.counts, backward.counts)
    for q in LEVELS:
        exact = np.quantile(values, q, method="inverted_cdf")
        assert forward.quantile(q) == pytest.approx(exact, rel=2**-10)
    small = Tally()
    small.add(values[:MAX_EXACT])
    assert not small.binned  # up to MAX_EXACT distinct values: exact


def test_tally_restores_from_its_values() -> None:
    """What a results folder stores of a tally (values, counts, binned) gives it back."""
    rng = np.random.default_rng(2)
    for values in (rng.integers(0, 9, 500).astype(float), rng.lognormal(3, 1, MAX_EXACT + 10)):
        tally = Tally()
        tally.add(values)
        back = Tally.restore(tally.values(), tally.counts, tally.binned)
        assert [back.interval(q) for q in LEVELS] == [tally.interval(q) for q in LEVELS]


def _uncovered_by_product(closure_day: np.ndarray, population: np.ndarray, horizon: int):  # type: ignore[no-untyped-def]
    """Civilians uncovered by day as a site-by-day product (how it was first computed)."""
    covered = np.where(closure_day >= 0, closure_day, np.iinfo(np.int64).max)
    days = np.arange(horizon)
    return (covered[:, :, None] <= days[None, None, :]).transpose(0, 2, 1) @ population


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 40),
    st.integers(1, 9),
    st.integers(1, 50),
    st.integers(0, 2**32 - 1),
    st.sampled_from([1, 1000, 2**40]),
)
def test_uncovered_by_day_is_the_site_by_day_product(
    runs: int, sites: int, horizon: int, seed: int, people: int
) -> None:
    """Closures added on their day and summed along the days give, bit for bit, the
    site-by-day product's civilians uncovered (never closed, closed past the horizon, and
    several sites on one day included); a population of fractions takes the product."""
    from drawdown.simulate.summaries import uncovered_by_day

    rng = np.random.default_rng(seed)
    closure = rng.integers(-1, horizon + 3, size=(runs, sites))
    population = rng.integers(0, people, size=sites).astype(float)
    expected = _uncovered_by_product(closure, population, horizon)
    assert np.array_equal(uncovered_by_day(closure, population, horizon), expected)
    fractions = population / 3.0
    assert np.array_equal(
        uncovered_by_day(closure, fractions, horizon),
        _uncovered_by_product(closure, fractions, horizon),
    )


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 30),
    st.integers(1, 60),
    st.integers(0, 2**32 - 1),
    st.sampled_from([0.0, 0.05, 0.25, 0.5, 0.95, 1.0]),
    st.sampled_from([1, 7]),
)
def test_a_fans_quantiles_are_each_days(
    days: int, bins: int, seed: int, q: float, width: int
) -> None:
    """The quantiles of every day's histogram at once are each day's `hist_quantile` (empty
    days, sparse and full bins included)."""
    from drawdown.simulate.outcomes import hist_quantile, hist_quantiles

    rng = np.random.default_rng(seed)
    hist = rng.integers(0, 4, size=(days, bins)) * (rng.random((days, bins)) < 0.3)
    hist[rng.random(days) < 0.2] = 0
    expected = [hist_quantile(hist[t], q, width) for t in range(days)]
    assert np.array_equal(hist_quantiles(hist, q, width), expected, equal_nan=True)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 20), st.integers(1, 30), st.integers(0, 2**32 - 1), st.booleans())
def test_cells_counted_in_place_are_a_bincount(days: int, bins: int, seed: int, flat: bool) -> None:
    """Counting a block's cells into a histogram in place adds what a bincount as long as
    the histogram adds, also to a histogram that is not laid out flat."""
    from drawdown.simulate.stats import count_into

    rng = np.random.default_rng(seed)
    hist = rng.integers(0, 5, size=(days, bins)) if flat else np.zeros((bins, days), np.int64).T
    expected = hist.copy()
    cells = rng.integers(0, days * bins, size=(7, 11))
    expected += np.bincount(cells.ravel(), minlength=hist.size).reshape(hist.shape)
    count_into(hist, cells)
    assert np.array_equal(hist, expected)
    with pytest.raises(ValueError):
        count_into(hist, np.array([-1]))

"""Streaming statistics of per-run outcomes: memory bounded whatever the number of runs.

The summaries of a simulation (`summary.json`, the report) are computed from these, never
from all runs at once, so a million runs take the memory of a few thousand. Each figure is
as exact as it is cheap to keep:

- **Counts and sums of integers** (runs all out, runs closed by the deadline): exact.
- **Means and standard deviations** (`Moments`): runs are taken in fixed windows of
  `WINDOW` runs (by run number, so never by the engine's block size); each window's sum and
  sum of squared deviations are numpy's own, and windows are merged with Chan's formula. Up
  to `WINDOW` runs this is bit for bit `numpy.mean` / `numpy.std(ddof=1)` of all runs; beyond,
  the last digits may differ from a one-pass numpy sum (the same seed still gives the same
  bits whatever the block size or the number of workers).
- **Quantiles** (`Tally`): the count of every distinct value while there are at most
  `MAX_EXACT` of them, which is exact (days, people, costs per day are discrete, and any
  figure of up to `MAX_EXACT` runs); beyond that the tally turns into log-spaced bins of
  relative width 2**-`BIN_BITS` (0.1%), a quantile then being its bin's midpoint. Whether a
  figure is binned depends only on its set of values, not on how runs were blocked;
  `Tally.binned` says which and `summary.json` records it.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable

import numpy as np

WINDOW = 65_536  # runs per window of `Moments` (and of `Sums`, below)
SUM_WINDOW = 4_096  # runs per window of the wide per-site sums
MAX_EXACT = 65_536  # distinct values a tally keeps exactly
BIN_BITS = 10  # a binned tally's bins are 2**-BIN_BITS wide, relative to their value
_SHIFT = 52 - BIN_BITS
Z95 = 1.959963984540054


class Windowed(ABC):
    """Rows of per-run values buffered in fixed windows of runs, folded window by window."""

    def __init__(self, width: int, window: int):
        self.width, self.window = width, window
        self._buffer = np.empty((width, window), dtype=np.float64)  # a row is contiguous
        self._fill = 0

    def add(self, values: np.ndarray) -> None:
        """Add the values of the next runs: [width, runs]."""
        values = np.asarray(values, dtype=np.float64).reshape(self.width, -1)
        done = 0
        while done < values.shape[1]:
            take = min(self.window - self._fill, values.shape[1] - done)
            self._buffer[:, self._fill : self._fill + take] = values[:, done : done + take]
            self._fill += take
            done += take
            if self._fill == self.window:
                self.flush()

    def flush(self) -> None:
        """Fold what the current window holds (at the end of the runs, a partial window)."""
        if self._fill:
            self._fold(self._buffer[:, : self._fill])
            self._fill = 0

    @abstractmethod
    def _fold(self, rows: np.ndarray) -> None:
        """Merge one window of runs (figures x runs) into the totals."""

    def release(self) -> None:
        """Drop the buffer once every run is in (a finished accumulator keeps its totals)."""
        self.flush()
        self._buffer = np.empty((self.width, 0))
        self.window = 0


class Moments(Windowed):
    """Count, mean and variance of several figures, merged window by window."""

    def __init__(self, names: Iterable[str], window: int = WINDOW):
        self.names = tuple(names)
        super().__init__(len(self.names), window)
        self.n = 0
        self.total = np.zeros(self.width)
        self.m2 = np.zeros(self.width)

    def _fold(self, rows: np.ndarray) -> None:
        k = rows.shape[1]
        sums = np.array([row.sum() for row in rows])
        means = np.array([s / k for s in sums])
        m2 = np.array([((row - m) * (row - m)).sum() for row, m in zip(rows, means, strict=True)])
        if self.n == 0:
            self.total, self.m2, self.n = sums, m2, k
            return
        # Chan et al.: merge two sets' sums of squared deviations about their own means
        delta = means - self.total / self.n
        n = self.n + k
        self.m2 = self.m2 + m2 + delta * delta * (self.n * k / n)
        self.total = self.total + sums
        self.n = n

    def index(self, name: str) -> int:
        return self.names.index(name)

    def mean(self, name: str) -> float:
        return float(self.total[self.index(name)] / self.n) if self.n else math.nan

    def std(self, name: str) -> float:
        """Sample standard deviation (ddof 1); NaN below two runs."""
        if self.n < 2:
            return math.nan
        return float(math.sqrt(self.m2[self.index(name)] / (self.n - 1)))

    def interval(self, name: str) -> tuple[float, float, float]:
        """Mean and its 95% normal interval (as `outcomes.mean_interval`)."""
        if self.n == 0:
            return (math.nan, math.nan, math.nan)
        mean = self.mean(name)
        half = Z95 * self.std(name) / math.sqrt(self.n) if self.n > 1 else math.nan
        return (mean, mean - half, mean + half)

    def state(self) -> dict[str, object]:
        self.flush()
        return {
            "names": list(self.names),
            "n": self.n,
            "total": self.total.tolist(),
            "m2": self.m2.tolist(),
        }

    @classmethod
    def restore(cls, state: dict[str, object]) -> Moments:
        names = [str(x) for x in state["names"]]  # type: ignore[attr-defined]
        moments = cls(names, window=0)
        moments.n = int(state["n"])  # type: ignore[call-overload]
        moments.total = np.array(state["total"], dtype=np.float64)
        moments.m2 = np.array(state["m2"], dtype=np.float64)
        return moments


class Sums(Windowed):
    """Sums of many figures (e.g. cargo by site and fate), in fixed windows of runs."""

    def __init__(self, width: int, window: int = SUM_WINDOW):
        super().__init__(width, window)
        self.n = 0
        self.total = np.zeros(width)

    def _fold(self, rows: np.ndarray) -> None:
        self.total = self.total + rows.sum(axis=1)
        self.n += rows.shape[1]


class Tally:
    """The distribution of one figure over runs: counts of distinct values (exact), or of
    log-spaced bins once there are more than `MAX_EXACT` distinct values. Values are >= 0
    or +inf (a day never reached)."""

    MIN_PENDING = 4_096  # values held at least before they are merged into the counts

    def __init__(self) -> None:
        self._keys = np.zeros(0, dtype=np.float64)  # sorted values, or bin numbers if binned
        self._counts = np.zeros(0, dtype=np.int64)
        self._pending: list[np.ndarray] = []
        self._pending_size = 0
        self._binned = False

    @property
    def keys(self) -> np.ndarray:
        self._merge()
        return self._keys

    @property
    def counts(self) -> np.ndarray:
        self._merge()
        return self._counts

    @property
    def binned(self) -> bool:
        self._merge()
        return self._binned

    @property
    def n(self) -> int:
        return int(self.counts.sum())

    def add(self, values: np.ndarray) -> None:
        """Count the values of more runs (in any order: counts do not depend on it)."""
        values = np.asarray(values, dtype=np.float64).ravel()
        if not values.size:
            return
        self._pending.append(values.copy())
        self._pending_size += values.size
        # As many pending values as distinct ones kept: merging costs O(n log n) overall,
        # and a tally of few values (days) holds few pending ones.
        if self._pending_size >= max(self.MIN_PENDING, self._keys.size):
            self._merge()

    def _merge(self) -> None:
        if not self._pending:
            return
        values = np.concatenate(self._pending)
        self._pending, self._pending_size = [], 0
        keys = _bins(values) if self._binned else values
        merged = np.concatenate([self._keys, keys])
        weights = np.concatenate([self._counts, np.ones(keys.size, dtype=np.int64)])
        self._keys, inverse = np.unique(merged, return_inverse=True)
        self._counts = np.bincount(inverse, weights=weights, minlength=self._keys.size).astype(
            np.int64
        )
        if not self._binned and self._keys.size > MAX_EXACT:
            keys, inverse = np.unique(_bins(self._keys), return_inverse=True)
            self._counts = np.bincount(inverse, weights=self._counts, minlength=keys.size).astype(
                np.int64
            )
            self._keys, self._binned = keys, True

    def values(self) -> np.ndarray:
        """The distinct values (a binned tally: its bins' midpoints), ascending."""
        return _midpoints(self.keys) if self.binned else self.keys

    def at_rank(self, rank: int) -> float:
        """The value of 0-based rank `rank` in the sorted runs."""
        cum = np.cumsum(self.counts)
        return float(self.values()[int(np.searchsorted(cum, rank, side="right"))])

    def quantile(self, q: float, *, method: str = "inverted_cdf") -> float:
        """Quantile `q` as `numpy.quantile(all runs, q, method=...)` ('inverted_cdf' or
        'linear'); NaN without runs."""
        n = self.n
        if n == 0:
            return math.nan
        if method == "inverted_cdf":
            index = n * q - 1  # numpy's _inverted_cdf
            below = math.floor(index)
            rank = below if index - below == 0 else below + 1
            return self.at_rank(min(max(rank, 0), n - 1))
        virtual = (n - 1) * q  # numpy's virtual index of 'linear'
        lo = min(max(math.floor(virtual), 0), n - 1)
        t = virtual - math.floor(virtual)
        a, b = self.at_rank(lo), self.at_rank(min(lo + 1, n - 1))
        diff = b - a  # numpy's _lerp
        return b - diff * (1 - t) if t >= 0.5 else a + diff * t

    def interval(self, q: float) -> tuple[float, float, float]:
        """Quantile `q` and its 95% distribution-free interval (as
        `outcomes.quantile_interval`)."""
        n = self.n
        if n == 0:
            return (math.nan, math.nan, math.nan)
        half = Z95 * math.sqrt(n * q * (1 - q))
        lo = int(max(0, math.floor(n * q - half)))
        hi = int(min(n - 1, math.ceil(n * q + half)))
        return (self.quantile(q), self.at_rank(lo), self.at_rank(hi))

    def count_below(self, limit: float) -> int:
        """Runs whose value is below `limit`."""
        return int(self.counts[self.values() < limit].sum())

    def finite(self) -> Tally:
        """The same distribution without the runs that never got there (inf)."""
        kept = Tally()
        mask = np.isfinite(self.values())
        kept._keys, kept._counts, kept._binned = self.keys[mask], self.counts[mask], self.binned
        return kept

    def mean(self) -> float:
        values = self.values()
        return float((values * self.counts).sum() / self.n) if self.n else math.nan

    @classmethod
    def restore(cls, values: np.ndarray, counts: np.ndarray, binned: bool) -> Tally:
        tally = cls()
        values = np.asarray(values, dtype=np.float64)
        tally._keys = _bins_of_midpoints(values) if binned else values
        tally._counts = np.asarray(counts, dtype=np.int64)
        tally._binned = binned
        return tally


def count_into(hist: np.ndarray, cells: np.ndarray) -> None:
    """Add one to `hist` at each of the flat cell indices `cells`, in place.

    Integer counts come out the same in any order, and adding each cell costs what the block
    has cells, where a bincount as long as the histogram (per-day histograms hold days x
    4,097 bins) costs its whole size on every block."""
    cells = np.asarray(cells).ravel()
    if cells.size and cells.min() < 0:  # as bincount refuses them (add.at would wrap)
        raise ValueError("a histogram's cells are counted from 0")
    flat = hist.reshape(-1)
    np.add.at(flat, cells, 1)
    if not np.shares_memory(flat, hist):  # a histogram not laid out flat: copy the counts back
        hist[...] = flat.reshape(hist.shape)


def _bins(values: np.ndarray) -> np.ndarray:
    """Bin numbers (as float64, to share the sorted-keys array): the value's bits without
    their low mantissa bits, which orders like the value for values >= 0."""
    if np.any(values < 0) or np.any(np.isnan(values)):
        raise ValueError("a tally holds values >= 0 (or +inf)")
    bits = (values + 0.0).view(np.int64)  # + 0.0: -0.0 becomes 0.0
    return (bits >> _SHIFT).astype(np.float64)


def _midpoints(bins: np.ndarray) -> np.ndarray:
    keys = bins.astype(np.int64)
    low = (keys << _SHIFT).view(np.float64)
    high = ((keys + 1) << _SHIFT).view(np.float64)
    mid = low + (high - low) / 2
    return np.where(np.isinf(low), np.inf, np.where(low == 0, 0.0, mid))


def _bins_of_midpoints(values: np.ndarray) -> np.ndarray:
    return _bins(values)  # a midpoint lies inside its own bin

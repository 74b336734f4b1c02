"""`plan/terms.py`: lane terms land at the site and in the period each lane names."""

from __future__ import annotations

from collections import Counter

import linopy
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from drawdown.plan.terms import to_sites

# Masked slots add nothing to a sum: linopy's legacy semantics, as the model builds them.
pytestmark = pytest.mark.filterwarnings("ignore::linopy.config.LinopySemanticsWarning")

SITE_OF_LANE = ("s1", "exit", "s1", "s2")
# Period each lane's term of period s lands in (-1 or past the horizon: dropped).
PERIOD_OF = np.array([[1, 2, 3, 4], [0, 1, 2, 3], [0, 0, 2, -1], [3, 3, 3, 3]])


def _model() -> tuple[linopy.Model, linopy.Variable]:
    m = linopy.Model()
    coords = [
        pd.Index(["a", "b"], name="commodity"),
        pd.RangeIndex(4, name="lane"),
        pd.RangeIndex(4, name="period"),
    ]
    mask = np.ones((2, 4, 4), dtype=bool)
    mask[1, 3, :] = False  # "b" never on lane 3
    x = m.add_variables(lower=0, coords=coords, name="x", mask=xr.DataArray(mask, coords=coords))
    return m, x


def _terms(expr: linopy.LinearExpression, **at: object) -> Counter[tuple[int, float]]:
    cell = expr.data.sel(at)
    return Counter(
        (int(v), float(c))
        for v, c in zip(cell.vars.values.ravel(), cell.coeffs.values.ravel(), strict=True)
        if v >= 0
    )


def _expected(
    x: linopy.Variable, site: str, t: int, commodities: list[int], coeff: float
) -> Counter[tuple[int, float]]:
    labels = x.labels.values
    out: Counter[tuple[int, float]] = Counter()
    for k in commodities:
        for lane, name in enumerate(SITE_OF_LANE):
            for s in range(4):
                if name == site and PERIOD_OF[lane, s] == t and labels[k, lane, s] >= 0:
                    out[(int(labels[k, lane, s]), coeff)] += 1
    return out


@pytest.mark.parametrize("site", ["s1", "s2"])
@pytest.mark.parametrize("t", range(4))
def test_each_lane_lands_at_its_site_in_its_period(site: str, t: int) -> None:
    """Per commodity, a site's sum in period t holds exactly the lane terms sent its way then;
    lanes to other sites (the exit) and periods past the horizon are dropped."""
    m, x = _model()
    got = to_sites(m, 2 * x, SITE_OF_LANE, ["s1", "s2"], "node", period_of=PERIOD_OF)
    assert got.coord_dims == ("commodity", "node", "period")
    for k, name in enumerate(["a", "b"]):
        assert _terms(got, commodity=name, node=site, period=t) == _expected(x, site, t, [k], 2.0)


def test_total_sums_a_leading_dim_and_default_keeps_the_period() -> None:
    """`total` sums over commodities; without `period_of` a term stays in its own period."""
    m, x = _model()
    got = to_sites(m, x, SITE_OF_LANE, ["s2"], "site", period_of=PERIOD_OF, total="commodity")
    assert got.coord_dims == ("site", "period")
    assert _terms(got, site="s2", period=3) == _expected(x, "s2", 3, [0, 1], 1.0)
    same = to_sites(m, x, SITE_OF_LANE, ["s2"], "site")
    labels = x.labels.values
    assert _terms(same, commodity="a", site="s2", period=1) == Counter(
        {(int(labels[0, 3, 1]), 1.0): 1}
    )

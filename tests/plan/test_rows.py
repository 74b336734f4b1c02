"""`Rows` builds the rows linopy's arithmetic would: the same terms in the same order.

The strategic model's plans stay the same only while the matrix HiGHS reads does, so each
operation is checked against the linopy expression it replaces (a linopy upgrade that lays
its terms out differently fails here, not in a changed plan).
"""

from __future__ import annotations

import warnings

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from drawdown.plan.build import Rows, _SemanticsWarning


def _model() -> tuple[linopy.Model, linopy.Variable, linopy.Variable, xr.DataArray]:
    m = linopy.Model()
    kind = pd.Index(["a", "b", "c"], name="commodity")
    node = pd.Index(["n1", "n2"], name="node")
    period = pd.RangeIndex(4, name="period")
    x = m.add_variables(lower=0, coords=[kind, node, period], name="x")
    y = m.add_variables(lower=0, coords=[node, period], name="y")
    rng = np.random.default_rng(7)
    weight = xr.DataArray(rng.uniform(0.1, 3.0, (3, 2)), coords=[kind, node])
    return m, x, y, weight


def _terms(con: linopy.constraints.ConstraintBase) -> list[tuple[bytes, bytes, float]]:
    """Each row's (variables, coefficients, rhs), padding dropped."""
    labels = con.labels.values.reshape(-1)
    vars_ = con.vars.values.reshape(labels.size, -1)
    coeffs = con.coeffs.values.reshape(labels.size, -1)
    rhs = np.broadcast_to(con.rhs.values, con.labels.shape).reshape(-1)
    out = []
    for i in np.flatnonzero(labels >= 0):
        keep = vars_[i] >= 0
        out.append((vars_[i][keep].tobytes(), coeffs[i][keep].tobytes(), float(rhs[i])))
    return out


def test_rows_lay_out_terms_as_linopy_does() -> None:
    """Products, sums over a dim, shifts, cumulative sums, selections and constants give the
    rows, coefficients and right-hand sides of the same linopy expression."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", _SemanticsWarning)
        m, x, y, weight = _model()
        first = xr.DataArray([1.0, 0.0, 0.0, 0.0], coords=[y.labels.indexes["period"]])
        people = x.sel(commodity=["a", "b"]).sum("commodity")
        lhs = (
            people - y.shift(period=-1) * weight.sel(commodity="c") + (x * weight).sum("commodity")
        )
        m.add_constraints(lhs - y.cumsum("period") <= 5.0, name="linopy")
        m.add_constraints(x - x.shift(period=1) == first * 2.0, name="linopy_shift")

        rx, ry = Rows.of(x), Rows.of(y)
        rows = (
            rx.sel("commodity", ["a", "b"]).sum("commodity")
            - ry.shift("period", -1) * weight.sel(commodity="c")
            + (rx * weight).sum("commodity")
        )
        (rows - ry.cumsum("period")).constrain(m, "<=", 5.0, "rows")
        start = Rows(rx.coords, rx.vars[..., :0], rx.coeffs[..., :0], np.zeros(rx.const.shape))
        shifted = rx - rx.shift("period", 1) - start.plus(first * 2.0)
        shifted.constrain(m, "=", 0.0, "rows_shift")

    for ours, theirs in (("rows", "linopy"), ("rows_shift", "linopy_shift")):
        a, b = m.constraints[ours], m.constraints[theirs]
        assert a.labels.dims == b.labels.dims
        assert a.labels.shape == b.labels.shape
        assert _terms(a) and _terms(a) == _terms(b)

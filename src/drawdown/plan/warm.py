"""A re-plan warm-started from a previous plan: what a plan records for it and how it is read.

After a one-parameter change (10% more trucks, another approval rate) the previous plan is
mostly still good. A plan therefore records three things from the model solution it was laid
out from: the first closed period of each garrisoned site (`model_closes`), the whole
convoys of each whole-convoy lane by period (`model_convoys`, keyed by `lane_key` so that
a model built again for the changed scenario finds its own lanes in it) and the optimal
basis of the model's LP relaxation (`model_basis`, `encode_basis`). A warm re-plan gives
the closure search the previous order as a start and a shorter budget, its first LP the
previous basis, and the rounding the previous convoys (see `closures.WARM_LP_SOLVES`,
`rounding.round_convoys`). Whatever no longer applies (another horizon, a lane the new model
lacks, a model of another shape) is left out. The
plan stays a function of its inputs: the same scenario, options and previous plan give the
same plan, but it may differ from a cold plan of the same scenario.
"""

from __future__ import annotations

import base64
import zlib

import numpy as np

from drawdown.network import IntArray
from drawdown.plan.build import PlanData, Strategic, whole_convoy_lanes
from drawdown.plan.closures import LpBasis
from drawdown.plan.model import Plan
from drawdown.plan.solve import _values


def lane_key(data: PlanData, lane: int) -> str:
    """A lane as a planner names it and a model built again finds it: asset, origin,
    destination and the links it takes (`truck:ctg gao>niamey via gao-ansongo,...`)."""
    lanes = data.lanes
    assert lanes is not None
    legs = data.network.routes[int(lanes.route[lane])].legs
    via = ",".join(data.scenario.links[li].id for li, _forward in legs)
    return f"{lanes.asset[lane]} {lanes.origin[lane]}>{lanes.destination[lane]} via {via}"


def model_closes(strategic: Strategic) -> dict[str, int]:
    """First closed period per garrisoned site in the solution the table was laid out from."""
    var = strategic.model.variables["open"]
    sites = [str(s) for s in var.coords["node"].values]
    is_open = _values(strategic, "open") > 0.5
    return {s: int(row.sum()) for s, row in zip(sites, is_open, strict=True)}


def model_convoys(strategic: Strategic) -> dict[str, list[int]]:
    """Whole convoys by period on each whole-convoy lane, when the table was laid out from
    the rounded solution (else nothing: relaxed counts are no start for a rounding)."""
    if strategic.relaxed is None:
        return {}
    data = strategic.data
    counts = np.rint(_values(strategic, "convoys_relaxed")).astype(np.int64)
    return {
        lane_key(data, int(li)): [int(c) for c in counts[li]]
        for li in np.flatnonzero(whole_convoy_lanes(data))
    }


def warm_closes(data: PlanData, strategic: Strategic, previous: Plan) -> IntArray | None:
    """The previous plan's closure order as first closed periods, where it still applies.

    The model's own closure periods when the previous plan recorded them; else a site open
    through the period holding its closure day closes in the next one. None when the previous
    plan does not cover the same garrisoned sites or horizon.
    """
    sites = [str(s) for s in strategic.model.variables["open"].coords["node"].values]
    if previous.horizon_days != data.scenario.horizon_days:
        return None
    recorded = getattr(previous.solver, "model_closes", None) or {}
    if sites and all(s in recorded for s in sites):
        return np.array([recorded[s] for s in sites], dtype=np.int64)
    if any(s not in previous.closure_day for s in sites):
        return None
    days = np.clip([previous.closure_day[s] for s in sites], 0, data.scenario.horizon_days - 1)
    return (data.period_of_day[days] + 1).astype(np.int64)


def warm_convoys(data: PlanData, previous: Plan) -> np.ndarray | None:
    """The previous plan's whole convoys as (whole-convoy lanes, periods) of this model, NaN
    where a lane is new; None when nothing applies (no record, another period layout)."""
    recorded = getattr(previous.solver, "model_convoys", None) or {}
    if not recorded or previous.horizon_days != data.scenario.horizon_days:
        return None
    whole = np.flatnonzero(whole_convoy_lanes(data))
    out = np.full((whole.size, data.n_periods), np.nan)
    for row, li in enumerate(whole):
        counts = recorded.get(lane_key(data, int(li)))
        if counts is not None and len(counts) == data.n_periods:
            out[row] = counts
    return out if np.isfinite(out).any() else None


def encode_basis(basis: LpBasis | None) -> str:
    """A basis as text for the plan's record: "columns,rows," and the status codes, one byte
    each, deflated and in base64 (MINUSMA's 27,700 codes take 3 kB)."""
    if basis is None:
        return ""
    cols, rows = basis
    packed = zlib.compress(np.concatenate([cols, rows]).astype(np.uint8).tobytes(), 9)
    return f"{cols.size},{rows.size},{base64.b64encode(packed).decode('ascii')}"


def warm_basis(previous: Plan) -> LpBasis | None:
    """The previous plan's relaxation basis (`encode_basis`); None if it recorded none or the
    text is not one (a hand-edited plan file loses only the head start)."""
    text = getattr(previous.solver, "model_basis", "") or ""
    try:
        n_cols, n_rows, packed = text.split(",", 2)
        codes = np.frombuffer(zlib.decompress(base64.b64decode(packed)), dtype=np.uint8)
        cols, rows = int(n_cols), int(n_rows)
    except (ValueError, zlib.error):  # binascii.Error is a ValueError
        return None
    if codes.size != cols + rows or cols < 0 or rows < 0:
        return None
    return codes[:cols].copy(), codes[cols:].copy()

"""Linear terms over lanes summed into sites: the strategic model's one piece of plumbing.

Departures, arrivals, escort use and lift use all sum terms of (lane, period) into the site
(node, corridor, airport) each lane names, some in a later period. linopy's groupby and
shift build such a sum from many aligned xarray objects (~10 ms each, one per arrival lag);
`to_sites` builds it once from the label arrays, with the same terms.
"""

from __future__ import annotations

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from drawdown.network import IntArray


def to_sites(
    m: linopy.Model,
    terms: linopy.Variable | linopy.LinearExpression,
    site_of_lane: tuple[str, ...],
    sites: list[str],
    dim: str,
    *,
    period_of: IntArray | None = None,
    total: str | None = None,
) -> linopy.LinearExpression:
    """Lane terms summed by the site each lane names, as one expression over (site, period).

    `terms` has dims (..., lane, period). Each lane's term of period s lands at its site in
    period `period_of[lane, s]` (default s; outside the horizon it is dropped, as a shift
    would drop it), and `total` (a leading dim) is summed over. Built from the label arrays
    in one go: a groupby and a shift per arrival lag cost ~10 ms each in xarray alignment.
    """
    expr = terms.to_linexpr() if isinstance(terms, linopy.Variable) else terms
    src = expr.data.transpose(..., "lane", "period", "_term")
    assert not np.any(src.const.values), "lane terms carry no constant"
    lead = [str(d) for d in src.vars.dims[:-3]]
    labels = src.vars.values
    coeffs = src.coeffs.values
    L, T, n = labels.shape[-3:]
    lead_shape = labels.shape[:-3]
    pos = {site: i for i, site in enumerate(sites)}
    site = np.array([pos.get(x, -1) for x in site_of_lane], dtype=np.int64)
    when = np.broadcast_to(np.arange(T), (L, T)) if period_of is None else period_of
    cell = np.where((site[:, None] >= 0) & (when >= 0) & (when < T), site[:, None] * T + when, -1)
    kept = [d for d in lead if d != total]
    kept_shape = [src.sizes[d] for d in kept]
    n_kept = int(np.prod(kept_shape)) if kept else 1
    if kept:
        grid = np.indices(lead_shape).reshape(len(lead), -1)
        lead_idx = np.ravel_multi_index(tuple(grid[lead.index(d)] for d in kept), kept_shape)
    else:
        lead_idx = np.zeros(int(np.prod(lead_shape)), dtype=np.int64)
    size = len(sites) * T
    target = np.where(
        cell[None, :, :, None] >= 0,
        lead_idx[:, None, None, None] * size + cell[None, :, :, None],
        -1,
    )
    target = np.broadcast_to(target, (lead_idx.size, L, T, n)).ravel()
    flat_labels = labels.reshape(-1)
    ok = (flat_labels >= 0) & (target >= 0)
    tgt, lab, coef = target[ok], flat_labels[ok], coeffs.reshape(-1)[ok]
    order = np.argsort(tgt, kind="stable")
    tgt, lab, coef = tgt[order], lab[order], coef[order]
    counts = np.bincount(tgt, minlength=n_kept * size)
    width = max(int(counts.max()) if counts.size else 0, 1)
    slot = np.arange(tgt.size) - (np.cumsum(counts) - counts)[tgt]
    out_vars = np.full((n_kept * size, width), -1, dtype=labels.dtype)
    out_coeffs = np.zeros((n_kept * size, width))
    out_vars[tgt, slot] = lab
    out_coeffs[tgt, slot] = coef
    shape = [*kept_shape, len(sites), T, width]
    dims = [*kept, dim, "period", "_term"]
    coords = {d: src.indexes[d] for d in kept}
    coords[dim] = pd.Index(sites, name=dim)
    coords["period"] = src.indexes["period"]
    ds = xr.Dataset(
        {
            "vars": (dims, out_vars.reshape(shape)),
            "coeffs": (dims, out_coeffs.reshape(shape)),
        },
        coords=coords,
    )
    return linopy.LinearExpression(ds, m)

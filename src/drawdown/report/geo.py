"""The bundled country outlines (Natural Earth 1:50m, public domain), read offline."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np
from matplotlib.path import Path as MplPath

from drawdown.report.figure_data import Outline

ASSET = "africa-west-north-50m.geojson"


@lru_cache(maxsize=1)
def _countries() -> tuple[tuple[str, tuple[np.ndarray, ...]], ...]:
    text = resources.files("drawdown.report").joinpath("assets").joinpath(ASSET).read_text("utf-8")
    out = []
    for feature in json.loads(text)["features"]:
        rings = tuple(
            np.asarray(polygon[0], dtype=float)  # outer rings: islands of lakes are not drawn
            for polygon in feature["geometry"]["coordinates"]
        )
        out.append((str(feature["properties"]["name"]), rings))
    return tuple(out)


def outlines(
    extent: tuple[float, float, float, float], points: list[tuple[float, float]]
) -> tuple[Outline, ...]:
    """Countries whose outline meets `extent`; the one holding most `points` is the host."""
    west, east, south, north = extent
    chosen: list[tuple[str, tuple[np.ndarray, ...], int]] = []
    for name, rings in _countries():
        kept = tuple(
            r
            for r in rings
            if r[:, 0].max() >= west
            and r[:, 0].min() <= east
            and r[:, 1].max() >= south
            and r[:, 1].min() <= north
        )
        if not kept:
            continue
        xy = np.asarray(points, dtype=float).reshape(-1, 2)
        hits = int(sum(MplPath(r).contains_points(xy).sum() for r in kept)) if points else 0
        chosen.append((name, kept, hits))
    best = max((c[2] for c in chosen), default=0)
    return tuple(
        Outline(name=name, rings=rings, host=best > 0 and hits == best)
        for name, rings, hits in chosen
    )

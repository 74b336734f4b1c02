"""Map of the mission: country borders, routes coloured by threat, sites sized by people."""

from __future__ import annotations

import math

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon

from drawdown.report._style import INK, MUTED, axis
from drawdown.report.figure_data import MapData
from drawdown.report.scenario_data import short_name

_MARKERS = {"base": "o", "hub": "s", "exit": "^", "waypoint": "."}
_SITE_FILL = {"base": "#ffffff", "hub": "#1f4e79", "exit": "#2e7d32", "waypoint": MUTED}


def plot_map(data: MapData, *, ax: Axes | None = None) -> Axes:
    """Draw the theatre: borders, routes by threat, sites by people, closure order."""
    ax = axis(ax)
    west, east, south, north = data.extent
    ax.set_facecolor("#e8f0f6")  # sea
    for outline in data.outlines:
        for ring in outline.rings:
            ax.add_patch(
                Polygon(
                    ring,
                    closed=True,
                    facecolor="#f3efe6" if outline.host else "#fafafa",
                    edgecolor="#9a9a9a",
                    linewidth=0.9 if outline.host else 0.5,
                    zorder=1,
                )
            )
    _label_host(ax, data)

    threats = [r.incidents_per_convoy for r in data.routes if r.mode != "air"]
    norm = Normalize(vmin=0.0, vmax=max(threats) if threats and max(threats) > 0 else 1.0)
    cmap = colormaps["YlOrRd"]
    for route in data.routes:
        if route.mode == "air":
            if route.planned_convoys:
                ax.plot(
                    route.lons,
                    route.lats,
                    color="#5b8fc7",
                    linewidth=0.8,
                    linestyle=(0, (3, 2)),
                    alpha=0.8,
                    zorder=2,
                )
            continue
        colour = cmap(0.15 + 0.85 * norm(route.incidents_per_convoy))
        width = 1.5 + 2.0 * math.log1p(route.planned_convoys) / math.log1p(200)
        ax.plot(
            route.lons, route.lats, color=colour, linewidth=width, zorder=3, solid_capstyle="round"
        )

    people = np.array([s.people for s in data.sites], dtype=float)
    scale = 380.0 / math.sqrt(max(float(people.max(initial=0.0)), 1.0))
    for site in data.sites:
        size = 30.0 + scale * math.sqrt(max(site.people, 0)) if site.kind != "waypoint" else 8.0
        ax.scatter(
            [site.lon],
            [site.lat],
            s=size,
            marker=_MARKERS.get(site.kind, "o"),
            facecolor=_SITE_FILL.get(site.kind, "#fff"),
            edgecolor=INK,
            linewidth=0.8,
            zorder=5,
            alpha=0.9,
        )
        if site.kind == "waypoint":
            continue
        text = short_name(site.name)
        if site.closure_rank is not None:
            text = f"{site.closure_rank}. {text}"
        ax.annotate(
            text,
            (site.lon, site.lat),
            xytext=(5, -9) if site.kind == "exit" else (5, 4),
            textcoords="offset points",
            fontsize=7,
            color=INK,
            zorder=6,
        )

    for lon, lat, text in data.off_map:
        ax.annotate(
            short_name(text),
            (lon, lat),
            xytext=(0, 0),
            textcoords="offset points",
            fontsize=6.5,
            color=MUTED,
            ha="right" if lon > (west + east) / 2 else "left",
            va="top" if lat > (south + north) / 2 else "bottom",
            style="italic",
            zorder=6,
        )
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1.0 / math.cos(math.radians((south + north) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#bbbbbb")

    sm = ScalarMappable(norm=norm, cmap=cmap)
    bar = ax.figure.colorbar(sm, ax=ax, shrink=0.6, pad=0.01, fraction=0.04)
    bar.set_label("expected incidents per road convoy", fontsize=7)
    bar.ax.tick_params(labelsize=7)
    ax.legend(handles=_legend(), loc="upper left", fontsize=6.5, framealpha=0.9)
    ax.text(
        0.995,
        0.995,
        data.attribution,
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=5.5,
        color=MUTED,
    )
    ax.set_title("Sites, routes and threat (numbers: closure order in the plan)", fontsize=9)
    return ax


def _label_host(ax: Axes, data: MapData) -> None:
    west, east, south, north = data.extent
    for outline in data.outlines:
        if not outline.host:
            continue
        ring = max(outline.rings, key=len)
        lon, lat = float(np.mean(ring[:, 0])), float(np.mean(ring[:, 1]))
        if west < lon < east and south < lat < north:
            ax.text(
                lon,
                lat,
                outline.name.upper(),
                fontsize=11,
                color="#c9bfa8",
                ha="center",
                va="center",
                zorder=1.5,
                fontweight="bold",
            )


def _legend() -> list[Line2D]:
    def marker(kind: str, label: str) -> Line2D:
        return Line2D(
            [],
            [],
            marker=_MARKERS[kind],
            linestyle="",
            markersize=6,
            markerfacecolor=_SITE_FILL[kind],
            markeredgecolor=INK,
            label=label,
        )

    return [
        marker("base", "base (size: people)"),
        marker("hub", "hub"),
        marker("exit", "exit"),
        Line2D([], [], color="#5b8fc7", linestyle=(0, (3, 2)), label="planned flights"),
    ]

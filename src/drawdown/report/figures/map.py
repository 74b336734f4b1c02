"""Map of the mission: country borders, routes coloured by threat, sites sized by people."""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Polygon
from matplotlib.text import Text

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
    labels, points = [], []
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
        labels.append(ax.text(site.lon, site.lat, text, fontsize=7, color=INK, zorder=6))
        points.append((site.lon, site.lat))

    for lon, lat, text in data.off_map:
        label = ax.text(
            lon,
            lat,
            short_name(text),
            fontsize=6.5,
            color=MUTED,
            ha="right" if lon > (west + east) / 2 else "left",
            va="top" if lat > (south + north) / 2 else "bottom",
            style="italic",
            zorder=6,
        )
        labels.append(label)
        points.append((lon, lat))
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1.0 / math.cos(math.radians((south + north) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#bbbbbb")
    _scale_bar(ax, data.extent, [(site.lon, site.lat) for site in data.sites])

    sm = ScalarMappable(norm=norm, cmap=cmap)
    bar = ax.figure.colorbar(sm, ax=ax, shrink=0.6, pad=0.01, fraction=0.04)
    bar.set_label("expected incidents per road convoy", fontsize=7)
    bar.ax.tick_params(labelsize=7)
    # Below the map, not on it: a legend inside hid sites in the corner it took.
    ax.legend(
        handles=_legend(),
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=4,
        fontsize=6.5,
        frameon=False,
    )
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
    _spread_labels(ax, labels, points)
    return ax


#: Where adjustText put the names, by all it depends on (the names, their sites, the axes as
#: laid out): a map redrawn with other route colours (a what-if on threats) reuses the
#: placement instead of searching again, most of the map's drawing time. Bounded.
Point = tuple[float, float]
Placement = tuple[Point, tuple[Point, Point] | None]  # a name's place, its leader's ends
_PLACED: OrderedDict[tuple[object, ...], tuple[Placement, ...]] = OrderedDict()
_PLACED_SIZE = 16


def _spread_labels(ax: Axes, labels: list[Text], points: list[tuple[float, float]]) -> None:
    """Move names apart until none overlaps another or a site (adjustText), with a thin
    leader line to its place when a name had to move far."""
    if not labels:
        return
    from adjustText import adjust_text

    figure = ax.get_figure(root=True)
    assert isinstance(figure, Figure)
    # Names sit inside the axes: they must not size the layout (on a map of three bases
    # with a far port, counting them collapsed the axes to nothing).
    for label in labels:
        label.set_in_layout(False)
    figure.draw_without_rendering()  # adjustText measures the texts as laid out
    arrowprops: dict[str, Any] = {"arrowstyle": "-", "color": MUTED, "linewidth": 0.5}
    key = _placement_key(ax, labels, points)
    placed = _PLACED.get(key)
    if placed is None:
        xs, ys = zip(*points, strict=True)
        _, arrows = adjust_text(
            labels,
            x=list(xs),
            y=list(ys),
            ax=ax,
            expand=(1.15, 1.3),
            ensure_inside_axes=True,
            iter_lim=500,  # a bound on the work, never a clock: the same labels every time
            arrowprops=arrowprops,
        )
        leaders = {id(a.patchA): a._posA_posB for a in arrows}  # noqa: SLF001 (no getter)
        placed = tuple((label.get_position(), leaders.get(id(label))) for label in labels)
        _PLACED[key] = placed
        while len(_PLACED) > _PLACED_SIZE:
            _PLACED.popitem(last=False)
    else:
        _PLACED.move_to_end(key)
        # adjustText draws once more before it measures; so does this, so the axes settle
        # on the same floats (the SVG then names the same clip box, byte for byte)
        figure.draw_without_rendering()
        for label, (position, ends) in zip(labels, placed, strict=True):  # as adjustText does
            label.set_verticalalignment("center")
            label.set_horizontalalignment("center")
            label.set_position(position)
            if ends is not None:
                start, end = ends
                ax.add_patch(
                    FancyArrowPatch(
                        posA=start,
                        posB=end,
                        patchA=label,  # type: ignore[arg-type]  # as adjustText passes it
                        transform=label.get_transform(),
                        **arrowprops,
                    )
                )
    for artist in (*ax.texts, *ax.patches):
        if artist in labels or type(artist).__name__ == "FancyArrowPatch":
            artist.set_in_layout(False)


def _placement_key(
    ax: Axes, labels: list[Text], points: list[tuple[float, float]]
) -> tuple[object, ...]:
    """What adjustText's placement depends on: each name, its place and look, the sites,
    and the axes as laid out (position, limits, data to display)."""
    texts = tuple(
        (
            t.get_text(),
            t.get_position(),
            t.get_fontsize(),
            t.get_horizontalalignment(),
            t.get_verticalalignment(),
            t.get_fontstyle(),
        )
        for t in labels
    )
    corners = ax.transData.transform([(ax.get_xlim()[0], ax.get_ylim()[0]), (1.0, 1.0)])
    size = tuple(ax.get_figure(root=True).get_size_inches())  # type: ignore[union-attr]
    return (texts, tuple(points), ax.get_position().bounds, size, corners.tobytes())


def _scale_bar(
    ax: Axes, extent: tuple[float, float, float, float], sites: list[tuple[float, float]]
) -> None:
    """A scale bar of a round number of km, about a fifth of the map's width, in the bottom
    or top-left corner with the fewest sites."""
    west, east, south, north = extent
    km_per_degree = 111.32 * math.cos(math.radians((south + north) / 2))
    width_km = (east - west) * km_per_degree
    target = width_km / 5
    step = 10 ** math.floor(math.log10(target))
    length_km = max(m * step for m in (1, 2, 5) if m * step <= target)
    length_deg = length_km / km_per_degree
    corners = {(0.04, 0.05): 0, (0.04, 0.88): 0, (0.96 - length_deg / (east - west), 0.05): 0}
    for fx, fy in corners:
        box_w, box_h = 0.3 * (east - west), 0.2 * (north - south)
        cx, cy = west + fx * (east - west), south + fy * (north - south)
        corners[(fx, fy)] = sum(
            1 for lon, lat in sites if abs(lon - cx) < box_w and abs(lat - cy) < box_h
        )
    fx, fy = min(corners, key=lambda c: corners[c])  # the first of the emptiest
    x0 = west + fx * (east - west)
    y0 = south + fy * (north - south)
    tick = 0.008 * (north - south)
    ax.plot([x0, x0 + length_deg], [y0, y0], color=INK, linewidth=2.0, zorder=7)
    for x in (x0, x0 + length_deg):
        ax.plot([x, x], [y0 - tick, y0 + tick], color=INK, linewidth=1.0, zorder=7)
    ax.text(
        x0 + length_deg / 2,
        y0 + 2 * tick,
        f"{length_km:,.0f} km",
        ha="center",
        va="bottom",
        fontsize=6.5,
        color=INK,
        zorder=7,
    )


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

"""Fan chart of a count over time (people still in theatre, TEU out of it), with the plan's
own curve when it has one."""

from __future__ import annotations

from matplotlib.axes import Axes

from drawdown.report._style import INK, PLAN, SIM, as_dates, axis, date_axis, mark_deadline, tidy
from drawdown.report.figure_data import FanData


def plot_fan(data: FanData, *, ax: Axes | None = None) -> Axes:
    """Median with nested bands (outermost first): how sure is the curve."""
    ax = axis(ax)
    x = as_dates(data.start_date, data.day)
    levels = sorted(data.quantiles)
    pairs = [(lo, hi) for lo, hi in zip(levels, levels[::-1], strict=True) if lo < hi]
    for i, (lo, hi) in enumerate(pairs):
        alpha = 0.18 + 0.2 * i
        ax.fill_between(
            x,
            data.quantiles[lo],
            data.quantiles[hi],
            color=SIM,
            alpha=alpha,
            linewidth=0,
            label=f"P{round(lo * 100)}–P{round(hi * 100)}",
        )
    if 0.5 in data.quantiles:
        ax.plot(x, data.quantiles[0.5], color=INK, linewidth=1.4, label="median")
    if data.plan is not None:
        ax.plot(x, data.plan, color=PLAN, linewidth=1.2, linestyle="--", label="plan")
    mark_deadline(ax, data.start_date, data.deadline_day)
    ax.set_ylabel(data.ylabel, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.yaxis.set_major_formatter("{x:,.0f}")
    date_axis(ax)
    tidy(ax)
    ax.legend(fontsize=7, loc=data.legend_loc, framealpha=0.9)
    ax.set_title(f"{data.title} ({data.runs} runs)", fontsize=9)
    return ax

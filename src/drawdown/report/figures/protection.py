"""Protection gap over time: civilians left without a base's cover on each day."""

from __future__ import annotations

from matplotlib.axes import Axes

from drawdown.report._style import INK, PLAN, SIM, as_dates, axis, date_axis, mark_deadline, tidy
from drawdown.report.figure_data import ProtectionData


def plot_protection(data: ProtectionData, *, ax: Axes | None = None) -> Axes:
    """Central line and P10–P90 of people uncovered per day; the area is the gap in person-days."""
    ax = axis(ax)
    x = as_dates(data.start_date, data.day)
    ax.fill_between(
        x,
        data.p10,
        data.p90,
        color=SIM,
        alpha=0.35,
        linewidth=0,
        label=f"P10–P90 ({data.runs} runs)",
    )
    ax.plot(
        x, data.centre, color=INK, linewidth=1.3, label=data.centre_label, drawstyle="steps-post"
    )
    if data.plan is not None:
        ax.plot(
            x,
            data.plan,
            color=PLAN,
            linewidth=1.1,
            linestyle="--",
            label="plan",
            drawstyle="steps-post",
        )
    mark_deadline(ax, data.start_date, data.deadline_day)
    ax.set_ylabel("civilians without protection", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.yaxis.set_major_formatter("{x:,.0f}")
    date_axis(ax)
    tidy(ax)
    ax.legend(fontsize=7, loc="upper left", framealpha=0.9)
    ax.set_title("Protection gap: people uncovered as bases close", fontsize=9)
    return ax

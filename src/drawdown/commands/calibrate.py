"""The calibrate command: incident file + scenario -> threats.csv."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from drawdown.analyse.calibrate import (
    CalibrationResult,
    Exposure,
    calibrate_threats,
    merge_threats,
    write_threats_csv,
)
from drawdown.analyse.incidents import read_incidents
from drawdown.commands.common import console
from drawdown.errors import InputError, Problem
from drawdown.scenario.io import load_scenario


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            Problem(option, text, "not a date", "write it as YYYY-MM-DD, e.g. 2022-01-01")
        ) from None


def _rates_table(result: CalibrationResult) -> Table:
    table = Table(
        title=f"Incident rates ({result.credible:.0%} credible interval)",
        title_justify="left",
        header_style="bold",
    )
    for name, justify in (("target", "left"), ("kind", "left"), ("events", "right"),
                          ("exposure", "right"), ("unit", "left"), ("mean", "right"),
                          ("low", "right"), ("high", "right")):  # fmt: skip
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    pooled = result.pooled().sort_values(["kind", "events", "mean"], ascending=[True, False, False])
    for r in pooled.itertuples():
        table.add_row(str(r.target), str(r.kind), str(r.events), f"{r.exposure:,.0f}",
                      str(r.exposure_unit), f"{r.mean:.3g}", f"{r.low:.3g}",
                      f"{r.high:.3g}")  # fmt: skip
    return table


def _unmatched_table(result: CalibrationResult) -> Table:
    table = Table(
        title=f"Events near no link or base ({len(result.unmatched)})",
        title_justify="left",
        header_style="bold",
    )
    for name in ("row", "date", "kind", "location", "lat", "lon", "why"):
        table.add_column(name)
    for r in result.unmatched.itertuples():
        table.add_row(str(r.row), f"{r.date:%Y-%m-%d}", str(r.kind), str(r.location),
                      f"{r.lat:.3f}", f"{r.lon:.3f}", str(r.reason))  # fmt: skip
    return table


def calibrate(
    events: Annotated[Path, typer.Argument(help="Incident CSV: an ACLED export or UCDP GED.")],
    scenario: Annotated[
        str, typer.Option("--scenario", "-s", help="Scenario folder or built-in name.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="threats.csv to write.")],
    format: Annotated[
        str, typer.Option("--format", help="acled, ucdp or auto (by the columns).")
    ] = "auto",
    start: Annotated[
        str | None, typer.Option(help="First day observed (default: first event).")
    ] = None,
    end: Annotated[
        str | None, typer.Option(help="Last day observed (default: last event).")
    ] = None,
    buffer_km: Annotated[
        float, typer.Option(help="Largest distance from a link for an event to count on it.")
    ] = 30.0,
    convoys_per_week: Annotated[
        float, typer.Option(help="Convoys a week assumed on every road link [E].")
    ] = 2.0,
    merge: Annotated[
        bool,
        typer.Option(help="Keep the scenario's threat rows the data does not replace."),
    ] = True,
) -> None:
    """Estimate threat rates per link and base from incident data; write a threats.csv."""
    if format not in ("acled", "ucdp", "auto"):
        raise InputError(Problem("--format", format, "unknown format", "use acled, ucdp or auto"))
    world = load_scenario(scenario)
    incidents = read_incidents(events, format)  # type: ignore[arg-type]
    span = incidents.date_range()
    first = _date(start, "--start") or (span[0] if span else world.manifest.start_date)
    last = _date(end, "--end") or (span[1] if span else world.manifest.deadline)
    result = calibrate_threats(
        world,
        incidents,
        start=first,
        end=last,
        buffer_km=buffer_km,
        exposure=Exposure(convoys_per_week=convoys_per_week),
    )
    threats = merge_threats(world.threats, result.threats) if merge else result.threats
    console.print(_rates_table(result))
    if len(result.unmatched):
        console.print(_unmatched_table(result))
    console.print(result.summary(), markup=False)
    write_threats_csv(threats, output)
    console.print(
        f"[green]✓[/green] wrote {len(threats)} threat rows ({len(result.threats)} calibrated) "
        f"to {output}"
    )


def register(app: typer.Typer) -> None:
    app.command()(calibrate)

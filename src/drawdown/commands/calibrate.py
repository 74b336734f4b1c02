"""The calibrate command: incident file + scenario -> threats.csv."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from drawdown.commands.common import console
from drawdown.commands.usage import number
from drawdown.errors import InputError, Problem
from drawdown.hxl import HELP as HXL_HELP
from drawdown.hxl import set_tagging

if TYPE_CHECKING:
    from drawdown.analyse.calibrate import CalibrationResult
    from drawdown.scenario.model import Scenario, Threat


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
    pooled = result.pooled()
    shown = pooled[pooled["pooled_events"] > 0].sort_values(
        ["kind", "events", "mean"], ascending=[True, False, False]
    )
    hidden = len(pooled) - len(shown)
    table = Table(
        title=f"Incident rates, targets with events ({result.credible:.0%} credible interval)",
        title_justify="left",
        header_style="bold",
        caption=(
            "rates per convoy-km (ied, ambush), per site-day (base_attack), per sortie "
            "(ground_fire)"
            + (f"; {hidden} targets without events are in the CSV" if hidden else "")
        ),
        caption_justify="left",
    )
    table.add_column("target", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    for name in ("events", "exposure", "rate", "low", "high"):
        table.add_column(name, justify="right", no_wrap=True)
    for r in shown.itertuples():
        events = str(r.events) if r.events == r.pooled_events else f"{r.events} ({r.pooled_events})"
        table.add_row(
            str(r.target),
            str(r.kind),
            events,
            f"{r.pooled_exposure:,.0f}",
            f"{r.mean:.2g}",
            f"{r.low:.2g}",
            f"{r.high:.2g}",
        )
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
        table.add_row(
            str(r.row),
            f"{r.date:%Y-%m-%d}",
            str(r.kind),
            str(r.location),
            f"{r.lat:.3f}",
            f"{r.lon:.3f}",
            str(r.reason),
        )
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
        str | None, typer.Option(help="First day observed (default: the first event's date).")
    ] = None,
    end: Annotated[
        str | None, typer.Option(help="Last day observed (default: last event).")
    ] = None,
    buffer_km: Annotated[
        float,
        typer.Option(
            callback=number(above=0.0),
            help="Largest distance from a link for an event to count on it.",
        ),
    ] = 40.0,
    convoys_per_week: Annotated[
        float,
        typer.Option(
            callback=number(above=0.0), help="Convoys a week assumed on every road link [E]."
        ),
    ] = 2.0,
    kinds: Annotated[
        str | None,
        typer.Option(help="Incident kinds to calibrate, comma-separated (default: every kind)."),
    ] = None,
    pool: Annotated[
        str, typer.Option(help="link, corridor, or shrink (partial pooling by corridor).")
    ] = "link",
    reporting_fraction: Annotated[
        float,
        typer.Option(
            callback=number(above=0.0, maximum=1.0),
            help="Share of real incidents the file records (0-1] [E].",
        ),
    ] = 1.0,
    involving: Annotated[
        str | None,
        typer.Option(help="Keep events with an actor of these ACLED types, e.g. 8 (external)."),
    ] = None,
    merge: Annotated[
        bool,
        typer.Option(help="Keep the scenario's threat rows the data does not replace."),
    ] = True,
    report_dir: Annotated[
        Path | None,
        typer.Option(
            "--report-dir",
            help="Results folder: writes FOLDER/calibration/ (rates, unmatched events, "
            "analysis.json); when FOLDER holds a `drawdown run` of this scenario (or of it "
            "with the threats written here), its report is rebuilt with the calibration.",
        ),
    ] = None,
    hxl: Annotated[bool, typer.Option("--hxl", help=HXL_HELP)] = False,
) -> None:
    """Estimate threat rates per link and base from incident data; write a threats.csv."""
    set_tagging(hxl)
    from drawdown.analyse.calibrate import (
        Exposure,
        calibrate_threats,
        merge_threats,
        write_threats_csv,
    )
    from drawdown.analyse.incidents import THREAT_KINDS, read_incidents
    from drawdown.output_paths import check_outputs
    from drawdown.scenario.io import load_scenario

    check_outputs({"--output": (output, "file"), "--report-dir": (report_dir, "folder")})
    if kinds is None:
        kinds = ",".join(THREAT_KINDS)
    if format not in ("acled", "ucdp", "auto"):
        raise InputError(Problem("--format", format, "unknown format", "use acled, ucdp or auto"))
    chosen = tuple(k.strip() for k in kinds.split(",") if k.strip())
    unknown = [k for k in chosen if k not in THREAT_KINDS]
    if unknown or not chosen:
        raise InputError(
            Problem(
                "--kinds",
                kinds,
                f"unknown kind(s): {', '.join(unknown) or 'none given'}",
                f"use some of: {', '.join(THREAT_KINDS)}",
            )
        )
    try:
        actor_types = (
            tuple(int(x) for x in involving.split(",") if x.strip()) if involving else None
        )
        if actor_types is not None and not all(1 <= t <= 8 for t in actor_types):
            raise ValueError("ACLED actor types are 1 to 8")
    except ValueError:
        raise InputError(
            Problem(
                "--involving",
                str(involving),
                "not a list of actor-type codes",
                "give ACLED codes 1-8, e.g. --involving 8",
            )
        ) from None
    world = load_scenario(scenario)
    if report_dir is not None:
        from drawdown.results import check_target

        check_target(report_dir, world, "calibration")
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
        kinds=chosen,
        pool=pool,
        reporting_fraction=reporting_fraction,
        involving=actor_types,
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
    if report_dir is not None:
        _to_report(report_dir, result, world, threats, output)


def _to_report(
    folder: Path,
    result: CalibrationResult,
    world: Scenario,
    threats: tuple[Threat, ...],
    output: Path,
) -> None:
    """Write FOLDER/calibration/ and rebuild FOLDER's report when it holds a run."""
    from drawdown.report import add_analysis
    from drawdown.results import CALIBRATION_DIR, save_calibration

    calibrated = world.model_copy(update={"threats": threats}).content_hash()
    note = f"Written as the threat table {output.name}"
    path = add_analysis(
        folder,
        CALIBRATION_DIR,
        lambda staged: save_calibration(
            result, staged, world, notes={"threats": note}, calibrated_hash=calibrated
        ),
    )
    console.print(f"[green]✓[/green] calibration in [bold]{folder / CALIBRATION_DIR}[/bold]")
    if path is not None:
        console.print(f"[green]✓[/green] report with the calibration section: [bold]{path}[/bold]")


def precedents(
    scenario: Annotated[
        str | None,
        typer.Argument(help="A scenario folder or a built-in name to compare with the rates."),
    ] = None,
) -> None:
    """The generic withdrawal rates re-derived from past withdrawals, beside a scenario's.

    Packing, final steps, rear parties, the threat-sized guard, charter seats and corridor
    throughput, each from dated, sourced facts of withdrawals over by 30 June 2023. Exits 1
    when the scenario uses a different value for one of them.
    """
    from drawdown.analyse.precedents import compare, derive, load_facts

    facts = load_facts()
    derived = derive(facts)
    table = Table(title="Rates derived from precedents", title_justify="left")
    table.add_column("parameter", no_wrap=True)
    table.add_column("value", justify="right")
    table.add_column("basis")
    for d in derived.values():
        table.add_row(d.parameter, f"{d.value:g}", d.basis)
    console.print(table)
    if scenario is None:
        console.print(f"facts: {len(facts)} in drawdown/analyse/data/precedent-facts.csv")
        return
    from drawdown.scenario.io import load_scenario

    world = load_scenario(scenario)
    rows = compare(world, derived)
    check = Table(title=f"{world.manifest.name} against them", title_justify="left")
    for name in ("parameter", "derived", "scenario", "same", "where"):
        check.add_column(name, no_wrap=name != "where", min_width=12 if name == "where" else None)
    for r in rows:
        # each value once (11 desert-track links at 90 would crowd out the table)
        used = ", ".join(dict.fromkeys(f"{u:g}" for u in r.used))
        used += f" ({len(r.used)} rows)" if len(r.used) > 1 else ""
        check.add_row(r.parameter, f"{r.derived:g}", used, "yes" if r.matches else "NO", r.where)
    console.print(check)
    differ = [r.parameter for r in rows if not r.matches]
    if differ:
        console.print(f"[yellow]{world.manifest.name} differs on:[/yellow] {', '.join(differ)}")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(calibrate)
    app.command()(precedents)

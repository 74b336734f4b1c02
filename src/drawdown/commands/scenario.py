"""Scenario commands: scenarios, validate, show, export, geojson, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from drawdown.commands.common import console, print_warnings
from drawdown.errors import InputError, Problem

ScenarioArg = Annotated[str, typer.Argument(help="A scenario folder or a built-in name.")]


def _table(title: str, rows: list[dict[str, Any]]) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    if not rows:
        return table
    for column in rows[0]:
        numeric = isinstance(rows[0][column], int | float)
        table.add_column(column, justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*(_cell(v) for v in row.values()))
    return table


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if value.is_integer() or abs(value) >= 100:
            return f"{value:,.0f}"
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def scenarios() -> None:
    """List the built-in scenarios."""
    from drawdown.scenario.io import builtin_names, load_scenario

    table = Table("name", "description", header_style="bold")
    for name in builtin_names():
        scenario = load_scenario(name)
        table.add_row(name, scenario.manifest.description.strip().splitlines()[0])
    console.print(table)


def validate(scenario: ScenarioArg) -> None:
    """Check a scenario and report every problem at once (exit status 2 if any error)."""
    from drawdown.scenario.io import validate_scenario
    from drawdown.scenario.summary import totals

    parsed, problems = validate_scenario(scenario)
    print_warnings(problems)
    t = totals(parsed)
    warnings = len(problems)
    console.print(
        f"[green]✓[/green] {scenario}: valid — {t['bases']} bases, {t['hubs']} hubs, "
        f"{t['exits']} exits, {t['people']:,} people, {t['containers_teu']:,.0f} TEU, "
        f"{t['vehicles']:,} vehicles, {t['horizon_days']} days"
        + (f" ({warnings} warning(s))" if warnings else "")
    )


def show(scenario: ScenarioArg) -> None:
    """Print readable summary tables: totals by site and contingent, network, assets."""
    from drawdown.scenario.io import load_scenario
    from drawdown.scenario.summary import (
        asset_rows,
        holdings_by_contingent,
        holdings_by_site,
        network_rows,
        source_rows,
        totals,
    )

    s = load_scenario(scenario)
    t = totals(s)
    console.print(
        f"[bold]{s.name}[/bold] — {s.manifest.description.strip()}\n"
        f"{t['start']} → {t['deadline']} ({t['horizon_days']} days); "
        f"{t['uniformed']:,} uniformed and {t['civilian']:,} civilian staff; "
        f"{t['containers_teu']:,.0f} TEU; {t['vehicles']:,} vehicles; "
        f"running cost ${s.manifest.running_cost_usd_per_day:,.0f}/day"
    )
    console.print(_table("Holdings by site", holdings_by_site(s)))
    console.print(_table("Holdings by contingent", holdings_by_contingent(s)))
    console.print(_table("Network (travel days dry / first rainy month)", network_rows(s)))
    console.print(_table("Assets", asset_rows(s)))
    console.print(_table("Sources (figures citing each)", source_rows(s)))


def export(
    scenario: ScenarioArg,
    directory: Annotated[Path, typer.Argument(help="Folder to write the editable copy to.")],
    force: Annotated[bool, typer.Option(help="Replace the folder if it exists.")] = False,
) -> None:
    """Write an editable copy of a scenario (YAML + CSV) to DIRECTORY."""
    from drawdown.output_paths import check_output
    from drawdown.scenario.io import load_scenario, save_scenario

    check_output(directory, kind="folder", option="DIRECTORY")
    s = load_scenario(scenario)
    if directory.exists() and any(directory.iterdir()) and not force:
        raise InputError(
            Problem(
                str(directory),
                "",
                "already exists and is not empty",
                "choose another folder or pass --force to replace it",
            )
        )
    save_scenario(s, directory)
    console.print(f"[green]✓[/green] wrote {s.name} to {directory}")


def geojson(
    scenario: ScenarioArg,
    file: Annotated[Path, typer.Argument(help="GeoJSON file to write (opens in QGIS).")],
) -> None:
    """Write the scenario's sites and links as GeoJSON."""
    from drawdown.atomic import atomic_write_text
    from drawdown.output_paths import check_output
    from drawdown.scenario.geojson import scenario_features
    from drawdown.scenario.io import load_scenario

    check_output(file, kind="file", option="FILE")
    s = load_scenario(scenario)
    collection = scenario_features(s)
    atomic_write_text(file, json.dumps(collection, indent=1, ensure_ascii=False))
    console.print(f"[green]✓[/green] wrote {len(collection['features'])} features to {file}")


def schema(
    table: Annotated[
        str | None, typer.Option(help="A table (e.g. sites) instead of the manifest.")
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
) -> None:
    """Print the JSON Schema of the scenario manifest (or of one table's rows)."""
    from drawdown.atomic import atomic_write_text
    from drawdown.output_paths import check_output
    from drawdown.scenario.model import Manifest

    if output is not None:
        check_output(output, kind="file", option="--output")
    from drawdown.scenario.tables import TABLES

    if table is None:
        data = Manifest.model_json_schema(by_alias=True)
        data["title"] = "drawdown scenario manifest (scenario.yaml)"
    else:
        names = {t.file.removesuffix(".csv"): t for t in TABLES if not t.kind_filter}
        names.update({t.attribute: t for t in TABLES if t.kind_filter})
        if table not in names:
            raise InputError(
                Problem(
                    "--table", table, "unknown table", f"use one of: {', '.join(sorted(names))}"
                )
            )
        data = names[table].model.model_json_schema(by_alias=True)
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    text = json.dumps(data, indent=2)
    if output is None:
        print(text)
    else:
        atomic_write_text(output, text + "\n")
        console.print(f"[green]✓[/green] wrote schema to {output}")


def register(app: typer.Typer) -> None:
    for command in (scenarios, validate, show, export, geojson, schema):
        app.command()(command)

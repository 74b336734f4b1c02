"""`drawdown simulate SCENARIO`: stress-test a plan by Monte Carlo and print its outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from drawdown.commands.common import as_flags, console
from drawdown.defaults import DEFAULT_SEED
from drawdown.errors import InputError, Problem

FLAGS = {"runs": "--runs", "seed": "--seed", "timelines": "--timelines"}


def simulate_command(
    scenario: Annotated[str, typer.Argument(help="A scenario folder or a built-in name.")],
    plan_dir: Annotated[
        Path | None,
        typer.Option("--plan", help="A saved plan folder (default: optimise the scenario)."),
    ] = None,
    runs: Annotated[int, typer.Option("--runs", help="Simulated runs.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed that fixes every result.")] = (
        DEFAULT_SEED
    ),
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="Write results to this folder.")
    ] = None,
    timelines: Annotated[
        bool,
        typer.Option(
            "--timelines", help="Keep people in theatre and TEU out of it by day for every run."
        ),
    ] = False,
) -> None:
    """Execute a plan many times under random disruption; print the odds and the losses."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from drawdown.output_paths import check_output
    from drawdown.plan import load_plan, optimise
    from drawdown.plan.io import check_plan_scenario
    from drawdown.scenario.io import load_scenario
    from drawdown.simulate import simulate

    if runs < 1:  # before the plan is optimised
        raise InputError(
            Problem("--runs", str(runs), "must be a positive whole number", "try 10000")
        )
    if out is not None:  # before any work: a bad path found after the runs loses them
        check_output(out, kind="folder", option="--out")
    s = load_scenario(scenario)
    if plan_dir is not None:
        plan = load_plan(plan_dir)  # refuses a plan in another format
        check_plan_scenario(plan, s, plan_dir)  # of this very scenario (name, content hash)
    else:
        plan = optimise(s)
    columns = (
        TextColumn("simulating"),
        BarColumn(bar_width=30),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress, as_flags(FLAGS):
        task = progress.add_task("runs", total=runs)
        result = simulate(
            s,
            plan,
            runs=runs,
            seed=seed,
            timelines=timelines,
            progress=lambda done, total: progress.update(task, completed=done),
            out=out,  # streamed there as runs finish; without -o only the summaries are kept
            keep_runs=False,
        )
    console.print(result.summary(), markup=False, soft_wrap=True)
    advice = result.reserve_advice(s.manifest.policy.reserve_days_before_deadline, scenario)
    if advice:
        console.print(advice, markup=False, soft_wrap=True)
    if out is not None:
        console.print(f"results written to {out}")


def register(app: typer.Typer) -> None:
    app.command(name="simulate")(simulate_command)

"""`drawdown simulate SCENARIO`: stress-test a plan by Monte Carlo and print its outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from drawdown.commands.common import atomic_dir, console
from drawdown.errors import InputError, Problem


def simulate_command(
    scenario: Annotated[str, typer.Argument(help="A scenario folder or a built-in name.")],
    plan_dir: Annotated[
        Path | None,
        typer.Option("--plan", help="A saved plan folder (default: optimise the scenario)."),
    ] = None,
    runs: Annotated[int, typer.Option("--runs", help="Simulated runs.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed that fixes every result.")] = 1,
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="Write results to this folder.")
    ] = None,
    timelines: Annotated[
        bool, typer.Option("--timelines", help="Keep people in theatre by day for every run.")
    ] = False,
) -> None:
    """Execute a plan many times under random disruption; print the odds and the losses."""
    from drawdown.scenario.io import load_scenario
    from drawdown.simulate import simulate
    from drawdown.simulate.io import save

    s = load_scenario(scenario)
    plan = _plan(s, plan_dir)
    columns = (
        TextColumn("simulating"),
        BarColumn(bar_width=30),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("runs", total=runs)
        result = simulate(
            s,
            plan,
            runs=runs,
            seed=seed,
            timelines=timelines,
            progress=lambda done, total: progress.update(task, completed=done),
        )
    console.print(result.summary(), markup=False, soft_wrap=True)
    if out is not None:
        with atomic_dir(out) as staging:
            save(result, staging)
        console.print(f"results written to {out}")


def _plan(scenario: Any, plan_dir: Path | None) -> Any:
    """The saved plan in `plan_dir`, or an optimised plan of `scenario`."""
    import drawdown.plan as plans

    if plan_dir is not None:
        load_plan = getattr(plans, "load_plan", None)
        if load_plan is None:
            raise InputError(Problem(str(plan_dir), "", "this build cannot read saved plans yet"))
        return load_plan(plan_dir)
    optimise = getattr(plans, "optimise", None)
    if optimise is None:
        raise InputError(
            Problem("--plan", "", "no planner in this build", "pass --plan with a saved plan")
        )
    return optimise(scenario)


def register(app: typer.Typer) -> None:
    app.command(name="simulate")(simulate_command)

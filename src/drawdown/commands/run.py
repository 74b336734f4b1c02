"""`drawdown run SCENARIO`: validate, optimise (and a greedy baseline), simulate, report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from drawdown.commands.common import as_flags, console, flagged, print_warnings
from drawdown.commands.usage import number
from drawdown.defaults import DEFAULT_SEED
from drawdown.hxl import HELP as HXL_HELP
from drawdown.hxl import set_tagging

if TYPE_CHECKING:
    from drawdown.errors import Problem
    from drawdown.pipeline import RunOutcome

# Kept here (not imported from drawdown.pipeline) so `drawdown --help` loads no stage; a test
# checks they are the library's defaults.
DEFAULT_RUNS = 5000
DEFAULT_TIME_LIMIT_S = 120.0  # a safety net: the planner ends on gaps and counts
FLAGS = {"runs": "--runs", "seed": "--seed", "time_limit_s": "--time-limit"}
LABELS = {
    "validate": "Validate the scenario",
    "baseline": "Greedy baseline (for the gain)",
    "optimise": "Optimise the plan",
    "simulate": "Simulate {runs:,} runs",
    "report": "Write the report",
}


def run(
    scenario: Annotated[str, typer.Argument(help="A scenario folder or a built-in name.")],
    out: Annotated[
        Path | None,
        typer.Option("-o", "--out", help="Results folder (default: results/<scenario name>)."),
    ] = None,
    runs: Annotated[
        int, typer.Option("--runs", min=1, help="Simulated runs of the plan.")
    ] = DEFAULT_RUNS,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed that fixes every result.")] = (
        DEFAULT_SEED
    ),
    png: Annotated[
        bool, typer.Option("--png", help="Also write the figures as 1600x900 PNGs for slides.")
    ] = False,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            min=1.0,
            callback=number(minimum=1.0),
            help="Safety-net seconds for the optimiser.",
        ),
    ] = DEFAULT_TIME_LIMIT_S,
    hxl: Annotated[bool, typer.Option("--hxl", help=HXL_HELP)] = False,
) -> None:
    """Plan and stress-test a withdrawal, then write the report: the main command."""
    set_tagging(hxl)
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from drawdown.output_paths import check_output
    from drawdown.pipeline import run_scenario

    # before any work; without -o the run goes to results/<scenario name>
    check_output(out if out is not None else Path("results"), kind="folder", option="--out")

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description:<34}"),
        BarColumn(bar_width=30),
        TextColumn("{task.fields[note]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        current: dict[str, Any] = {}

        def stage(key: str, work: Callable[[], Any]) -> Any:
            total = runs if key == "simulate" else 1
            task = progress.add_task(LABELS[key].format(runs=runs), total=total, note="")
            current["task"] = task
            value = work()
            elapsed = progress.tasks[task].elapsed or 0.0
            progress.update(task, completed=total, note=f"{elapsed:.1f} s")
            return value

        def advance(done: int, total: int) -> None:
            progress.update(current["task"], completed=done, note=f"{done:,}/{total:,} runs")

        def warn(problems: list[Problem]) -> None:
            print_warnings(flagged(problems, FLAGS), limit=10)

        with as_flags(FLAGS):
            outcome = run_scenario(
                scenario,
                out,
                runs=runs,
                seed=seed,
                png=png,
                time_limit_s=time_limit,
                stage=stage,
                progress=advance,
                warn=warn,
            )
    _summary(outcome, scenario)


def _summary(outcome: RunOutcome, scenario_ref: str) -> None:
    console.print()
    for line in outcome.plan.solver.describe():
        console.print(f"plan: {line}")
    console.print(outcome.result.summary())
    advice = outcome.result.reserve_advice(
        outcome.scenario.manifest.policy.reserve_days_before_deadline, scenario_ref
    )
    if advice:
        console.print(advice, markup=False, soft_wrap=True)
    total = sum(outcome.times_s.values())
    path = outcome.report
    console.print(f"[bold]{outcome.scenario.name}[/bold]: done in {total:.1f} s")
    console.print(f"[green]✓[/green] report: [bold]{path}[/bold]", soft_wrap=True)
    console.print(
        f"  open it in a browser (works offline); data files are in {path.parent}", soft_wrap=True
    )


def register(app: typer.Typer) -> None:
    app.command()(run)

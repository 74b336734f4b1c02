"""`drawdown run SCENARIO`: validate, optimise (and a greedy baseline), simulate, report."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from drawdown.commands.common import console, err_console, print_warnings

# Sized so the built-in minusma-2023 runs end to end in well under a minute on 2 cores.
DEFAULT_RUNS = 5000
DEFAULT_SEED = 20230630
DEFAULT_TIME_LIMIT_S = 120.0  # a safety net: the planner ends on gaps and counts
T = TypeVar("T")


def run(
    scenario: Annotated[str, typer.Argument(help="A scenario folder or a built-in name.")],
    out: Annotated[
        Path | None,
        typer.Option("-o", "--out", help="Results folder (default: results/<scenario name>)."),
    ] = None,
    runs: Annotated[
        int, typer.Option("--runs", min=1, help="Simulated runs of the plan.")
    ] = DEFAULT_RUNS,
    seed: Annotated[int, typer.Option("--seed", help="Seed that fixes every result.")] = (
        DEFAULT_SEED
    ),
    png: Annotated[
        bool, typer.Option("--png", help="Also write the figures as 1600x900 PNGs for slides.")
    ] = False,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=1.0, help="Safety-net seconds for the optimiser.")
    ] = DEFAULT_TIME_LIMIT_S,
) -> None:
    """Plan and stress-test a withdrawal, then write the report: the main command."""
    from drawdown.report import build_report

    times: dict[str, float] = {}
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description:<34}"),
        BarColumn(bar_width=30),
        TextColumn("{task.fields[note]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:

        def stage(label: str, key: str, work: Callable[[], T]) -> T:
            task = progress.add_task(label, total=1, note="")
            started = time.perf_counter()
            value = work()
            times[key] = time.perf_counter() - started
            progress.update(task, completed=1, note=f"{times[key]:.1f} s")
            return value

        s = stage("Validate the scenario", "validate", lambda: _validate(scenario))
        out_dir = out if out is not None else Path("results") / s.name
        if out_dir.is_dir():  # analyses saved there must be of this scenario: refuse early
            from drawdown.report.analyses import check_analyses

            check_analyses(out_dir, s.content_hash(), s.name)
        from drawdown.plan import greedy_plan

        baseline = stage("Greedy baseline (for the gain)", "baseline", lambda: greedy_plan(s))
        plan, note = stage(
            "Optimise the plan", "optimise", lambda: _optimise(s, baseline, time_limit, seed)
        )
        result = _simulate(progress, s, plan, runs, seed, times)
        manifest = {f"{k} time": f"{v:.1f} s" for k, v in times.items()}
        if note:
            manifest["plan note"] = note
        path = stage(
            "Write the report",
            "report",
            lambda: build_report(
                s, plan, result, out_dir, baseline=baseline, manifest=manifest, png=png
            ),
        )
    _summary(s, plan, result, path, times)


def _optimise(scenario: Any, baseline: Any, time_limit_s: float, seed: int) -> tuple[Any, str]:
    """The optimised plan; when the deadline cannot be met, the planner's best plan (its
    reasons printed) so the stress test still shows the consequences."""
    from drawdown.plan import InfeasiblePlanError, NoPlanFoundError, optimise

    try:
        plan = optimise(scenario, time_limit_s=time_limit_s, with_greedy=False, seed=seed)
        for line in plan.solver.describe():
            err_console.print(f"planner: {line}")
        return plan, ""
    except InfeasiblePlanError as exc:
        if exc.best_plan is None:
            raise
        print_warnings([replace(p, severity="warning") for p in exc.problems], limit=10)
        return exc.best_plan, f"deadline cannot be met: {exc.title}; best plan reported"
    except NoPlanFoundError:
        note = (
            f"the optimiser found no plan within {time_limit_s:g} s; the greedy baseline is "
            "reported instead (allow more time with --time-limit)"
        )
        err_console.print(f"[yellow]warning:[/yellow] {note}")
        return baseline, note


def _validate(name: str) -> Any:
    """Load and check the scenario (errors raise InputError); show its warnings."""
    from drawdown.scenario.io import load_scenario, read_scenario
    from drawdown.scenario.validate import check_scenario

    scenario = load_scenario(name)
    _, problems = read_scenario(name)
    print_warnings(problems + check_scenario(scenario), limit=5)
    return scenario


def _simulate(
    progress: Progress, scenario: Any, plan: Any, runs: int, seed: int, times: dict[str, float]
) -> Any:
    from drawdown.simulate import simulate

    task = progress.add_task(f"Simulate {runs:,} runs", total=runs, note="")

    def advance(done: int, total: int) -> None:
        progress.update(task, completed=done, note=f"{done:,}/{total:,} runs")

    started = time.perf_counter()
    result = simulate(scenario, plan, runs=runs, seed=seed, progress=advance)
    times["simulate"] = time.perf_counter() - started
    progress.update(task, completed=runs, note=f"{times['simulate']:.1f} s")
    return result


def _summary(scenario: Any, plan: Any, result: Any, path: Path, times: dict[str, float]) -> None:
    console.print()
    summary = getattr(result, "summary", None)
    if callable(summary):
        console.print(summary())
    total = sum(times.values())
    console.print(f"[bold]{scenario.name}[/bold]: done in {total:.1f} s")
    console.print(f"[green]✓[/green] report: [bold]{path}[/bold]")
    console.print(f"  open it in a browser (works offline); data files are in {path.parent}")


def register(app: typer.Typer) -> None:
    app.command()(run)

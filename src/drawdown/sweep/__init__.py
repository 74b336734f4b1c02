"""Sweeps: many variants of one scenario, each stress-tested, on Dask or in this process.

`run_sweep(spec, results)` is the front door: it reads the spec (`drawdown.sweep.spec`),
expands and checks every variant against the scenario before any work
(`drawdown.sweep.variants`), runs the variants not yet finished in RESULTS/sweep/ on a
`LocalCluster`, an existing Dask cluster or in this process (`drawdown.sweep.execute`), and
writes per-run outcomes, a record per variant and the summary (`drawdown.sweep.store`).

Every variant is simulated with the sweep's seed, whatever worker runs it, so the results
are the same for any number of workers, any order of finishing and after any resume.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drawdown.sweep.spec import SweepSpec, read_spec

if TYPE_CHECKING:
    import pandas as pd

    from drawdown.scenario.model import Scenario


@dataclass(frozen=True)
class SweepResult:
    """A finished sweep: where it is, its summary table and how it went."""

    folder: Path  # RESULTS/sweep
    spec: SweepSpec
    summary: pd.DataFrame  # one row per variant (`drawdown.sweep.summary.summary_table`)
    resumed: int  # variants found finished in the folder
    ran: int  # variants run by this call
    seconds: float
    work_seconds: float  # the variants' own work on their workers, summed
    work_cpu_seconds: float  # the same in CPU time
    dashboard: str | None = None

    @property
    def failed(self) -> pd.DataFrame:
        return self.summary[self.summary["status"] != "done"]

    def summary_text(self, top: int = 10) -> str:
        """The best variants by the spec's key figure, and the failures."""
        from drawdown.analyse.compare import FIGURES, format_figure
        from drawdown.sweep.summary import ranking

        key = self.spec.rank_by
        label, unit = FIGURES[key]
        lines = [
            f"{len(self.summary)} variants x {self.spec.runs:,} runs, seed {self.spec.seed} "
            f"({self.resumed} finished before, {self.ran} run now, {self.seconds:.1f} s)",
            f"best by {label} ({unit}), mean [95% interval]:",
        ]
        for row in ranking(self.summary, key, top).itertuples():
            value = getattr(row, key)
            low, high = getattr(row, f"{key}_low"), getattr(row, f"{key}_high")
            lines.append(
                f"  {int(row.rank):>3}. [{row.variant}] {row.variant_label}: "
                f"{format_figure(value)} [{format_figure(low)}, {format_figure(high)}]"
            )
        for row in self.failed.itertuples():
            lines.append(f"  failed [{row.variant}] {row.variant_label}: {row.failure_reason}")
        return "\n".join(lines)


def scenario_of(spec: SweepSpec, spec_dir: Path | None) -> Scenario:
    """The spec's scenario: a built-in name, or a folder relative to the spec file."""
    from drawdown.scenario.io import builtin_names, load_scenario

    name = spec.scenario
    if name not in builtin_names() and spec_dir is not None and (spec_dir / name).is_dir():
        return load_scenario(spec_dir / name)
    return load_scenario(name)


def run_sweep(
    spec: SweepSpec | str | Path,
    results: str | Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool | Any = False,
    on_start: Callable[[str | None], None] | None = None,
) -> SweepResult:
    """Run (or resume) a sweep into RESULTS/sweep/ and return its summary.

    Parameters
    ----------
    spec
        A `SweepSpec` or the path of its YAML file.
    scheduler
        Address of an existing Dask scheduler (tcp://host:8786); default a `LocalCluster`.
    workers
        Local worker processes (default one per core); 0 runs in this process, without Dask.
    progress
        Show a progress bar (True, or a rich `Console` to draw it on).
    on_start
        Called with the Dask dashboard's address (None if there is none) before any variant.
    """
    from drawdown.results import check_target
    from drawdown.sweep.cluster import connect, dashboard
    from drawdown.sweep.execute import Settings, execute
    from drawdown.sweep.store import SWEEP_DIR, SweepStore, check_resumable
    from drawdown.sweep.summary import summary_table
    from drawdown.sweep.variants import check_variants, expand

    started = time.perf_counter()
    where = "sweep spec"
    spec_dir = None
    if not isinstance(spec, SweepSpec):
        where, spec_dir = str(spec), Path(spec).parent
        spec = read_spec(spec)
    scenario = scenario_of(spec, spec_dir)
    variants = expand(spec, scenario, where)
    hashes = check_variants(variants, scenario, where)  # every problem, before any work
    folder = Path(results) / SWEEP_DIR
    check_target(Path(results), scenario, SWEEP_DIR)  # a run of another scenario: refused
    check_resumable(folder, spec, scenario, len(variants))  # another sweep there: refused
    work = {"seconds": 0.0, "cpu": 0.0}
    with connect(scheduler, workers) as client:  # an unreachable scheduler: nothing written
        store = SweepStore.open(folder, spec, scenario, variants)
        records = store.finished()
        resumed = len(records)
        jobs = _jobs(spec, variants, hashes, scenario.content_hash(), set(records))
        keys = {j.plan_key for j in jobs} | {scenario.content_hash()}  # the base warm-starts
        cached = {k: m for k in keys if (m := store.cached_plan(k))}
        link = dashboard(client)
        if on_start is not None:
            on_start(link)
        bar = _bar(progress, len(variants), resumed)

        def finished(outcome: Any) -> None:
            records[outcome.index] = store.save_outcome(outcome)
            work["seconds"] += outcome.seconds
            work["cpu"] += outcome.cpu_seconds
            if bar is not None:
                runs = 0 if outcome.runs is None else len(outcome.runs)
                bar.advance(runs, outcome.status != "done")

        settings = Settings(spec.runs, spec.seed, spec.planner)
        with bar if bar is not None else nullcontext():
            execute(
                jobs,
                scenario,
                settings,
                cached,
                client,
                on_plan=store.save_plan,
                on_outcome=finished,
            )
    summary = summary_table(list(records.values()), spec.rank_by)
    store.write_summary(
        summary,
        {
            "variants": len(variants),
            "replan": spec.replan,
            "planner": spec.planner,
            "failed": int((summary["status"] != "done").sum()),
        },
    )
    return SweepResult(
        store.folder,
        spec,
        summary,
        resumed,
        len(jobs),
        time.perf_counter() - started,
        work["seconds"],
        work["cpu"],
        link,
    )


def _jobs(
    spec: SweepSpec, variants: list[Any], hashes: list[str], base_hash: str, finished: set[int]
) -> list[Any]:
    """The variants still to run, each with the scenario its plan is made for."""
    from drawdown.sweep.execute import Job

    return [
        Job(v, h, v.overrides) if spec.replan else Job(v, base_hash, ())
        for v, h in zip(variants, hashes, strict=True)
        if v.index not in finished
    ]


def _bar(progress: bool | Any, total: int, done: int) -> Any:
    if progress is False or progress is None:
        return None
    from drawdown.sweep.progress import SweepProgress

    return SweepProgress(total, done, None if progress is True else progress)


__all__ = ["SweepResult", "SweepSpec", "read_spec", "run_sweep", "scenario_of"]

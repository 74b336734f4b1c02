"""The sweep's progress bar (rich): variants done, simulated runs per second, time left."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RunsPerSecond(ProgressColumn):
    """Runs simulated per second since this sweep started (resumed variants not counted)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        runs = float(task.fields.get("runs", 0))
        rate = runs / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:,.0f} runs/s", style="cyan")


class SweepProgress:
    """Counts variants as they finish; `advance` once per finished variant."""

    def __init__(self, total: int, done: int, console: Console | None = None) -> None:
        self.progress = Progress(
            TextColumn("[bold]sweep[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("variants"),
            RunsPerSecond(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[failed]}"),
            console=console,
        )
        # resumed variants are done already: they fill the bar but not the rate or time left
        self.task = self.progress.add_task("sweep", total=total, completed=done, runs=0, failed="")
        self.failed = 0
        self.started = time.perf_counter()

    def __enter__(self) -> SweepProgress:
        self.progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.progress.stop()

    def advance(self, runs: int, failed: bool) -> None:
        self.failed += failed
        task = self.progress.tasks[0]
        self.progress.update(
            self.task,
            advance=1,
            runs=int(task.fields["runs"]) + runs,
            failed=f"[red]{self.failed} failed[/red]" if self.failed else "",
        )


__all__ = ["SweepProgress"]

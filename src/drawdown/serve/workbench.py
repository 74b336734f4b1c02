"""The workbench's state: one scenario, its plan, the baseline and the variants asked for.

Composes the public API only: the variant front door `drawdown.simulate.variant_results`
(the baseline and each what-if on the current plan, with common random numbers),
`drawdown.simulate.simulate` for a re-planned variant, the optimiser in a worker process
(`serve.replan`), the report's figure code (`serve.figures`) and the scenario and report
writers for export.

Pairing: a what-if and the baseline it is compared with are run under one layout of draws
with room for both, so run r of each reads the same uniforms. The session's layout has room
for the draws of most what-ifs, so the baseline is simulated once and a what-if only
itself; one that needs more room gets a layout rounded up to a coarse grid and a baseline
under it (a few kept). The baseline is therefore this session's sample: the same seed
through `drawdown simulate`, whose layout is sized to the baseline alone, draws another
sample of the same distribution.
"""

from __future__ import annotations

import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from drawdown.defaults import DEFAULT_SEED
from drawdown.errors import Problem
from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario
from drawdown.serve import figures
from drawdown.serve.controls import controls_json
from drawdown.serve.errors import UnknownVariant
from drawdown.serve.replan import Job, Replanner
from drawdown.serve.store import VariantRecord, VariantStore
from drawdown.serve.whatif import WhatIf, read_whatif
from drawdown.simulate.result import SimulationResult
from drawdown.simulate.variant_results import Layout, fits, rounded

if TYPE_CHECKING:
    from drawdown.simulate.inputs import Compiled

#: What an export writes that the page may fetch, by the name in its address.
EXPORTS = {"report.html": "results/report.html", "scenario.zip": "scenario.zip"}
#: Said of a what-if the current plan executes exactly as the baseline.
NO_EFFECT_NOTE = (
    "this change leaves the current plan's execution as it is (the plan fixes what it "
    "uses): Re-plan to see what it changes"
)
PAIRED_KEEP = 4  # extra baselines kept for pairing, one per (layout, runs)
#: The what-if the session's layout makes room for: the most draws a run may need short of
#: extreme threats (a what-if that needs more gets a layout, and a baseline, of its own).
ROOMY = ("clearance.*.approval=0", "threat.*.rate=*3")


@dataclass(frozen=True)
class Settings:
    """What the server was started with (none of it comes from the browser)."""

    runs: int = 2000
    max_runs: int = 20_000
    seed: int = DEFAULT_SEED
    max_variants: int = 20
    greedy: bool = False
    exports: Path = Path("drawdown-workbench")
    draw_workers: int = 0  # processes drawing figures side by side (0: in this process)
    sim_workers: int = 0  # threads sharing a what-if's runs (0 or 1: in the request's own)


def _roomy(scenario: Scenario) -> list[str]:
    """The ROOMY overrides this scenario has rows for (one without threats has none)."""
    from drawdown.errors import InputError
    from drawdown.scenario.overrides import parse_override

    found = []
    for text in ROOMY:
        try:
            parse_override(text, scenario)
        except InputError:
            continue
        found.append(text)
    return found


class Workbench:
    """Everything the server holds, and the operations the page asks for."""

    def __init__(
        self,
        scenario: Scenario,
        plan: Plan,
        settings: Settings,
        *,
        source: str = "",
        replanner: Replanner | None = None,
        drawer: figures.Drawer | None = None,
    ):
        from drawdown.simulate.variant_results import VariantSimulator

        self.scenario, self.plan, self.settings = scenario, plan, settings
        self.source = source or scenario.name
        self.seed = settings.seed
        self.drawer = drawer or figures.Drawer(settings.draw_workers)
        self.simulator = VariantSimulator(scenario, plan)
        self._sim_pool = _engine_pool(settings.sim_workers)
        self._base_prepared = self.simulator.prepare([])
        # Room for the draws of most what-ifs (every request refused, threats tripled), so
        # the baseline is simulated once and each what-if only itself (see `simulate`).
        hard = self.simulator.prepare(_roomy(scenario))
        self.room = rounded(self.simulator.layout([self._base_prepared, hard]))
        baseline_result = self.simulator.run(
            [self._base_prepared], runs=settings.runs, seed=self.seed, room=self.room
        )[0]
        page = figures.draw_figures(
            figures.page_inputs(scenario, plan, baseline_result), self.drawer
        )
        base = (scenario, plan, baseline_result)
        record = VariantRecord(
            "baseline",
            "baseline",
            "no change",
            "baseline",
            scenario,
            plan,
            baseline_result,
            page,
            figures.key_figures(base, base),
            runs=settings.runs,
        )
        self.variants = VariantStore(record, settings.max_variants)
        self.replanner = replanner or Replanner()  # shared when the session switches
        self._paired: dict[tuple[Layout, int], SimulationResult] = {
            (self.room, settings.runs): baseline_result
        }
        self._lock = threading.Lock()
        # one simulation at a time: the machine's cores are shared, and queued requests wait
        self.compute = threading.Lock()

    # -- what the page reads ------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """The scenario, its controls, the baseline page and the variants list."""
        from drawdown.scenario.io import builtin_names

        s, m = self.scenario, self.scenario.manifest
        job = self.replanner.running()
        return {
            "scenario": {
                "name": s.name,
                "description": m.description,
                "source": self.source,
                "start_date": m.start_date.isoformat(),
                "deadline": m.deadline.isoformat(),
                "people": s.total_people,
                "containers_teu": s.total_containers_teu,
                "vehicles": s.total_vehicles,
                "plan": f"{self.plan.method} plan",
            },
            "settings": {
                "runs": self.settings.runs,
                "max_runs": self.settings.max_runs,
                "seed": self.seed,
                "max_variants": self.settings.max_variants,
            },
            **controls_json(s),
            "baseline": self.variants.baseline.full(),
            "variants": self.variants.listing(),
            "job": job.as_json() if job else None,
            "builtins": builtin_names(),
        }

    def read(self, payload: Any) -> WhatIf:
        """A checked what-if (InputError with the `--set` messages if not)."""
        return read_whatif(
            payload,
            self.scenario,
            default_runs=self.settings.runs,
            max_runs=self.settings.max_runs,
        )

    # -- Simulate ----------------------------------------------------------------------------
    def simulate(self, whatif: WhatIf, *, draw: bool = True) -> VariantRecord:
        """Stress-test the current plan under `whatif`, paired with the baseline.

        `draw=False` leaves the figures to `figures_of` (the page shows the numbers first).
        """
        started = time.perf_counter()
        prepared = self.simulator.prepare(whatif.variant(self.scenario))
        needed = self.simulator.layout([self._base_prepared, prepared])
        room = self.room if fits(needed, self.room) else rounded(needed)
        with self.compute:
            base = self._paired.get((room, whatif.runs))
            todo = [prepared] if base is not None else [self._base_prepared, prepared]
            done = self.simulator.run(
                todo, runs=whatif.runs, seed=self.seed, room=room, **self._shares()
            )
            if base is None:
                base = self._pair(room, whatif.runs, done[0])
        paired = (self.scenario, self.plan, base)
        # the simulation's time includes the baseline's when it needed a layout of its own
        seconds = {"simulate": time.perf_counter() - started}
        note = NO_EFFECT_NOTE if same_execution(prepared[1], self._base_prepared[1]) else ""
        return self._keep(
            whatif, "simulate", prepared[0], self.plan, done[-1], paired, seconds, draw, note
        )

    def _pair(self, room: Layout, runs: int, result: SimulationResult) -> SimulationResult:
        """Keep a baseline simulated under `room` for `runs` runs (a few, oldest dropped;
        the session's own baseline stays)."""
        with self._lock:
            self._paired[(room, runs)] = result
            extra = [k for k in self._paired if k != (self.room, self.settings.runs)]
            for key in extra[: max(0, len(extra) - PAIRED_KEEP)]:
                del self._paired[key]
        return result

    @property
    def baselines_kept(self) -> int:
        """How many baselines are kept for pairing (the session's and a few more)."""
        with self._lock:
            return len(self._paired)

    def baseline_for(self, runs: int) -> SimulationResult:
        """The baseline under the session's layout, for `runs` runs."""
        base = self._paired.get((self.room, runs))
        if base is None:
            done = self.simulator.run(
                [self._base_prepared], runs=runs, seed=self.seed, room=self.room
            )
            base = self._pair(self.room, runs, done[0])
        return base

    def _keep(
        self,
        whatif: WhatIf,
        kind: str,
        scenario: Scenario,
        plan: Plan,
        result: SimulationResult,
        base: tuple[Scenario, Plan, SimulationResult],
        seconds: dict[str, float] | None = None,
        draw: bool = True,
        note: str = "",
    ) -> VariantRecord:
        timing = dict(seconds or {})
        inputs = figures.page_inputs(scenario, plan, result)
        drawing = None
        if draw:
            started = time.perf_counter()
            page = figures.draw_figures(inputs, self.drawer)
            timing["figures"] = time.perf_counter() - started
        else:  # drawn while the numbers are made and sent; `figures_of` waits for them
            drawing = self.drawer.later(inputs)
            page = {"headline": figures.headline_of(inputs), "figures": None}
        record = VariantRecord(
            self.variants.new_id(),
            whatif.name,
            whatif.describe(),
            kind,
            scenario,
            plan,
            result,
            page,
            figures.key_figures(base, (scenario, plan, result)),
            note,
            whatif.runs,
            {k: round(v, 3) for k, v in timing.items()},
            drawing=drawing,
        )
        self.variants.add(record)
        return record

    def figures_of(self, variant_id: str) -> list[dict[str, Any]]:
        """The variant's figures, drawn now if its answer left them for later."""
        record = self.variants.get(variant_id)
        if record is None:
            raise unknown_variant(variant_id)
        with record.lock:
            if record.page.get("figures") is None:
                if record.drawing is None:  # not started ahead (too many were waiting)
                    started = time.perf_counter()
                    inputs = figures.page_inputs(record.scenario, record.plan, record.result)
                    record.page = figures.draw_figures(inputs, self.drawer)
                    took = time.perf_counter() - started
                else:
                    record.page, took = record.drawing.result()
                    record.drawing = None
                record.seconds["figures"] = round(took, 3)
        return list(record.page["figures"])

    # -- Re-plan -----------------------------------------------------------------------------
    def replan(self, whatif: WhatIf) -> Job:
        """Re-optimise for `whatif` in a worker process, then stress-test the new plan."""
        changed = whatif.scenario(self.scenario)

        def then(job: Job, plan: Plan, note: str) -> str:
            from drawdown.simulate import simulate

            with self.compute:
                if job.state == "cancelled":
                    return ""
                result = simulate(changed, plan, runs=whatif.runs, seed=self.seed)
                base = self.baseline_for(whatif.runs)
            if job.state == "cancelled":
                return ""
            paired = (self.scenario, self.plan, base)
            record = self._keep(whatif, "replan", changed, plan, result, paired, note=note)
            return record.id

        return self.replanner.start(
            whatif.name,
            changed,
            greedy=self.settings.greedy,
            warm_start=None if self.settings.greedy else self.plan,
            then=then,
        )

    # -- Export ------------------------------------------------------------------------------
    def export(self, variant_id: str) -> dict[str, str]:
        """Write the variant as a scenario folder (and that folder as a zip to download) and
        as the offline HTML report, under the server's own exports folder (never a path from
        the browser)."""
        record = self.variants.get(variant_id)
        if record is None:
            raise unknown_variant(variant_id)
        from drawdown.report import build_report
        from drawdown.scenario.io import save_scenario

        folder = self.settings.exports / record.id
        with self.compute:
            scenario_dir = save_scenario(record.scenario, folder / "scenario")
            zip_scenario(scenario_dir, folder / EXPORTS["scenario.zip"], _zip_root(record))
            manifest = {"workbench variant": f"{record.name} ({record.changes})"}
            if record.plan_note:
                manifest["plan note"] = record.plan_note
            with figures.DRAWING:  # the report draws with matplotlib in this process too
                report = build_report(
                    record.scenario,
                    record.plan,
                    record.result,
                    folder / "results",
                    manifest=manifest,
                )
        return {
            "id": record.id,
            "scenario_folder": str(scenario_dir.resolve()),
            "report": str(Path(report).resolve()),
            "report_url": f"/exports/{record.id}/report.html",
            "zip_url": f"/exports/{record.id}/scenario.zip",
            "report_name": f"{_zip_root(record)}-report.html",
            "validate": f"drawdown validate {scenario_dir.resolve()}",
        }

    def exported(self, variant_id: str, name: str) -> tuple[Path, str] | None:
        """A file an export wrote for this variant (`EXPORTS` names them: ids and fixed
        names only, never a path), if it exists, and the name a download of it gets."""
        record = self.variants.get(variant_id)
        if record is None or name not in EXPORTS:
            return None
        path = self.settings.exports / record.id / EXPORTS[name]
        return (path, f"{_zip_root(record)}-{name}") if path.is_file() else None

    def _shares(self) -> dict[str, Any]:
        """How `VariantSimulator.run` may share a what-if's runs among processes."""
        return {"pool": self._sim_pool, "parts": self.settings.sim_workers}

    def close(self) -> None:
        self.replanner.shutdown()
        self.drawer.close()
        if self._sim_pool is not None:
            self._sim_pool.shutdown(wait=False, cancel_futures=True)


def _engine_pool(workers: int) -> ThreadPoolExecutor | None:
    """Threads resolving a what-if's runs side by side (the engine releases the GIL); none
    for fewer than two. On 2 cores MINUSMA's 2,000 runs take 0.50-0.67 s of wall in two
    threads against 1.0-1.2 s in one (standalone); in the server the simulate step read
    0.74 s against 0.78 s with two spawned processes, which also pickled the compiled plan
    and the outcomes across and held an engine each in memory."""
    if workers < 2:
        return None
    return ThreadPoolExecutor(workers, thread_name_prefix="drawdown-runs")


def same_execution(a: Compiled, b: Compiled) -> bool:
    """Whether the engine executes the plan identically under both (every compiled input
    equal): a change the fixed plan never reads, such as more trucks than it dispatches."""
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            if not (np.shape(x) == np.shape(y) and np.array_equal(x, y, equal_nan=True)):
                return False
        elif x != y:
            return False
    return True


def _zip_root(record: VariantRecord) -> str:
    """The folder a downloaded zip unpacks to: the scenario's name and the variant's id."""
    return f"{record.scenario.name}-{record.id}"


def zip_scenario(folder: Path, target: Path, root: str) -> Path:
    """`folder`'s files in a zip at `target`, under one folder `root` (written whole, then
    moved into place, so a download never reads half a zip)."""
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                archive.write(path, f"{root}/{path.name}")
    partial.replace(target)
    return target


def unknown_variant(variant_id: object) -> UnknownVariant:
    return UnknownVariant(
        Problem(
            "variant",
            str(variant_id)[:40],
            "no such variant (it may have been evicted: the list keeps the latest ones)",
            "pick a variant from the list",
        ),
        title="unknown variant",
    )

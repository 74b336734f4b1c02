"""The sweep's folder, RESULTS/sweep/: written variant by variant, so a killed sweep resumes.

    sweep.json          what this folder is a sweep of (spec hash, scenario, variants): a
                        sweep started again here must have the same, or it is refused
    spec.yaml           the spec as read
    variants.csv        index, label and overrides of every variant
    plans/HASH/         the plan of each scenario planned (`drawdown.plan.io`), by scenario hash
    runs/variant=N/     per-run outcomes of variant N (Parquet; the folder is a dataset
                        partitioned by variant: `pandas.read_parquet("runs")`)
    done/N.json         variant N finished: its key figures, or why it failed
    summary.parquet/.csv, analysis.json   one row per variant; written when the sweep ends

Every file is written atomically (`drawdown.atomic`), a variant's runs before its record, so
whatever instant a sweep is killed at, a variant is either finished with all its files or is
run again on resume, and a resumed sweep ends with the same files as an uninterrupted one.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from drawdown._version import __version__
from drawdown.atomic import atomic_dir, atomic_write_text
from drawdown.errors import InputError, Problem
from drawdown.results.layout import INFO_FILE, SWEEP_DIR, AnalysisInfo
from drawdown.sweep.work import PlanMade, VariantOutcome

if TYPE_CHECKING:
    from drawdown.scenario.model import Scenario
    from drawdown.sweep.spec import SweepSpec
    from drawdown.sweep.variants import Variant

STATE_FILE = "sweep.json"
RUNS_DIR = "runs"
DONE_DIR = "done"
PLANS_DIR = "plans"
SUMMARY = "summary"


@dataclass(frozen=True)
class SweepStore:
    """One sweep's folder."""

    folder: Path
    spec: SweepSpec
    scenario_name: str
    scenario_hash: str
    variants: tuple[Variant, ...]

    @classmethod
    def open(
        cls, folder: Path, spec: SweepSpec, scenario: Scenario, variants: list[Variant]
    ) -> SweepStore:
        """The folder of this sweep: made if new, refused if it holds another sweep."""
        path = folder / STATE_FILE
        if not check_resumable(folder, spec, scenario, len(variants)):
            import yaml

            folder.mkdir(parents=True, exist_ok=True)
            atomic_write_text(
                folder / "spec.yaml",
                yaml.safe_dump(spec.model_dump(mode="json"), sort_keys=False, allow_unicode=True),
            )
            frame = pd.DataFrame(
                {
                    "variant": [v.index for v in variants],
                    "variant_label": [v.label for v in variants],
                    "overrides": ["; ".join(v.overrides) for v in variants],
                }
            )
            atomic_write_text(folder / "variants.csv", frame.to_csv(index=False))
            state = _state(spec, scenario, len(variants))
            atomic_write_text(path, json.dumps(state, indent=2) + "\n")
        return cls(folder, spec, scenario.name, scenario.content_hash(), tuple(variants))

    # --- what is there ---------------------------------------------------------------------

    def finished(self) -> dict[int, dict[str, Any]]:
        """Records of the variants that need no more work (done, or failed for a reason)."""
        found = {}
        for path in sorted((self.folder / DONE_DIR).glob("*.json")):
            record = json.loads(path.read_text(encoding="utf-8"))
            if record["status"] != "error":  # a crash of a worker: try again
                found[int(record["index"])] = record
        return found

    def cached_plan(self, scenario_hash: str) -> PlanMade | None:
        """A plan made earlier in this folder for a scenario with this hash."""
        from drawdown.plan.io import load_plan

        folder = self.folder / PLANS_DIR / scenario_hash
        if not (folder / "summary.json").exists():
            return None
        note_file = folder / "note.txt"
        note = note_file.read_text(encoding="utf-8") if note_file.exists() else ""
        return PlanMade(scenario_hash, load_plan(folder), note)

    # --- writing ---------------------------------------------------------------------------

    def save_plan(self, made: PlanMade) -> None:
        """Keep a plan for a resumed sweep (plans that could not be made are not kept)."""
        from drawdown.plan.io import save_plan

        if made.plan is None:
            return
        folder = self.folder / PLANS_DIR / made.scenario_hash
        with atomic_dir(folder, replace=True) as staging:
            save_plan(made.plan, staging)
            (staging / "note.txt").write_text(made.note, encoding="utf-8")

    def save_outcome(self, outcome: VariantOutcome) -> dict[str, Any]:
        """Write a variant's runs, then its record (which marks it finished)."""
        if outcome.runs is not None:
            part = self.folder / RUNS_DIR / f"variant={outcome.index}"
            with atomic_dir(part, replace=True) as staging:
                outcome.runs.to_parquet(staging / "part-0.parquet", index=False)
        variant = self.variants[outcome.index]
        record = {
            "index": outcome.index,
            "label": variant.label,
            "overrides": list(variant.overrides),
            "status": outcome.status,
            "reason": outcome.reason,
            "plan_note": outcome.plan_note,
            "plan_hash": outcome.plan_hash,
            "scenario_hash": outcome.scenario_hash,
            "runs": 0 if outcome.runs is None else len(outcome.runs),
            "figures": {k: [_json(x) for x in v] for k, v in outcome.figures.items()},
            "seconds": round(outcome.seconds, 4),
            "cpu_seconds": round(outcome.cpu_seconds, 4),
        }
        atomic_write_text(
            self.folder / DONE_DIR / f"{outcome.index}.json", json.dumps(record, indent=1) + "\n"
        )
        return record

    def write_summary(self, summary: pd.DataFrame, details: dict[str, Any]) -> None:
        """The summary table (Parquet and CSV) and analysis.json, in one piece."""
        spec = self.spec
        info = AnalysisInfo.new(
            SWEEP_DIR,
            self.scenario_name,
            self.scenario_hash,
            seed=spec.seed,
            runs=spec.runs,
            details={"spec_hash": spec.content_hash(), "rank_by": spec.rank_by, **details},
        )
        with atomic_dir(self.folder) as staging:
            summary.to_parquet(staging / f"{SUMMARY}.parquet", index=False)
            summary.to_csv(staging / f"{SUMMARY}.csv", index=False)
            (staging / INFO_FILE).write_text(info.to_json(), encoding="utf-8")


def _json(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def check_resumable(folder: Path, spec: SweepSpec, scenario: Scenario, variants: int) -> bool:
    """Whether `folder` holds this sweep already (False: none yet); refuse another one."""
    path = folder / STATE_FILE
    if not path.exists():
        return False
    _same_sweep(path, _state(spec, scenario, variants))
    return True


def _state(spec: SweepSpec, scenario: Scenario, variants: int) -> dict[str, Any]:
    """What sweep.json records: a resumed sweep must match it."""
    return {
        "version": __version__,
        "spec_hash": spec.content_hash(),
        "scenario_name": scenario.name,
        "scenario_hash": scenario.content_hash(),
        "variants": variants,
    }


def _same_sweep(path: Path, state: dict[str, Any]) -> None:
    """Refuse to resume a different sweep (or one of another drawdown version) here."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            Problem(str(path), "", f"unreadable ({exc})", f"delete {path.parent} and start again")
        ) from exc
    wrong = [k for k, v in state.items() if found.get(k) != v]
    if wrong:
        what = ", ".join(f"{k} {found.get(k)} here, {state[k]} now" for k in wrong)
        raise InputError(
            Problem(
                str(path.parent),
                ", ".join(wrong),
                f"holds another sweep ({what})",
                "resume with the same spec, or give another -o folder (or delete this one)",
            ),
            title="the folder holds another sweep",
        )


def load_runs(folder: Path) -> pd.DataFrame:
    """Every variant's per-run outcomes, with their variant, sorted by variant and run."""
    import pyarrow.dataset as ds

    data = ds.dataset(folder / RUNS_DIR, format="parquet", partitioning="hive").to_table()
    frame = data.to_pandas()
    frame["variant"] = frame["variant"].astype("int64")
    return frame.sort_values(["variant", "run"], kind="stable").reset_index(drop=True)


__all__ = ["SWEEP_DIR", "SweepStore", "check_resumable", "load_runs"]

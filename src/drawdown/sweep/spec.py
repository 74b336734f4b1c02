"""A sweep's spec file (YAML): read, checked key by key, refused before any work.

The spec names the scenario, the runs per variant, the seed, whether each variant is
re-planned, and the variants (a grid, named options, a sample over declared uncertainties).
Unknown keys are refused with the valid keys of their level; parameter names and values are
checked against the scenario in `drawdown.sweep.variants`, also before any work.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from drawdown.errors import InputError, Problem

GridValue = float | int | str
Planner = Literal["optimise", "greedy"]
# key figures a sweep can rank by (the ones `drawdown.analyse.compare` computes)
# (handed-over equipment is left out: whether more is better depends on the alternative)
RANK_FIGURES = (
    "p_out_on_time",
    "completion_day",
    "killed",
    "casualties",
    "teu_destroyed",
    "vehicles_destroyed",
    "cost_usd",
    "protection_gap_person_days",
)
#: Key figures where more is better (for every other, less is)
HIGHER_IS_BETTER = ("p_out_on_time",)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sample(_Strict):
    """A design over the scenario's declared uncertainties (SALib)."""

    method: Literal["lhs", "sobol"]
    n: int = Field(gt=0, description="Rows (lhs) or Sobol base samples N (a power of two).")
    parameters: tuple[str, ...] | None = Field(
        None, description="Only these declared uncertainties (default: all of them)."
    )

    @field_validator("n")
    @classmethod
    def _sobol_power_of_two(cls, n: int, info: Any) -> int:
        if info.data.get("method") == "sobol" and n & (n - 1):
            raise ValueError(f"sobol needs a power of two, not {n} (e.g. 64, 256)")
        return n


class SweepSpec(_Strict):
    """What a sweep runs: one scenario, many variants, the same seed for each."""

    scenario: str = Field(description="A built-in name or a scenario folder (relative to here).")
    runs: int = Field(2000, gt=0, description="Simulated runs per variant.")
    seed: int = Field(1, ge=0, description="Seed of every variant's runs (and of the sample).")
    replan: bool = Field(
        False, description="Plan each variant anew (else every variant executes the base plan)."
    )
    planner: Planner = Field("optimise", description="optimise (linopy + HiGHS) or greedy.")
    baseline: bool = Field(False, description="Also run the scenario itself, as variant 0.")
    set: tuple[str, ...] = Field((), description="Overrides applied to every variant.")
    grid: dict[str, tuple[GridValue, ...]] = Field(
        default_factory=dict, description="Parameter -> values; the variants are the product."
    )
    options: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="Named variants, each a list of NAME=VALUE overrides."
    )
    sample: Sample | None = None
    rank_by: str = Field(
        "p_out_on_time", description="The key figure the report ranks the variants by."
    )

    @field_validator("rank_by")
    @classmethod
    def _known_figure(cls, name: str) -> str:
        if name not in RANK_FIGURES:
            raise ValueError(f"unknown key figure {name!r}; choose from {', '.join(RANK_FIGURES)}")
        return name

    @field_validator("grid")
    @classmethod
    def _grid_values(cls, grid: dict[str, tuple[GridValue, ...]]) -> dict[str, Any]:
        for name, values in grid.items():
            if not values:
                raise ValueError(f"{name} lists no values")
        return grid

    def content_hash(self) -> str:
        """What identifies the sweep's results: a resumed sweep must have the same.

        `rank_by` is left out: it orders the report's ranking, not the results.
        """
        text = json.dumps(self.model_dump(mode="json", exclude={"rank_by"}), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


KEYS: dict[str, tuple[str, ...]] = {
    "": tuple(SweepSpec.model_fields),
    "sample": tuple(Sample.model_fields),
}


def read_spec(path: str | Path) -> SweepSpec:
    """Read and check a spec file; every problem, located by key, in one `InputError`."""
    path = Path(path)
    where = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(
            Problem(where, "", f"cannot be read ({exc.strerror})", "give the path of a YAML spec"),
            title="no sweep spec",
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark is not None else ""
        raise InputError(
            Problem(where, line, f"is not valid YAML ({getattr(exc, 'problem', exc)})"),
            title="unreadable sweep spec",
        ) from exc
    if not isinstance(raw, dict):
        raise InputError(
            Problem(where, "", "must be a mapping of keys (scenario, runs, grid, ...)"),
            title="unreadable sweep spec",
        )
    return parse_spec(raw, where)


def parse_spec(raw: dict[str, Any], where: str = "sweep spec") -> SweepSpec:
    """A spec from its parsed YAML; problems name `where` and the key."""
    try:
        spec = SweepSpec.model_validate(raw)
    except ValidationError as exc:
        raise InputError(
            [_problem(where, err) for err in exc.errors()], title=f"{where} has problems"
        ) from None
    if not (spec.grid or spec.options or spec.sample or spec.baseline):
        raise InputError(
            Problem(
                where,
                "variants",
                "no variants: give grid, options or sample (or baseline: true)",
                "e.g. grid: {clearance.road.approval: [0.5, 0.7, 0.9]}",
            ),
            title=f"{where} has problems",
        )
    return spec


def _problem(where: str, err: Any) -> Problem:
    loc = [str(x) for x in err["loc"]]
    key = ".".join(loc)
    if err["type"] == "extra_forbidden":
        level = "sample" if loc[:1] == ["sample"] else ""
        valid = ", ".join(KEYS[level])
        return Problem(
            where, key, "unknown key", f"valid keys{' of sample' * bool(level)}: {valid}"
        )
    if err["type"] == "missing":
        return Problem(where, key, "is required", "e.g. scenario: minusma-2023")
    message = str(err["msg"]).removeprefix("Value error, ")
    return Problem(where, key, message)


__all__ = ["HIGHER_IS_BETTER", "RANK_FIGURES", "Sample", "SweepSpec", "parse_spec", "read_spec"]

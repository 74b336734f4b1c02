"""A spec's variants: the grid's product, the named options, a design over uncertainties.

A variant is a list of `NAME=VALUE` overrides (the `--set` names of
`drawdown.scenario.overrides`) with a label and an index; its index names its partition
of the results. Expansion is deterministic (spec order, the spec's seed for a sample), so a
resumed sweep finds the same variants at the same indices.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from drawdown.errors import InputError, Problem
from drawdown.scenario.model import Scenario
from drawdown.scenario.overrides import apply_overrides, parse_override
from drawdown.sweep.spec import Sample, SweepSpec


@dataclass(frozen=True)
class Variant:
    """One parameter set of a sweep."""

    index: int
    label: str
    overrides: tuple[str, ...]  # NAME=VALUE texts, applied in order after the spec's `set`


def expand(spec: SweepSpec, scenario: Scenario, where: str = "sweep spec") -> list[Variant]:
    """Every variant of `spec`, in order: baseline, grid, options, sample."""
    common = tuple(spec.set)
    found: list[tuple[str, tuple[str, ...]]] = []
    if spec.baseline:
        found.append(("baseline", ()))
    if spec.grid:
        names = list(spec.grid)
        for values in itertools.product(*(spec.grid[n] for n in names)):
            texts = tuple(f"{n}={_text(v)}" for n, v in zip(names, values, strict=True))
            found.append((", ".join(texts), texts))
    for name, overrides in spec.options.items():
        found.append((name, tuple(overrides)))
    if spec.sample is not None:
        for i, texts in enumerate(_sample(spec.sample, scenario, spec.seed, where)):
            found.append((f"{spec.sample.method} {i}", texts))
    return [Variant(i, label, common + texts) for i, (label, texts) in enumerate(found)]


def _text(value: Any) -> str:
    # YAML gives numbers as int or float; `*1.5` and dates stay text
    return repr(value) if isinstance(value, float) else str(value)


def _sample(sample: Sample, scenario: Scenario, seed: int, where: str) -> list[tuple[str, ...]]:
    """The rows of a Latin hypercube or Sobol design, each as overrides."""
    from drawdown.analyse.sensitivity import declared, design_variants, sample_design

    names = list(sample.parameters) if sample.parameters else None
    known = [u.parameter for u in scenario.manifest.uncertainties]
    if not known:
        raise InputError(
            Problem(
                where,
                "sample",
                f"scenario {scenario.name} declares no uncertainties to sample",
                "use grid or options, or declare `uncertainties:` in its scenario.yaml",
            )
        )
    missing = [n for n in names or () if n not in known]
    if missing:
        raise InputError(
            Problem(
                where,
                "sample.parameters",
                f"not declared as uncertain by {scenario.name}: {', '.join(missing)}",
                f"declared: {', '.join(known)}",
            )
        )
    params = declared(scenario, names)
    design = sample_design(params, sample.n, method=sample.method, seed=seed)
    rows = design_variants(scenario, params, design)
    return [tuple(str(o) for o in row) for row in rows]


def check_variants(
    variants: list[Variant], scenario: Scenario, where: str = "sweep spec"
) -> list[str]:
    """Each variant's scenario hash; every unknown parameter or bad value refused at once.

    An unknown name is reported once with the valid names; a bad value with the variant.
    """
    problems: list[Problem] = []
    bad_names: set[str] = set()
    for text in dict.fromkeys(t for v in variants for t in v.overrides):
        try:
            parse_override(text, scenario, source=where)
        except InputError as exc:
            problems += exc.problems
            bad_names.add(text)
    hashes = []
    for v in variants:
        if bad_names.intersection(v.overrides):
            continue
        try:
            changed = apply_overrides(scenario, list(v.overrides), source=where)
            hashes.append(changed.content_hash())
        except InputError as exc:
            problems += [
                Problem(p.file, f"variant {v.index} ({v.label}): {p.where}", p.message, p.hint)
                for p in exc.problems
            ]
    if problems:
        unique = list(dict.fromkeys(problems))
        raise InputError(unique, title=f"{where}: {len(unique)} problem(s) with the variants")
    return hashes


__all__ = ["Variant", "check_variants", "expand"]

"""Saving and loading plans, and the `drawdown plan` command as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from drawdown.errors import InputError
from drawdown.plan import greedy_plan, load_plan, save_plan

from .conftest import one_base

TINY = Path(__file__).parents[1] / "data" / "tiny"


def test_save_load_round_trip(tmp_path: Path) -> None:
    """A saved plan loads back equal, with CSV, Parquet, summary and GeoJSON written."""
    s = one_base(people=90, teu=10.0, value_usd=1e6)
    plan = greedy_plan(s)
    save_plan(plan, tmp_path / "p", scenario=s)
    names = {p.name for p in (tmp_path / "p").iterdir()}
    for table in ("movements", "closures", "dispositions"):
        assert {f"{table}.csv", f"{table}.parquet"} <= names
    assert {"summary.json", "routes.geojson"} <= names
    summary = json.loads((tmp_path / "p" / "summary.json").read_text())
    assert summary["scenario_hash"] == s.content_hash() and "total" in summary["objective"]
    geo = json.loads((tmp_path / "p" / "routes.geojson").read_text())
    assert geo["features"][0]["properties"]["link"] == "road"
    assert load_plan(tmp_path / "p", scenario=s) == plan
    (tmp_path / "p" / "movements.parquet").unlink()  # CSV alone is enough
    assert load_plan(tmp_path / "p") == plan


def test_load_refuses_incomplete_or_other_scenario(tmp_path: Path) -> None:
    """An incomplete folder, or one made for another scenario, is refused with the reason."""
    s = one_base()
    save_plan(greedy_plan(s), tmp_path / "p", scenario=s)
    with pytest.raises(InputError, match="made for scenario"):
        load_plan(tmp_path / "p", scenario=one_base(people=61))
    (tmp_path / "p" / "closures.csv").unlink()
    (tmp_path / "p" / "closures.parquet").unlink()
    with pytest.raises(InputError, match="incomplete plan folder: missing closures"):
        load_plan(tmp_path / "p")
    with pytest.raises(InputError, match="no such plan folder"):
        load_plan(tmp_path / "nowhere")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "drawdown", *args], capture_output=True, text=True, timeout=300
    )


def test_cli_plan_writes_the_plan(tmp_path: Path) -> None:
    """`drawdown plan tiny --greedy -o DIR` prints the summary, writes the files, exits 0."""
    done = run("plan", str(TINY), "--greedy", "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "Closure order" in done.stdout and "total" in done.stdout
    assert (tmp_path / "out" / "movements.csv").exists()
    assert load_plan(tmp_path / "out").method == "greedy"


@pytest.mark.parametrize("flags, whole", [((), False), (("--whole-convoys",), True)])
def test_cli_plan_optimises(tmp_path: Path, flags: tuple[str, ...], whole: bool) -> None:
    """`drawdown plan tiny` optimises, prints the proven gap and saves how it was solved;
    `--whole-convoys` puts whole convoys in the model itself."""
    done = run("plan", str(TINY), *flags, "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "of the proven bound" in done.stdout
    solver = load_plan(tmp_path / "out").solver
    assert solver.whole_convoys is whole
    assert (solver.work.lp_solves > 0) is not whole  # the closure search ran
    # When base attacks on thinning garrisons weigh in a plan's score, the user is told how
    # to plan against them, and only then.
    plan = load_plan(tmp_path / "out")
    heavy = plan.objective["base_attacks"] > 0.25 * plan.objective["total"]
    assert ("--base-attacks plans against them" in done.stdout.replace("\n", " ")) is heavy


def test_cli_plan_bad_input_exits_2(tmp_path: Path) -> None:
    """A missing scenario exits 2 with the reason and no traceback."""
    done = run("plan", str(tmp_path / "missing"), "-o", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "neither a scenario folder" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_cli_plan_warm_start(tmp_path: Path) -> None:
    """`drawdown plan tiny --warm-start DIR` re-plans from a saved plan, says so and records
    it; a folder that is no plan, or a warm start for the greedy baseline, exits 2 with the
    reason and writes nothing."""
    first = run("plan", str(TINY), "-o", str(tmp_path / "first"))
    assert first.returncode == 0, first.stderr
    again = run(
        "plan", str(TINY), "--warm-start", str(tmp_path / "first"), "-o", str(tmp_path / "b")
    )
    assert again.returncode == 0, again.stderr
    assert "warm start" in again.stdout
    assert load_plan(tmp_path / "b").solver.warm_start
    for flags, why in (
        (("--warm-start", str(tmp_path / "nowhere")), "no such plan folder"),
        (("--greedy", "--warm-start", str(tmp_path / "first")), "greedy baseline has no search"),
    ):
        done = run("plan", str(TINY), *flags, "-o", str(tmp_path / "c"))
        assert done.returncode == 2, done.stdout
        assert why in done.stderr and "Traceback" not in done.stderr
        assert not (tmp_path / "c").exists()

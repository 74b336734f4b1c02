"""The scenario commands, as a user runs them: exit codes and what they write."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import drawdown

TINY = Path(__file__).parent / "data" / "tiny"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "drawdown", *args], capture_output=True, text=True, timeout=120
    )


def test_validate_ok_and_bad(tiny_copy: Path) -> None:
    """validate exits 0 on a good folder and 2, without a traceback, on a bad one."""
    assert run("validate", str(TINY)).returncode == 0
    (tiny_copy / "holdings.csv").write_text(
        (tiny_copy / "holdings.csv")
        .read_text()
        .replace("north,alpha,troops,200", "north,alpha,troops,-1")
    )
    bad = run("validate", str(tiny_copy))
    assert bad.returncode == 2
    assert "holdings.csv" in bad.stderr and "Traceback" not in bad.stderr + bad.stdout


def test_export_geojson_schema(tmp_path: Path) -> None:
    """export writes a loadable copy; geojson writes points and lines; schema is JSON."""
    assert run("export", str(TINY), str(tmp_path / "copy")).returncode == 0
    assert drawdown.load_scenario(tmp_path / "copy") == drawdown.load_scenario(TINY)
    again = run("export", str(TINY), str(tmp_path / "copy"))
    assert again.returncode == 2 and "--force" in again.stderr
    assert run("geojson", str(TINY), str(tmp_path / "t.geojson")).returncode == 0
    features = json.loads((tmp_path / "t.geojson").read_text())["features"]
    kinds = {f["geometry"]["type"] for f in features}
    assert kinds == {"Point", "LineString"}
    point = next(f for f in features if f["id"] == "north")
    assert point["geometry"]["coordinates"] == [0.0, 16.0]  # lon, lat
    schema = run("schema")
    assert schema.returncode == 0
    assert "deadline" in json.loads(schema.stdout)["properties"]
    assert run("schema", "--table", "nope").returncode == 2


def test_show_prints_totals() -> None:
    """show prints holdings, network and assets for a scenario."""
    out = run("show", str(TINY))
    assert out.returncode == 0
    assert "Holdings by site" in out.stdout and "Assets" in out.stdout
    assert "Sources" in out.stdout and "[E] test fixture" in out.stdout


def test_scenarios_lists_builtins() -> None:
    """scenarios lists every built-in."""
    out = run("scenarios")
    assert out.returncode == 0
    for name in drawdown.builtin_names():
        assert name in out.stdout


def test_validate_reports_withdrawal_mistakes_together(tiny_copy: Path) -> None:
    """Bad lift and residual-task rows: exit 2, both files named, no traceback."""
    (tiny_copy / "lift.csv").write_text(
        "id,kind,site,teu_per_day,source\nroad,corridor,east,10,[E] test\n"
    )
    (tiny_copy / "residual_tasks.csv").write_text(
        "site,task,until,source\nnorth,poc,2024-01-31,[E] test\n"
    )
    bad = run("validate", str(tiny_copy))
    assert bad.returncode == 2
    out = " ".join((bad.stderr + bad.stdout).split())  # the console wraps long lines
    assert "border post or a sea port" in out and "after the deadline" in out
    assert "Traceback" not in out

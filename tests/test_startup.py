"""A light start: the package root and the CLI load no optimiser, engine or plotting stack."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("linopy", "xarray", "polars", "matplotlib", "numba", "SALib", "pyarrow", "scipy")


def _loaded(code: str) -> set[str]:
    """Top-level packages in sys.modules after running `code` in a fresh interpreter."""
    listing = "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    probe = f"{code}\nimport json, sys\n{listing}"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_import_drawdown_loads_no_heavy_library() -> None:
    """`import drawdown` leaves linopy, matplotlib, numba (and the rest of the stack) out."""
    loaded = _loaded("import drawdown")
    assert "drawdown" in loaded
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)


def test_front_doors_load_on_first_use() -> None:
    """`drawdown.load_scenario` is there when asked for, still without the heavy stack."""
    loaded = _loaded("import drawdown\nassert callable(drawdown.load_scenario)")
    assert "pydantic" in loaded
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)


def test_cli_registers_commands_without_the_stages() -> None:
    """Building the command line (what `drawdown --help` needs) imports no stage library."""
    loaded = _loaded("from drawdown.cli import app\nimport typer.main\ntyper.main.get_command(app)")
    assert loaded.isdisjoint((*HEAVY, "pandas")), loaded & {*HEAVY, "pandas"}


def test_front_door_functions_survive_their_subpackages() -> None:
    """drawdown.simulate and drawdown.report stay functions after their subpackages load."""
    code = (
        "import drawdown.simulate.io, drawdown.report.build\nimport drawdown\n"
        "assert callable(drawdown.simulate) and callable(drawdown.report)\n"
        "assert drawdown.report is drawdown.build_report"
    )
    assert "matplotlib" in _loaded(code)  # the report stage did load before the checks ran

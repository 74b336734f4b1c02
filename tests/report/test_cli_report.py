"""`drawdown report` refuses folders it cannot trust, with a clear message and status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import drawdown
from drawdown.results import RunInfo, check_folder


@pytest.fixture
def report_cli(drawdown_cli):  # type: ignore[no-untyped-def]
    """`drawdown report FOLDER`, run in-process."""
    return lambda folder: drawdown_cli("report", str(folder))


def test_missing_folder_exits_2(tmp_path: Path, report_cli) -> None:  # type: ignore[no-untyped-def]
    """A folder that does not exist is refused with status 2 and no traceback."""
    done = report_cli(tmp_path / "nowhere")
    assert done.returncode == 2
    assert "is not a folder" in done.stderr
    assert "Traceback" not in done.stderr


def test_incomplete_folder_exits_2(tmp_path: Path, report_cli) -> None:  # type: ignore[no-untyped-def]
    """A folder missing the plan and simulation is refused and says what is missing."""
    (tmp_path / "run.json").write_text("{}")
    (tmp_path / "scenario").mkdir()
    done = report_cli(tmp_path)
    assert done.returncode == 2
    assert "incomplete results folder" in done.stderr
    assert "plan" in done.stderr and "simulation" in done.stderr
    assert "Traceback" not in done.stderr


def _complete(tmp_path: Path, version: str) -> Path:
    for name in ("scenario", "plan", "simulation"):
        (tmp_path / name).mkdir()
    info = RunInfo(version, "tiny", "abc", 1, 10)
    (tmp_path / "run.json").write_text(info.to_json())
    return tmp_path


def test_other_version_exits_2(tmp_path: Path, report_cli) -> None:  # type: ignore[no-untyped-def]
    """Results written by another drawdown version are refused, naming both versions."""
    done = report_cli(_complete(tmp_path, "0.0.1"))
    assert done.returncode == 2
    assert "made by drawdown 0.0.1" in done.stderr
    assert drawdown.__version__ in done.stderr


def test_unreadable_run_file_is_refused(tmp_path: Path) -> None:
    """A damaged run.json is an InputError, not a traceback."""
    folder = _complete(tmp_path, drawdown.__version__)
    (folder / "run.json").write_text(json.dumps({"version": drawdown.__version__}))
    with pytest.raises(drawdown.InputError, match="unreadable"):
        check_folder(folder)


def test_other_scenario_is_refused(tmp_path: Path, tiny, tiny_plan) -> None:  # type: ignore[no-untyped-def]
    """A plan or simulation made for another scenario is refused, naming which part."""
    from drawdown.results import check_same_scenario

    info = RunInfo(drawdown.__version__, tiny.name, tiny.content_hash(), 1, 10)
    with pytest.raises(drawdown.InputError, match="simulation is for 0123"):
        check_same_scenario(tmp_path, info, tiny, {"plan": tiny_plan}, "0123")
    other = tiny_plan.__class__(**{**tiny_plan.__dict__, "scenario_hash": "ffff"})
    with pytest.raises(drawdown.InputError, match="plan is for ffff"):
        check_same_scenario(tmp_path, info, tiny, {"plan": other}, "")

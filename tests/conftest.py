"""Shared fixtures: the tiny scenario and editable copies of it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import drawdown
from drawdown.scenario.model import Scenario

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny"


@pytest.fixture(scope="session")
def tiny() -> Scenario:
    """The tiny hand-checkable scenario (2 bases, a hub, an exit)."""
    return drawdown.load_scenario(TINY)


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    """An editable copy of the tiny scenario folder."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY, target)
    return target


@pytest.fixture
def edit() -> Callable[[Path, str, str, str], None]:
    """Replace text in one file of a scenario folder (fails if the text is absent)."""

    def _edit(folder: Path, file: str, old: str, new: str) -> None:
        path = folder / file
        text = path.read_text()
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, 1))

    return _edit

"""Shared fixtures: the tiny scenario and editable copies of it."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

import drawdown
from drawdown.scenario.model import Scenario

# Property tests draw the same examples on every run and machine (one seed fixes every
# result, the tests' included): a CI run cannot fail on an example no one can replay.
settings.register_profile("drawdown", derandomize=True, print_blob=True)
settings.load_profile("drawdown")

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


CliRun = Callable[..., tuple[int, str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> CliRun:
    """Run the `drawdown` entry point in-process; give its exit status and all it printed."""
    from drawdown.cli import main

    def run(*args: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "argv", ["drawdown", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        out = capsys.readouterr()
        return code, out.out + out.err

    return run


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> dict[str, object]:
    """How the browser tests launch Debian's headless Chromium (playwright's `launch`
    arguments); fails with the install command when it is missing."""
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not path:
        pytest.fail(
            "Debian's chromium is needed at /usr/bin/chromium for the browser tests: "
            "`apt-get update && apt-get install -y chromium` (scripts/test.sh does it as root)",
            pytrace=False,
        )
    return {"executable_path": path, "args": CHROMIUM_ARGS, "headless": True}

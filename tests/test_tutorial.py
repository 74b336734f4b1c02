"""The tutorial's Python examples run as written (docs that are executed stay true)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def test_tutorial_python_blocks_run(capsys: pytest.CaptureFixture[str]) -> None:
    """Every ```python block of docs/tutorial.md runs, in order, in one namespace."""
    text = (ROOT / "docs" / "tutorial.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 5
    namespace: dict[str, object] = {}
    cwd = os.getcwd()
    os.chdir(ROOT)  # the tutorial uses paths relative to the repository
    try:
        for block in blocks:
            exec(compile(block, "docs/tutorial.md", "exec"), namespace)
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    assert "30 days, 700 people" in out
    assert "holdings.csv" in out and "people" in out
    assert "P(all out by the deadline)" in out
    assert "report.html" in out

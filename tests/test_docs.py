"""The background docs cite sources a reader can find: no files outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
BACKGROUND = sorted((ROOT / "docs" / "background").glob("*.md"))
FILE_NAME = re.compile(r"\b[\w.-]+\.(?:csv|md|yaml|json|parquet|geojson)\b")


def _repository_files() -> set[str]:
    skip = {".venv", ".git", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis"}
    return {
        p.name for p in ROOT.rglob("*") if p.is_file() and not skip & set(p.relative_to(ROOT).parts)
    }


def test_background_docs_cite_no_file_outside_the_repository() -> None:
    """Every file name a background page mentions exists here, and none points outside it."""
    assert len(BACKGROUND) >= 3
    present = _repository_files()
    wrong = []
    for page in BACKGROUND:
        text = page.read_text(encoding="utf-8")
        wrong += [f"{page.name}: {m}" for m in ("../shared", "data-sources/") if m in text]
        names = set(FILE_NAME.findall(text))
        wrong += [f"{page.name}: {n}" for n in sorted(names) if n not in present]
    assert wrong == []

"""Data flows one way: no library module imports the CLI or the package root."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "drawdown"
CLI_LAYER = {PACKAGE / "cli.py", PACKAGE / "__main__.py", PACKAGE / "__init__.py"}


def _imports(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, module, names) of every import in a file, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, ()) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module, tuple(a.name for a in node.names)))
    return found


def _library_modules() -> list[Path]:
    return [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if p not in CLI_LAYER and "commands" not in p.relative_to(PACKAGE).parts
    ]


def test_library_modules_import_neither_the_cli_nor_the_package_root() -> None:
    """Outside commands/ and cli.py, no module imports drawdown.commands, drawdown.cli or
    the package root (`import drawdown`, `from drawdown import ...`)."""
    modules = _library_modules()
    assert len(modules) > 50  # the walk found the package
    wrong = []
    for path in modules:
        for line, module, names in _imports(path):
            upward = module.startswith(("drawdown.commands", "drawdown.cli"))
            root = module == "drawdown"
            if upward or root:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports {module} {names}")
    assert wrong == []


def test_commands_import_no_private_names_and_match_no_error_text() -> None:
    """commands/ uses only public library names and never reads an error's text."""
    commands = sorted((PACKAGE / "commands").glob("*.py"))
    assert len(commands) >= 8
    wrong = []
    for path in commands:
        for line, module, names in _imports(path):
            private = [n for n in names if n.startswith("_")]
            if module.startswith("drawdown") and (private or "._" in module):
                wrong.append(f"{path.name}:{line} imports {module} {private}")
        text = path.read_text(encoding="utf-8")
        for marker in ("str(exc)", "in str(", "in exc.title", "in exc.message", "in message"):
            if marker in text:
                wrong.append(f"{path.name} matches on error text: {marker}")
    assert wrong == []

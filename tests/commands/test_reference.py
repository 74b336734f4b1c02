"""docs/reference/cli.md is what the typer app generates today."""

from __future__ import annotations

from pathlib import Path

from drawdown.commands.reference import cli_reference

DOC = Path(__file__).parents[2] / "docs" / "reference" / "cli.md"


def test_cli_reference_is_in_sync() -> None:
    """Every command and option in the app is documented as it is (regenerate on change)."""
    generated = cli_reference()
    assert "## drawdown run" in generated and "`--time-limit <float range>`" in generated
    assert DOC.read_text(encoding="utf-8") == generated, (
        "regenerate with: python -m drawdown.commands.reference > docs/reference/cli.md"
    )


def test_every_registered_command_is_in_the_reference() -> None:
    """The generated page has one section per command of `drawdown --help`."""
    import typer.main

    from drawdown.cli import app

    group = typer.main.get_command(app)
    names = group.list_commands(group.context_class(group, info_name="drawdown"))  # type: ignore[attr-defined]
    assert len(names) >= 14
    text = cli_reference()
    assert all(f"## drawdown {name}\n" in text for name in names)

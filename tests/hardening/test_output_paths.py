"""Output paths are checked before any work, in every command that writes."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from drawdown.errors import InputError
from drawdown.output_paths import check_output

TINY = str(Path(__file__).parents[1] / "data" / "tiny")
CliRun = Callable[..., tuple[int, str]]


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Planning or simulating fails the test: the path check must come first."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("work started before the output path was checked")

    for module, name in (
        ("drawdown.plan", "optimise"),
        ("drawdown.plan", "greedy_plan"),
        ("drawdown.simulate", "simulate"),
    ):
        monkeypatch.setattr(importlib.import_module(module), name, forbidden)


def _commands(out: str) -> list[list[str]]:
    return [
        ["run", TINY, "-o", out],
        ["plan", TINY, "-o", out],
        ["simulate", TINY, "-o", out],
        ["report", out],
        ["compare", TINY, TINY, "-o", out],
        ["sensitivity", TINY, "-o", out],
        ["check", TINY, "--actuals", "a.csv", "-o", out],
        ["calibrate", "events.csv", "-s", TINY, "-o", "t.csv", "--report-dir", out],
        ["export", TINY, out],
    ]


@pytest.mark.parametrize("args", _commands("{file}"), ids=lambda a: a[0])
def test_a_file_where_a_folder_goes_is_refused_first(
    tmp_path: Path, cli: CliRun, no_work: None, args: list[str]
) -> None:
    """A results folder given as an existing file: located error, exit 2, no work done."""
    blocker = tmp_path / "taken.txt"
    blocker.write_text("mine")
    code, out = cli(*(a.replace("{file}", str(blocker)) for a in args))
    flat = " ".join(out.split())
    assert code == 2 and "is a file, but a folder is written here" in flat, flat
    assert blocker.read_text() == "mine"


@pytest.mark.parametrize("args", _commands("{below}"), ids=lambda a: a[0])
def test_a_path_below_a_file_is_refused_first(
    tmp_path: Path, cli: CliRun, no_work: None, args: list[str]
) -> None:
    """`-o somefile/sub`: the folder cannot be created, said before any work."""
    (tmp_path / "f").write_text("")
    code, out = cli(*(a.replace("{below}", str(tmp_path / "f" / "sub")) for a in args))
    assert code == 2 and "is a file, not a folder" in " ".join(out.split()), out


def test_unwritable_folder_is_refused_first(
    tmp_path: Path, cli: CliRun, no_work: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No write permission where the results go (simulated: root may write anywhere)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == locked else real(p, mode))
    code, out = cli("simulate", TINY, "-o", str(locked / "results"))
    flat = " ".join(out.split())
    assert code == 2 and "no permission to write" in flat and "chmod" in flat, flat


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["geojson", TINY, "{dir}"], "is a folder, but a file is written here"),
        (["schema", "-o", "{dir}"], "is a folder, but a file is written here"),
        (["calibrate", "e.csv", "-s", TINY, "-o", "{dir}"], "is a folder, but a file"),
    ],
    ids=["geojson", "schema", "calibrate"],
)
def test_a_folder_where_a_file_goes_is_refused(
    tmp_path: Path, cli: CliRun, args: list[str], words: str
) -> None:
    """File outputs given as an existing folder are refused with the option named."""
    code, out = cli(*(a.replace("{dir}", str(tmp_path)) for a in args))
    assert code == 2 and words in " ".join(out.split()), out


def test_dangling_link_and_good_paths(tmp_path: Path) -> None:
    """A link to nothing is refused; a new folder under a writable one is accepted."""
    link = tmp_path / "dl"
    link.symlink_to(tmp_path / "missing")
    with pytest.raises(InputError) as caught:
        check_output(link, kind="folder", option="--out")
    assert "which does not exist" in caught.value.errors[0].message
    assert check_output(tmp_path / "new" / "deeper", kind="folder", option="--out")
    assert check_output(tmp_path / "x.csv", kind="file", option="--output")

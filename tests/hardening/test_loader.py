"""Malformed scenario folders, actuals and incident files: located errors, never a crash or a
silent accept."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import drawdown
from drawdown.analyse.check import read_actuals
from drawdown.analyse.incidents import read_incidents
from drawdown.errors import InputError, Problem
from drawdown.scenario.model import Scenario

TINY = Path(__file__).parents[1] / "data" / "tiny"
CliRun = Callable[..., tuple[int, str]]
Edit = Callable[[Path], None]


def _text_edit(file: str, old: str, new: str) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _bytes_edit(file: str, data: bytes) -> Edit:
    def edit(folder: Path) -> None:
        with (folder / file).open("ab") as handle:
            handle.write(data)

    return edit


def _dangling(file: str) -> Edit:
    def edit(folder: Path) -> None:
        (folder / file).unlink()
        (folder / file).symlink_to(folder / "nowhere.csv")

    return edit


def _folder_instead(file: str) -> Edit:
    def edit(folder: Path) -> None:
        (folder / file).unlink()
        (folder / file).mkdir()

    return edit


SITE_NORTH = "north,North Camp,base,16.0,0.0"
# (name, edit, file named, place named, words of the message)
CASES: list[tuple[str, Edit, str, str, str]] = [
    (
        "blank first line",
        _text_edit("sites.csv", "id,name", "\nid,name"),
        "sites.csv",
        "row 1",
        "header",
    ),
    (
        "more fields than the header",
        _text_edit("sites.csv", ",[E] test fixture,,\n", ",[E] test fixture,,,surplus\n"),
        "sites.csv",
        "row 2",
        "cells but the header has",
    ),
    (
        "fewer fields than the header",
        _text_edit("sites.csv", ",[E] test fixture,,\n", "\n"),
        "sites.csv",
        "row 2",
        "cells but the header has",
    ),
    (
        "duplicated column",
        _text_edit("links.csv", ",low,high\n", ",low,high,km\n"),
        "links.csv",
        "header, column",
        "already column",
    ),
    (
        "renamed column",
        _text_edit("sites.csv", "runway_m", "runway_metres"),
        "sites.csv",
        "header",
        "unknown column(s) runway_metres",
    ),
    (
        "duplicate YAML key",
        _text_edit(
            "scenario.yaml", "deadline: 2023-07-30", "deadline: 2023-07-30\ndeadline: 2023-08-30"
        ),
        "scenario.yaml",
        "line",
        "given twice",
    ),
    (
        "control character in YAML",
        _text_edit("scenario.yaml", "Two bases", "Two\x07bases"),
        "scenario.yaml",
        "line 2",
        "control character",
    ),
    (
        "NUL in a CSV",
        _text_edit("links.csv", "north-hub,north", "north-hub,no\x00rth"),
        "links.csv",
        "line 2",
        "control character",
    ),
    (
        "non-UTF-8 CSV",
        _bytes_edit("threats.csv", b"ied-x,\xe9t\xe9\n"),
        "threats.csv",
        "line",
        "not UTF-8",
    ),
    (
        "non-UTF-8 YAML",
        _bytes_edit("scenario.yaml", b"# caf\xe9\n"),
        "scenario.yaml",
        "line",
        "not UTF-8",
    ),
    ("dangling symlink", _dangling("threats.csv"), "threats.csv", "", "does not exist"),
    ("folder where a file is", _folder_instead("links.csv"), "links.csv", "", "is a folder"),
    (
        "uncertainty high below low",
        _text_edit("scenario.yaml", "low: 0.5, high: 1.0", "low: 1.0, high: 0.5"),
        "scenario.yaml",
        "uncertainties[0]",
        "swap low and high",
    ),
    (
        "fractional truck count",
        _text_edit("assets.csv", "cargo-trucks,truck,40,", "cargo-trucks,truck,40.5,"),
        "assets.csv",
        "column count",
        "valid integer",
    ),
    (
        "latitude out of range",
        _text_edit("sites.csv", SITE_NORTH, "north,North Camp,base,95,0"),
        "sites.csv",
        "column lat",
        "less than or equal to 90",
    ),
    (
        "swapped latitude and longitude",
        _text_edit("sites.csv", SITE_NORTH, "north,North Camp,base,0.0,16.0"),
        "links.csv",
        "id=north-hub",
        "look swapped",
    ),
]


@pytest.mark.parametrize(
    ("name", "edit", "file", "where", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_malformed_folder_is_a_located_error(
    tmp_path: Path, cli: CliRun, name: str, edit: Edit, file: str, where: str, words: str
) -> None:
    """`drawdown validate` names the file, the place and the fault, exits 2, no traceback."""
    folder = tmp_path / "s"
    shutil.copytree(TINY, folder)
    edit(folder)
    with pytest.raises(InputError) as caught:
        drawdown.load_scenario(folder)
    hits = [p for p in caught.value.errors if p.file == file and where in p.where]
    assert any(words in p.message or words in p.hint for p in hits), caught.value.errors
    assert all(p.hint for p in hits), "every located error says how to fix it"
    code, out = cli("validate", str(folder))
    assert code == 2 and "Traceback" not in out


def test_unreadable_file_and_folder_are_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PermissionError on a table or on the folder itself: a located error (root reads all,
    so the refusal is simulated)."""
    folder = tmp_path / "s"
    shutil.copytree(TINY, folder)
    original = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "links.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(InputError) as caught:
        drawdown.load_scenario(folder)
    [problem] = [p for p in caught.value.errors if p.file == "links.csv"]
    assert "permission denied" in problem.message and "chmod" in problem.hint

    original_is_file = Path.is_file

    def locked(self: Path) -> bool:
        if self.parent == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return original_is_file(self)

    monkeypatch.setattr(Path, "is_file", locked)
    with pytest.raises(InputError) as caught:
        drawdown.load_scenario(folder)
    assert "permission denied" in caught.value.errors[0].message


def test_value_errors_and_unknown_references_come_in_one_pass(tmp_path: Path) -> None:
    """A bad value in one row and an unknown reference in another are reported together,
    and a link to the refused row is not reported as unknown (its id is still known)."""
    folder = tmp_path / "s"
    shutil.copytree(TINY, folder)
    _text_edit("sites.csv", SITE_NORTH, "north,North Camp,base,north-ish,0.0")(folder)
    _text_edit("links.csv", "east-hub,east,hub", "east-hub,nowhere,hub")(folder)
    with pytest.raises(InputError) as caught:
        drawdown.load_scenario(folder)
    places = {(p.file, p.where) for p in caught.value.errors}
    assert ("sites.csv", "row 2 (id=north), column lat") in places
    assert ("links.csv", "id=east-hub, column from") in places
    assert not any("'north'" in p.message for p in caught.value.errors), caught.value.errors


ACTUALS_HEADER = "kind,site,date,value,source\n"


@pytest.mark.parametrize(
    ("content", "where", "words"),
    [
        (b"\n" + ACTUALS_HEADER.encode() + b"killed,,2023-07-30,1,x\n", "row 1", "header"),
        (ACTUALS_HEADER.encode() + b"killed,,2023-07-30,1,x,surplus\n", "row 2", "cells"),
        (ACTUALS_HEADER.encode() + b"killed,,2023-07-30\n", "row 2", "cells"),
        (ACTUALS_HEADER.encode() + b"killed,,2023-07-30,1,caf\xe9\n", "line 2", "not UTF-8"),
        (b"kind,site,date,value,sorce\nkilled,,2023-07-30,1,x\n", "header", "unknown column"),
        (b"kind,site,date,value,value\nkilled,,2023-07-30,1,2\n", "header, column 5", "already"),
    ],
)
def test_malformed_actuals_are_located(
    tmp_path: Path, tiny: Scenario, content: bytes, where: str, words: str
) -> None:
    """`check --actuals` reads through the same strict reader: located, never a crash."""
    path = tmp_path / "actuals.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_actuals(path, tiny)
    assert any(p.where.startswith(where) and words in str(p) for p in caught.value.errors), (
        caught.value.errors
    )


def test_actuals_keep_their_spreadsheet_row_numbers(tmp_path: Path, tiny: Scenario) -> None:
    """A blank line before a bad row does not shift the row number reported."""
    path = tmp_path / "actuals.csv"
    path.write_text(ACTUALS_HEADER + "killed,,2023-07-30,1,x\n\nkilled,,2023-07-31,many,x\n")
    with pytest.raises(InputError) as caught:
        read_actuals(path, tiny)
    assert caught.value.errors[0].where == "row 4"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\nevent_date,sub_event_type,latitude,longitude\n2023-01-01,x,1,2\n", "header"),
        (b"event_date,sub_event_type,latitude,longitude\n2023-01-01,x,1,2,3,4\n", "cells"),
        (b"event_date,sub_event_type,latitude,latitude\n2023-01-01,x,1,2\n", "already"),
        (b"event_date,sub_event_type,latitude,longitude\n2023-01-01,\xff,1,2\n", "not UTF-8"),
        (b"", "empty"),
    ],
)
def test_malformed_incident_files_are_located(tmp_path: Path, content: bytes, words: str) -> None:
    """ACLED/UCDP files: ragged rows, duplicated columns, bad bytes are located errors."""
    path = tmp_path / "events.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_incidents(path)
    assert any(words in str(p) for p in caught.value.errors), caught.value.errors


def test_problem_texts_are_printable() -> None:
    """A Problem built by the reader prints file, place, message and fix on one line."""
    text = str(Problem("sites.csv", "row 2", "has 3 cells", "add cells"))
    assert text == "sites.csv, row 2: has 3 cells (fix: add cells)"

"""The workbench over HTTP on loopback: what-ifs, errors, exports and what it refuses."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from drawdown.analyse.compare import Option, figures_frame
from drawdown.serve.app import MAX_BODY_BYTES

ROAD_HALF = {"changes": [{"name": "clearance.road.approval", "value": "0.5"}]}


def _post(server, path: str, body: object = None, **headers: str) -> httpx.Response:  # type: ignore[no-untyped-def]
    sent = {"Origin": server.origin, **headers}
    return httpx.post(server.url.rstrip("/") + path, json=body, headers=sent, timeout=60)


def _get(server, path: str, **headers: str) -> httpx.Response:  # type: ignore[no-untyped-def]
    return httpx.get(server.url.rstrip("/") + path, headers=headers, timeout=60)


def test_state_offers_every_control_and_the_baseline(server) -> None:  # type: ignore[no-untyped-def]
    """The page's state: controls in the --set language, the baseline drawn by the report."""
    state = _get(server, "/api/state").json()
    names = {c["name"] for c in state["controls"]}
    for name in (
        "clearance.road.approval",
        "threat.ied.rate",
        "policy.max_retries",
        "trucks.cargo-trucks.count",
        "deadline",
        "event.bravo-leaves.date",
    ):
        assert name in names, name
    baseline = state["baseline"]
    assert [f["key"] for f in baseline["figures"]] == [
        "map",
        "gantt",
        "fan",
        "cargo-outcome",
        "protection",
    ]
    assert all(f["svg"].startswith("<svg") for f in baseline["figures"])
    assert baseline["headline"][0]["label"] == "All people out by the deadline"
    assert "corridor_closed" in state["event_targets"]


def test_simulate_pairs_the_whatif_with_the_baseline(server) -> None:  # type: ignore[no-untyped-def]
    """Road approval at 0.5: later completion, and the paired difference equals
    `drawdown compare`'s (figures_frame) on the same two results."""
    answer = _post(server, "/api/simulate", ROAD_HALF)
    assert answer.status_code == 200, answer.text
    variant = answer.json()["variant"]
    assert variant["changes"] == "clearance.road.approval=0.5"
    figures = {f["figure"]: f for f in variant["key_figures"]}
    assert figures["completion_day"]["diff"] > 0
    low, high = figures["completion_day"]["diff_interval"]
    assert low <= figures["completion_day"]["diff"] <= high
    record = server.bench.variants.get(variant["id"])
    baseline = server.bench.variants.baseline
    frame = figures_frame(
        [
            Option("a", baseline.scenario, baseline.plan, baseline.result),
            Option("b", record.scenario, record.plan, record.result),
        ]
    )
    diff = frame[(frame.figure == "completion_day") & (frame.option == "b")]["diff"].item()
    assert diff == pytest.approx(figures["completion_day"]["diff"])
    before = _get(server, "/api/state").json()["baseline"]["headline"]
    assert [h["value"] for h in variant["headline"]] != [h["value"] for h in before]
    listed = [v["id"] for v in answer.json()["variants"]]
    assert listed[0] == "baseline" and variant["id"] in listed


def test_bad_value_is_the_cli_message_and_the_server_stays_up(server) -> None:  # type: ignore[no-untyped-def]
    """An out-of-range value: 400 with --set's message; the next request works."""
    bad = {"changes": [{"name": "clearance.road.approval", "value": "1.5"}]}
    answer = _post(server, "/api/simulate", bad)
    assert answer.status_code == 400
    text = answer.json()["problems"][0]["text"]
    assert text.startswith("--set, clearance.road.approval=1.5: gives an invalid value")
    broken = httpx.post(
        server.url + "api/simulate",
        content=b"{not json",
        headers={"Origin": server.origin, "Content-Type": "application/json"},
    )
    assert broken.status_code == 400 and "not valid JSON" in broken.text
    assert _post(server, "/api/simulate", ROAD_HALF).status_code == 200


def test_foreign_origin_and_host_are_refused(server) -> None:  # type: ignore[no-untyped-def]
    """A state-changing request from another origin, or none, is refused; so is a Host
    header that does not name this machine (DNS rebinding)."""
    for origin in ("http://evil.example", "null", f"{server.origin}.evil.example"):
        answer = _post(server, "/api/simulate", ROAD_HALF, Origin=origin)
        assert answer.status_code == 403, origin
        assert "refused" in answer.json()["error"]
    no_origin = httpx.post(server.url + "api/simulate", json=ROAD_HALF)
    assert no_origin.status_code == 403
    assert _get(server, "/api/state", Host="evil.example").status_code == 400
    export = _post(server, "/api/variants/baseline/export", Origin="http://evil.example")
    assert export.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2f__init__.py",
        "/exports/..%2f..%2fetc/report.html",
        "/exports/../../etc/passwd",
        "/exports/baseline/scenario.yaml",
        "/exports/baseline/..%2f..%2fscenario.zip",
        "/api/variants/..%2f..%2fetc",
        "/api/variants/v1-zzzzzz",
    ],
)
def test_paths_outside_the_server_folder_are_refused(server, path: str) -> None:  # type: ignore[no-untyped-def]
    """No path from the browser reaches a file: only static assets and variant ids."""
    answer = httpx.get(server.url.rstrip("/") + path, timeout=30)
    assert answer.status_code in (400, 404), (path, answer.status_code)
    assert "root:" not in answer.text and "import" not in answer.text


def test_export_of_a_malformed_id_is_refused(server) -> None:  # type: ignore[no-untyped-def]
    """Exports name a variant by id only: a path-like id is unknown, nothing is written."""
    before = sorted(p.name for p in server.bench.settings.exports.iterdir())
    answer = _post(server, "/api/variants/..%2F..%2Ftmp/export")
    assert answer.status_code == 404
    assert sorted(p.name for p in server.bench.settings.exports.iterdir()) == before


def test_request_size_and_runs_are_bounded(server) -> None:  # type: ignore[no-untyped-def]
    """A body over the limit gets 413; runs over --max-runs get their message."""
    big = {"name": "x" * (MAX_BODY_BYTES + 10)}
    assert _post(server, "/api/simulate", big).status_code == 413
    many = _post(server, "/api/simulate", {**ROAD_HALF, "runs": 10**6})
    assert many.status_code == 400 and "from 1 to 2,000" in many.text


def test_export_writes_a_scenario_folder_and_the_report(server, cli) -> None:  # type: ignore[no-untyped-def]
    """Export: the scenario folder passes `drawdown validate` and the report is served."""
    variant = _post(server, "/api/simulate", ROAD_HALF).json()["variant"]
    done = _post(server, f"/api/variants/{variant['id']}/export").json()["export"]
    folder = Path(done["scenario_folder"])
    assert folder.parent.parent == server.bench.settings.exports.resolve()
    code, out = cli("validate", str(folder))
    assert code == 0, out
    report = _get(server, done["report_url"])
    assert report.status_code == 200 and "<svg" in report.text
    assert "clearance.road.approval=0.5" in report.text  # the manifest names the variant


def test_export_downloads_as_a_zip_that_validates(server, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The exported scenario folder downloads as a zip of one folder; unpacked, it passes
    `drawdown validate` and has the variant's change in it."""
    import zipfile

    variant = _post(server, "/api/simulate", ROAD_HALF).json()["variant"]
    done = _post(server, f"/api/variants/{variant['id']}/export").json()["export"]
    download = _get(server, done["zip_url"])
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    assert f"{variant['id']}-scenario.zip" in download.headers["content-disposition"]
    (tmp_path / "got.zip").write_bytes(download.content)
    with zipfile.ZipFile(tmp_path / "got.zip") as archive:
        roots = {name.split("/")[0] for name in archive.namelist()}
        assert len(roots) == 1 and "scenario.yaml" in {n.split("/")[1] for n in archive.namelist()}
        archive.extractall(tmp_path / "unpacked")
    folder = tmp_path / "unpacked" / roots.pop()
    code, out = cli("validate", str(folder))
    assert code == 0, out
    assert "0.5" in (folder / "clearances.csv").read_text(encoding="utf-8")


def test_old_variants_are_evicted(small_server) -> None:  # type: ignore[no-untyped-def]
    """With room for two variants, the third evicts the first: it is gone from the list."""
    ids = []
    for value in ("0.5", "0.6", "0.7"):
        body = {"changes": [{"name": "clearance.road.approval", "value": value}], "runs": 50}
        ids.append(_post(small_server, "/api/simulate", body).json()["variant"]["id"])
    listed = [v["id"] for v in _get(small_server, "/api/variants").json()["variants"]]
    assert listed == ["baseline", ids[1], ids[2]]
    assert _get(small_server, f"/api/variants/{ids[0]}").status_code == 404
    assert len(small_server.bench.variants) == 2


@pytest.mark.parametrize("name", ["../../etc/passwd", "tests/data/tiny", "/tmp", "", 7])
def test_only_builtin_scenarios_can_be_opened(server, name: object) -> None:  # type: ignore[no-untyped-def]
    """The page may open a built-in scenario by name; a path or anything else is refused."""
    answer = _post(server, "/api/open", {"scenario": name})
    assert answer.status_code == 400
    problem = answer.json()["problems"][0]
    assert problem["message"].startswith("not a built-in scenario")
    assert "minusma-2023" in problem["hint"]
    assert _get(server, "/api/state").json()["scenario"]["name"] == "tiny"


def test_an_internal_failure_is_shown_and_the_server_stays_up(server, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Whatever breaks inside a what-if comes back as a JSON error; the next one works."""

    def broken(whatif: object, **options: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(server.bench, "simulate", broken)
    answer = _post(server, "/api/simulate", ROAD_HALF)
    assert answer.status_code == 500
    assert "disk on fire" in answer.json()["problems"][0]["text"]
    monkeypatch.undo()
    assert _post(server, "/api/simulate", ROAD_HALF).status_code == 200


def test_numbers_first_then_the_figures(server) -> None:  # type: ignore[no-untyped-def]
    """?figures=later answers with the numbers; the figures are drawn when asked for, once."""
    answer = _post(server, "/api/simulate?figures=later", ROAD_HALF)
    variant = answer.json()["variant"]
    assert variant["figures"] is None and variant["headline"] and variant["key_figures"]
    drawn = _get(server, f"/api/variants/{variant['id']}/figures").json()
    assert [f["key"] for f in drawn["figures"]][:2] == ["map", "gantt"]
    assert "figures" in drawn["seconds"]
    again = _get(server, f"/api/variants/{variant['id']}").json()["variant"]
    assert again["figures"] == drawn["figures"]
    assert _get(server, "/api/variants/v9-000000/figures").status_code == 404

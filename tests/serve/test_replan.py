"""Re-plan: the optimiser in a worker process, with progress, cancellable, then simulated."""

from __future__ import annotations

import time

import httpx

from drawdown.serve.workbench import Workbench

MORE_TRUCKS = {"name": "more trucks", "changes": [{"name": "trucks.count", "value": "*2"}]}


def _wait(server, job_id: str, seconds: float = 240) -> dict:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = httpx.get(f"{server.origin}/api/jobs/{job_id}", timeout=30).json()
        if body["job"]["state"] not in ("planning", "simulating"):
            return body
        time.sleep(0.3)
    raise AssertionError(f"re-plan {job_id} did not finish in {seconds} s")


def test_replan_completes_with_its_own_plan(server) -> None:  # type: ignore[no-untyped-def]
    """A re-plan reports its stage, ends done, and its variant executes a new plan."""
    started = httpx.post(
        f"{server.origin}/api/replan", json=MORE_TRUCKS, headers={"Origin": server.origin}
    )
    assert started.status_code == 202, started.text
    job = started.json()["job"]
    assert job["state"] == "planning" and job["stage"]
    body = _wait(server, job["id"])
    assert body["job"]["state"] == "done", body["job"]
    variant = body["variant"]
    assert variant["kind"] == "replan" and variant["name"] == "more trucks"
    record = server.bench.variants.get(variant["id"])
    assert record.plan.scenario_hash == record.scenario.content_hash()
    assert record.plan.method == "optimised"
    assert {f["figure"] for f in variant["key_figures"]} >= {"p_out_on_time", "casualties"}


def test_replan_cancel_stops_the_worker(bench: Workbench) -> None:
    """Cancel terminates the planner process at once; the job says so; nothing is kept."""
    before = len(bench.variants)
    job = bench.replan(bench.read(MORE_TRUCKS))
    assert job.process.is_alive()
    bench.replanner.cancel(job)
    assert job.state == "cancelled" and not job.process.is_alive()
    time.sleep(0.5)
    assert job.as_json()["state"] == "cancelled"
    assert len(bench.variants) == before
    # a second re-plan may start once the first is cancelled
    again = bench.replan(bench.read(MORE_TRUCKS))
    bench.replanner.cancel(again)
    assert again.state == "cancelled"


def test_open_another_builtin_scenario(small_server) -> None:  # type: ignore[no-untyped-def]
    """Opening a built-in by name plans it in the worker, then the page's state is its own."""
    started = httpx.post(
        f"{small_server.origin}/api/open",
        json={"scenario": "barkhane-mali-2022"},
        headers={"Origin": small_server.origin},
    )
    assert started.status_code == 202, started.text
    body = _wait(small_server, started.json()["job"]["id"])
    assert body["job"]["state"] == "done" and body["job"]["kind"] == "open", str(body["job"])
    state = httpx.get(f"{small_server.origin}/api/state", timeout=60).json()
    assert state["scenario"]["name"] == "barkhane-mali-2022"
    assert [v["id"] for v in state["variants"]] == ["baseline"]
    names = {c["name"] for c in state["controls"]}
    assert "clearance.road.approval" in names


def test_the_next_re_plan_runs_in_a_worker_started_meanwhile() -> None:
    """Once a re-plan's worker is done, the next one is started and waits, imported; the
    next re-plan runs in it, and shutting down terminates the one left waiting."""
    from pathlib import Path

    from drawdown.scenario.io import load_scenario
    from drawdown.serve.replan import Replanner

    scenario = load_scenario(Path(__file__).parents[1] / "data" / "tiny")
    replanner = Replanner()
    done: list[str] = []

    def then(job, plan, note):  # type: ignore[no-untyped-def]
        done.append(plan.scenario_hash)
        return ""

    def finish(job):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + 120
        while job.state in ("planning", "simulating") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert job.state == "done", job.as_json()

    try:
        first = replanner.start("a", scenario, greedy=True, warm_start=None, then=then)
        finish(first)
        spare = replanner._spare
        assert spare is not None and spare[0].is_alive() and spare[0] is not first.process
        second = replanner.start("b", scenario, greedy=True, warm_start=None, then=then)
        assert second.process is spare[0]  # the waiting worker took it
        finish(second)
        assert done == [scenario.content_hash()] * 2
        waiting = replanner._spare
        assert waiting is not None and waiting[0].is_alive()
    finally:
        replanner.shutdown()
    assert replanner._spare is None and not waiting[0].is_alive()
    assert not second.process.is_alive()

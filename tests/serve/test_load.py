"""50 what-ifs at once over loopback: every one answered, each with its own numbers."""

from __future__ import annotations

import asyncio

import httpx
import numpy as np

VALUES = ("0.3", "0.5", "0.7", "0.9", "1")
REQUESTS = 50
RUNS = 100


async def _all(server) -> list[httpx.Response]:  # type: ignore[no-untyped-def]
    limits = httpx.Limits(max_connections=REQUESTS)
    async with httpx.AsyncClient(base_url=server.origin, timeout=180, limits=limits) as client:

        async def one(i: int) -> httpx.Response:
            body = {
                "name": f"request {i}",
                "changes": [{"name": "clearance.road.approval", "value": VALUES[i % 5]}],
                "runs": RUNS,
            }
            return await client.post("/api/simulate", json=body, headers={"Origin": server.origin})

        return await asyncio.wait_for(
            asyncio.gather(*(one(i) for i in range(REQUESTS))), timeout=600
        )


def test_fifty_concurrent_whatifs_without_cross_talk(server) -> None:  # type: ignore[no-untyped-def]
    """Every answer is a success, names its own request and change, equal requests get
    equal numbers, and each equals the library's own run of that what-if."""
    answers = asyncio.run(_all(server))
    assert len(answers) == REQUESTS
    by_value: dict[str, list[dict]] = {}
    for i, answer in enumerate(answers):
        assert answer.status_code == 200, (i, answer.text[:300])
        variant = answer.json()["variant"]
        assert variant["name"] == f"request {i}"
        value = VALUES[i % 5]
        assert variant["changes"] == f"clearance.road.approval={float(value)}"
        assert variant["runs"] == RUNS
        by_value.setdefault(value, []).append(variant)
    bench = server.bench
    for value, variants in by_value.items():
        figures = [{f["figure"]: f["value"] for f in v["key_figures"]} for v in variants]
        assert all(f == figures[0] for f in figures), value  # no cross-talk, deterministic
        prepared = bench.simulator.prepare([f"clearance.road.approval={value}"])
        (own,) = bench.simulator.run([prepared], runs=RUNS, seed=bench.seed, room=bench.room)
        killed = float(np.mean(own.data.runs["killed"]))
        assert figures[0]["killed"] == killed, value
        done = own.data.runs["completion_day"].astype(float)
        horizon = own.horizon
        mean_day = float(np.where(done < 0, 2.0 * horizon, done).mean())
        assert figures[0]["completion_day"] == mean_day, value
    # lower approval, later completion: the answers are not mixed up between values
    days = [
        {f["figure"]: f["value"] for f in by_value[v][0]["key_figures"]}["completion_day"]
        for v in VALUES
    ]
    assert days[0] > days[-1]

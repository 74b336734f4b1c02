"""Fixtures of the workbench tests: a workbench of the tiny scenario and a live server of it.

The server runs uvicorn in a thread on 127.0.0.1 (a free port), exactly as `drawdown serve`
runs it, so the tests speak HTTP over loopback to the real app.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from drawdown.scenario.model import Scenario
from drawdown.serve import address, allowed_hosts, bind
from drawdown.serve.app import create_app
from drawdown.serve.workbench import Settings, Workbench

RUNS = 200  # small: the machine's cores are shared


@pytest.fixture(scope="session")
def tiny_greedy(tiny: Scenario):  # type: ignore[no-untyped-def]
    """The greedy plan of the tiny scenario (quick to make)."""
    from drawdown.plan import greedy_plan

    return greedy_plan(tiny)


def make_bench(tiny: Scenario, plan: object, exports: Path, **settings: object) -> Workbench:
    options: dict[str, object] = {"runs": RUNS, "max_runs": 2000}
    options.update(settings)
    return Workbench(tiny, plan, Settings(exports=exports, **options))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def bench(
    tiny: Scenario, tiny_greedy: object, tmp_path_factory: pytest.TempPathFactory
) -> Workbench:
    """A workbench of the tiny scenario, its greedy plan and 200 runs (re-plans optimise)."""
    return make_bench(tiny, tiny_greedy, tmp_path_factory.mktemp("exports"), max_variants=60)


@dataclass
class LiveServer:
    url: str
    bench: Workbench

    @property
    def origin(self) -> str:
        return self.url.rstrip("/")


def _serve(bench: Workbench) -> Iterator[LiveServer]:
    import uvicorn

    sock = bind("127.0.0.1", 0)
    app = create_app(bench, allowed_hosts=allowed_hosts(sock))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the workbench server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(address(sock), bench)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def server(bench: Workbench) -> Iterator[LiveServer]:
    """The workbench app served on 127.0.0.1 at a free port, for the whole session."""
    yield from _serve(bench)


@pytest.fixture
def small_server(tiny: Scenario, tiny_greedy: object, tmp_path: Path) -> Iterator[LiveServer]:
    """A server of its own keeping at most two variants, planning greedily."""
    yield from _serve(
        make_bench(tiny, tiny_greedy, tmp_path / "exports", max_variants=2, greedy=True)
    )

"""The local what-if workbench: `drawdown serve` in a browser, offline, on this machine.

It composes the public API only (scenario, plan, simulate, report): `open_workbench` loads a
scenario (a built-in name, a scenario folder, or a results folder of `drawdown run`, whose
plan it reuses), makes its plan and baseline, and `serve` runs the web app
with uvicorn on 127.0.0.1. Starlette and uvicorn are imported only here, so
`drawdown --help` stays light.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from drawdown.errors import InputError, Problem

if TYPE_CHECKING:
    from drawdown.serve.workbench import Settings, Workbench

LOOPBACK = "127.0.0.1"


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (127.0.0.0/8, ::1 or localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def open_workbench(
    source: str, settings: Settings, *, say: Callable[[str], object] = print
) -> Workbench:
    """The workbench of `source`: a built-in name, a scenario folder or a results folder."""
    from drawdown.results import RUN_FILE
    from drawdown.serve.workbench import Workbench

    folder = Path(source)
    if folder.is_dir() and (folder / RUN_FILE).is_file():
        from drawdown.results import load_run

        run = load_run(folder)
        say(f"results folder {folder}: its {run.plan.method} plan")
        return Workbench(run.scenario, run.plan, settings, source=str(folder))
    from drawdown.plan import greedy_plan, optimise
    from drawdown.scenario.io import load_scenario

    scenario = load_scenario(source)
    if settings.greedy:
        say(f"planning {scenario.name} with the greedy baseline…")
        plan = greedy_plan(scenario)
    else:
        say(f"optimising the plan of {scenario.name}…")
        plan = optimise(scenario, with_greedy=False)  # the page shows no gain over greedy
    say(
        f"stress-testing the plan ({settings.runs:,} runs, seed {settings.seed}) and drawing "
        "its figures…"
    )
    return Workbench(scenario, plan, settings, source=source)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: any free port), or a clear error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        in_use = exc.errno == errno.EADDRINUSE
        raise InputError(
            Problem(
                "--port" if in_use else "--host",
                f"{host}:{port}",
                f"cannot listen there: {exc.strerror}",
                "choose another port with --port N (0: any free port)"
                if in_use
                else "use 127.0.0.1 (this machine), or an address of this machine",
            ),
            title="cannot start the workbench",
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(bench: Workbench, sock: socket.socket, *, say: Callable[[str], object] = print) -> None:
    """Serve `bench` on the listening socket `sock` (from `bind`) until interrupted."""
    import uvicorn

    from drawdown.serve.app import create_app

    app = create_app(bench, allowed_hosts=allowed_hosts(sock))
    say(f"drawdown workbench: {address(sock)}  (Ctrl+C to stop)")
    config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=3)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        bench.close()
        sock.close()


def address(sock: socket.socket) -> str:
    """The page's address for a listening socket."""
    host, port = sock.getsockname()[:2]
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def allowed_hosts(sock: socket.socket) -> tuple[str, ...]:
    """The names the Host header may carry: this machine's, or any when bound beyond it."""
    from drawdown.serve.app import LOOPBACK_HOSTS

    return LOOPBACK_HOSTS if is_loopback(sock.getsockname()[0]) else ("*",)


__all__ = ["address", "allowed_hosts", "bind", "is_loopback", "open_workbench", "serve"]

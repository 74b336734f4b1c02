"""`drawdown serve`: starts, prints its address, answers, stops on Ctrl+C; refuses bad binds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

TINY = Path(__file__).parents[1] / "data" / "tiny"


def test_serve_prints_its_address_and_answers(tmp_path: Path) -> None:
    """The command plans, prints http://127.0.0.1:PORT/, serves the page and stops on SIGINT."""
    command = [sys.executable, "-m", "drawdown", "serve", str(TINY), "--greedy", "--port", "0"]
    command += ["--runs", "50", "--exports", str(tmp_path / "exports")]
    env = {**os.environ, "COLUMNS": "200"}
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    ) as process:
        assert process.stdout is not None
        try:
            lines = []
            for line in process.stdout:
                lines.append(line)
                if "drawdown workbench: http://" in line:
                    break
            address = lines[-1].split("workbench: ")[1].split()[0]
            assert address.startswith("http://127.0.0.1:"), lines
            page = httpx.get(address, timeout=30)
            assert page.status_code == 200 and "drawdown workbench" in page.text
            assert httpx.get(address + "static/app.js", timeout=30).status_code == 200
            state = httpx.get(address + "api/state", timeout=30).json()
            assert state["scenario"]["name"] == "tiny" and state["settings"]["runs"] == 50
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            finally:
                if process.poll() is None:
                    process.kill()
        rest = process.stdout.read()
    assert "Traceback" not in rest


def test_other_interface_warns_and_a_bad_one_is_refused(cli) -> None:  # type: ignore[no-untyped-def]
    """--host other than loopback prints a warning; one not on this machine fails with
    status 2 and a message naming --host, before any planning."""
    code, out = cli("serve", str(TINY), "--host", "192.0.2.1", "--port", "0")
    assert code == 2
    assert "warning: listening on 192.0.2.1" in out
    assert "--host, 192.0.2.1:0: cannot listen there" in " ".join(out.split())
    assert "planning" not in out and "Traceback" not in out

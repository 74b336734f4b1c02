"""The web app: a few JSON routes over the workbench, the page and its local assets.

Safe by default: the host header must name this machine (no DNS rebinding); a request that
changes state (POST) must come from this page's own origin; bodies are bounded in size and
what-ifs in runs; at most `MAX_PENDING` what-ifs wait at once; the browser names only
variants and jobs by id; every problem comes back as JSON with the CLI's message and the
server stays up.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from drawdown.errors import InputError, Problem
from drawdown.serve.errors import Busy, UnknownVariant, error_json, simple_error
from drawdown.serve.session import Session
from drawdown.serve.workbench import Workbench, unknown_variant

MAX_BODY_BYTES = 64 * 1024
MAX_PENDING = 64  # what-ifs running or waiting; more are refused with 503
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
STATIC = Path(str(files("drawdown.serve") / "static"))
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class Guard:
    """ASGI middleware: same-origin for state-changing requests, bounded request bodies."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        origin, host = headers.get("origin", ""), headers.get("host", "")
        if not origin or origin != f"http://{host}":
            body = simple_error(
                f"refused: a state-changing request from origin {origin or '(none)'!r}",
                "use the workbench page this server serves",
            )
            await JSONResponse(body, status_code=403)(scope, receive, send)
            return
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _too_large(self.max_body)(scope, receive, send)
            return
        seen = 0

        async def bounded() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, bounded, send)
        except _BodyTooLarge:
            await _too_large(self.max_body)(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse(
        simple_error(f"request larger than {limit // 1024} KiB", "send fewer changes"),
        status_code=413,
    )


def _problem(exc: InputError, status: int = 400) -> JSONResponse:
    return JSONResponse(error_json(exc), status_code=status)


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise InputError(
            Problem("request", "body", "not valid JSON", "send a JSON object"),
            title="bad request",
        ) from None


def _lifespan(session: Session) -> Any:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        session.close()  # no planner process outlives the server

    return lifespan


def create_app(bench: Workbench, *, allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS) -> Starlette:
    """The Starlette app serving `bench` (hosts: the names the Host header may carry).

    The page may switch to another built-in scenario; `app.state.session.bench` is the
    workbench in use.
    """
    session = Session(bench)
    pending = {"n": 0}
    # threads for the work of requests; the workbench itself simulates one at a time
    limiter = anyio.CapacityLimiter(4)

    async def run(fn: Any, *args: Any) -> Any:
        return await anyio.to_thread.run_sync(fn, *args, limiter=limiter)

    async def page(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    async def state(request: Request) -> Response:
        # quick (no simulation): answered at once even while what-ifs hold every thread
        return JSONResponse(session.bench.state())

    async def simulate(request: Request) -> Response:
        if pending["n"] >= MAX_PENDING:
            body = simple_error("the workbench is busy", "try again in a few seconds")
            return JSONResponse(body, status_code=503)
        pending["n"] += 1
        bench = session.bench  # one workbench for the whole request, even if the page switches
        try:
            payload = await _json_body(request)
            whatif = await run(bench.read, payload)
            # ?figures=later: the numbers now, the figures from /api/variants/ID/figures
            later = request.query_params.get("figures") == "later"
            record = await run(partial(bench.simulate, whatif, draw=not later))
            return JSONResponse({"variant": record.full(), "variants": bench.variants.listing()})
        except InputError as exc:
            return _problem(exc)
        finally:
            pending["n"] -= 1

    async def replan(request: Request) -> Response:
        bench = session.bench
        try:
            payload = await _json_body(request)
            whatif = await run(bench.read, payload)
            job = await run(bench.replan, whatif)
        except InputError as exc:
            return _problem(exc, 409 if isinstance(exc, Busy) else 400)
        return JSONResponse({"job": job.as_json()}, status_code=202)

    async def open_scenario(request: Request) -> Response:
        try:
            payload = await _json_body(request)
            job = await run(session.open_builtin, payload)
        except InputError as exc:
            return _problem(exc, 409 if isinstance(exc, Busy) else 400)
        return JSONResponse({"job": job.as_json()}, status_code=202)

    async def job(request: Request) -> Response:
        found = session.replanner.get(request.path_params["job_id"])
        if found is None:
            return JSONResponse(simple_error("no such job"), status_code=404)
        body: dict[str, Any] = {"job": found.as_json()}
        if found.state == "done" and found.kind == "replan":
            bench = session.bench
            record = bench.variants.get(found.variant_id)
            if record is not None:
                body["variant"] = record.full()
            body["variants"] = bench.variants.listing()
        return JSONResponse(body)

    async def cancel(request: Request) -> Response:
        found = session.replanner.get(request.path_params["job_id"])
        if found is None:
            return JSONResponse(simple_error("no such job"), status_code=404)
        await run(session.replanner.cancel, found)
        return JSONResponse({"job": found.as_json()})

    async def variants(request: Request) -> Response:
        return JSONResponse({"variants": session.bench.variants.listing()})

    async def variant(request: Request) -> Response:
        record = session.bench.variants.get(request.path_params["variant_id"])
        if record is None:
            return _problem(unknown_variant(request.path_params["variant_id"]), 404)
        return JSONResponse({"variant": record.full()})

    async def variant_figures(request: Request) -> Response:
        bench, variant_id = session.bench, request.path_params["variant_id"]
        try:
            drawn = await run(bench.figures_of, variant_id)
        except InputError as exc:
            return _problem(exc, 404 if isinstance(exc, UnknownVariant) else 400)
        record = bench.variants.get(variant_id)
        return JSONResponse({"figures": drawn, "seconds": record.seconds if record else {}})

    async def export(request: Request) -> Response:
        try:
            done = await run(session.bench.export, request.path_params["variant_id"])
        except InputError as exc:
            return _problem(exc, 404 if isinstance(exc, UnknownVariant) else 400)
        return JSONResponse({"export": done})

    async def exported(request: Request) -> Response:
        name = request.path_params["name"]
        found = session.bench.exported(request.path_params["variant_id"], name)
        if found is None:
            return JSONResponse(simple_error(f"no exported {name[:40]} of that variant"), 404)
        path, download = found
        if name == "scenario.zip":
            return FileResponse(path, media_type="application/zip", filename=download)
        return FileResponse(path, media_type="text/html")  # shown in the browser

    async def not_found(request: Request, exc: Exception) -> Response:
        return JSONResponse(simple_error("not found"), status_code=404)

    async def server_error(request: Request, exc: Exception) -> Response:
        # the server stays up: the page shows what failed, the log has the traceback
        return JSONResponse(simple_error(f"internal error: {exc!r}"), status_code=500)

    routes = [
        Route("/", page),
        Route("/api/state", state),
        Route("/api/simulate", simulate, methods=["POST"]),
        Route("/api/replan", replan, methods=["POST"]),
        Route("/api/open", open_scenario, methods=["POST"]),
        Route("/api/jobs/{job_id}", job),
        Route("/api/jobs/{job_id}/cancel", cancel, methods=["POST"]),
        Route("/api/variants", variants),
        Route("/api/variants/{variant_id}", variant),
        Route("/api/variants/{variant_id}/figures", variant_figures),
        Route("/api/variants/{variant_id}/export", export, methods=["POST"]),
        Route("/exports/{variant_id}/{name}", exported),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    hosts = sorted({h.strip("[]") for h in allowed_hosts} | set(allowed_hosts))
    app = Starlette(
        routes=routes,
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts), Middleware(Guard)],
        exception_handlers={404: not_found, 500: server_error, Exception: server_error},
        lifespan=_lifespan(session),
    )
    app.state.session = session
    return app

"""The exam's web server: ``GET /`` is the join page, ``/api/`` the JSON API it uses.

Every ``/api/`` request but ``POST /api/join`` carries ``Authorization: Bearer TOKEN``; the
token is given by joining with the exam's PIN and the examiner's staff id and names that
examiner (an HMAC of the examiner id under a key made from the PIN, the exam and the archive,
so a restarted server with the same PIN still knows it; a wrong or missing token is 401).
A token reaches only its examiner's station, only while the exam is open (started, not
closed, not past its last round plus ``GRACE_S``), and only the candidates whose round has
started at that station; no answer carries another station's or another candidate's results.
Bodies are at most ``MAX_BODY`` bytes of JSON (UTF-8, no lone surrogate); a wrong PIN is
refused, and after ``MAX_FAILED_JOINS`` wrong PINs from one address (the connection's: no
forwarding header is believed) in ``FAILED_WINDOW_S`` every join from it is 429 until the
window passes. A known API path asked with another method is 405; every refusal is
``{"error": one sentence}``.

The archive is one SQLite connection on one thread of its own: every request's archive work
runs there, one at a time, each write committed before it is answered, while the event loop
reads and answers the other requests.
Nothing slow is left on that path: the exam is opened, started and its sittings' drills
recorded (``ExamDay.start``) and the records the next rounds are scored on replayed before the
server listens; a mark is one read to find a resend and one transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import hashlib
import hmac
import json
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simtool.app.exam import ExamDay, ExamDayError, join_qr_png

MAX_BODY = 16 * 1024
MAX_TOKEN = 512
MAX_FAILED_JOINS = 10
FAILED_WINDOW_S = 600.0
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
API_METHODS = {"/api/join": "POST", "/api/me": "GET", "/api/turns": "GET", "/api/mark": "POST",
               "/api/sign": "POST", "/api/sheet": "GET"}
STATIC = {"/": ("index.html", "text/html; charset=utf-8"),
          "/app.js": ("app.js", "text/javascript; charset=utf-8"),
          "/app.css": ("app.css", "text/css; charset=utf-8")}


def _static(name: str) -> bytes:
    return resources.files("simtool.web").joinpath("static", name).read_bytes()


def pin_problem(pin: str) -> str | None:
    if not isinstance(pin, str) or not pin.isascii() or not pin.isdigit() or not 4 <= len(pin) <= 12:
        return "the PIN is 4 to 12 digits"
    return None


class _Error(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _json(obj: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(obj, status_code=status, headers=SECURITY_HEADERS)


class _Lazy:
    """The exam day, opened on the server's own thread at its first request (an archive is a
    SQLite connection, usable only on the thread that opened it)."""

    def __init__(self, opener: Callable[[], ExamDay], pin: str) -> None:
        self.opener, self.pin = opener, pin
        self.day: ExamDay | None = None
        self.key = b""

    def __getattr__(self, name: str) -> Any:
        if self.day is None:
            self.day = self.opener()
            archive_id = self.day.archive._meta("archive_id") or ""
            self.key = hashlib.sha256(
                f"simtool-exam\0{self.day.id}\0{archive_id}\0{self.pin}".encode()).digest()
        return getattr(self.day, name)


def create_app(opener: Callable[[], ExamDay], pin: str, *,
               clock: Callable[[], datetime] | None = None) -> Starlette:
    """The Starlette app of an exam day; ``opener`` opens it (its archive) on the server's
    thread at the first request. ``clock`` gives the time now (tests move it)."""
    problem = pin_problem(pin)
    if problem:
        raise ExamDayError(problem)
    now = clock or (lambda: datetime.now(timezone.utc))
    day: Any = _Lazy(opener, pin)
    failed: dict[str, deque[float]] = {}      # address -> when its recent wrong PINs came
    sweep = [float("-inf")]                   # when they were last swept
    stats = {"marks": 0}
    # the archive's one connection lives on one thread of its own: the event loop reads and
    # answers requests while that thread waits for a commit to reach the disk
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="simtool-exam-archive")

    async def db(fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(worker, functools.partial(fn, *args))

    async def opened() -> None:
        if day.day is None:
            await db(lambda: day.id)

    def token_for(examiner_id: str) -> str:
        day.id      # opens the exam: the key needs its archive's id
        return examiner_id + "." + hmac.new(day.key, examiner_id.encode(), "sha256").hexdigest()

    def examiner_of(request: Request) -> str:
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            raise _Error(401, "join the exam with its PIN first")
        tok = auth[7:].strip()
        eid, _, _mac = tok.rpartition(".")
        # a token is ASCII (hmac compares no other str); anything else was never given out
        if not eid or not tok.isascii() or len(tok) > MAX_TOKEN or \
                not hmac.compare_digest(token_for(eid), tok):
            raise _Error(401, "this device is not joined to the exam (or the PIN changed): join again")
        return eid

    async def body(request: Request) -> dict[str, Any]:
        size = request.headers.get("content-length")
        if size is not None and (not size.isdigit() or int(size) > MAX_BODY):
            raise _Error(413, f"a request body is at most {MAX_BODY:,} bytes")
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > MAX_BODY:
                raise _Error(413, f"a request body is at most {MAX_BODY:,} bytes")
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
            # JSON's \ud800 escapes make text no archive, comparison or answer can encode
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise _Error(400, "the body has text with a lone UTF-16 surrogate; send Unicode "
                              "text") from None
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise _Error(400, "the body is not JSON") from None
        if not isinstance(data, dict):
            raise _Error(400, "the body is a JSON object")
        return data

    def guarded(fn: Callable[..., Any], auth: bool = True) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            try:
                await opened()
                eid = examiner_of(request) if auth else None
                return _json(await fn(request, eid))
            except _Error as exc:
                return _json({"error": exc.message}, exc.status)
            except ExamDayError as exc:
                return _json({"error": str(exc)}, exc.status)
        return endpoint

    def forget_old_failures(t: float) -> None:
        """Drop the addresses whose wrong PINs are all older than the window (at most once a
        minute), so addresses that guessed once and left are not kept for ever."""
        if t - sweep[0] < 60.0:
            return
        sweep[0] = t
        for ip in [ip for ip, seen in failed.items() if not seen or t - seen[-1] > FAILED_WINDOW_S]:
            del failed[ip]

    async def join(request: Request, _eid: None) -> dict[str, Any]:
        # the address the connection comes from: no forwarding header is believed
        ip = request.client.host if request.client else "?"
        t = time.monotonic()
        forget_old_failures(t)
        seen = failed.get(ip)
        while seen and t - seen[0] > FAILED_WINDOW_S:
            seen.popleft()
        if seen is not None and len(seen) >= MAX_FAILED_JOINS:
            raise _Error(429, "too many wrong PINs from this device; wait ten minutes")
        data = await body(request)
        given, staff = data.get("pin"), data.get("staff_id")
        if not isinstance(given, str) or not hmac.compare_digest(given.encode(), pin.encode()):
            failed.setdefault(ip, deque()).append(t)
            raise _Error(401, "wrong PIN")
        eid = day.examiner_by_staff(staff) if isinstance(staff, str) else None
        if eid is None:
            raise _Error(403, "that staff id examines at no station of this exam")

        def joined() -> dict[str, Any]:
            ok, why = day.can_join(now())
            if not ok:
                raise _Error(403, why)
            return {"token": token_for(eid), **station_info(eid)}
        return await db(joined)

    def station_info(eid: str) -> dict[str, Any]:
        station = day.station_of(eid)
        rb = day.rubric(station)
        r = rb.rubric
        items = []
        for it in r.items:
            entry: dict[str, Any] = {"id": it.id, "kind": it.kind, "label": it.label.model_dump(),
                                     "critical": bool(getattr(it, "critical", False))}
            if it.kind == "graded":
                entry["levels"] = [{"value": lv.value, "label": lv.label.model_dump()} for lv in it.levels]
            if it.kind in ("observed", "graded"):
                items.append(entry)
        grades = [{"id": g.id, "label": g.label.model_dump()} for g in r.global_rating.grades] \
            if r.global_rating else []
        examiner = day.archive.examiner(eid)
        return {"exam": {"id": day.id, "title": day.title}, "station": station,
                "station_title": r.title.model_dump(), "examiner": examiner.name,
                "items": items, "grades": grades}

    async def me(request: Request, eid: str) -> dict[str, Any]:
        return await db(station_info, eid)

    def turns_now(eid: str) -> dict[str, Any]:
        t = now()
        ok, why = day.can_join(t)
        if not ok:
            raise _Error(403, why)
        station = day.station_of(eid)
        with day.lock:
            out = [{"candidate": x.candidate_id, "name": x.name, "round": x.slot.round,
                    "state": x.state} for x in day.turns(station, eid, t)]
        return {"clock": day.clock(t), "turns": out}

    async def turns(request: Request, eid: str) -> dict[str, Any]:
        return await db(turns_now, eid)

    async def sheet(request: Request, eid: str) -> dict[str, Any]:
        cand = request.path_params["candidate"]
        return await db(lambda: day.sheet(day.station_of(eid), eid, cand, now()))

    async def mark(request: Request, eid: str) -> dict[str, Any]:
        data = await body(request)
        if set(data) != {"candidate", "client", "seq", "change"}:
            raise _Error(400, "a mark is {candidate, client, seq, change}")
        if not isinstance(data["candidate"], str):
            raise _Error(400, "candidate is a candidate id")
        out = await db(lambda: day.save_mark(day.station_of(eid), eid, data["candidate"],
                                             data["client"], data["seq"], data["change"], now()))
        stats["marks"] += 1
        return out

    async def sign(request: Request, eid: str) -> dict[str, Any]:
        data = await body(request)
        if set(data) != {"candidate"} or not isinstance(data["candidate"], str):
            raise _Error(400, "a signature is {candidate}")
        return await db(lambda: day.sign(day.station_of(eid), eid, data["candidate"], now()))

    async def page(request: Request) -> Response:
        name, kind = STATIC[request.url.path]
        return Response(_static(name), media_type=kind, headers=SECURITY_HEADERS)

    async def font(request: Request) -> Response:
        # the CJK fallback font (only fetched by a device with no Chinese font of its own: the
        # page asks for it last, for CJK characters only); served from simtool, never a CDN
        from simtool.core.paths import bundled_root
        data = (bundled_root() / "assets" / "fonts" / "DroidSansFallbackFull.ttf").read_bytes()
        return Response(data, media_type="font/ttf",
                        headers={**SECURITY_HEADERS, "Cache-Control": "max-age=86400"})

    async def api_unknown(request: Request) -> Response:
        path = request.url.path
        name = "/api/" + path.split("/")[2]
        allowed = API_METHODS.get(name if name == "/api/sheet" else path)
        if allowed is not None and request.method not in (allowed, "HEAD" if allowed == "GET" else ""):
            # a known API path asked with a method it does not take
            return JSONResponse({"error": f"{name} takes {allowed} only"}, 405,
                                headers={**SECURITY_HEADERS, "Allow": allowed})
        try:
            await opened()
            examiner_of(request)
        except _Error as exc:
            return _json({"error": exc.message}, exc.status)
        return _json({"error": "no such API"}, 404)

    routes = [Route(path, page) for path in STATIC] + [Route("/font/cjk.ttf", font)] + [
        Route("/api/join", guarded(join, auth=False), methods=["POST"]),
        Route("/api/me", guarded(me)),
        Route("/api/turns", guarded(turns)),
        Route("/api/sheet/{candidate}", guarded(sheet)),
        Route("/api/mark", guarded(mark), methods=["POST"]),
        Route("/api/sign", guarded(sign), methods=["POST"]),
        Route("/api/{rest:path}", api_unknown,
              methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # open the exam (and, for `simtool exam serve`, start it and record its sittings)
        # before the server listens, and replay the records the next marks are scored on,
        # so no examiner's mark waits for that work
        await opened()
        await db(lambda: day.warm(now()))
        # what was just built lives as long as the server: out of the collector's way, so a
        # full collection never walks every sitting's record while a mark waits
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            if day.day is not None:
                await db(day.archive.close)
            worker.shutdown(wait=True)

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.stats = stats
    app.state.failed = failed
    app.state.token_for = token_for
    return app


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def qr_png(url: str, path: Any) -> None:
    """The join URL as a QR code (a PNG for the app or the terminal to show)."""
    from pathlib import Path
    Path(path).write_bytes(join_qr_png(url))


def serve(opener: Callable[[], ExamDay], host: str, port: int, pin: str) -> None:
    """Run the exam's server on ``host``:``port`` until stopped (Ctrl-C); stopping the server
    stops the marking."""
    import uvicorn
    app = create_app(opener, pin)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            proxy_headers=False, server_header=False, date_header=False,
                            limit_concurrency=200, timeout_keep_alive=30, lifespan="on",
                            ws="none")
    server = uvicorn.Server(config)
    server.run()

"""Benchmark of the exam server (issue 22, item 7): 30 examiner clients marking at once on
127.0.0.1 against ``simtool exam serve`` in its own process; marks per second and the latency
from sending a mark to its acknowledgement (the mark is committed before it is acknowledged),
printed as JSON. Target: p99 ≤ 100 ms.

    .venv/bin/python bench/exam.py [--clients 30] [--marks 20] [--pace 0.5]
                                   [--stations 10] [--candidates 20]

Each client is an examiner; by default 30 examiners mark 20 candidates at 10 stations, three
examiners at each (the issue's figure; ``--stations 30 --candidates 30`` is one examiner per
station); ``--pace``
is the seconds a client waits between marks (an examiner ticks an item every few seconds; 0
sends back to back, the saturation figure). Examiners mark independently: each starts at a
random moment and waits 0.5-1.5 x pace (seeded); ``--lockstep`` sends everyone's marks at the
same moments, a burst of 30 at once every pace. The server records every sitting's drill when it starts, before it listens: ``server_ready_s`` is that time."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PIN = "246810"


def build(folder: Path, n: int, stations: int | None = None, candidates: int | None = None) -> Path:
    """An exam with ``n`` examiners over ``stations`` stations (round robin) and ``candidates``
    candidates (both default to ``n``: one examiner per station)."""
    import contextlib
    import io

    from simtool.cli import main
    stations = stations or n
    candidates = candidates or n
    archive = folder / "bench.sqlite"
    with contextlib.redirect_stdout(io.StringIO()):
        for i in range(n):
            main(["people", "add", "--name", f"Examiner {i}", "--staff-id", f"E{i:02d}",
                  "--archive", str(archive)])
    (folder / "c.csv").write_text("staff_id,name,department\n" + "".join(
        f"S{i:02d},Candidate {i},Obstetrics\n" for i in range(candidates)), encoding="utf-8")
    rubrics = ["pph_uterine_massage_station", "pph_balloon_tamponade_station", "pph_cell_salvage_station"]
    rows = "".join(f"  - {{id: s{k:02d}, rubric: {rubrics[k % 3]}, examiners: ["
                   + ", ".join(f"E{i:02d}" for i in range(k, n, stations)) + "]}\n"
                   for k in range(stations))
    (folder / "exam.yaml").write_text(
        "id: bench\ntitle: {en: Bench, zh_CN: 基准, zh_TW: 基準}\n"
        "timing: {reading_s: 60, station_s: 480, changeover_s: 60}\n"
        f"stations:\n{rows}candidates: c.csv\n", encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["exam", "create", str(folder / "exam.yaml"), "--archive", str(archive)]) == 0
    return archive


async def client(base: str, staff: str, marks: int, pace: float, out: list[float],
                 rng: random.Random | None = None) -> None:
    """One examiner: joins, finds the candidate in front of them, sends ``marks`` marks
    ``pace`` seconds apart on average (``rng``: independent examiners, each starting at a
    random moment and waiting 0.5-1.5 x pace; None: every client in step, all at once)."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        r = await c.post("/api/join", json={"pin": PIN, "staff_id": staff})
        info = r.json()
        auth = {"Authorization": "Bearer " + info["token"]}
        cand = (await c.get("/api/turns", headers=auth)).json()["turns"][0]["candidate"]
        items = [i for i in info["items"] if i["kind"] == "observed"] or info["items"]
        if rng is not None:
            await asyncio.sleep(rng.uniform(0, pace))
        for seq in range(1, marks + 1):
            it = items[seq % len(items)]
            value = bool(seq % 2) if it["kind"] == "observed" else it["levels"][seq % len(it["levels"])]["value"]
            t = time.perf_counter()
            r = await c.post("/api/mark", headers=auth, json={
                "candidate": cand, "client": f"bench-{staff}", "seq": seq,
                "change": {"item": it["id"], "value": value}})
            out.append(time.perf_counter() - t)
            assert r.status_code == 200 and r.json()["ok"], r.text
            if pace:
                await asyncio.sleep(pace * (rng.uniform(0.5, 1.5) if rng is not None else 1.0))


async def run(base: str, n: int, marks: int, pace: float, lockstep: bool) -> tuple[list[float], float]:
    lat: list[float] = []
    t = time.perf_counter()
    await asyncio.gather(*(client(base, f"E{i:02d}", marks, pace, lat,
                                  None if lockstep else random.Random(i)) for i in range(n)))
    return lat, time.perf_counter() - t


def _cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) process ``pid`` has used (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=30)
    ap.add_argument("--marks", type=int, default=20)
    ap.add_argument("--pace", type=float, default=0.5)
    ap.add_argument("--stations", type=int, default=10, help="stations (default 10: three "
                                                              "examiners each)")
    ap.add_argument("--candidates", type=int, default=20)
    ap.add_argument("--lockstep", action="store_true",
                    help="every client sends its marks at the same moments (a burst of one "
                         "mark from everyone each pace) instead of independently")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SIMTOOL_DATA_HOME"] = str(Path(tmp) / "data")
        archive = build(Path(tmp), args.clients, args.stations, args.candidates)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen([sys.executable, "-m", "simtool", "exam", "serve", "bench", "--host",
                                 "127.0.0.1", "--port", str(port), "--pin", PIN, "--archive", str(archive)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        try:
            t0 = time.perf_counter()
            while True:     # the server records every sitting's drill before it listens
                try:
                    httpx.get(base + "/", timeout=0.5)
                    break
                except httpx.TransportError:
                    if proc.poll() is not None or time.perf_counter() - t0 > 1800:
                        raise SystemExit("the server did not start: "
                                         + proc.stderr.read().decode(errors="replace")[-2000:])
                    time.sleep(0.05)
            ready = time.perf_counter() - t0
            cpu0 = _cpu_s(proc.pid)
            lat, wall = asyncio.run(run(base, args.clients, args.marks, args.pace, args.lockstep))
            cpu1 = _cpu_s(proc.pid)
        finally:
            proc.terminate()
            proc.wait()
            proc.stderr.close()
        from simtool.store import Archive
        with Archive.open(archive) as a:
            stored = a._conn.execute("SELECT COUNT(*) FROM exam_marks").fetchone()[0]
            sittings = a._conn.execute("SELECT COUNT(*) FROM exam_sittings").fetchone()[0]
    lat.sort()
    q = statistics.quantiles(lat, n=100, method="inclusive")
    print(json.dumps({"clients": args.clients, "marks": len(lat), "stored": stored,
                      "pace_s": args.pace,
                      "arrivals": "lockstep" if args.lockstep else "independent", "server_ready_s": round(ready, 1),
                      "stations": args.stations,
                      "candidates": args.candidates, "sittings": sittings, "wall_s": round(wall, 2),
                      "marks_per_s": round(len(lat) / wall, 1),
                      "p50_ms": round(q[49] * 1000, 1), "p95_ms": round(q[94] * 1000, 1),
                      "p99_ms": round(q[98] * 1000, 1), "max_ms": round(lat[-1] * 1000, 1),
                      # the server's own CPU per request while marking (joins and turns
                      # included): what the machine's other load cannot inflate
                      "server_cpu_ms_per_request": None if cpu0 is None or cpu1 is None else
                      round((cpu1 - cpu0) * 1000 / (len(lat) + 2 * args.clients), 2),
                      "load_avg_1min": round(os.getloadavg()[0], 2),
                      "target_p99_ms": 100}))


if __name__ == "__main__":
    main()

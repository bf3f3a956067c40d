"""The exam server under load (issue 22, item 6), small enough for every run: 10 examiner
clients marking at once against `simtool exam serve` on 127.0.0.1, each also resending a mark
as a phone does after a Wi-Fi drop. Every acknowledged mark is in the archive, none twice, each
examiner's sheet holds what was acknowledged last, and the archive verifies clean. (The timing
target, p99 <= 100 ms with 30 clients, is bench/exam.py's.)"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import signal
import socket
import subprocess
import sys
import time

import httpx

from simtool.cli import main
from simtool.store import Archive

PIN = "551208"
CLIENTS, MARKS = 10, 5
RUBRICS = ("pph_uterine_massage_station", "pph_balloon_tamponade_station", "pph_cell_salvage_station")


def _exam(folder) -> object:
    archive = folder / "load.sqlite"
    with contextlib.redirect_stdout(io.StringIO()):
        for i in range(CLIENTS):
            assert main(["people", "add", "--name", f"Examiner {i}", "--staff-id", f"E{i:02d}",
                         "--archive", str(archive)]) == 0
        # 5 stations with two examiners each, 5 candidates: both examiners mark one candidate
        stations = "".join(f"  - {{id: s{i}, rubric: {RUBRICS[i % 3]}, examiners: [E{2 * i:02d}, "
                           f"E{2 * i + 1:02d}]}}\n" for i in range(CLIENTS // 2))
        (folder / "c.csv").write_text("staff_id,name,department\n" + "".join(
            f"S{i:02d},Candidate {i},Obstetrics\n" for i in range(CLIENTS // 2)), encoding="utf-8")
        (folder / "exam.yaml").write_text(
            "id: load\ntitle: {en: Load, zh_CN: 负载, zh_TW: 負載}\n"
            "timing: {reading_s: 60, station_s: 120, changeover_s: 60}\n"
            f"stations:\n{stations}candidates: c.csv\n", encoding="utf-8")
        assert main(["exam", "create", str(folder / "exam.yaml"), "--archive", str(archive)]) == 0
    return archive


async def _examiner(base: str, staff: str, acked: dict, resent: list) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        info = (await c.post("/api/join", json={"pin": PIN, "staff_id": staff})).json()
        auth = {"Authorization": "Bearer " + info["token"]}
        cand = (await c.get("/api/turns", headers=auth)).json()["turns"][0]["candidate"]
        observed = [i["id"] for i in info["items"] if i["kind"] == "observed"]
        client = f"phone-{staff}"
        for seq in range(1, MARKS + 1):
            body = {"candidate": cand, "client": client, "seq": seq,
                    "change": {"item": observed[seq % len(observed)], "value": bool(seq % 2)}}
            r = await c.post("/api/mark", headers=auth, json=body)
            assert r.status_code == 200 and r.json() == {"ok": True, "duplicate": False, "seq": seq}
            acked[(staff, seq)] = body["change"]
        # the answer to the last mark was lost: the phone sends it again
        r = await c.post("/api/mark", headers=auth, json=body)
        assert r.json()["duplicate"] is True
        resent.append(staff)
        sheet = (await c.get(f"/api/sheet/{cand}", headers=auth)).json()
        last = {}
        for seq in range(1, MARKS + 1):
            ch = acked[(staff, seq)]
            last[ch["item"]] = ch["value"]
        assert sheet["marks"]["items"] == last


def test_ten_examiners_marking_at_once_lose_nothing_and_store_nothing_twice(tmp_path):
    archive = _exam(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "simtool", "exam", "serve", "load", "--host",
                             "127.0.0.1", "--port", str(port), "--pin", PIN, "--archive", str(archive)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ})
    base = f"http://127.0.0.1:{port}"
    acked: dict = {}
    resent: list = []
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(base + "/", timeout=0.5)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()
                time.sleep(0.05)

        async def everyone() -> None:
            await asyncio.gather(*(_examiner(base, f"E{i:02d}", acked, resent)
                                   for i in range(CLIENTS)))
        asyncio.run(everyone())
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        proc.stderr.close()
    assert len(acked) == CLIENTS * MARKS and len(resent) == CLIENTS
    with Archive.open(archive) as a:
        rows = a._conn.execute("SELECT client, seq, change FROM exam_marks").fetchall()
        assert len(rows) == CLIENTS * MARKS                       # nothing lost, nothing twice
        assert {(c.removeprefix("phone-"), s) for c, s, _ in rows} == set(acked)
        # one recorded drill per sitting, recorded when the server started
        assert a._conn.execute("SELECT COUNT(*) FROM exam_sittings").fetchone()[0] == 25
        assert a._conn.execute("SELECT COUNT(*) FROM drills").fetchone()[0] == 25
        assert a.verify() == []

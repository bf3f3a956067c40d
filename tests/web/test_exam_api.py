"""The exam's JSON API (issue 22, items 3-6) called the way the marking page calls it: an
exam of 6 candidates × 3 stations marked, signed, and its results and statistics printed by
``simtool exam results``; every request the API must refuse, refused with the status a page
can act on; a resend stored once; a server killed mid-exam restarted with every acknowledged
mark in the archive."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from examday import EXAMINERS, PEOPLE, ZERO, Clock, full_marks, make_exam
from simtool.app.exam import ExamDay
from simtool.cli import main
from simtool.store import Archive
from simtool.web.server import MAX_FAILED_JOINS, create_app

PIN = "482913"


@pytest.fixture
def exam(tmp_path):
    path = make_exam(tmp_path)
    archive = Archive.open(path)
    day = ExamDay(archive, "osce_demo")
    day.start(ZERO)
    clock = Clock()
    with TestClient(create_app(lambda: ExamDay(Archive.open(path), "osce_demo"), PIN,
                               clock=clock)) as client:    # one server thread, as uvicorn has
        yield path, archive, day, clock, client
    archive.close()


def join(client, staff: str) -> tuple[dict, dict]:
    r = client.post("/api/join", json={"pin": PIN, "staff_id": staff})
    assert r.status_code == 200, r.text
    return r.json(), {"Authorization": "Bearer " + r.json()["token"]}


def test_six_candidates_three_stations_marked_signed_results_and_statistics(exam, capsys):
    path, archive, day, clock, client = exam
    examiners = {staff: join(client, staff) for staff, _ in EXAMINERS}
    strength = {staff: i for i, (staff, _n, _d) in enumerate(PEOPLE)}
    seq = 0
    for rnd in range(1, 7):
        clock.round(rnd)
        for staff, (info, auth) in examiners.items():
            turns = client.get("/api/turns", headers=auth).json()["turns"]
            now = turns[0]
            assert now["round"] == rnd and now["state"] == "unmarked"
            # only this station's candidates whose round has started, latest first
            assert [t["round"] for t in turns] == sorted([t["round"] for t in turns], reverse=True)
            cand_staff = next(s for s, n, _ in PEOPLE if n == now["name"])
            grades = [g["id"] for g in info["grades"]]
            level = max(0, strength[cand_staff] - (staff == "E04"))     # E04 is a hawk
            for ch in full_marks(info["items"], level) + \
                    [{"global": grades[min(len(grades) - 1, level)]}]:
                seq += 1
                r = client.post("/api/mark", headers=auth, json={
                    "candidate": now["candidate"], "client": f"phone-{staff}", "seq": seq, "change": ch})
                assert r.json() == {"ok": True, "duplicate": False, "seq": seq}
            r = client.post("/api/sign", headers=auth, json={"candidate": now["candidate"]})
            assert r.json()["state"] == "signed", r.text
    capsys.readouterr()
    assert main(["exam", "results", "osce_demo", "--json", "--stats", "--archive", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["results"]) == 6 and out["released"] is False
    for c in out["results"]:
        assert [s["station"] for s in c["stations"]] == ["massage", "balloon", "salvage"]
        assert all(s["verdict"] in ("pass", "fail") for s in c["stations"])
        assert [s["examiners"] for s in c["stations"]] == [1, 2, 1]
    best, worst = out["results"][5], out["results"][0]
    assert best["total"] > worst["total"]
    stats = out["statistics"]
    assert [s["station"] for s in stats["stations"]] == ["balloon", "massage", "salvage"]
    assert all(s["n"] == 6 and s["cut"] is not None for s in stats["stations"])
    assert stats["exam"]["n"] == 6 and stats["exam"]["alpha"] is not None
    hawk, dove = (day.examiner_by_staff(s) for s in ("E04", "E02"))
    deviation = {e["examiner"]: e["mean_deviation"] for e in stats["examiners"]}
    assert deviation[hawk] < 0 < deviation[dove]
    assert main(["exam", "results", "osce_demo", "--stats", "--archive", str(path)]) == 0
    text = capsys.readouterr().out
    assert "李娜" in text and "borderline_regression" in text and "α" in text
    assert main(["exam", "release", "osce_demo", "--archive", str(path)]) == 0
    assert main(["verify", "--archive", str(path)]) == 0


def test_the_api_refuses_what_it_must(exam):
    path, archive, day, clock, client = exam
    for method, url in (("get", "/api/turns"), ("get", "/api/me"), ("get", "/api/sheet/x"),
                        ("post", "/api/mark"), ("post", "/api/sign"), ("get", "/api/../api/turns"),
                        ("get", "/api/anything"), ("delete", "/api/mark")):
        r = getattr(client, method)(url)
        assert r.status_code in (401, 405), (url, r.status_code)
        if r.status_code == 405:
            assert method == "delete"
    for bad in ("Bearer ", "Bearer x.y", "Basic abc", "Bearer " + "a" * 10000):
        assert client.get("/api/turns", headers={"Authorization": bad}).status_code == 401
    info, auth = join(client, "E01")
    forged = auth["Authorization"].rsplit(".", 1)[0] + "." + "0" * 64
    assert client.get("/api/turns", headers={"Authorization": forged}).status_code == 401
    # another exam's PIN makes tokens this server does not know
    with TestClient(create_app(lambda: ExamDay(Archive.open(path), "osce_demo"), "999999",
                               clock=clock)) as other:
        assert other.get("/api/turns", headers=auth).status_code == 401
    assert client.post("/api/join", json={"pin": PIN, "staff_id": "S01"}).status_code == 403
    turns = client.get("/api/turns", headers=auth).json()["turns"]
    assert [t["name"] for t in turns] == ["李娜"]          # round 1 at the massage station
    mine = turns[0]["candidate"]
    by_name = {c["name"]: c["id"] for c in day.definition["candidates"]}
    elsewhere, later = by_name["王芳"], by_name["杨磊"]    # at another station now; here in round 2

    def mark(cand, seq, change, headers=auth, **extra):
        return client.post("/api/mark", headers=headers, json={
            "candidate": cand, "client": "p1", "seq": seq, "change": change, **extra})
    assert mark(elsewhere, 1, {"item": "fundus_palpated", "value": True}).status_code == 403
    assert mark(later, 1, {"item": "fundus_palpated", "value": True}).status_code == 403
    assert client.get(f"/api/sheet/{elsewhere}", headers=auth).status_code == 403
    assert mark(mine, 1, {"item": "fundus_palpated", "value": True}).json()["duplicate"] is False
    assert mark(mine, 1, {"item": "fundus_palpated", "value": True}).json()["duplicate"] is True
    # the same number with another change is refused, not taken for a resend nor applied
    assert mark(mine, 1, {"item": "fundus_palpated", "value": False}).status_code == 409
    assert client.get(f"/api/sheet/{mine}", headers=auth).json()["marks"]["items"] == {"fundus_palpated": True}
    for change in ({"item": "'; DROP TABLE exams;--", "value": True},
                   {"item": "fundus_palpated", "value": "<script>alert(1)</script>"},
                   {"item": "fundus_palpated", "value": 10 ** 30},
                   {"item": "fundal_massage", "value": 7},
                   {"global": "a" * 5000}, {"global": "nonsense"}, {"comment": "x" * 30000},
                   {"comment": "bell\x07"}, {"item": "fundus_palpated"}, [], "x", None,
                   {"item": ["nested"], "value": True}):
        r = mark(mine, 2, change)
        assert r.status_code in (400, 413), (change, r.text)
        assert set(r.json()) == {"error"}
    assert mark(mine, -1, {"comment": "x"}).status_code == 400
    assert mark(mine, True, {"comment": "x"}).status_code == 400
    assert mark(mine, 2, {"comment": "x"}, client="../../etc").status_code == 400
    assert mark(mine, 2, {"comment": "x"}, extra=1).status_code == 400
    post = lambda body: client.post("/api/mark", headers={**auth, "Content-Type": "application/json"},
                                    content=body)
    assert post(b"{not json").status_code == 400
    assert post(b'{"candidate": NaN}').status_code == 400
    assert post(b"[" * 100_000 + b"]" * 100_000).status_code == 413
    assert post(b"[" * 5000 + b"]" * 5000).status_code == 400
    assert post(b"\xff\xfe").status_code == 400
    assert post(b" " * 20_000).status_code == 413
    # still one mark stored, no other candidate's results in any answer
    assert archive._conn.execute("SELECT COUNT(*) FROM exam_marks").fetchone()[0] == 1
    # after the exam, and once closed, nothing is taken
    clock.round(7, into_s=4000)
    assert mark(mine, 3, {"comment": "late"}).status_code == 403
    assert client.post("/api/join", json={"pin": PIN, "staff_id": "E01"}).status_code == 403
    clock.round(1)
    day.close()
    assert mark(mine, 3, {"comment": "closed"}).json() == {"error": "the exam is closed"}
    assert archive.verify() == []


def test_wrong_pins_lock_the_device_out(exam):
    *_, client = exam
    for _ in range(MAX_FAILED_JOINS):
        assert client.post("/api/join", json={"pin": "000000", "staff_id": "E01"}).status_code == 401
    assert client.post("/api/join", json={"pin": PIN, "staff_id": "E01"}).status_code == 429
    for body in ({"pin": 482913, "staff_id": "E01"}, {"pin": None}):
        assert client.post("/api/join", json=body).status_code in (401, 429)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(path: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "simtool", "exam", "serve", "osce_demo", "--host",
                             "127.0.0.1", "--port", str(port), "--pin", PIN, "--archive", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=0.5)
            return proc
        except httpx.TransportError:
            time.sleep(0.05)
    proc.kill()
    err = proc.stderr.read().decode()
    _stop(proc, signal.SIGKILL)
    raise AssertionError(err)


def _stop(proc: subprocess.Popen, sig: int) -> None:
    proc.send_signal(sig)
    proc.wait()
    proc.stdout.close()
    proc.stderr.close()


def test_a_server_killed_mid_exam_restarts_with_every_acknowledged_mark(tmp_path):
    path = make_exam(tmp_path)
    port = _port()
    proc = _serve(path, port)
    base = f"http://127.0.0.1:{port}"
    try:
        assert "examiners join at" in proc.stdout.readline().decode()
        assert httpx.get(base + "/api/turns").status_code == 401
        r = httpx.post(base + "/api/join", json={"pin": PIN, "staff_id": "E01"})
        auth = {"Authorization": "Bearer " + r.json()["token"]}
        items = r.json()["items"]
        cand = httpx.get(base + "/api/turns", headers=auth).json()["turns"][0]["candidate"]
        acked = {}
        for seq, ch in enumerate(full_marks(items, 5), start=1):
            r = httpx.post(base + "/api/mark", headers=auth,
                           json={"candidate": cand, "client": "p1", "seq": seq, "change": ch})
            assert r.json()["ok"]
            acked[ch["item"]] = ch["value"]
    finally:
        _stop(proc, signal.SIGKILL)
    proc = _serve(path, port)       # the same PIN: the phone's token still works
    try:
        sheet = httpx.get(f"{base}/api/sheet/{cand}", headers=auth).json()
        assert sheet["marks"]["items"] == acked
        r = httpx.post(base + "/api/mark", headers=auth, json={
            "candidate": cand, "client": "p1", "seq": len(acked), "change": ch})
        assert r.json()["duplicate"] is True
    finally:
        _stop(proc, signal.SIGTERM)
    with Archive.open(path) as archive:
        assert archive._conn.execute("SELECT COUNT(*) FROM exam_marks").fetchone()[0] == len(acked)
        assert archive.verify() == []

"""The exam-day server attacked the way a hostile or clumsy phone would: guessed PINs and
tokens, marks for someone else's sitting, for a closed or released exam, for an item the rubric
does not have, scores out of range or not numbers at all, bodies that are not JSON, not UTF-8,
not an object or far too big, resends of an acknowledged mark (stored once) and resends that
differ from it (refused, never overwriting), markup in names and comments (shown as text),
paths that climb out of the page's folder, the archive asked for by any route, methods the API
does not take and very long URLs. Every refusal is one sentence of JSON, never a stack; the
archive verifies clean afterwards."""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from examday import EXAM, EXAMINERS, ZERO, Clock
from simtool.app.exam import ExamDay
from simtool.cli import main
from simtool.store import Archive
from simtool.web import server as web
from simtool.web.server import MAX_BODY, MAX_FAILED_JOINS, create_app

PIN = "482913"
HOSTILE = '<img src=x onerror="window.pwned=1">李娜'
PEOPLE = [("S01", HOSTILE, "产科"), ("S02", "王芳</b><script>window.pwned=3</script>", "产科"),
          ("S03", "张伟", "麻醉科"), ("S04", "刘洋", "产科"), ("S05", "陈静", "产科"),
          ("S06", "杨磊", "麻醉科")]
STATIC = Path(web.__file__).parent / "static"
REFUSALS = {400, 401, 403, 404, 405, 409, 413, 429}


# --- one exam built once per module, copied for each test ---------------------------------------

@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The exam of ``examday`` with markup in two candidates' names, started at ZERO."""
    folder = tmp_path_factory.mktemp("attack-template")
    archive = folder / "exam.sqlite"
    for staff, name in EXAMINERS:
        assert main(["people", "add", "--name", name, "--staff-id", staff, "--archive", str(archive)]) == 0
    (folder / "candidates.csv").write_text(
        "staff_id,name,department\n" + "".join(f'{a},"{b.replace(chr(34), chr(34) * 2)}",{c}\n'
                                              for a, b, c in PEOPLE), encoding="utf-8")
    (folder / "exam.yaml").write_text(EXAM, encoding="utf-8")
    assert main(["exam", "create", str(folder / "exam.yaml"), "--archive", str(archive)]) == 0
    with Archive.open(archive) as a:
        ExamDay(a, "osce_demo").start(ZERO)
    return archive


def _copy(template: Path, folder: Path) -> Path:
    path = folder / "exam.sqlite"
    src, dst = sqlite3.connect(template), sqlite3.connect(path)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return path


@pytest.fixture
def exam(template, tmp_path):
    path = _copy(template, tmp_path)
    archive = Archive.open(path)
    day = ExamDay(archive, "osce_demo")
    clock = Clock()
    app = create_app(lambda: ExamDay(Archive.open(path), "osce_demo"), PIN, clock=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield path, archive, day, clock, client
    archive.close()


def join(client, staff: str) -> tuple[dict, dict]:
    r = client.post("/api/join", json={"pin": PIN, "staff_id": staff})
    assert r.status_code == 200, r.text
    return r.json(), {"Authorization": "Bearer " + r.json()["token"]}


def refused(r, *statuses: int) -> str:
    """The answer is a refusal (one of ``statuses`` if given): JSON ``{"error": sentence}``,
    one line, no stack; returns the sentence."""
    assert r.status_code in (statuses or REFUSALS), (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json"), r.text[:300]
    body = r.json()
    assert set(body) == {"error"}, body
    msg = body["error"]
    assert isinstance(msg, str) and 0 < len(msg) < 300 and "\n" not in msg, msg
    assert "Traceback" not in msg and "File \"" not in msg, msg
    return msg


def n_marks(archive: Archive) -> int:
    return archive._conn.execute("SELECT COUNT(*) FROM exam_marks").fetchone()[0]


def now_candidate(client, auth) -> str:
    return client.get("/api/turns", headers=auth).json()["turns"][0]["candidate"]


def poster(client, auth, cand, client_id="p1"):
    def mark(seq, change, **extra):
        return client.post("/api/mark", headers=auth, json={
            "candidate": cand, "client": client_id, "seq": seq, "change": change, **extra})
    return mark


# --- PINs and tokens ------------------------------------------------------------------------------

def test_guessing_the_pin_locks_the_device_out_and_no_header_unlocks_it(exam, monkeypatch):
    *_, client = exam
    t = [1000.0]
    monkeypatch.setattr(web.time, "monotonic", lambda: t[0])
    for body in ({"pin": "0000"}, {"pin": 482913, "staff_id": "E01"}, {"pin": None, "staff_id": "E01"},
                 {"pin": ["482913"], "staff_id": "E01"}, {"pin": "482913 ", "staff_id": "E01"}):
        assert refused(client.post("/api/join", json=body), 401) == "wrong PIN"
    # a malformed body guesses no PIN: it is refused but does not count
    for _ in range(3 * MAX_FAILED_JOINS):
        refused(client.post("/api/join", content=b"{", headers={"content-type": "application/json"}), 400)
    for guess in range(MAX_FAILED_JOINS - 5):
        refused(client.post("/api/join", json={"pin": f"{guess:06d}", "staff_id": "E01"}), 401)
    # locked: the right PIN, another staff id, a spoofed forwarding header, all refused
    for headers in ({}, {"X-Forwarded-For": "10.0.0.9"}, {"X-Real-IP": "10.0.0.9"},
                    {"Forwarded": "for=10.0.0.9"}):
        msg = refused(client.post("/api/join", json={"pin": PIN, "staff_id": "E01"}, headers=headers), 429)
        assert "wrong PINs" in msg
    # another device is not locked out by this one
    other = TestClient(client.app, client=("10.0.0.2", 40000))    # the same server, no 2nd lifespan
    assert other.post("/api/join", json={"pin": PIN, "staff_id": "E02"}).status_code == 200
    t[0] += web.FAILED_WINDOW_S + 1          # the window passes: the device may join again
    assert client.post("/api/join", json={"pin": PIN, "staff_id": "E01"}).status_code == 200


def test_the_lockout_forgets_devices_that_stopped_guessing(exam, monkeypatch):
    """A LAN full of one-off wrong guesses from ever-new addresses does not grow the server's
    memory for ever: an address whose window passed is forgotten."""
    *_, client = exam
    t = [1000.0]
    monkeypatch.setattr(web.time, "monotonic", lambda: t[0])
    for i in range(50):
        c = TestClient(client.app, client=(f"fd00::{i:x}", 40000))
        refused(c.post("/api/join", json={"pin": "0000", "staff_id": "E01"}), 401)
    t[0] += web.FAILED_WINDOW_S + 1
    assert client.post("/api/join", json={"pin": PIN, "staff_id": "E01"}).status_code == 200
    assert len(client.app.state.failed) <= 1


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_guessed_token_gets_in(template, tmp_path_factory, data):
    """Random text, random hex, and a real examiner's id with a guessed MAC: all 401."""
    client, auth = _shared_client(template, tmp_path_factory)[:2]
    eid = auth["Authorization"][7:].rsplit(".", 1)[0]
    token = data.draw(st.one_of(
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80),
        st.binary(max_size=80).map(lambda b: b.hex()),
        st.builds(lambda a, b: f"{a}.{b}", st.sampled_from(["", "x", eid, eid.upper(), eid + " "]),
                  st.text(alphabet="0123456789abcdef", min_size=64, max_size=64))))
    r = client.get("/api/turns", headers={"Authorization": ("Bearer " + token).encode("utf-8")})
    refused(r, 401)


def test_tokens_that_are_not_ascii_or_not_ours_are_401_not_a_crash(exam):
    path, archive, day, clock, client = exam
    _info, auth = join(client, "E01")
    eid, mac = auth["Authorization"][7:].rsplit(".", 1)
    for bad in (b"Bearer \xe9\xff.abc", ("Bearer " + "é" * 10 + "." + mac).encode("latin-1"),
                b"Bearer \xed\xa0\x80." + mac.encode(), ("Bearer " + eid + "." + mac.upper()).encode(),
                ("Bearer " + eid + "." + mac + "0").encode(), ("Bearer " + eid + "x." + mac).encode(),
                b"Bearer " + b"." * 5000, b"bearer " + auth["Authorization"][7:].encode(),
                b"Bearer \x00." + mac.encode()):
        for url in ("/api/turns", "/api/me", "/api/sheet/x", "/api/nothing"):
            refused(client.get(url, headers={"Authorization": bad}), 401)
        refused(client.post("/api/mark", headers={"Authorization": bad}, json={}), 401)


# --- whose sitting, and when ----------------------------------------------------------------------

def test_a_token_reaches_only_its_own_station_and_its_own_sheet(exam):
    path, archive, day, clock, client = exam
    _i1, e01 = join(client, "E01")
    _i2, e02 = join(client, "E02")
    _i4, e04 = join(client, "E04")
    mine = now_candidate(client, e01)
    theirs = now_candidate(client, e02)              # at the balloon station now
    assert mine != theirs
    # E01 marks no balloon candidate, by trainee id or by staff id
    staff_of = {c["id"]: c["staff_id"] for c in day.definition["candidates"]}
    for cand in (theirs, staff_of[theirs]):
        refused(poster(client, e01, cand)(1, {"item": "fundus_palpated", "value": True}), 403)
        refused(client.get(f"/api/sheet/{cand}", headers=e01), 403)
        refused(client.post("/api/sign", headers=e01, json={"candidate": cand}), 403)
    # two examiners of one station: each writes and reads only their own sheet
    b_items = [i["id"] for i in _i2["items"] if i["kind"] == "observed"]
    assert poster(client, e02, theirs)(1, {"item": b_items[0], "value": True}).json()["ok"]
    assert client.get(f"/api/sheet/{theirs}", headers=e04).json()["marks"]["items"] == {}
    assert client.get(f"/api/sheet/{theirs}", headers=e02).json()["marks"]["items"] == {b_items[0]: True}
    refused(client.post("/api/sign", headers=e04, json={"candidate": theirs}), 409)   # E04 marked nothing
    assert n_marks(archive) == 1
    assert archive.verify() == []


def test_a_closed_or_released_or_finished_exam_takes_no_mark_and_no_signature(exam):
    path, archive, day, clock, client = exam
    _info, auth = join(client, "E01")
    cand = now_candidate(client, auth)
    mark = poster(client, auth, cand)
    assert mark(1, {"item": "fundus_palpated", "value": True}).json()["duplicate"] is False
    day.release()                 # results shown to candidates: the marks are final
    msg = refused(mark(2, {"item": "fundus_palpated", "value": False}), 403)
    assert "released" in msg
    refused(client.post("/api/sign", headers=auth, json={"candidate": cand}), 403)
    refused(client.post("/api/join", json={"pin": PIN, "staff_id": "E02"}), 403)
    # a resend of what was stored before is still acknowledged: the phone may forget it
    assert mark(1, {"item": "fundus_palpated", "value": True}).json() == \
        {"ok": True, "duplicate": True, "seq": 1}
    day.close()
    assert refused(mark(3, {"comment": "closed"}), 403)
    assert mark(1, {"item": "fundus_palpated", "value": True}).json()["duplicate"] is True
    assert n_marks(archive) == 1
    assert client.get(f"/api/sheet/{cand}", headers=auth).status_code == 403
    assert archive.verify() == []


def test_after_the_grace_time_nothing_is_taken(exam):
    path, archive, day, clock, client = exam
    _info, auth = join(client, "E01")
    cand = now_candidate(client, auth)
    clock.round(7, into_s=10_000)
    assert "over" in refused(poster(client, auth, cand)(1, {"comment": "late"}), 403)
    assert n_marks(archive) == 0


# --- what a mark may say --------------------------------------------------------------------------

BAD_VALUES = [-1, 3, 999, 10 ** 6, 2 ** 63, -(2 ** 63), 10 ** 30, 2.5, 1.0, 1e308, -0.0, True,
              "2", "", "DONE", "not observed ", ["2"], {"value": 2}, {"$gt": 0}]


def test_a_score_out_of_range_or_not_a_level_is_refused_and_nothing_is_written(exam):
    path, archive, day, clock, client = exam
    _info, auth = join(client, "E01")
    cand = now_candidate(client, auth)
    for value in BAD_VALUES:
        r = poster(client, auth, cand)(1, {"item": "fundal_massage", "value": value})   # graded 0-2
        refused(r, 400)
    assert n_marks(archive) == 0
    assert client.get(f"/api/sheet/{cand}", headers=auth).json()["marks"]["items"] == {}


BAD_CHANGES = [
    {"item": "no_such_item", "value": True}, {"item": "", "value": True},
    {"item": "__proto__", "value": True}, {"item": "fundus_palpated ", "value": True},
    {"item": "FUNDUS_PALPATED", "value": True}, {"item": "fundus_palpated", "value": 2},
    {"item": "fundus_palpated", "value": 1}, {"item": "fundus_palpated", "value": 0},
    {"item": "global_rating", "value": True}, {"global": "excellent!"}, {"global": 3},
    {"global": None}, {"comment": 5}, {"comment": ["a"]}, {"comment": "\x00"},
    {"item": "fundus_palpated", "value": True, "extra": 1}, {"comment": "x", "global": "good"}, {}]


def test_an_item_or_grade_the_rubric_does_not_have_is_refused(exam):
    path, archive, day, clock, client = exam
    _info, auth = join(client, "E01")
    cand = now_candidate(client, auth)
    for change in BAD_CHANGES:
        assert "\n" not in refused(poster(client, auth, cand)(1, change), 400), change
    assert n_marks(archive) == 0


# raw bodies: not JSON, constants JSON does not have, numbers too big for anything, arrays,
# deep nesting, invalid UTF-8, lone surrogates, other encodings, and far too big
def _raw_bodies(cand: str) -> list[bytes]:
    def m(change: str, seq: str = "1", cand_json: str | None = None) -> bytes:
        c = cand_json if cand_json is not None else json.dumps(cand)
        return (f'{{"candidate": {c}, "client": "p1", "seq": {seq}, "change": {change}}}').encode()
    out = [b"", b" ", b"null", b"true", b"1", b'"x"', b"[]", b"[{}]", b"{", b"{}}", b"{'a': 1}",
           b'{"candidate": NaN}', m('{"item": "fundal_massage", "value": NaN}'),
           m('{"item": "fundal_massage", "value": Infinity}'),
           m('{"item": "fundal_massage", "value": -Infinity}'),
           m('{"item": "fundal_massage", "value": 1e999}'),
           m('{"item": "fundal_massage", "value": -1e999}'),
           m('{"item": "fundal_massage", "value": 1' + "0" * 5000 + "}"),
           m('{"comment": "x"}', seq="1e999"), m('{"comment": "x"}', seq="NaN"),
           m('{"comment": "x"}', seq="1" + "0" * 5000), m('{"comment": "x"}', seq="9007199254740993"),
           m('{"comment": "x"}', seq="-1"), m('{"comment": "x"}', seq="0.5"),
           m('{"comment": "\\ud800"}'), m('{"comment": "a\\udfffb"}'), m('{"global": "\\ud800"}'),
           m('{"item": "\\ud800", "value": true}'), m('{"comment": "x"}', cand_json='"\\ud800"'),
           m('{"comment": "\\u0000"}'), m('{"comment": "x"}', cand_json="1"),
           m('{"comment": "x"}', cand_json="null"), m('{"comment": "x"}', cand_json='{"$ne": 1}'),
           m('[' * 3000 + ']' * 3000), m('{"comment": ' + '{"a":' * 3000 + "1" + "}" * 3000 + "}"),
           b"\xff\xfe{\x00}\x00", b"\xef\xbb\xbf{}", '{"comment": "é"}'.encode("latin-1"),
           '{"candidate": "x"}'.encode("utf-16"), b'{"a": "\xc0\x80"}', b'{"a": "\xed\xa0\x80"}',
           b"\x00" * 100, m('{"comment": "' + "x" * (MAX_BODY + 10) + '"}'),
           b'{"candidate": "x", "candidate": "y", "client": "p1", "seq": 1, "change": {}}']
    return out


def test_no_body_gets_a_stack_or_writes_anything(exam):
    path, archive, day, clock, client = exam
    _info, auth = join(client, "E01")
    cand = now_candidate(client, auth)
    headers = {**auth, "Content-Type": "application/json"}
    for body in _raw_bodies(cand):
        for url in ("/api/mark", "/api/sign"):
            refused(client.post(url, headers=headers, content=body))
        refused(client.post("/api/join", headers={"Content-Type": "application/json"}, content=body))
    assert n_marks(archive) == 0
    assert archive.verify() == []


def test_a_ten_megabyte_body_is_refused_before_it_is_read(exam):
    path, archive, day, clock, client = exam
    _info, auth = join(client, "E01")
    big = b'{"comment": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    assert "at most" in refused(client.post("/api/mark", headers=auth, content=big), 413)

    def chunks():                               # no Content-Length: read until too much, then stop
        for _ in range(640):
            yield b"x" * 16384
    assert "at most" in refused(client.post("/api/mark", headers=auth, content=chunks()), 413)
    for cl in ("-1", "1e9", "abc", "99999999999999999999"):
        refused(client.post("/api/mark", headers={**auth, "Content-Length": cl}, content=b"{}"), 400, 413)
    assert n_marks(archive) == 0


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_marks_are_stored_or_refused_in_one_sentence(template, tmp_path_factory, data):
    """Anything JSON can say in a mark: stored (a real change of a real item) or refused with
    one sentence; never a 500."""
    client, auth, cand, info = _shared_client(template, tmp_path_factory)
    items = [i["id"] for i in info["items"]]
    grades = [g["id"] for g in info["grades"]]
    scalar = st.one_of(st.none(), st.booleans(), st.integers(-2 ** 70, 2 ** 70),
                       st.floats(allow_nan=False), st.text(max_size=20),
                       st.sampled_from(items + grades + ["not observed", "done", "not done", cand]))
    js = st.recursive(scalar, lambda ch: st.lists(ch, max_size=3) |
                      st.dictionaries(st.text(max_size=8), ch, max_size=3), max_leaves=6)
    change = st.one_of(js, st.fixed_dictionaries({"item": st.one_of(st.sampled_from(items), js),
                                                   "value": js}),
                       st.fixed_dictionaries({"global": st.one_of(st.sampled_from(grades), js)}),
                       st.fixed_dictionaries({"comment": js}))
    body = data.draw(st.one_of(js, st.fixed_dictionaries({
        "candidate": st.one_of(st.just(cand), js), "client": st.one_of(st.just("fuzz"), js),
        "seq": st.one_of(st.integers(0, 10 ** 6), js), "change": change})))
    r = client.post("/api/mark", headers={**auth, "Content-Type": "application/json"},
                    content=json.dumps(body, allow_nan=True).encode())
    if r.status_code != 200:
        refused(r)


_FUZZ: dict[str, object] = {}


def _shared_client(template, tmp_path_factory):
    """One server over a copy of the exam for the generated requests (many per test), joined
    as E01: its client, token header, candidate now and station."""
    if "client" not in _FUZZ:
        path = _copy(template, tmp_path_factory.mktemp("fuzz"))
        client = TestClient(create_app(lambda: ExamDay(Archive.open(path), "osce_demo"), PIN,
                                       clock=Clock()), raise_server_exceptions=False)
        client.__enter__()
        info, auth = join(client, "E01")
        _FUZZ.update(client=client, auth=auth, cand=now_candidate(client, auth), info=info)
    return _FUZZ["client"], _FUZZ["auth"], _FUZZ["cand"], _FUZZ["info"]


@pytest.fixture(scope="module", autouse=True)
def _close_fuzz_client():
    yield
    if "client" in _FUZZ:
        _FUZZ.pop("client").__exit__(None, None, None)


# --- resends --------------------------------------------------------------------------------------

def test_a_resent_mark_is_stored_once_and_a_different_resend_never_overwrites(exam):
    path, archive, day, clock, client = exam
    _info, auth = join(client, "E01")
    cand = now_candidate(client, auth)
    mark = poster(client, auth, cand)
    first = {"item": "fundal_massage", "value": 2}
    assert mark(1, first).json() == {"ok": True, "duplicate": False, "seq": 1}
    for _ in range(5):                          # the offline queue replayed
        assert mark(1, first).json() == {"ok": True, "duplicate": True, "seq": 1}
    # the same device and number with another change: a second tab, or a phone restored from
    # a backup; refused (the phone shows it), never silently dropped nor applied over the first
    for other in ({"item": "fundal_massage", "value": 0}, {"item": "fundal_massage", "value": None},
                  {"item": "fundus_palpated", "value": True}, {"comment": "other"}):
        msg = refused(mark(1, other), 409)
        assert "different" in msg
    # True is not 1, even though Python says so
    assert mark(2, {"item": "fundus_palpated", "value": True}).json()["duplicate"] is False
    refused(mark(2, {"item": "fundus_palpated", "value": 1}), 400, 409)
    sheet = client.get(f"/api/sheet/{cand}", headers=auth).json()
    assert sheet["marks"]["items"] == {"fundal_massage": 2, "fundus_palpated": True}
    # another device of the same examiner has its own numbers
    assert poster(client, auth, cand, "p2")(1, {"comment": "from the tablet"}).json()["duplicate"] is False
    assert n_marks(archive) == 3
    assert archive.verify() == []


def test_a_signed_sheet_takes_no_new_value_and_no_different_resend(exam):
    path, archive, day, clock, client = exam
    info, auth = join(client, "E01")
    cand = now_candidate(client, auth)
    mark = poster(client, auth, cand)
    seq = 0
    changes = []
    for it in info["items"]:
        value = True if it["kind"] == "observed" else it["levels"][-1]["value"]
        changes.append({"item": it["id"], "value": value})
    changes.append({"global": info["grades"][-1]["id"]})
    for ch in changes:
        seq += 1
        assert mark(seq, ch).json()["duplicate"] is False
    assert client.post("/api/sign", headers=auth, json={"candidate": cand}).json()["state"] == "signed"
    before = client.get(f"/api/sheet/{cand}", headers=auth).json()
    stored = n_marks(archive)
    # a late resend of what was stored: acknowledged
    assert mark(1, changes[0]).json() == {"ok": True, "duplicate": True, "seq": 1}
    # a different value under an old number, or a new number: refused
    refused(mark(1, {"item": changes[0]["item"], "value": False}), 409)
    for ch in ({"item": changes[0]["item"], "value": False}, {"item": changes[0]["item"], "value": None},
               {"global": info["grades"][0]["id"]}, {"comment": "changed my mind"}):
        seq += 1
        assert "signed" in refused(mark(seq, ch), 409)
    assert client.post("/api/sign", headers=auth, json={"candidate": cand}).json()["state"] == "signed"
    assert client.get(f"/api/sheet/{cand}", headers=auth).json() == before
    assert n_marks(archive) == stored
    assert archive.verify() == []


# --- the page, its files, and what else a URL can ask -------------------------------------------

def test_the_phone_page_puts_text_in_as_text_only():
    """Names, comments, labels and errors reach the page through textContent / text nodes: no
    HTML sink anywhere in the script, no inline script the CSP would have to allow."""
    js = (STATIC / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function", "srcdoc", "javascript:", "DOMParser", "createContextualFragment"):
        assert sink not in js, sink
    assert not re.search(r"setTimeout\(\s*['\"`]", js) and not re.search(r"setInterval\(\s*['\"`]", js)
    # attributes set from data are never event handlers or URLs
    assert 'e.setAttribute(k, v)' in js and 'k.startsWith("on")' in js
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)          # no inline script
    assert not re.search(r"\son\w+=", html)                         # no inline handler


def test_the_page_is_served_with_a_policy_that_forbids_injected_script(exam):
    *_, client = exam
    for url in ("/", "/app.js", "/app.css"):
        r = client.get(url)
        assert r.status_code == 200
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    _info, auth = join(client, "E01")
    turns = client.get("/api/turns", headers=auth)
    assert turns.headers["content-type"] == "application/json"
    assert turns.json()["turns"][0]["name"] == HOSTILE          # data, kept exactly, as JSON


TRAVERSALS = ["/static/../../etc/passwd", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
              "/..%2f..%2fetc%2fpasswd", "/%252e%252e/etc/passwd", "/app.js/../../../etc/passwd",
              "/app.js%00.html", "/.%2e/.%2e/etc/passwd", "/..\\..\\etc\\passwd",
              "/%c0%ae%c0%ae/etc/passwd", "/font/../../../etc/passwd", "/font/cjk.ttf/../../exam.sqlite",
              "/static/app.js", "/index.html", "/simtool/web/server.py", "/web/static/../server.py",
              "/api/sheet/..%2f..%2f..%2fetc%2fpasswd", "/api/../../etc/passwd", "/etc/passwd",
              "//etc/passwd", "/exam.sqlite", "/exam.sqlite-wal", "/api/exam.sqlite"]


def test_no_path_climbs_out_of_the_page_or_reaches_the_archive(exam):
    path, archive, day, clock, client = exam
    _info, auth = join(client, "E01")
    archive_bytes = path.read_bytes()[:16]
    assert archive_bytes.startswith(b"SQLite format 3")
    urls = TRAVERSALS + [str(path), "/" + path.name, "/api/" + str(path).lstrip("/"),
                         "/api/sheet/" + str(path).replace("/", "%2f"),
                         "/api/sheet/" + "..%2f" * 10 + str(path).lstrip("/").replace("/", "%2f")]
    for url in urls:
        for headers in ({}, auth):
            r = client.get(url, headers=headers)
            assert r.status_code in (401, 403, 404), (url, r.status_code)
            assert b"SQLite format 3" not in r.content and b"root:" not in r.content, url
            assert len(r.content) < 1000, url


def test_methods_the_api_does_not_take_are_405_in_one_sentence(exam):
    *_, client = exam
    _info, auth = join(client, "E01")
    for method, url, allowed in (("GET", "/api/join", "POST"), ("PUT", "/api/join", "POST"),
                                 ("DELETE", "/api/mark", "POST"), ("PATCH", "/api/mark", "POST"),
                                 ("GET", "/api/sign", "POST"), ("PUT", "/api/turns", "GET"),
                                 ("DELETE", "/api/me", "GET"), ("POST", "/api/turns", "GET"),
                                 ("OPTIONS", "/api/mark", "POST"), ("TRACE", "/api/mark", "POST"),
                                 ("DELETE", "/api/sheet/x", "GET")):
        r = client.request(method, url, headers=auth)
        msg = refused(r, 405)
        assert allowed in msg and allowed in r.headers["allow"], (method, url, msg)
    for method in ("PUT", "DELETE", "POST", "OPTIONS", "TRACE"):
        assert client.request(method, "/").status_code == 405
    # an unknown API path is still 404 (after the token), and no method reaches a write
    refused(client.request("PUT", "/api/nothing", headers=auth), 404)
    refused(client.request("DELETE", "/api/mark"), 401, 405)


def test_very_long_urls_are_refused_quickly(exam):
    *_, client = exam
    _info, auth = join(client, "E01")
    for url in ("/api/sheet/" + "x" * 60_000, "/api/sheet/" + "%2e" * 20_000, "/" + "a" * 60_000,
                "/api/" + "a/" * 30_000, "/api/turns?" + "a=1&" * 15_000):
        t = time.perf_counter()
        r = client.get(url, headers=auth)
        assert time.perf_counter() - t < 3.0
        assert r.status_code in (200, 403, 404, 414), (url[:40], r.status_code)
        if url.startswith("/api/") and r.status_code != 200:
            refused(r)


# --- the real server: raw sockets and a real browser ------------------------------------------------

@pytest.fixture
def live(template, tmp_path):
    import uvicorn
    path = _copy(template, tmp_path)
    clock = Clock()
    app = create_app(lambda: ExamDay(Archive.open(path), "osce_demo"), PIN, clock=clock)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error",
                                        lifespan="on", ws="none", server_header=False,
                                        date_header=False, access_log=False))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.02)
    yield port, path
    srv.should_exit = True
    thread.join(10)


def _raw(port: int, request: bytes) -> bytes:
    out = b""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        try:
            s.sendall(request)
            while len(out) < 4096:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        except (ConnectionResetError, BrokenPipeError):
            pass
    return out


def test_the_real_server_refuses_what_no_client_library_would_send(live):
    port, path = live
    end = b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    for request in (b"GET /api/sheet/" + b"a" * 1_000_000 + end, b"GET /" + b"a" * 200_000 + end,
                    b"GET /api/sheet/\xff\xfe" + end, b"GET /../../etc/passwd" + end,
                    b"GET /%2e%2e/%2e%2e/etc/passwd" + end, b"GET " + str(path).encode() + end,
                    b"GET /api/turns HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 200_000 + b"\r\n\r\n",
                    b"POST /api/join HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
                    b"POST /api/join HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    b"Connection: close\r\n\r\n" + (b"4000\r\n" + b"a" * 0x4000 + b"\r\n") * 64
                    + b"0\r\n\r\n",
                    b"POST /api/join HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nConnection: close"
                    b"\r\n\r\n\xff\xfe\xfd\xfc"):
        answer = _raw(port, request)
        status = answer.split(b"\r\n", 1)[0]
        assert re.match(rb"HTTP/1\.1 4\d\d ", status), (request[:60], answer[:200])
        assert b"Traceback" not in answer and b"SQLite format 3" not in answer and b"root:" not in answer
    with Archive.open(path) as archive:
        assert n_marks(archive) == 0


def test_the_phone_shows_markup_as_text_keeps_a_mark_a_busy_server_turned_away_and_says_a_refusal(
        live):
    import shutil
    from playwright.sync_api import expect, sync_playwright
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        from helpers.tools import require_tools
        require_tools("chromium", package="chromium")
    port, path = live
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 375, "height": 667}, locale="en-GB")
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        page.fill("#pin", PIN)
        page.fill("#staff", "E01")
        page.click("#join-btn")
        # the hostile name is shown as its characters, and nothing of it ran
        expect(page.locator("#sheet h2")).to_have_text(HOSTILE)
        expect(page.locator("#turns button").first).to_contain_text(HOSTILE)
        assert page.locator("#sheet img, #turns img, script:not([src])").count() == 0
        assert page.evaluate("window.pwned") is None
        item = lambda i: page.locator(f'.item[data-item="{i}"]')

        # a server too busy to answer (503, no JSON): the change stays queued and is sent again
        hits = []

        def busy_once(route):
            hits.append(route.request.post_data)
            if len(hits) == 1:
                route.fulfill(status=503, body="Service Unavailable", content_type="text/plain")
            else:
                route.continue_()
        page.route("**/api/mark", busy_once)
        item("fundus_palpated").get_by_role("button", name="Done", exact=True).click()
        expect(page.locator(".pending")).to_have_count(1)
        expect(page.locator("#status")).to_contain_text("not saved")
        expect(page.locator("#status")).to_have_text("All changes saved", timeout=10_000)
        assert len(hits) == 2 and hits[0] == hits[1]
        page.unroute("**/api/mark")
        with Archive.open(path) as archive:
            assert n_marks(archive) == 1

        # a comment with markup is kept and shown as text after a reload
        comment = '<script>window.pwned=2</script><b id="inj">bold</b>'
        page.fill("#comment", comment)
        page.locator("#comment").blur()
        expect(page.locator("#status")).to_have_text("All changes saved")
        page.reload()
        expect(page.locator("#comment")).to_have_value(comment)
        assert page.locator("#inj").count() == 0 and page.evaluate("window.pwned") is None

        # the exam is closed while the examiner marks: the refusal stays on the screen
        with Archive.open(path) as archive:
            ExamDay(archive, "osce_demo").close()
        item("explains_and_empties_bladder").get_by_role("button", name="Done", exact=True).click()
        expect(page.locator("#status")).to_have_text("Refused: the exam is closed")
        page.wait_for_timeout(700)
        expect(page.locator("#status")).to_have_text("Refused: the exam is closed")
        expect(page.locator(".pending")).to_have_count(0)
        browser.close()
    with Archive.open(path) as archive:
        assert n_marks(archive) == 2
        assert archive.verify() == []

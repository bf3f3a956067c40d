"""An examiner's phone in a real browser (issue 22, item 6): Debian's chromium driven by
Playwright's Python package (never a downloaded browser). The examiner joins with the PIN on
a phone-sized page in 简体中文, marks the candidate in front of them, loses the Wi-Fi, marks
more (the page shows those marks as not saved), gets the Wi-Fi back (the queue is sent), and
signs; the sheet is in the archive, signed, and the archive verifies clean."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from examday import ZERO, Clock, make_exam
from helpers.tools import require_tools
from simtool.app.exam import ExamDay
from simtool.store import Archive

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(autouse=True)
def _chromium():
    """A machine without Debian's chromium fails these tests saying what to install."""
    if CHROMIUM is None:
        require_tools("chromium", package="chromium")
PIN = "735102"
SHOTS = Path(os.environ.get("SIMTOOL_SHOTS", "")) if os.environ.get("SIMTOOL_SHOTS") else None


@pytest.fixture
def server(tmp_path):
    import uvicorn

    from simtool.web.server import create_app
    path = make_exam(tmp_path)
    with Archive.open(path) as archive:
        ExamDay(archive, "osce_demo").start(ZERO)
    clock = Clock()
    app = create_app(lambda: ExamDay(Archive.open(path), "osce_demo"), PIN, clock=clock)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                        lifespan="off", ws="none"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}/", path
    srv.should_exit = True
    thread.join(10)


def test_an_examiner_marks_through_a_wifi_drop_and_signs(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright
    url, path = server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 375, "height": 667}, locale="zh-CN",
                                      device_scale_factor=2, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(url)
        expect(page.locator("#join h1")).to_have_text("加入考试")
        page.fill("#pin", "000000")
        page.fill("#staff", "E01")
        page.click("#join-btn")
        expect(page.locator("#join-msg")).to_have_text("wrong PIN")
        page.fill("#pin", PIN)
        page.click("#join-btn")
        expect(page.locator("#station-line")).to_contain_text("周医生")
        expect(page.locator("#sheet h2")).to_have_text("李娜")
        if SHOTS:
            page.screenshot(path=str(SHOTS / "exam-phone-join-zh_CN.png"))
        item = lambda i: page.locator(f'.item[data-item="{i}"]')
        item("explains_and_empties_bladder").get_by_role("button", name="完成", exact=True).click()
        item("fundus_palpated").get_by_role("button", name="完成", exact=True).click()
        item("fundal_massage").get_by_role("button", name="2 · 手法正确有效").click()
        expect(page.locator("#status")).to_have_text("所有修改已保存")
        context.set_offline(True)
        item("clots_expressed").get_by_role("button", name="完成", exact=True).click()
        item("bimanual_compression").get_by_role("button", name="1 · 已做，手法部分正确").click()
        item("reassesses_tone").get_by_role("button", name="未完成").click()
        item("communicates").get_by_role("button", name="完成", exact=True).click()
        item("global").get_by_role("button", name="良好").click()
        expect(page.locator("#status")).to_contain_text("尚未保存")
        expect(page.locator(".pending")).to_have_count(5)
        page.click("#sign-btn")               # refused while marks wait: nothing is signed
        expect(page.locator("#status")).to_have_text("请等所有修改保存后再签名。")
        if SHOTS:
            page.screenshot(path=str(SHOTS / "exam-phone-offline-zh_CN.png"), full_page=True)
        with Archive.open(path) as archive:
            assert archive._conn.execute("SELECT COUNT(*) FROM exam_marks").fetchone()[0] == 3
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#status")).to_have_text("所有修改已保存", timeout=15000)
        expect(page.locator(".pending")).to_have_count(0)
        page.click("#sign-btn")
        expect(page.locator(".signed")).to_have_text("已签名，评分表不能再修改。")
        if SHOTS:
            page.screenshot(path=str(SHOTS / "exam-phone-signed-zh_CN.png"), full_page=True)
        # a reload keeps the device joined and shows the signed sheet
        page.reload()
        expect(page.locator(".signed")).to_be_visible()
        browser.close()
    with Archive.open(path) as archive:
        day = ExamDay(archive, "osce_demo")
        res = {r["candidate"]: r for r in day.results()}
        assert res["S01"]["stations"][0]["verdict"] == "pass"
        assert res["S01"]["stations"][0]["points"] == 7.0
        assert archive._conn.execute("SELECT COUNT(*) FROM exam_marks").fetchone()[0] == 8
        assert archive.verify() == []

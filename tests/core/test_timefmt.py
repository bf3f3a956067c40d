"""One way to write a time: drill times as mm:ss (h:mm:ss past an hour), durations in minutes
and seconds, wall-clock times local with their UTC offset — the boundaries, the inputs that
are not a time, and the units in each language."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from simtool.core.timefmt import (MISSING, TZ_ENV, drill_time, duration, local_zone, wall_date, wall_time,
                                  whole_seconds)

NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize(("t", "shown"), [
    (0, "00:00"), (0.4, "00:00"), (0.5, "00:01"), (9.6, "00:10"), (59.4, "00:59"), (59.5, "01:00"),
    (59.6, "01:00"), (90, "01:30"), (120.196, "02:00"), (1560, "26:00"), (3599.4, "59:59"),
    (3599.5, "1:00:00"), (3600, "1:00:00"), (4510, "1:15:10"), (36000, "10:00:00"),
    (-5, "-00:05"), (-0.4, "00:00"), (-3600, "-1:00:00"),
])
def test_drill_time(t, shown):
    assert drill_time(t) == shown


@pytest.mark.parametrize("t", [None, NAN, INF, -INF, "12", True, object()])
def test_what_is_not_a_time_is_shown_as_a_dash(t):
    assert drill_time(t) == MISSING == "—"
    assert duration(t) == MISSING
    assert duration(t, "zh_CN") == MISSING


@pytest.mark.parametrize(("seconds", "en", "zh_cn", "zh_tw"), [
    (0, "0 s", "0 秒", "0 秒"),
    (10, "10 s", "10 秒", "10 秒"),
    (10.214, "10 s", "10 秒", "10 秒"),
    (59.4, "59 s", "59 秒", "59 秒"),
    (59.6, "1 min", "1 分钟", "1 分鐘"),
    (90, "1 min 30 s", "1 分 30 秒", "1 分 30 秒"),
    (120.196, "2 min", "2 分钟", "2 分鐘"),
    (210, "3 min 30 s", "3 分 30 秒", "3 分 30 秒"),
    (240, "4 min", "4 分钟", "4 分鐘"),
    (3599.5, "60 min", "60 分钟", "60 分鐘"),
    (3600, "60 min", "60 分钟", "60 分鐘"),
    (10801, "180 min 1 s", "180 分 1 秒", "180 分 1 秒"),
    (-90, "-1 min 30 s", "-1 分 30 秒", "-1 分 30 秒"),
    (-0.2, "0 s", "0 秒", "0 秒"),
])
def test_duration_in_each_language(seconds, en, zh_cn, zh_tw):
    assert (duration(seconds), duration(seconds, "en"), duration(seconds, "zh_CN"),
            duration(seconds, "zh_TW")) == (en, en, zh_cn, zh_tw)


def test_a_duration_never_shows_decimals_or_a_bare_seconds_count_over_a_minute():
    for x in (61.5, 120.196, 330.75, 1000.001, 10000.9):
        text = duration(x)
        assert "." not in text and "min" in text, text


def test_an_unknown_language_reads_english():
    assert duration(90, "fr") == "1 min 30 s"


def test_whole_seconds_rounds_halves_away_from_zero():
    assert [whole_seconds(x) for x in (0.5, 1.5, 2.5, -0.5, -2.5, 2.49)] == [1, 2, 3, -1, -3, 2]
    assert whole_seconds(None) is None and whole_seconds(NAN) is None and whole_seconds(INF) is None


# --- wall-clock times -----------------------------------------------------------------------

@pytest.fixture
def shanghai(monkeypatch):
    monkeypatch.setenv(TZ_ENV, "Asia/Shanghai")


def test_wall_time_is_local_with_its_offset(shanghai):
    assert wall_time("2026-11-30T04:47:12.345+00:00") == "2026-11-30 12:47 (UTC+08:00)"
    assert wall_time("2026-11-30T04:47:12.345+00:00", "zh_CN") == "2026-11-30 12:47 (UTC+08:00)"
    assert wall_time("2026-11-30T20:00:00Z") == "2026-12-01 04:00 (UTC+08:00)"  # the next day there
    assert wall_time(datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)) == "2026-01-05 18:00 (UTC+08:00)"
    # a time without a zone is UTC, as the archive writes them
    assert wall_time("2026-11-30T04:47:00") == "2026-11-30 12:47 (UTC+08:00)"
    # a time written with another offset is the same moment
    assert wall_time("2026-11-30T06:47:00+02:00") == "2026-11-30 12:47 (UTC+08:00)"


def test_wall_date_is_the_local_day(shanghai):
    assert wall_date("2026-11-30T20:00:00+00:00") == "2026-12-01"
    assert wall_date("2026-11-30") == "2026-11-30"          # a day is a day: not shifted
    assert wall_date(date(2026, 11, 30)) == "2026-11-30"


def test_summer_time_changes_the_offset(monkeypatch):
    monkeypatch.setenv(TZ_ENV, "Europe/London")
    assert wall_time("2026-01-15T12:00:00+00:00") == "2026-01-15 12:00 (UTC+00:00)"
    assert wall_time("2026-07-15T12:00:00+00:00") == "2026-07-15 13:00 (UTC+01:00)"
    monkeypatch.setenv(TZ_ENV, "America/St_Johns")
    assert wall_time("2026-01-15T12:00:00+00:00") == "2026-01-15 08:30 (UTC-03:30)"
    monkeypatch.setenv(TZ_ENV, "UTC")
    assert wall_time("2026-01-15T12:00:00+00:00") == "2026-01-15 12:00 (UTC+00:00)"


def test_without_simtool_tz_the_systems_zone_is_used(monkeypatch):
    monkeypatch.delenv(TZ_ENV, raising=False)
    assert local_zone() is None
    moment = datetime(2026, 11, 30, 4, 47, tzinfo=timezone.utc)
    mine = moment.astimezone()
    off = mine.utcoffset() or timedelta(0)
    sign = "-" if off < timedelta(0) else "+"
    h, m = divmod(abs(int(off.total_seconds())) // 60, 60)
    assert wall_time(moment) == f"{mine:%Y-%m-%d %H:%M} (UTC{sign}{h:02d}:{m:02d})"


def test_an_unknown_zone_name_falls_back_to_the_systems(monkeypatch):
    monkeypatch.setenv(TZ_ENV, "Not/A_Zone")
    assert local_zone() is None
    monkeypatch.setenv(TZ_ENV, "../../etc/passwd")
    assert local_zone() is None
    assert wall_time("2026-11-30T04:47:00+00:00").startswith("2026-11-30 ")


@pytest.mark.parametrize("value", [None, "", "   ", 12, NAN])
def test_no_wall_time_is_a_dash(value, shanghai):
    assert wall_time(value) == MISSING
    assert wall_date(value) == MISSING


def test_text_that_is_not_a_time_is_shown_as_it_is(shanghai):
    assert wall_time("yesterday") == "yesterday"
    assert wall_date("yesterday") == "yesterday"

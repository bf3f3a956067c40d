"""Command-line values that are not numbers, not finite, not positive or not dates
(issue 14, deliver 7 and 8): each is refused in one line naming the option, exit 1 or 2.
"""

from __future__ import annotations

from .case import Case, Expect
from .csv_inputs import scores_csv

FAMILY = "cli"
RUN = ["run", "{pph}", "--script", "{busy}"]
FAST = {"speed=nan", "speed=inf", "sample=nan", "sample=1e-6", "weight=nan", "psychometrics-resamples=1e9"}


def cases() -> list[Case]:
    c: list[Case] = []

    def add(name: str, argv: list[str], option: str, setup=None, timeout: float = 20.0) -> None:
        c.append(Case(id=f"{FAMILY}/{name}", family=FAMILY, argv=argv, setup=setup,
                      expect=Expect(exit=(1, 2), mention=(option,)), slow=name not in FAST,
                      timeout=timeout))

    for value in ("nan", "inf", "-inf", "-1", "0"):
        add(f"speed={value}", [*RUN, f"--speed={value}"], "--speed")
    for value in ("nan", "inf", "1e-6", "0", "-5"):
        add(f"sample={value}", [*RUN, f"--sample={value}"], "--sample")
    for value in ("nan", "inf", "-5", "0", "1e9", "1e999"):
        add(f"weight={value}", [*RUN, f"--weight={value}"], "weight")
    for value in ("2025-13-45", "2025-02-30", "yesterday", "99999-01-01"):
        add(f"indicators-from={value}", ["stats", "indicators", f"--from={value}"], "--from")
        add(f"quality-from={value}", ["export", "--kind", "quality", f"--from={value}", "--to=2025-12-31",
                                      "-o", "{w}/q.pdf"], "--from")
    for value in ("2025-13-45", "2025-02-30", "yesterday", "99999-01-01"):
        add(f"calendar-as-of={value}", ["calendar", f"--as-of={value}"], "--as-of")
    add("indicators-to-before-from", ["stats", "indicators", "--from=2025-06-01", "--to=2025-01-01"], "--to")
    add("quality-to-before-from", ["export", "--kind", "quality", "--from=2025-06-01", "--to=2025-01-01",
                                   "-o", "{w}/q.pdf"], "--to")
    ok_csv = lambda ctx: scores_csv(ctx.w / "scores.csv")  # noqa: E731
    psych = ["stats", "psychometrics", "--input", "{w}/scores.csv"]
    add("psychometrics-resamples=1e9", [*psych, "--resamples", "1000000000"], "--resamples", ok_csv, timeout=30)
    add("psychometrics-borderline=nan", [*psych, "--borderline", "nan"], "--borderline", ok_csv)
    add("psychometrics-borderline=inf", [*psych, "--borderline", "inf"], "--borderline", ok_csv)
    c += station_cases()
    return c


# --- simtool station score (issue 20, item 4): one sentence naming the option, exit 1, and the
# archive (a candidate and an examiner in the registry) exactly as it was: no sitting recorded
STATION = ["station", "score", "pph_uterine_massage_station", "--archive", "{w}/archive.sqlite"]
WHO = ["--candidate", "S100", "--examiner", "E1"]
HUGE = 100_000            # under the 128 KiB a single argument may hold


def _registry(ctx) -> None:
    from simtool.store import Archive, Examiner, Trainee
    with Archive.open(ctx.w / "archive.sqlite") as archive:
        archive.add_trainee(Trainee("李娜", "S100"))
        archive.add_examiner(Examiner("王医生", "E1"))


def station_cases() -> list[Case]:
    c: list[Case] = []

    def add(name: str, argv: list[str], mention) -> None:
        c.append(Case(id=f"{FAMILY}/station-{name}", family=FAMILY, argv=argv, setup=_registry,
                      expect=Expect(exit=(1,), mention=(mention,), untouched=("archive.sqlite",),
                                    max_lines=1)))

    for value in ("nan", "inf", "-inf", "-1", "1e999", "abc", "1" * HUGE, "9999"):
        add(f"time-used={value[:12]}", [*STATION, *WHO, f"--time-used={value}"], "--time-used")
    add("candidate-huge", [*STATION, "--candidate", "S" * HUGE, "--examiner", "E1"], "candidate")
    add("candidate-control", [*STATION, "--candidate", "S1\x1b[31m00", "--examiner", "E1"], "candidate")
    add("examiner-markup", [*STATION, "--candidate", "S100", "--examiner", "<b>E1</b>"], "examiner")
    add("mark-unknown-item", [*STATION, *WHO, "--mark", "nosuch=done"], "has no item 'nosuch'")
    add("mark-markup-item", [*STATION, *WHO, "--mark", "<script>alert(1)</script>=done"], "has no item")
    add("mark-bidi-item", [*STATION, *WHO, "--mark", "fundus_palpated\u202e=done"], "has no item")
    add("mark-control-value", [*STATION, *WHO, "--mark", "fundus_palpated=do\x1bne"], "--mark")
    add("mark-superscript-level", [*STATION, *WHO, "--mark", "fundal_massage=\u00b2"], "--mark")
    add("mark-huge-level", [*STATION, *WHO, "--mark", "fundal_massage=" + "9" * 5000], "--mark")
    add("mark-level-out-of-range", [*STATION, *WHO, "--mark", "fundal_massage=-1"], "fundal_massage")
    add("mark-not-a-pair", [*STATION, *WHO, "--mark", "x" * HUGE], "--mark")
    add("global-unknown", [*STATION, *WHO, "--global", "nosuch"], "--global")
    add("global-huge", [*STATION, *WHO, "--global", "g" * HUGE], "--global")
    add("comment-huge", [*STATION, *WHO, "--mark", "fundus_palpated=done", "--comment", "c" * HUGE],
        "--comment")
    add("comment-terminal-codes", [*STATION, *WHO, "--mark", "fundus_palpated=done", "--comment",
                                   "ok\x1b[2J\x07"], "--comment")
    add("comment-direction-override", [*STATION, *WHO, "--mark", "fundus_palpated=done",
                                       "--comment", "ok\u202egnp.exe"], "--comment")
    add("station-huge", ["station", "score", "x" * HUGE, *WHO, "--archive", "{w}/archive.sqlite"],
        "no station")
    add("station-traversal", ["station", "score", "../pph_uterine_atony_technical", *WHO,
                              "--archive", "{w}/archive.sqlite"], "no station")
    add("sign-unrated", [*STATION, *WHO, "--mark", "fundus_palpated=done", "--sign"],
        "nothing was recorded")
    return c

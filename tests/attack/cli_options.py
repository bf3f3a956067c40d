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
    return c

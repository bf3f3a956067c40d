"""The standing attack corpus of issue 14: generators of hostile inputs, one module per family.

``all_cases()`` lists every case (cheap: nothing is generated until a case is played);
``run.report(cases)`` plays them as real ``simtool`` processes and counts the outcomes.
``tests/attack_report.py`` prints that count as JSON; ``tests/test_attack.py`` asserts that
each case of the fast subset ends clean (the rest: ``./dev test -m attack_slow``).
"""

from __future__ import annotations

from . import archives, bundles, cli_options, csv_inputs, killdisk, outputs, tamper, yaml_inputs
from .case import Case, Expect, Verdict

MODULES = {m.FAMILY: m for m in (outputs, bundles, yaml_inputs, cli_options, csv_inputs, archives,
                                 tamper, killdisk)}
FAMILIES = tuple(MODULES)


def all_cases(families: tuple[str, ...] | list[str] | None = None) -> list[Case]:
    out: list[Case] = []
    for name, module in MODULES.items():
        if families is None or name in families:
            out += module.cases()
    ids = [c.id for c in out]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"attack case ids used twice: {sorted(dupes)}"
    return out


__all__ = ["Case", "Expect", "Verdict", "FAMILIES", "all_cases"]

"""Every time and dose limit of the bundled action catalogue, exactly at the limit, one step
inside and one step over — each logged through ``Drill.act`` as the console logs it, and the
flag (or its absence) read off the drill's record.

The cases are generated from ``scenarios/actions.yaml``: a changed comparison (``>`` for
``>=``), a limit that slips (+60 s, +1 unit) or a rule that stops applying fails a case here,
and a rule added to the catalogue is covered without writing a test.

The limits, as the README states them: a dose above ``max_single`` (the smaller of per kg ×
weight and absolute) is flagged, at it is not; likewise a total above ``max_total`` (counting
the ``shared_with`` actions); a dose more than ``tolerance_pct`` away from ``expected_dose``
(absolute above ``over_kg`` kg, per kg up to it) is flagged, exactly that far is not; a dose
sooner than ``min_interval`` after the last one is flagged, exactly then is not; the dose after
the ``max_doses``-th is flagged; a dose more than ``within_s`` after the ``window`` marker is
flagged, exactly then is not. Rules with ``routes`` or ``only_in`` apply only there. A dose
below the usual ``min`` or above the usual ``max`` of the action is flagged (``dose_range``),
as is a route the action is not given by.
"""

from __future__ import annotations

import pytest

from simtool.core.catalogue import load_catalogue

from helpers.paths import SCENARIOS
from helpers.rulecases import WINDOW_OPENS, Case, catalogue_cases, play

CATALOGUE = load_catalogue(SCENARIOS / "actions.yaml")
CASES = catalogue_cases(CATALOGUE)


def test_every_time_and_dose_limit_of_the_catalogue_has_cases():
    kinds = {c.kind for c in CASES}
    assert kinds == {"max_single", "max_total", "expected_dose", "min_interval", "max_doses", "window",
                     "indication", "additive_max", "max_volume", "not_before", "dose_range", "route"}
    limited = {(a.id, i) for a in CATALOGUE.actions for i, r in enumerate(a.rules) if r.kind != "contraindication"}
    covered = {(c.action, int(c.name.split("-")[1])) for c in CASES if c.name.split("-")[1].isdigit()}
    assert covered == limited
    # the tranexamic acid 3-hour window is tried at 10799, 10800 and 10801 s after birth
    txa = sorted(c.t - WINDOW_OPENS for c in CASES if c.action == "tranexamic_acid" and c.kind == "window"
                 and not c.name.endswith("second-dose"))
    assert txa == [10799, 10800, 10801]
    # and a second dose after the 3 h, the first given in time, is not flagged (WOMAN)
    (second,) = [c for c in CASES if c.action == "tranexamic_acid" and c.name.endswith("second-dose")]
    assert (second.t - WINDOW_OPENS, second.flagged) == (10801, False)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_dose_at_the_limit_is_not_flagged_one_step_over_it_is(case: Case, tmp_path_factory):
    drill, event = play(case, tmp_path_factory.getbasetemp())
    # this rule's flag: another rule of the same kind (another route's limit) is not its case
    flags = [f for f in drill.flags() if f.ref == event.seq and f.rule == case.kind
             and (case.rule is None or f.value("message", case.rule) == case.rule)]
    assert len(flags) == (1 if case.flagged else 0), \
        f"{case.action} {case.dose} at {case.t} s ({case.weight} kg, {case.route}): {[f.values for f in flags]}"

"""A flag's numbers travel in bundles (``values`` of a flag event): what an exported drill has
is taken back; anything else — nested records, NaN, markup in a name, huge lists — is refused
with the field named, before anything is written (the round trip itself is in test_bundle)."""

from __future__ import annotations

import math

import pytest

from simtool.store.bundlecheck import EVENT, record
from simtool.store.errors import BundleError

FLAG = {"seq": 9, "t": 870.0, "kind": "flag", "action": "tranexamic_acid", "ref": 8, "rule": "max_single"}


def test_the_numbers_a_drill_records_are_taken():
    good = {**FLAG, "values": {"dose": 2.0, "limit": 1, "unit": "g", "conditions": ["asthma"],
                               "routes": ["IM", "IV"], "message": 0, "when": "sbp >= 140"}}
    assert record(good, EVENT, "drill.json: events[9]") is good


@pytest.mark.parametrize(("values", "says"), [
    ({"dose": {"nested": 1}}, "values.dose: must be a finite number, a line of text or a list of them"),
    ({"dose": math.nan}, "values.dose: must be a finite number"),
    ({"dose": math.inf}, "values.dose: must be a finite number"),
    ({"dose": True}, "values.dose: must be a finite number"),
    ({"dose": None}, "values.dose: must be a finite number"),
    ({"Dose": 1}, "'Dose' is not a value name"),
    ({"dose; DROP TABLE events": 1}, "is not a value name"),
    ({f"v{i}": i for i in range(33)}, "has 33 values; a flag has at most 32"),
    ({"routes": ["IV"] * 65}, "values.routes: is a list longer than 64"),
    ({"unit": "g\x1b[2J"}, "values.unit: contains a control character"),
    ({"unit": "x" * 201}, "values.unit: is longer than 200 characters"),
    ([1, 2], "values: must be a record"),
    ("dose=2", "values: must be a record"),
])
def test_anything_else_is_refused_naming_the_field(values, says):
    with pytest.raises(BundleError, match="drill.json: events\\[9\\]") as info:
        record({**FLAG, "values": values}, EVENT, "drill.json: events[9]")
    assert says in str(info.value)

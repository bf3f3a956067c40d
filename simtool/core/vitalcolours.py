"""The colour of each vital sign, one definition for every place that draws one: the patient
monitor (on black), the debrief screen's chart and the debrief PDF (on white), so a trainee
sees HR green, SpO₂ cyan, blood pressure red and EtCO₂ yellow wherever they look.

The hues follow the usual bedside-monitor convention (ECG/HR green, pleth/SpO₂ cyan, pressure
red, capnography yellow). Plain hex strings: no Qt, no reportlab, so the monitor, the window
and the reports can all import it."""

from __future__ import annotations

VITAL_COLOURS: dict[str, str] = {
    "hr": "#39e639",      # green
    "spo2": "#26d9ff",    # cyan
    "bp": "#ff4040",      # red (systolic, diastolic, mean)
    "etco2": "#ffe14d",   # yellow (EtCO₂ and the capnogram)
    "rr": "#ffe14d",      # yellow: counted from the capnogram
    "temp": "#ff9ad5",    # pink
}

# a vitals sample's column → the colour of its vital
SAMPLE_COLOURS: dict[str, str] = {
    "hr": VITAL_COLOURS["hr"], "spo2": VITAL_COLOURS["spo2"], "sbp": VITAL_COLOURS["bp"],
    "dbp": VITAL_COLOURS["bp"], "map": VITAL_COLOURS["bp"], "etco2": VITAL_COLOURS["etco2"],
    "rr": VITAL_COLOURS["rr"], "temp_c": VITAL_COLOURS["temp"],
}

# what no monitor draws: cumulative blood loss (a dark magenta, apart from the vitals' hues)
BLOOD_LOSS_COLOUR = "#8e24aa"
# the dark edge a light line (cyan, yellow) is drawn on, so it reads on white paper
CASING_COLOUR = "#37474f"

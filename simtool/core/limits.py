"""Every limit simtool puts on its inputs, in one place, each with why it is there.

A limit exists so that no file or option, however made, can make simtool run forever, fill
the memory or the disk, or crash: each is far above anything a real drill, scenario or exam
needs (the bundled files are measured in the comments) and is enforced with a message that
names the file, line and field, or the option. The README's "Limits" section lists them.
"""

from __future__ import annotations

MiB = 1024 * 1024

# --- files -------------------------------------------------------------------------------------
# scenario, action catalogue, rubric and NTS block files: the largest bundled one is 35 KB
MAX_DATA_FILE_BYTES = 4 * MiB
# drill scripts: room for MAX_SCRIPT_ACTIONS actions written one per line in block style
MAX_SCRIPT_BYTES = 32 * MiB
# exam scores and Angoff CSV files: hundreds of thousands of rows of candidate × station × examiner
MAX_CSV_BYTES = 32 * MiB
# nesting of mappings and lists in a YAML file: the bundled files nest 6 deep; ruamel's C
# loader recurses once per level and crashes the interpreter (SIGSEGV) some thousands deep
MAX_YAML_DEPTH = 64
# nodes that YAML aliases (*name) may add when they are expanded into copies: without it ten
# nested aliases of ten items each ("billion laughs") grow to 10^10 nodes from a few hundred bytes
MAX_YAML_ALIAS_NODES = 100_000

# --- drills ------------------------------------------------------------------------------------
# a drill's or script's duration: the longest bundled drill is 90 min; no drill lasts a day,
# and a day of vitals at one sample per second is still a modest archive
MAX_DURATION_S = 24 * 3600
# actions in one script (and, separately, forces): 100,000 still play in seconds
MAX_SCRIPT_ACTIONS = 100_000
# participants in one script: a team is a handful of people; each action looks its actor up
MAX_PARTICIPANTS = 200
# the finest vitals sampling interval of `simtool run --sample`: the engine steps once a second,
# so finer samples mostly repeat values
MIN_SAMPLE_S = 0.1
# vitals samples one run may record (duration ÷ --sample + 1): a day at one per second is 86,401
MAX_SAMPLES = 100_000
# a person's name (an examiner named at setup): one line, as a bundle carries it, so a name
# the archive takes can always travel to the department's archive
MAX_NAME_CHARS = 200
# a correction's reason (one line: it is printed in logs, tables and PDFs, and travels in bundles)
MAX_REASON_CHARS = 1_000
# one debrief note (a PEARLS phase, or the trainee's reflection): free text with line breaks;
# ten pages of typing, far more than a debrief's minutes produce, little enough for a PDF
MAX_NOTE_CHARS = 20_000
# `simtool run --speed`: below 0.01 × real time a one-hour drill would take four days
MIN_SPEED = 0.01
MAX_SPEED = 1_000_000.0

# entries of one list in a scenario (states, markers, transitions of a state...) or a rubric
# (items): the bundled scenarios have at most 17 states and 13 indicators. The engine checks the
# markers and the current state's transitions every simulated second
MAX_FILE_ENTRIES = 200
# actions in the catalogue (74 bundled): each becomes condition variables for every role
MAX_CATALOGUE_ACTIONS = 2_000

# --- numbers in files --------------------------------------------------------------------------
# blood volume per kg of body weight: about 70 mL/kg in an adult (ATLS), about 100 mL/kg at
# term (CLINICAL.md §4), 80–90 mL/kg in a neonate; outside 40–150 the model divides by nonsense
MIN_BLOOD_VOLUME_ML_PER_KG = 40.0
MAX_BLOOD_VOLUME_ML_PER_KG = 150.0
# patient weight (scenario range and --weight): a premature neonate to the heaviest patients
MIN_WEIGHT_KG = 0.3
MAX_WEIGHT_KG = 650.0
# one dose in any unit (the largest bundled default is 1000 mL; heparin runs to tens of
# thousands of IU): far above any dose, low enough that sums of doses stay finite
MAX_DOSE = 1_000_000.0
# bleeding rate of a state: a whole cardiac output is about 5,000 mL/min
MAX_BLEED_ML_MIN = 10_000.0
# how much one intervention may multiply the bleed (the bundled ones reduce it: ≤ 1), how
# often its effect may stack, and how far all of them together may multiply it (10^6)
MAX_BLEED_FACTOR = 10.0
MAX_INTERVENTION_USES = 1_000
MAX_BLEED_AMPLIFICATION = 1e6
# millilitres one unit of an infused product adds (a bag of red cells is about 280 mL)
MAX_ML_PER_UNIT = 10_000.0
# points of one rubric item or level: the bundled rubrics give 1–4
MAX_ITEM_POINTS = 1_000.0

# --- the condition language --------------------------------------------------------------------
# characters in one condition: the longest bundled one is 264
MAX_EXPR_CHARS = 2_000
# nesting of one condition (brackets, not, minus, and chains of operators): the bundled ones
# nest 8 deep; each level costs a few Python stack frames when parsed and evaluated
MAX_EXPR_DEPTH = 32

# --- exam statistics ---------------------------------------------------------------------------
# score rows in one scores CSV (and judge rows in an Angoff CSV)
MAX_CSV_ROWS = 200_000
# |value| of a score, grade or item score: sums over many rows stay finite and meaningful
MAX_SCORE_VALUE = 1e9
# bootstrap resamples of the borderline-regression cut (`--resamples`; default 1000)
MIN_RESAMPLES = 100
MAX_RESAMPLES = 100_000
# examiners of one station: each pair of them is compared (κ, ICC) over their candidates
MAX_EXAMINERS_PER_STATION = 50
# resamples × candidates of one station: the bootstrap's work (1000 × 20,000 candidates)
MAX_BOOTSTRAP_DRAWS = 20_000_000


def number(x: float) -> str:
    """A limit as people write it: 86,400 / 0.3 / 1,000,000."""
    return f"{x:,.0f}" if float(x).is_integer() and abs(x) < 1e15 else f"{x:g}"


def describe_bytes(n: int) -> str:
    """4194304 -> '4 MiB' (limits are whole MiB); other sizes in bytes."""
    return f"{n // MiB} MiB" if n % MiB == 0 and n >= MiB else f"{n:,} bytes"

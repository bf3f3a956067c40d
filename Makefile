PYTHON ?= .venv/bin/python

.PHONY: translations translations-release mutants

# pyside6-lupdate over simtool/ui into assets/translations/*.ts, then pyside6-lrelease to .qm
translations:
	$(PYTHON) tools/i18n.py

# only compile the .ts files (after translating them in Qt Linguist)
translations-release:
	$(PYTHON) tools/i18n.py --release

# mutation testing (not in CI: minutes per module): every module of [tool.mutmut] only_mutate
# in pyproject.toml, or one: make mutants MODULE=simtool/core/rules.py; JSON in bench/mutants.json
MODULE ?=
ARGS ?=
mutants:
	$(PYTHON) tools/mutants.py $(ARGS) $(MODULE)

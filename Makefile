PYTHON ?= .venv/bin/python

.PHONY: translations translations-release

# pyside6-lupdate over simtool/ui into assets/translations/*.ts, then pyside6-lrelease to .qm
translations:
	$(PYTHON) tools/i18n.py

# only compile the .ts files (after translating them in Qt Linguist)
translations-release:
	$(PYTHON) tools/i18n.py --release

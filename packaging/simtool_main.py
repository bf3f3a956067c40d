"""The packaged application's entry point: the same as the ``simtool`` command.

With no arguments it opens the window; with arguments it is the command line
(``simtool validate``, ``simtool run pph_uterine_atony --script ...``, ``simtool export ...``).
"""

import sys

from simtool.cli import main

if __name__ == "__main__":
    sys.exit(main())

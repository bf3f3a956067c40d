"""Start simtool (the same as the `simtool` command)."""

import sys

from simtool.cli import main

if __name__ == "__main__":
    sys.exit(main())

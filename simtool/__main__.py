import sys

from simtool.cli import main

sys.exit(main())

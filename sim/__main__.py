"""`python -m sim`: one simulated controller on the command line (sim/cli/, README)."""

import sys

from sim.cli.main import main

if __name__ == "__main__":
    sys.exit(main())

"""``python -m gym_apibench.integrations.openenv [options]``: ``apibench openenv``."""

import sys

from gym_apibench.cli import main

sys.exit(main(["openenv", *sys.argv[1:]]))

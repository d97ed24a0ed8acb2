"""``python -m gym_apibench.integrations.openenv``: the OpenEnv server (``apibench openenv``)."""

import sys

from gym_apibench.integrations.openenv.app import main

sys.exit(main())

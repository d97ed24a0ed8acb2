"""apibench as an OpenEnv environment (the ``openenv`` extra): server and client types.

The server (:func:`create_app`, ``apibench openenv``) is an OpenEnv app whose sessions each
play an apibench episode (in its process, or on an apibench episode server); OpenEnv
clients, trainers' rollout workers among them, connect to it. :class:`ApibenchEnv` is the
typed client, :func:`rollout` one episode driven by an OpenEnv LLM client.
"""

try:
    import openenv.core  # noqa: F401
except ImportError as exc:  # pragma: no cover - the core install
    raise ImportError(
        "apibench's OpenEnv environment needs the openenv extra: pip install 'apibench[openenv]'"
    ) from exc

from gym_apibench.integrations.openenv.app import create_app, serve
from gym_apibench.integrations.openenv.client import ApibenchEnv, rollout
from gym_apibench.integrations.openenv.environment import ApibenchEnvironment
from gym_apibench.integrations.openenv.models import ApibenchObservation, ApibenchState

__all__ = [
    "ApibenchEnv",
    "ApibenchEnvironment",
    "ApibenchObservation",
    "ApibenchState",
    "create_app",
    "rollout",
    "serve",
]

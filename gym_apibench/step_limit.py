"""The wrapper that tells an env the step limit ``gym.make`` gave to ``TimeLimit``."""

from __future__ import annotations

from typing import Any

import gymnasium as gym
from gymnasium.utils import RecordConstructorArgs
from gymnasium.wrappers import TimeLimit

from gym_apibench.env import ApiBenchEnv

__all__ = ["SyncStepLimit", "time_limit"]


def time_limit(env: gym.Env[Any, Any]) -> int | None:
    """The ``max_episode_steps`` of the outermost ``TimeLimit`` in ``env``'s wrappers, if any."""
    while isinstance(env, gym.Wrapper):
        if isinstance(env, TimeLimit):
            limit: int = env._max_episode_steps  # TimeLimit keeps it only there
            return limit
        env = env.env
    return None


class SyncStepLimit(gym.Wrapper[Any, Any, Any, Any], RecordConstructorArgs):
    """Copies the ``TimeLimit`` below it into the unwrapped env's ``max_steps``; else a no-op.

    ``gym.make(id, max_episode_steps=N)`` hands N to ``TimeLimit`` alone: the env never sees
    it, yet it must, to grade the step the limit ends and to tell the agent the limit. Every
    apibench id is registered with this wrapper among its ``additional_wrappers``, which
    ``make`` (and so ``make_vec``, in each worker) applies above ``TimeLimit``. Without a
    ``TimeLimit`` (``max_episode_steps=-1``) the env has no limit either.
    """

    def __init__(self, env: gym.Env[Any, Any]) -> None:
        RecordConstructorArgs.__init__(self)
        gym.Wrapper.__init__(self, env)
        unwrapped = env.unwrapped
        if not isinstance(unwrapped, ApiBenchEnv):
            raise TypeError(f"SyncStepLimit wraps an ApiBenchEnv; got {type(unwrapped).__name__}")
        limit = time_limit(env)
        # make() records the env's own arguments in its spec: a max_steps there would be
        # overridden here, silently, so it is refused in favour of max_episode_steps.
        asked = unwrapped.spec.kwargs.get("max_steps") if unwrapped.spec is not None else None
        if asked is not None and asked != limit:
            raise ValueError(
                f"max_steps={asked!r} is for an ApiBenchEnv built by hand; with gym.make, "
                f"pass max_episode_steps={asked!r} (the TimeLimit's, which the env follows)"
            )
        unwrapped.max_steps = limit

"""What a handler finds in its request's scope."""

from __future__ import annotations

from starlette.requests import Request

from mockapis.world import World

__all__ = ["world_of"]


def world_of(request: Request) -> World:
    """The episode's world, which the gateway puts in every request's scope."""
    world: World = request.scope["world"]
    return world

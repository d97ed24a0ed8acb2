"""Smart-home scenes (database ``Scenes``: scene name -> list of devices ``{name,
description}``): AddScene, ModifyScene, QueryScene, DeleteScene. Scene names are compared
stripped and lower-cased, as upstream stores them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockapis.apibank.base import Api, ApiBankError, Db, register
from mockapis.apibank.checks import folded, same_call

__all__ = ["AddScene", "DeleteScene", "ModifyScene", "QueryScene"]


def _scene_name(value: str) -> str:
    name = value.strip().lower()
    if name == "":
        raise ApiBankError("Scene name cannot be empty.")
    return name


def _devices(value: Any) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise ApiBankError("The devices cannot be empty.")
    for device in value:
        if not isinstance(device, Mapping) or "name" not in device:
            raise ApiBankError("The devices have invalid format.")
    return list(value)


def _write(db: Db, args: Mapping[str, Any], *, new: bool) -> str:
    """Set a scene's devices: a ``new`` one must not exist yet, else it must exist."""
    name = _scene_name(args["name"])
    devices = _devices(args["devices"])
    scenes = db.table("Scenes")
    if new and name in scenes:
        raise ApiBankError("The scene already exists.")
    if not new and name not in scenes:
        raise ApiBankError("The scene does not exist.")
    scenes.put(name, devices)
    return "success"


def _existing(db: Db, args: Mapping[str, Any]) -> str:
    """The scene's (normalised) name, if it exists."""
    name = _scene_name(args["name"])
    if name not in db.table("Scenes"):
        raise ApiBankError("The scene does not exist.")
    return name


class _SceneApi(Api):
    database = "Scenes"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: names compared stripped and lower-cased, the rest of the input equal;
        output and exception equal."""
        return same_call(response, gold, compare={"name": folded}, rest=True)


@register
class AddScene(_SceneApi):
    """Adds a scene with its devices."""

    name = "AddScene"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        return _write(db, args, new=True)


@register
class ModifyScene(_SceneApi):
    """Replaces the devices of a scene."""

    name = "ModifyScene"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        return _write(db, args, new=False)


@register
class QueryScene(_SceneApi):
    """The devices of a scene."""

    name = "QueryScene"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        return db.table("Scenes")[_existing(db, args)]


@register
class DeleteScene(_SceneApi):
    """Deletes a scene."""

    name = "DeleteScene"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        db.table("Scenes").delete(_existing(db, args))
        return "success"

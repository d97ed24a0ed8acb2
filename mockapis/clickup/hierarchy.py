"""The hierarchy: the user, workspaces (``/team``), spaces, folders and lists."""

from __future__ import annotations

from typing import Any

from mockapis.clickup import lookup
from mockapis.clickup.access import Call, endpoint, public
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["ROUTES", "render_list"]


async def get_user(call: Call) -> Any:
    """The token's user."""
    return {"user": public(call.user)}


async def get_teams(call: Call) -> Any:
    """The workspaces ("teams") the user belongs to."""
    teams = [
        public(team)
        for team in call.world.table("clickup.teams").values()
        if any(m["user"]["id"] == call.user["id"] for m in team["members"])
    ]
    return {"teams": teams}


async def get_spaces(call: Call) -> Any:
    """The spaces of a workspace (archived ones only with ``archived=true``)."""
    team = lookup.team(call)
    archived = call.flag("archived")
    spaces = [
        public(space)
        for space in call.world.table("clickup.spaces").values()
        if space["_team_id"] == team["id"] and space["archived"] == archived
    ]
    return {"spaces": spaces}


async def get_space(call: Call) -> Any:
    """One space."""
    return public(lookup.space(call))


async def get_folders(call: Call) -> Any:
    """The folders of a space, each with its lists."""
    space = lookup.space(call)
    archived = call.flag("archived")
    folders = [
        render_folder(call.world, folder)
        for folder in call.world.table("clickup.folders").values()
        if folder["space"]["id"] == space["id"] and folder["archived"] == archived
    ]
    return {"folders": folders}


async def get_folder(call: Call) -> Any:
    """One folder, with its lists."""
    return render_folder(call.world, lookup.folder(call))


async def get_folder_lists(call: Call) -> Any:
    """The lists of a folder."""
    folder = lookup.folder(call)
    return {"lists": _lists(call, lambda row: row["folder"]["id"] == folder["id"])}


async def get_folderless_lists(call: Call) -> Any:
    """The lists of a space that are in no folder."""
    space = lookup.space(call)
    return {
        "lists": _lists(
            call, lambda row: row["space"]["id"] == space["id"] and row["folder"]["hidden"]
        )
    }


async def get_list(call: Call) -> Any:
    """One list."""
    return render_list(call.world, lookup.list_(call))


def _lists(call: Call, keep: Any) -> list[dict[str, Any]]:
    archived = call.flag("archived")
    return [
        render_list(call.world, row)
        for row in call.world.table("clickup.lists").values()
        if keep(row) and row["archived"] == archived
    ]


def _task_count(world: World, list_id: str) -> int:
    return sum(
        1
        for task in world.table("clickup.tasks").values()
        if task["list"]["id"] == list_id and not task["archived"]
    )


def render_list(world: World, row: Record) -> dict[str, Any]:
    """A list as the API shows it, with its current ``task_count`` (a string, as ClickUp
    documents it)."""
    shown = public(row)
    shown["task_count"] = str(_task_count(world, row["id"]))
    return shown


def render_folder(world: World, folder: Record) -> dict[str, Any]:
    """A folder with its (not archived) lists and its ``task_count`` (a string, as on ClickUp)."""
    lists = [
        render_list(world, row)
        for row in world.table("clickup.lists").values()
        if row["folder"]["id"] == folder["id"] and not row["archived"]
    ]
    return {
        **public(folder),
        "task_count": str(sum(int(row["task_count"]) for row in lists)),
        "lists": lists,
    }


ROUTES = [
    endpoint("/api/v2/user", {"GET": get_user}),
    endpoint("/api/v2/team", {"GET": get_teams}),
    endpoint("/api/v2/team/{team_id}/space", {"GET": get_spaces}),
    endpoint("/api/v2/space/{space_id}", {"GET": get_space}),
    endpoint("/api/v2/space/{space_id}/folder", {"GET": get_folders}),
    endpoint("/api/v2/space/{space_id}/list", {"GET": get_folderless_lists}),
    endpoint("/api/v2/folder/{folder_id}", {"GET": get_folder}),
    endpoint("/api/v2/folder/{folder_id}/list", {"GET": get_folder_lists}),
    endpoint("/api/v2/list/{list_id}", {"GET": get_list}),
]

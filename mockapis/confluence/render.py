"""Spaces and content as Confluence's REST v1 renders them, with ``expand``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from starlette.requests import Request

from mockapis.confluence.access import API, site, world
from mockapis.confluence.data import CONTENT, SPACES, USERS
from mockapis.tables import Record

__all__ = ["content", "expansions", "space"]

CONTENT_EXPANDABLE = (
    "childTypes",
    "container",
    "metadata",
    "operations",
    "schedulePublishDate",
    "children",
    "restrictions",
    "history",
    "ancestors",
    "body",
    "version",
    "descendants",
    "space",
)


def expansions(request: Request) -> frozenset[str]:
    """The ``expand`` values (comma-separated, repeatable); unknown ones are ignored."""
    found: set[str] = set()
    for raw in request.query_params.getlist("expand"):
        found.update(part.strip() for part in raw.split(",") if part.strip())
    return frozenset(found)


def _user(request: Request, account: str) -> Record:
    row = world(request).table(USERS).get(account) or {"accountId": account, "displayName": ""}
    return {
        "type": "known",
        "accountId": account,
        "accountType": "atlassian",
        "publicName": row["displayName"],
        "displayName": row["displayName"],
    }


def space(request: Request, row: Record, expand: frozenset[str]) -> Record:
    """A space; ``expand`` may add ``description`` (``description.plain``) and ``homepage``."""
    base, _ = site(request)
    key = row["key"]
    body: dict[str, Any] = {
        "id": row["id"],
        "key": key,
        "name": row["name"],
        "type": row["type"],
        "status": row["status"],
    }
    expandable = {
        "settings": f"/rest/api/space/{key}/settings",
        "metadata": "",
        "operations": "",
        "lookAndFeel": f"/rest/api/settings/lookandfeel?spaceKey={key}",
        "identifiers": "",
        "permissions": "",
        "icon": "",
        "description": "",
        "theme": f"/rest/api/space/{key}/theme",
        "history": "",
        "homepage": f"/rest/api/content/{row['homepage_id']}",
    }
    if expand & {"description", "description.plain", "description.view"}:
        body["description"] = _description(row["description"], expand)
        expandable.pop("description")
    if "homepage" in expand and row["homepage_id"]:
        home = world(request).table(CONTENT).get(row["homepage_id"])
        if home is not None:
            body["homepage"] = content(request, home, frozenset())
            expandable.pop("homepage")
    body["_expandable"] = expandable
    body["_links"] = {"webui": f"/spaces/{key}", "self": f"{base}{API[5:]}/space/{key}"}
    return body


def _description(text: str, expand: frozenset[str]) -> Record:
    """A space's description in the representations ``expand`` names (``description``
    alone: both), the others under ``_expandable``; each a SpaceDescription, whose
    ``embeddedContent`` the vendor's schema requires."""
    values = {"plain": text, "view": f"<p>{text}</p>" if text else ""}
    named = {kind for kind in values if f"description.{kind}" in expand} or set(values)
    body: dict[str, Any] = {
        kind: {"value": value, "representation": kind, "embeddedContent": []}
        for kind, value in values.items()
        if kind in named
    }
    if rest := {kind: "" for kind in values if kind not in named}:
        body["_expandable"] = rest
    return body


def _ancestors(request: Request, row: Record) -> list[Record]:
    chain: list[Record] = []
    table = world(request).table(CONTENT)
    parent = row["parent_id"]
    while parent is not None:
        found = table.get(parent)
        if found is None:
            break
        chain.append(found)
        parent = found["parent_id"]
    return [content(request, r, frozenset()) for r in reversed(chain)]


def content(request: Request, row: Record, expand: frozenset[str]) -> Record:
    """A page or blog post; ``expand`` may add ``body.storage``, ``body.view``, ``version``,
    ``space``, ``ancestors``, ``history`` and ``container``."""
    base, _ = site(request)
    cid, key = row["id"], row["space_key"]
    body: dict[str, Any] = {
        "id": cid,
        "type": row["type"],
        "status": row["status"],
        "title": row["title"],
        "macroRenderedOutput": {},
        "extensions": {"position": row["position"]},
    }
    expandable: dict[str, str] = {name: "" for name in CONTENT_EXPANDABLE}
    expandable.update(
        container=f"/rest/api/space/{key}",
        space=f"/rest/api/space/{key}",
        children=f"/rest/api/content/{cid}/child",
        descendants=f"/rest/api/content/{cid}/descendant",
        history=f"/rest/api/content/{cid}/history",
        restrictions=f"/rest/api/content/{cid}/restriction/byOperation",
    )
    reps = {e.split(".", 1)[1] for e in expand if e.startswith("body.")}
    if reps & {"storage", "view"}:
        bodies: dict[str, Any] = {}
        for rep in sorted(reps & {"storage", "view"}):
            bodies[rep] = {
                "value": row["body"],
                "representation": rep,
                "embeddedContent": [],
                "_expandable": {"content": f"/rest/api/content/{cid}"},
            }
        rest = {
            "editor",
            "atlas_doc_format",
            "view",
            "export_view",
            "styled_view",
            "dynamic",
            "storage",
            "editor2",
            "anonymous_export_view",
        } - set(bodies)
        bodies["_expandable"] = {name: "" for name in sorted(rest)}
        body["body"] = bodies
        expandable.pop("body")
    if "version" in expand:
        body["version"] = {
            "by": _user(request, row["updated_by"]),
            "when": row["updated"],
            "friendlyWhen": row["updated"][:10],
            "message": "",
            "number": row["version"],
            "minorEdit": False,
            "contentTypeModified": False,
        }
        expandable.pop("version")
    if expand & {"space", "container"}:
        srow = world(request).table(SPACES).get(key)
        if srow is not None:
            rendered = space(request, srow, frozenset())
            for name in ("space", "container") if expand & {"space", "container"} else ():
                if name in expand:
                    body[name] = rendered
                    expandable.pop(name)
    if "ancestors" in expand:
        body["ancestors"] = _ancestors(request, row)
        expandable.pop("ancestors")
    if "history" in expand:
        body["history"] = {
            "latest": True,
            "createdBy": _user(request, row["created_by"]),
            "createdDate": row["created"],
        }
        expandable.pop("history")
    body["_expandable"] = expandable
    slug = quote_plus(row["title"])
    web = (
        f"/spaces/{key}/pages/{cid}/{slug}"
        if row["type"] == "page"
        else f"/spaces/{key}/blog/{row['created'][:10].replace('-', '/')}/{cid}/{slug}"
    )
    body["_links"] = {
        "self": f"{base}{API[5:]}/content/{cid}",
        "tinyui": f"/x/{cid[-6:]}",
        "editui": f"/pages/resumedraft.action?draftId={cid}",
        "webui": web,
    }
    return body

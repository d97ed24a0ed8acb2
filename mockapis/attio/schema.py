"""The workspace's static configuration: objects, lists, their attributes and select options."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = [
    "LISTS",
    "OBJECTS",
    "WORKSPACE_ID",
    "WORKSPACE_NAME",
    "WORKSPACE_SLUG",
    "Attribute",
    "ListDef",
    "ObjectDef",
    "find_list",
    "find_object",
    "stable_id",
]

WORKSPACE_ID = "5f1c2a3e-7b4d-4e8a-9c61-0d2f3b4a5c6e"
WORKSPACE_SLUG = "apibench"
WORKSPACE_NAME = "Apibench Demo"
CONFIG_CREATED_AT = "2022-06-01T09:00:00.000000000Z"
"""When the workspace's objects and attributes were configured (before any record)."""

_NAMESPACE = uuid.UUID("0b5e7c2a-3d41-4f6a-8e9b-1c2d3e4f5a6b")


@functools.cache
def stable_id(*parts: str) -> str:
    """A UUID that depends only on ``parts`` (object, attribute and option ids never change)."""
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


@dataclass(frozen=True)
class Attribute:
    """One attribute of an object or list, with everything writes and filters need to know."""

    slug: str
    title: str
    type: str
    parent: str
    parent_kind: str = "object"
    multi: bool = False
    unique: bool = False
    required: bool = False
    system: bool = False
    writable: bool = True
    options: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    currency: str | None = None
    option_values: Mapping[str, Mapping[str, Any]] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )

    @property
    def id(self) -> str:
        """The attribute's UUID."""
        return stable_id(self.parent_kind, self.parent, self.slug)

    def option(self, wanted: str) -> Mapping[str, Any] | None:
        """The select option or status whose title (case-insensitively) or id is ``wanted``."""
        found = self.option_values.get(wanted.casefold())
        if found is None:
            for value in self.option_values.values():
                key = "status_id" if self.type == "status" else "option_id"
                if value["id"][key] == wanted:
                    return value
        return found

    def render(self) -> dict[str, Any]:
        """The attribute as ``GET .../attributes`` returns it."""
        parent_id = stable_id(self.parent_kind, self.parent)
        # Attio keys a list's attributes by "object_id" too (the id of the object or list).
        return {
            "id": {"workspace_id": WORKSPACE_ID, "object_id": parent_id, "attribute_id": self.id},
            "title": self.title,
            "description": None,
            "api_slug": self.slug,
            "type": self.type,
            "is_system_attribute": self.system,
            "is_writable": self.writable,
            "is_required": self.required,
            "is_unique": self.unique,
            "is_multiselect": self.multi,
            "is_default_value_enabled": False,
            "is_archived": False,
            "default_value": None,
            "relationship": None,
            "created_at": CONFIG_CREATED_AT,
            "config": {
                "currency": {
                    "default_currency_code": self.currency,
                    "display_type": "symbol" if self.currency else None,
                },
                "record_reference": {
                    "allowed_object_ids": (
                        [stable_id("object", t) for t in self.targets] if self.targets else None
                    )
                },
            },
        }


def _attr(parent: str, slug: str, title: str, type_: str, **kw: Any) -> Attribute:
    kind = kw.get("parent_kind", "object")
    options: tuple[str, ...] = kw.get("options", ())
    base = Attribute(slug, title, type_, parent, **kw)
    values: dict[str, Mapping[str, Any]] = {}
    for title_ in options:
        values[title_.casefold()] = MappingProxyType(_option_value(base, kind, title_))
    return Attribute(slug, title, type_, parent, option_values=MappingProxyType(values), **kw)


def _option_value(attribute: Attribute, kind: str, title: str) -> dict[str, Any]:
    # "object_id" is the list's id for a list attribute's options, as Attio sends it.
    ids = {
        "workspace_id": WORKSPACE_ID,
        "object_id": stable_id(kind, attribute.parent),
        "attribute_id": attribute.id,
    }
    if attribute.type == "status":
        ids["status_id"] = stable_id(kind, attribute.parent, attribute.slug, title)
        return {
            "id": ids,
            "title": title,
            "is_archived": False,
            "celebration_enabled": title == "Won",
            "target_time_in_status": None,
        }
    ids["option_id"] = stable_id(kind, attribute.parent, attribute.slug, title)
    return {"id": ids, "title": title, "is_archived": False}


def _system(parent: str, kind: str = "object") -> tuple[Attribute, ...]:
    id_slug = "record_id" if kind == "object" else "entry_id"
    id_title = "Record ID" if kind == "object" else "Entry ID"
    return (
        _attr(
            parent,
            id_slug,
            id_title,
            "text",
            parent_kind=kind,
            unique=True,
            system=True,
            writable=False,
        ),
        _attr(
            parent,
            "created_at",
            "Created at",
            "timestamp",
            parent_kind=kind,
            system=True,
            writable=False,
        ),
        _attr(
            parent,
            "created_by",
            "Created by",
            "actor-reference",
            parent_kind=kind,
            system=True,
            writable=False,
        ),
    )


EMPLOYEE_RANGES = (
    "1-10",
    "11-50",
    "51-250",
    "251-1K",
    "1K-5K",
    "5K-10K",
    "10K-50K",
    "50K-100K",
    "100K+",
)
ARR_RANGES = (
    "$0-$1M",
    "$1M-$10M",
    "$10M-$50M",
    "$50M-$100M",
    "$100M-$250M",
    "$250M-$500M",
    "$500M-$1B",
    "$1B-$10B",
    "$10B-$100B",
    "$100B+",
)
CATEGORIES = (
    "B2B",
    "B2C",
    "SaaS",
    "Enterprise",
    "E-commerce",
    "Fintech",
    "Healthcare",
    "Marketplace",
    "Hardware",
    "AI",
    "Logistics",
    "Education",
)
DEAL_STAGES = ("Lead", "In Progress", "Won", "Lost")
PIPELINE_STAGES = ("Prospecting", "Qualified", "Proposal", "Negotiation", "Won", "Lost")
PRIORITIES = ("High", "Medium", "Low")
RELATIONSHIPS = ("Champion", "Decision maker", "Influencer", "Blocker")


@dataclass(frozen=True)
class ObjectDef:
    """An object (people, companies, deals) and its attributes by slug."""

    slug: str
    singular: str
    plural: str
    url_noun: str
    attributes: Mapping[str, Attribute]

    @property
    def id(self) -> str:
        """The object's UUID."""
        return stable_id("object", self.slug)

    def render(self) -> dict[str, Any]:
        """The object as ``GET /v2/objects/{object}`` returns it."""
        return {
            "id": {"workspace_id": WORKSPACE_ID, "object_id": self.id},
            "api_slug": self.slug,
            "singular_noun": self.singular,
            "plural_noun": self.plural,
            "created_at": CONFIG_CREATED_AT,
        }


@dataclass(frozen=True)
class ListDef:
    """A list: records of one parent object, with attributes of its own on each entry."""

    slug: str
    name: str
    parent_object: str
    attributes: Mapping[str, Attribute]

    @property
    def id(self) -> str:
        """The list's UUID."""
        return stable_id("list", self.slug)


def _by_slug(*attributes: Attribute) -> Mapping[str, Attribute]:
    return MappingProxyType({a.slug: a for a in attributes})


_PEOPLE = _by_slug(
    *_system("people"),
    _attr("people", "name", "Name", "personal-name"),
    _attr("people", "email_addresses", "Email addresses", "email-address", multi=True, unique=True),
    _attr("people", "phone_numbers", "Phone numbers", "phone-number", multi=True),
    _attr("people", "job_title", "Job title", "text"),
    _attr("people", "company", "Company", "record-reference", targets=("companies",)),
    _attr("people", "description", "Description", "text"),
    _attr("people", "primary_location", "Primary location", "location"),
    _attr("people", "linkedin", "LinkedIn", "text"),
)
_COMPANIES = _by_slug(
    *_system("companies"),
    _attr("companies", "name", "Name", "text"),
    _attr("companies", "domains", "Domains", "domain", multi=True, unique=True),
    _attr("companies", "description", "Description", "text"),
    _attr("companies", "categories", "Categories", "select", multi=True, options=CATEGORIES),
    _attr("companies", "employee_range", "Employee range", "select", options=EMPLOYEE_RANGES),
    _attr("companies", "estimated_arr_usd", "Estimated ARR", "select", options=ARR_RANGES),
    _attr("companies", "funding_raised_usd", "Funding raised", "currency", currency="USD"),
    _attr("companies", "foundation_date", "Foundation date", "date"),
    _attr("companies", "primary_location", "Primary location", "location"),
    _attr("companies", "linkedin", "LinkedIn", "text"),
)
_DEALS = _by_slug(
    *_system("deals"),
    _attr("deals", "name", "Deal name", "text", required=True),
    _attr("deals", "stage", "Deal stage", "status", required=True, options=DEAL_STAGES),
    _attr("deals", "owner", "Deal owner", "actor-reference"),
    _attr("deals", "value", "Deal value", "currency", currency="USD"),
    _attr(
        "deals",
        "associated_company",
        "Associated company",
        "record-reference",
        targets=("companies",),
    ),
    _attr(
        "deals",
        "associated_people",
        "Associated people",
        "record-reference",
        multi=True,
        targets=("people",),
    ),
)

OBJECTS: Mapping[str, ObjectDef] = MappingProxyType(
    {
        "people": ObjectDef("people", "Person", "People", "person", _PEOPLE),
        "companies": ObjectDef("companies", "Company", "Companies", "company", _COMPANIES),
        "deals": ObjectDef("deals", "Deal", "Deals", "deal", _DEALS),
    }
)
"""The standard objects, by api_slug."""

LISTS: Mapping[str, ListDef] = MappingProxyType(
    {
        "sales_pipeline": ListDef(
            "sales_pipeline",
            "Sales pipeline",
            "companies",
            _by_slug(
                *_system("sales_pipeline", "list"),
                _attr(
                    "sales_pipeline",
                    "stage",
                    "Stage",
                    "status",
                    parent_kind="list",
                    options=PIPELINE_STAGES,
                ),
                _attr(
                    "sales_pipeline",
                    "priority",
                    "Priority",
                    "select",
                    parent_kind="list",
                    options=PRIORITIES,
                ),
                _attr(
                    "sales_pipeline",
                    "expected_value",
                    "Expected value",
                    "currency",
                    parent_kind="list",
                    currency="USD",
                ),
            ),
        ),
        "key_contacts": ListDef(
            "key_contacts",
            "Key contacts",
            "people",
            _by_slug(
                *_system("key_contacts", "list"),
                _attr(
                    "key_contacts",
                    "relationship",
                    "Relationship",
                    "select",
                    parent_kind="list",
                    options=RELATIONSHIPS,
                ),
                _attr(
                    "key_contacts", "last_contacted", "Last contacted", "date", parent_kind="list"
                ),
            ),
        ),
    }
)
"""The workspace's lists, by api_slug."""

_OBJECTS_BY_ID = MappingProxyType({o.id: o for o in OBJECTS.values()})
_LISTS_BY_ID = MappingProxyType({lst.id: lst for lst in LISTS.values()})


def find_object(identifier: str) -> ObjectDef | None:
    """The object whose api_slug or UUID is ``identifier``."""
    return OBJECTS.get(identifier) or _OBJECTS_BY_ID.get(identifier)


def find_list(identifier: str) -> ListDef | None:
    """The list whose api_slug or UUID is ``identifier``."""
    return LISTS.get(identifier) or _LISTS_BY_ID.get(identifier)

"""The CRM object types, their properties and the association types between them."""

from __future__ import annotations

from dataclasses import dataclass

from mockapis.kit.errors import ApiError

__all__ = [
    "ASSOCIATION_TYPES",
    "OBJECTS",
    "ObjectType",
    "association_type",
    "find_object",
    "object_of",
]


@dataclass(frozen=True)
class ObjectType:
    """One CRM object type (``contacts``) and its properties (name -> type)."""

    name: str
    singular: str
    properties: dict[str, str]
    defaults: tuple[str, ...]
    modified: str
    """The last-modified property (``lastmodifieddate`` or ``hs_lastmodifieddate``)."""

    @property
    def read_scope(self) -> str:
        """The scope reading these objects needs."""
        return f"crm.objects.{self.name}.read"

    @property
    def write_scope(self) -> str:
        """The scope writing these objects needs."""
        return f"crm.objects.{self.name}.write"

    @property
    def type_id(self) -> str:
        """HubSpot's object type id (``0-1``), as v4 association results name the type."""
        return next(key for key, name in _ALIASES.items() if name == self.name and key[0] == "0")

    @property
    def label(self) -> str:
        """HubSpot's upper-case name of the type in messages (``CONTACT``)."""
        return self.singular.upper()


_COMMON = {
    "createdate": "datetime",
    "hs_object_id": "number",
    "hs_created_by_user_id": "number",
    "hs_updated_by_user_id": "number",
}

OBJECTS: dict[str, ObjectType] = {
    "contacts": ObjectType(
        "contacts",
        "contact",
        {
            **_COMMON,
            "lastmodifieddate": "datetime",
            "email": "string",
            "firstname": "string",
            "lastname": "string",
            "phone": "string",
            "company": "string",
            "jobtitle": "string",
            "city": "string",
            "country": "string",
            "lifecyclestage": "enumeration",
            "hs_lead_status": "enumeration",
        },
        ("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"),
        "lastmodifieddate",
    ),
    "companies": ObjectType(
        "companies",
        "company",
        {
            **_COMMON,
            "hs_lastmodifieddate": "datetime",
            "name": "string",
            "domain": "string",
            "industry": "enumeration",
            "city": "string",
            "country": "string",
            "numberofemployees": "number",
            "annualrevenue": "number",
            "lifecyclestage": "enumeration",
        },
        ("createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"),
        "hs_lastmodifieddate",
    ),
    "deals": ObjectType(
        "deals",
        "deal",
        {
            **_COMMON,
            "hs_lastmodifieddate": "datetime",
            "dealname": "string",
            "amount": "number",
            "dealstage": "enumeration",
            "pipeline": "enumeration",
            "closedate": "datetime",
        },
        (
            "amount",
            "closedate",
            "createdate",
            "dealname",
            "dealstage",
            "hs_lastmodifieddate",
            "hs_object_id",
            "pipeline",
        ),
        "hs_lastmodifieddate",
    ),
}
"""Object types by their path name; ``0-1``/``0-2``/``0-3`` and singular names also work."""

_ALIASES = {
    "0-1": "contacts",
    "contact": "contacts",
    "0-2": "companies",
    "company": "companies",
    "0-3": "deals",
    "deal": "deals",
}

ASSOCIATION_TYPES: dict[tuple[str, str], tuple[int, int, str]] = {
    ("contacts", "companies"): (279, 1, "contact_to_company"),
    ("companies", "contacts"): (280, 2, "company_to_contact"),
    ("deals", "contacts"): (3, 3, "deal_to_contact"),
    ("contacts", "deals"): (4, 4, "contact_to_deal"),
    ("deals", "companies"): (341, 5, "deal_to_company"),
    ("companies", "deals"): (342, 6, "company_to_deal"),
}
"""(from, to) -> (default unlabeled typeId, primary typeId, v3 type name), HubSpot-defined."""


def find_object(name: str) -> ObjectType | None:
    """The object type called ``name`` (path name, singular, or ``0-N`` id)."""
    key = name.lower()
    return OBJECTS.get(_ALIASES.get(key, key))


def object_of(name: str) -> ObjectType:
    """The object type called ``name``, else HubSpot's 400 for an unknown type."""
    found = find_object(name)
    if found is None:
        raise ApiError(
            400,
            f"Unable to infer object type from: {name[:60]}. Object types: contacts, "
            "companies, deals.",
            extra={"category": "VALIDATION_ERROR"},
        )
    return found


def association_type(source: ObjectType, target: ObjectType) -> tuple[int, int, str]:
    """The HubSpot-defined association types from ``source`` to ``target``, else 400."""
    found = ASSOCIATION_TYPES.get((source.name, target.name))
    if found is None:
        raise ApiError(
            400,
            f"There are no association types between {source.name} and {target.name}.",
            extra={"category": "VALIDATION_ERROR"},
        )
    return found

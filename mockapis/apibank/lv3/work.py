"""Level-3 people and pay: organisations, travel status, salaries, tax, account details."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from mockapis.apibank.base import ApiBankError, Db, register
from mockapis.apibank.lv3.support import LookupApi, Lv3Api

__all__ = [
    "PERSONAL_INFO_DATABASE",
    "TAX_BRACKETS",
    "AccountInfo",
    "GetOccupationSalary",
    "OrganizationMembers",
    "PersonalInfoUpdate",
    "TaxCalculator",
    "TravelStatus",
]

PERSONAL_INFO_DATABASE = "Lv3PersonalInfo"
"""Where PersonalInfoUpdate records addresses (table ``apibank.Lv3PersonalInfo``)."""

TAX_BRACKETS: tuple[tuple[float, float], ...] = (
    (math.inf, 0.4),
    (5000.0, 0.3),
    (3000.0, 0.2),
    (1000.0, 0.1),
    (0.0, 0.0),
)
"""``(threshold, rate)``, highest first: the first threshold the salary reaches sets one flat
rate on the whole salary. Upstream's top bracket is ``inf``, which no salary reaches: 40% is
never applied and every salary from 5000 pays 30% (kept: the gold results encode it)."""


@register
class OrganizationMembers(LookupApi):
    """The members of an organisation (unknown ones: ``KeyError``'s text)."""

    name = "OrganizationMembers"
    key = ("organization",)


@register
class TravelStatus(LookupApi):
    """A member's travel status: a bare string output (not ``{"status": ...}`` as the spec's
    output parameters suggest; upstream's observable output, kept)."""

    name = "TravelStatus"
    key = ("member_name",)


@register
class GetOccupationSalary(LookupApi):
    """The salary of an occupation."""

    name = "GetOccupationSalary"
    key = ("occupation",)

    def missing(self, args: Mapping[str, Any]) -> ApiBankError:
        """Upstream's text for an unknown occupation."""
        return ApiBankError("The occupation is not in the database.")


@register
class TaxCalculator(Lv3Api):
    """The salary after tax, by :data:`TAX_BRACKETS`."""

    name = "TaxCalculator"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        """``{"salary_after_tax": float}``. A negative or non-finite salary is refused (a
        case upstream's own parameter check never lets through: it only takes digits)."""
        salary = float(args["salary"])
        if not math.isfinite(salary) or salary < 0:
            raise ApiBankError(f"The salary must be a non-negative number, got {salary}.")
        rate = next(rate for threshold, rate in TAX_BRACKETS if salary >= threshold)
        return {"salary_after_tax": salary - salary * rate}

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream's: same salary in, same salary after tax out, same exception."""
        return (
            response.get("api_name", self.name) == gold.get("api_name", self.name)
            and _field(response, "input", "salary") == _field(gold, "input", "salary")
            and _field(response, "output", "salary_after_tax")
            == _field(gold, "output", "salary_after_tax")
            and response.get("exception") == gold.get("exception")
        )


def _field(result: Mapping[str, Any], part: str, key: str) -> Any:
    """``result[part][key]``, or a sentinel no other value equals when absent."""
    inner = result.get(part)
    return inner.get(key, _ABSENT) if isinstance(inner, Mapping) else _ABSENT


_ABSENT = object()


@register
class AccountInfo(LookupApi):
    """A user's email and phone, given their username and password.

    The output is ``{"email", "phone"}``, not the spec's ``{"status", "account_info"}``
    (upstream's observable output, kept); it never shows an address PersonalInfoUpdate set
    (upstream's two classes hold separate copies of the accounts).
    """

    name = "AccountInfo"
    key = ("username", "password")

    def missing(self, args: Mapping[str, Any]) -> ApiBankError:
        """Upstream's text for unknown credentials."""
        return ApiBankError("User not found.")


@register
class PersonalInfoUpdate(Lv3Api):
    """Set a user's address, given their username and password (recorded per episode)."""

    name = "PersonalInfoUpdate"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        """``{"status": "success"}``; ``User not found.`` for unknown credentials."""
        credentials = (args["username"], args["password"])
        if credentials not in self.data().accounts:
            raise ApiBankError("User not found.")
        db.table(PERSONAL_INFO_DATABASE).put(str(args["username"]), {"address": args["address"]})
        return {"status": "success"}

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream's: same input and output (the exception is not compared)."""
        return (
            response.get("api_name", self.name) == gold.get("api_name", self.name)
            and response.get("input") == gold.get("input")
            and response.get("output") == gold.get("output")
        )

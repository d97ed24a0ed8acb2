"""The seeded HubSpot account: companies, contacts, deals, associations, apps and tokens."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from typing import Any

from faker import Faker

from mockapis.clock import NS_PER_SECOND
from mockapis.hubspot.records import associate, create_record, iso_ms
from mockapis.hubspot.schema import ASSOCIATION_TYPES, OBJECTS
from mockapis.hubspot.tokens import (
    ALL_SCOPES,
    CLIENTS,
    TOKENS,
    USERS,
    issue_access_token,
    issue_refresh_token,
)
from mockapis.service import resolve_sizes
from mockapis.world import World, derive_seed

__all__ = [
    "APP_SCOPES",
    "AUTHORIZE_URL",
    "DEFAULT_SIZES",
    "REDIRECT_URI",
    "TOKEN_URL",
    "seed",
]

DEFAULT_SIZES: Mapping[str, int] = {
    "contacts": 200,
    "companies": 60,
    "deals": 40,
    "private_app": 1,
    "user_grant": 1,
}
"""Counts of records; ``private_app`` (0 or 1): whether the agent gets a private-app token;
``user_grant`` (0 or 1): whether it gets a user's OAuth access and refresh token."""

AUTHORIZE_URL = "https://app.hubspot.com/oauth/authorize"
TOKEN_URL = "https://api.hubapi.com/oauth/v1/token"
REDIRECT_URI = "https://integrations.apibench.dev/hubspot/callback"
APP_SCOPES = (
    "oauth",
    "crm.objects.contacts.read",
    "crm.objects.contacts.write",
    "crm.objects.companies.read",
    "crm.objects.companies.write",
    "crm.objects.deals.read",
)
"""What the seeded OAuth app may ask for (not ``crm.objects.deals.write``)."""
CLIENT_DEFAULT_SCOPES = ("crm.objects.contacts.read",)
"""What a client-credentials request without ``scope`` gets."""
DAY_NS = 86_400 * NS_PER_SECOND
_INDUSTRIES = (
    "COMPUTER_SOFTWARE",
    "FINANCIAL_SERVICES",
    "HOSPITAL_HEALTH_CARE",
    "RETAIL",
    "MARKETING_AND_ADVERTISING",
    "LOGISTICS_AND_SUPPLY_CHAIN",
)
_STAGES = ("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "customer")
_DEAL_STAGES = (
    "appointmentscheduled",
    "qualifiedtobuy",
    "presentationscheduled",
    "contractsent",
    "closedwon",
    "closedlost",
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower()) or "x"


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with an account of the given sizes; the agent's credentials."""
    counts = resolve_sizes("hubspot", sizes, DEFAULT_SIZES)
    fake = Faker("en_US")
    epoch = world.clock.now_ns
    companies = _companies(world, fake, counts["companies"], epoch)
    contacts = _contacts(world, fake, counts["contacts"], companies, epoch)
    _deals(world, counts["deals"], companies, contacts, epoch)
    return _credentials(world, fake, counts)


def _rng(world: World, kind: str, i: int, fake: Faker) -> random.Random:
    value = derive_seed(world.seed, "hubspot", kind, i)
    fake.seed_instance(value)
    return random.Random(value)


def _stamp(rng: random.Random, epoch: int) -> int:
    ns = epoch - rng.randrange(2 * DAY_NS, 900 * DAY_NS)
    return ns - ns % 1_000_000


def _companies(world: World, fake: Faker, count: int, epoch: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    domains: set[str] = set()
    for i in range(count):
        rng = _rng(world, "company", i, fake)
        name = str(fake.company())
        domain = f"{_slug(name.split()[0])}{_slug(name.split()[-1])[:6]}.com"
        while domain in domains:
            domain = f"{rng.randint(2, 99)}{domain}"
        domains.add(domain)
        values = {
            "name": name,
            "domain": domain,
            "industry": rng.choice(_INDUSTRIES),
            "city": str(fake.city()),
            "country": "United States",
            "numberofemployees": str(rng.choice((8, 25, 60, 140, 400, 1200))),
            "annualrevenue": str(rng.randrange(200, 90_000) * 1000),
        }
        found.append(create_record(world, OBJECTS["companies"], values, at_ns=_stamp(rng, epoch)))
    return found


def _contacts(
    world: World, fake: Faker, count: int, companies: list[dict[str, Any]], epoch: int
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    contact_type = ASSOCIATION_TYPES[("contacts", "companies")][1]
    for i in range(count):
        rng = _rng(world, "contact", i, fake)
        first, last = str(fake.first_name()), str(fake.last_name())
        company = rng.choice(companies) if companies and rng.random() < 0.85 else None
        domain = (
            company["properties"]["domain"]
            if company
            else rng.choice(("gmail.com", "outlook.com", "yahoo.com"))
        )
        email = f"{_slug(first)}.{_slug(last)}{i}@{domain}"
        values = {
            "email": email,
            "firstname": first,
            "lastname": last,
            "jobtitle": str(fake.job()),
            "phone": f"+1 {rng.randint(201, 989)} 555 {rng.randint(1000, 9999)}",
            "city": str(fake.city()),
            "lifecyclestage": rng.choice(_STAGES),
        }
        if company is not None:
            values["company"] = company["properties"]["name"]
        row = create_record(world, OBJECTS["contacts"], values, at_ns=_stamp(rng, epoch))
        if company is not None:
            associate(
                world,
                OBJECTS["contacts"],
                row["id"],
                OBJECTS["companies"],
                company["id"],
                contact_type,
            )
        found.append(row)
    return found


def _deals(
    world: World,
    count: int,
    companies: list[dict[str, Any]],
    contacts: list[dict[str, Any]],
    epoch: int,
) -> None:
    fake = Faker("en_US")
    for i in range(count):
        rng = _rng(world, "deal", i, fake)
        company = rng.choice(companies) if companies else None
        label = company["properties"]["name"] if company else str(fake.bs()).title()
        values = {
            "dealname": f"{label} - {rng.choice(('Renewal', 'Expansion', 'New business'))}",
            "amount": str(rng.randrange(10, 500) * 100),
            "dealstage": rng.choice(_DEAL_STAGES),
            "pipeline": "default",
            "closedate": iso_ms(epoch + rng.randrange(-60, 120) * DAY_NS),
        }
        row = create_record(world, OBJECTS["deals"], values, at_ns=_stamp(rng, epoch))
        if company is not None:
            associate(
                world,
                OBJECTS["deals"],
                row["id"],
                OBJECTS["companies"],
                company["id"],
                ASSOCIATION_TYPES[("deals", "companies")][1],
            )
        if contacts:
            contact = rng.choice(contacts)
            associate(
                world,
                OBJECTS["deals"],
                row["id"],
                OBJECTS["contacts"],
                contact["id"],
                ASSOCIATION_TYPES[("deals", "contacts")][0],
            )


def _credentials(world: World, fake: Faker, counts: Mapping[str, int]) -> dict[str, str]:
    rng = _rng(world, "credentials", 0, fake)
    first, last = str(fake.first_name()), str(fake.last_name())
    username = f"{_slug(first)}.{_slug(last)}@apibench-demo.com"
    password = f"{_slug(last).capitalize()}-{rng.randint(1000, 9999)}-{rng.choice('!#%+')}"
    user_id = 7_000_000 + rng.randint(1, 999_999)
    world.table(USERS).put(
        username, {"username": username, "password": password, "user_id": user_id}
    )
    client_id = str(world.uuid4())
    client_secret = str(world.uuid4())
    world.table(CLIENTS).put(
        client_id,
        {
            "client_id": client_id,
            "client_secret": client_secret,
            "name": "Apibench Sync",
            "app_id": 3_000_000 + rng.randint(1, 999_999),
            "redirect_uris": [REDIRECT_URI],
            "scopes": list(APP_SCOPES),
            "default_scopes": list(CLIENT_DEFAULT_SCOPES),
            "grant_types": ["authorization_code", "refresh_token", "client_credentials"],
        },
    )
    credentials = {
        "type": "oauth2",
        "client_id": client_id,
        "client_secret": client_secret,
        "redirect_uri": REDIRECT_URI,
        "authorize_url": AUTHORIZE_URL,
        "token_url": TOKEN_URL,
        "username": username,
        "password": password,
        "app_scopes": " ".join(APP_SCOPES),
    }
    if counts["user_grant"]:
        family = str(world.uuid4())
        scopes = [s for s in APP_SCOPES]
        access = issue_access_token(
            world, client_id=client_id, user_id=user_id, scopes=scopes, family=family
        )
        refresh = issue_refresh_token(
            world, client_id=client_id, user_id=user_id, scopes=scopes, family=family
        )
        credentials |= {
            "type": "bearer",
            "token": access["token"],
            "access_token": access["token"],
            "refresh_token": refresh["token"],
        }
    if counts["private_app"]:
        token = f"pat-na1-{world.uuid4()}"
        world.table(TOKENS).put(
            token,
            {
                "token": token,
                "kind": "private_app",
                "scopes": [s for s in ALL_SCOPES if s != "oauth"],
                "client_id": None,
                "user_id": None,
                "family": "private-app",
                "issued_at_ns": world.clock.now_ns - 30 * DAY_NS,
                "expires_at_ns": None,
                "revoked": False,
            },
        )
        credentials |= {"type": "bearer", "token": token}
    return credentials

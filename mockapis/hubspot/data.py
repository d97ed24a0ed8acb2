"""The seeded HubSpot account: companies, contacts, deals, associations, apps and tokens.

The app, its user and the tokens are eager and drawn as before from the world (its RNG makes
the client id, secret and tokens, as the OAuth server makes later ones). The CRM records are
lazy sources (:meth:`World.lazy`): companies and contacts are drawn column by column
(:mod:`mockapis.hubspot.seeded`), deals in one pass of :class:`~mockapis.seeding.RowDraws`;
each record is rendered with :func:`~mockapis.hubspot.records.record_row`, the write path's
own shape, when first read. Record ids run from :data:`~mockapis.hubspot.records.FIRST_ID`:
companies, then contacts, then deals; the world's id counter is set past them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from mockapis import seeding
from mockapis.clock import NS_PER_SECOND
from mockapis.hubspot.records import (
    ASSOCIATIONS,
    EMAILS,
    FIRST_ID,
    ID_COUNTER,
    association_row,
    inverse_type,
    iso_ms,
    link_key,
    record_row,
)
from mockapis.hubspot.schema import ASSOCIATION_TYPES, OBJECTS
from mockapis.hubspot.seeded import (
    COMPANIES,
    CONTACTS,
    Company,
    Contact,
    build_companies,
    build_contacts,
    slug,
    stamps,
)
from mockapis.hubspot.tokens import (
    ALL_SCOPES,
    CLIENTS,
    TOKENS,
    USERS,
    issue_access_token,
    issue_refresh_token,
)
from mockapis.pools import pool
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Record, index_key
from mockapis.world import World

__all__ = [
    "APP_SCOPES",
    "AUTHORIZE_URL",
    "DEFAULT_SIZES",
    "REDIRECT_URI",
    "TOKEN_URL",
    "Company",
    "Contact",
    "Deal",
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
DEALS = "hubspot.deals"
_DEAL_STAGES = (
    "appointmentscheduled",
    "qualifiedtobuy",
    "presentationscheduled",
    "contractsent",
    "closedwon",
    "closedlost",
)
_DEAL_KINDS = ("Renewal", "Expansion", "New business")


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with an account of the given sizes; the agent's credentials."""
    counts = resolve_sizes("hubspot", sizes, DEFAULT_SIZES)
    base = (world.seed, world.clock.now_ns)
    companies = world.lazy(COMPANIES, build_companies, *base, counts["companies"])
    contacts = world.lazy(
        (CONTACTS, EMAILS), build_contacts, *base, counts["contacts"], deps=(companies,)
    )
    deals = world.lazy(DEALS, _deals, *base, counts["deals"], deps=(companies, contacts))
    world.lazy(ASSOCIATIONS, _associations, deps=(contacts, deals))
    # Records the agent creates get the ids after the seeded ones, from the same counter.
    seeded = counts["companies"] + counts["contacts"] + counts["deals"]
    if seeded:
        world.next_id(ID_COUNTER, seeded)
    return _credentials(world, counts)


# -- deals and associations ------------------------------------------------------------------


class Deal(NamedTuple):
    """A deal's index entry: the records it is associated with."""

    id: str
    company_id: str | None
    contact_id: str | None


class _DealDraws(NamedTuple):
    """A deals table's drawn columns that only rendering needs."""

    kinds: list[str]
    amounts: list[int]
    stages: list[str]
    closes: list[int]
    stamps: list[int]
    epoch: int


def _deal(cols: _DealDraws, i: int, entry: Deal, label: str) -> Record:
    values = {
        "dealname": f"{label} - {cols.kinds[i]}",
        "amount": str(cols.amounts[i] * 100),
        "dealstage": cols.stages[i],
        "pipeline": "default",
        "closedate": iso_ms(cols.epoch + cols.closes[i] * DAY_NS),
    }
    return record_row(OBJECTS["deals"], entry.id, values, cols.stamps[i])


def _deals(
    seed_value: int, epoch: int, n: int, companies: BuiltTables, contacts: BuiltTables
) -> BuiltTables:
    """Deals, each of a company (named after it) and with one of the contacts."""
    d = seeding.RowDraws(n, 8, seed_value, "hubspot", "deals")
    firms: list[Company] = list(companies[index_key(COMPANIES)].values())
    people: list[Contact] = list(contacts[index_key(CONTACTS)].values())
    cols = _DealDraws(
        kinds=d.pick(0, _DEAL_KINDS),
        amounts=d.ints(1, 10, 499),
        stages=d.pick(2, _DEAL_STAGES),
        closes=d.ints(3, -60, 119),
        stamps=stamps(d, 4, epoch),
        epoch=epoch,
    )
    buyers = d.pick(5, firms) if firms else [None] * n
    with_ = d.pick(6, people) if people else [None] * n
    labels = d.pick(7, pool("bs"))
    first_id = FIRST_ID + len(firms) + len(people)
    rows: dict[str, LazyRow] = {}
    index: dict[str, Deal] = {}
    for i in range(n):
        company, contact = buyers[i], with_[i]
        entry = Deal(
            str(first_id + i), company.id if company else None, contact.id if contact else None
        )
        label = company.name if company else labels[i].title()
        rows[entry.id] = LazyRow(_deal, cols, i, entry, label)
        index[entry.id] = entry
    return {DEALS: rows, index_key(DEALS): index}


def _associations(contacts: BuiltTables, deals: BuiltTables) -> BuiltTables:
    """Both directions of each link: contact to company (primary), deal to company
    (primary), deal to contact (unlabeled)."""
    links: list[tuple[str, str, str, str, int]] = []
    for person in contacts[index_key(CONTACTS)].values():
        if person.company_id is not None:
            links.append(("contacts", person.id, "companies", person.company_id, _TO_COMPANY))
    for deal in deals[index_key(DEALS)].values():
        if deal.company_id is not None:
            links.append(("deals", deal.id, "companies", deal.company_id, _DEAL_TO_COMPANY))
        if deal.contact_id is not None:
            links.append(("deals", deal.id, "contacts", deal.contact_id, _DEAL_TO_CONTACT))
    rows: dict[str, Record] = {}
    for src, src_id, dst, dst_id, type_id in links:
        rows[link_key(src, src_id, dst, dst_id)] = association_row(
            src, src_id, dst, dst_id, [type_id]
        )
        rows[link_key(dst, dst_id, src, src_id)] = association_row(
            dst, dst_id, src, src_id, [inverse_type(type_id)]
        )
    return {ASSOCIATIONS: rows}


_TO_COMPANY = ASSOCIATION_TYPES[("contacts", "companies")][1]
_DEAL_TO_COMPANY = ASSOCIATION_TYPES[("deals", "companies")][1]
_DEAL_TO_CONTACT = ASSOCIATION_TYPES[("deals", "contacts")][0]


# -- the app, its user, tokens (eager) -------------------------------------------------------


def _credentials(world: World, counts: Mapping[str, int]) -> dict[str, str]:
    rng = seeding.stream(world.seed, "hubspot", "credentials")
    first, last = seeding.pick(rng, "first_name"), seeding.pick(rng, "last_name")
    username = f"{slug(first)}.{slug(last)}@apibench-demo.com"
    password = f"{slug(last).capitalize()}-{rng.randint(1000, 9999)}-{rng.choice('!#%+')}"
    user_id = 7_000_000 + rng.randint(1, 999_999)
    world.table(USERS).put(
        username, {"username": username, "password": password, "user_id": user_id}
    )
    # world.uuid4()'s ids and RNG draws (seeding.uuid4 formats without uuid.UUID).
    client_id = seeding.uuid4(world.rng)
    client_secret = seeding.uuid4(world.rng)
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
        family = seeding.uuid4(world.rng)
        scopes = list(APP_SCOPES)
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
        token = f"pat-na1-{seeding.uuid4(world.rng)}"
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

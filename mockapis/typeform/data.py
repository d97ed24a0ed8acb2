"""The seeded Typeform account: workspaces, forms (definitions) and their responses.

Tables:

- ``typeform.workspaces``: id -> ``{"id", "name", "default", "shared", "account_id"}``
  (``forms.count`` and the hrefs are computed when served).
- ``typeform.forms``: id -> the form definition (``id``, ``type``, ``title``, ``created_at``,
  ``last_updated_at``, ``settings``, ``welcome_screens``, ``thankyou_screens``, ``fields``)
  plus ``workspace_id`` (served as the ``workspace.href``).
- ``typeform.responses``: token -> ``{"form_id", "item"}``, ``item`` being the response as
  ``/forms/{form_id}/responses`` lists it (``landing_id`` = ``token`` = ``response_id``).
- ``typeform._tokens``: the personal access token -> ``{"token", "account_id"}``.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Mapping
from typing import Any

from faker import Faker

from mockapis.service import resolve_sizes
from mockapis.typeform import catalog
from mockapis.typeform.access import TOKENS
from mockapis.world import Record, World, derive_seed

__all__ = ["BIG_FORM_RESPONSES", "DEFAULT_SIZES", "FORMS", "RESPONSES", "WORKSPACES", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"workspaces": 14, "forms": 32, "responses": 2600}
WORKSPACES = "typeform.workspaces"
FORMS = "typeform.forms"
RESPONSES = "typeform.responses"
BIG_FORM_RESPONSES = (1100, 1400)
"""The busiest form's share of the responses: more than one page of the largest size (1000)."""

_ALNUM = string.ascii_letters + string.digits
_DAY = 86_400


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with an account's workspaces, forms and responses; returns the bearer
    personal access token."""
    sizes = resolve_sizes("typeform", sizes, DEFAULT_SIZES)
    rng = random.Random(derive_seed(world.seed, "typeform"))
    fake = Faker("en_US")
    fake.seed_instance(derive_seed(world.seed, "typeform", "people"))
    people = [(fake.name(), fake.email()) for _ in range(200)]
    epoch = world.clock.now_ns // 1_000_000_000
    account = _uid(rng, 8).lower()
    token = "tfp_" + "".join(rng.choice(_ALNUM) for _ in range(44)) + "_" + _uid(rng, 14)
    world.table(TOKENS).put(token, {"token": token, "account_id": account})
    spaces = _workspaces(world, rng, account, sizes["workspaces"])
    forms = _forms(world, rng, spaces, sizes["forms"], epoch)
    _responses(world, rng, forms, sizes["responses"], epoch, people)
    return {"type": "bearer", "token": token}


def _uid(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(_ALNUM) for _ in range(length))


def iso(seconds: int) -> str:
    """Typeform's timestamps: UTC to the second with a ``Z``."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _workspaces(world: World, rng: random.Random, account: str, count: int) -> list[str]:
    names = ["My workspace", *rng.sample(catalog.WORKSPACE_NAMES, len(catalog.WORKSPACE_NAMES))]
    ids: list[str] = []
    for i in range(count):
        name = names[i] if i < len(names) else f"{rng.choice(catalog.WORKSPACE_NAMES)} {i}"
        wid = _uid(rng, 6)
        row = {
            "id": wid,
            "name": name,
            "default": i == 0,
            "shared": i > 0 and rng.random() < 0.4,
            "account_id": account,
        }
        world.table(WORKSPACES).put(wid, row)
        ids.append(wid)
    return ids


def _forms(
    world: World, rng: random.Random, spaces: list[str], count: int, epoch: int
) -> list[Record]:
    if not spaces:
        return []
    weights = [rng.uniform(0.2, 3.0) for _ in spaces]
    weights[-1] = 0.0 if len(spaces) > 2 else weights[-1]  # one workspace stays empty
    taken: set[str] = set()
    forms: list[Record] = []
    for i in range(count):
        title = catalog.FORM_TITLES[i % len(catalog.FORM_TITLES)]
        if title in taken:
            title = f"{title} #{i // len(catalog.FORM_TITLES) + 1}"
        taken.add(title)
        created = epoch - rng.randint(400 * _DAY, 900 * _DAY)
        form: Record = {
            "id": _uid(rng, 8),
            "type": "quiz" if rng.random() < 0.15 else "form",
            "title": title,
            "workspace_id": rng.choices(spaces, weights=weights)[0],
            "created_at": iso(created),
            "last_updated_at": iso(created + rng.randint(_DAY, 300 * _DAY)),
            "settings": {
                "is_public": rng.random() < 0.85,
                "is_trial": False,
                "language": "en",
                "progress_bar": "proportion",
                "show_progress_bar": True,
            },
            "welcome_screens": [],
            "thankyou_screens": [
                {
                    "id": "DefaultTyScreen",
                    "ref": "default_tys",
                    "title": "Thanks for completing this typeform",
                    "type": "thankyou_screen",
                }
            ],
            "fields": _fields(rng),
        }
        world.table(FORMS).put(form["id"], form)
        forms.append(form)
    return forms


def _fields(rng: random.Random) -> list[Record]:
    choice_qs = [q for q in catalog.QUESTIONS if q.type == "multiple_choice" and not q.multiple]
    first = rng.choice(choice_qs)
    others = rng.sample([q for q in catalog.QUESTIONS if q != first], rng.randint(2, 5))
    fields: list[Record] = []
    for q in [first, *others]:
        field: Record = {
            "id": _uid(rng, 12),
            "title": q.title,
            "ref": "".join(rng.choice("0123456789abcdef") for _ in range(8)) + "-" + q.type,
            "type": q.type,
            "properties": {},
            "validations": {"required": q is first or rng.random() < 0.3},
        }
        if q.choices:
            field["properties"] = {
                "randomize": False,
                "allow_multiple_selection": q.multiple,
                "allow_other_choice": False,
                "choices": [
                    {"id": _uid(rng, 12), "ref": _uid(rng, 8).lower(), "label": c}
                    for c in q.choices
                ],
            }
        elif q.type in ("opinion_scale", "rating"):
            field["properties"] = {
                "steps": 11 if q.type == "opinion_scale" else 5,
                "start_at_one": q.type == "rating",
            }
        fields.append(field)
    return fields


def _responses(
    world: World,
    rng: random.Random,
    forms: list[Record],
    count: int,
    epoch: int,
    people: list[tuple[str, str]],
) -> None:
    if not forms:
        return
    low, high = BIG_FORM_RESPONSES
    big = min(count, rng.randint(low, high)) if count > high else count // 2
    shares = [0] * len(forms)
    shares[0] = big
    weights = [0.0] + [rng.choice((0.0, 0.5, 1.0, 2.0, 4.0)) for _ in forms[1:]]
    if len(forms) > 1 and sum(weights) == 0:
        weights[1] = 1.0
    for _ in range(count - big):
        if len(forms) > 1:
            shares[rng.choices(range(len(forms)), weights=weights)[0]] += 1
        else:
            shares[0] += 1
    table = world.table(RESPONSES)
    for form, share in zip(forms, shares, strict=True):
        created = int(dt.datetime.fromisoformat(form["created_at"]).timestamp())
        moments = rng.sample(range(created + _DAY, epoch - 3600), share)
        for submitted in sorted(moments):
            token = "".join(rng.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(32))
            item = _response(rng, form, token, submitted, rng.choice(people))
            table.put(token, {"form_id": form["id"], "item": item})


def _response(
    rng: random.Random, form: Record, token: str, submitted: int, person: tuple[str, str]
) -> Record:
    answers = [
        _answer(rng, field, person)
        for field in form["fields"]
        if field["validations"]["required"] or rng.random() < 0.8
    ]
    return {
        "landing_id": token,
        "token": token,
        "response_id": token,
        "response_type": "completed",
        "landed_at": iso(submitted - rng.randint(30, 900)),
        "submitted_at": iso(submitted),
        "metadata": {
            "user_agent": rng.choice(_AGENTS),
            "platform": rng.choice(("other", "mobile", "tablet")),
            "referer": f"https://apibench.typeform.com/to/{form['id']}",
            "network_id": "".join(rng.choice("0123456789abcdef") for _ in range(10)),
            "browser": rng.choice(("default", "touch")),
        },
        "hidden": {},
        "calculated": {"score": 0},
        "answers": answers,
    }


_AGENTS = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
)


def _answer(rng: random.Random, field: Record, person: tuple[str, str]) -> Record:
    ref = {"id": field["id"], "type": field["type"], "ref": field["ref"]}
    kind = field["type"]
    value: Any
    if kind == "multiple_choice":
        choices = field["properties"]["choices"]
        if field["properties"]["allow_multiple_selection"]:
            picked = sorted(rng.sample(range(len(choices)), rng.randint(1, 3)))
            value = {
                "ids": [choices[i]["id"] for i in picked],
                "labels": [choices[i]["label"] for i in picked],
                "refs": [choices[i]["ref"] for i in picked],
            }
            return {"field": ref, "type": "choices", "choices": value}
        weights = [len(choices) - i + 1 for i in range(len(choices))]
        pick = rng.choices(choices, weights=weights)[0]
        value = {"id": pick["id"], "label": pick["label"], "ref": pick["ref"]}
        return {"field": ref, "type": "choice", "choice": value}
    if kind == "dropdown":
        label = rng.choice(field["properties"]["choices"])["label"]
        return {"field": ref, "type": "text", "text": label}
    if kind in ("opinion_scale", "rating"):
        top = field["properties"]["steps"]
        number = rng.randint(1, top) if kind == "rating" else rng.randint(0, top - 1)
        return {"field": ref, "type": "number", "number": number}
    if kind == "number":
        return {"field": ref, "type": "number", "number": rng.randint(1, 250)}
    if kind == "yes_no":
        return {"field": ref, "type": "boolean", "boolean": rng.random() < 0.7}
    if kind == "email":
        return {"field": ref, "type": "email", "email": person[1]}
    if kind == "date":
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 1800))
        return {"field": ref, "type": "date", "date": day.isoformat()}
    if kind == "short_text":
        return {"field": ref, "type": "text", "text": person[0]}
    text = rng.choice(
        (
            "Faster load times.",
            "More templates, please.",
            "Nothing, it's great!",
            "Better mobile layout.",
            "Cheaper plans for teams.",
            "Dark mode.",
        )
    )
    return {"field": ref, "type": "text", "text": text}

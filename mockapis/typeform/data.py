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

Two lazy sources (:meth:`World.lazy`): the account (workspaces and forms, whose index
:class:`Form` says how many responses each form has) and the responses, drawn column by
column (:class:`mockapis.seeding.RowDraws`) and rendered when read; the responses' index
:class:`Response` holds each response's form, time and first answer.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Mapping, Sequence
from itertools import repeat
from typing import Any, NamedTuple

import numpy as np

from mockapis import seeding
from mockapis.pools import pool
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Record, index_key, plain
from mockapis.typeform import catalog
from mockapis.typeform.access import TOKENS
from mockapis.world import World, derive_seed

__all__ = [
    "BIG_FORM_RESPONSES",
    "DEFAULT_SIZES",
    "FORMS",
    "RESPONSES",
    "WORKSPACES",
    "Form",
    "Response",
    "iso",
    "seed",
]

DEFAULT_SIZES: Mapping[str, int] = {"workspaces": 14, "forms": 32, "responses": 2600}
WORKSPACES = "typeform.workspaces"
FORMS = "typeform.forms"
RESPONSES = "typeform.responses"
BIG_FORM_RESPONSES = (1100, 1400)
"""The busiest form's share of the responses: more than one page of the largest size (1000)."""
MEDIUM_FORM_RESPONSES = (40, 300)
"""The second form's share: more than the default page (25), less than the largest (1000)."""

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_TOKEN_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz"
_DAY = 86_400
_PEOPLE = 200
_MAIL = ("gmail.com", "yahoo.com", "hotmail.com", "example.com", "example.org", "example.net")
_SINGLE = [
    k for k, q in enumerate(catalog.QUESTIONS) if q.type == "multiple_choice" and not q.multiple
]
_WEIGHTS = (0.0, 0.5, 1.0, 2.0, 4.0)


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with an account's workspaces, forms and responses; returns the bearer
    personal access token."""
    sizes = resolve_sizes("typeform", sizes, DEFAULT_SIZES)
    rng = seeding.stream(world.seed, "typeform", "token")
    account = _account(world.seed)
    token = "tfp_" + "".join(rng.choices(_ALNUM, k=44)) + "_" + "".join(rng.choices(_ALNUM, k=14))
    world.table(TOKENS).put(token, {"token": token, "account_id": account})
    epoch = world.epoch_ns // 1_000_000_000
    forms = world.lazy(
        (WORKSPACES, FORMS),
        _account_tables,
        world.seed,
        epoch,
        sizes["workspaces"],
        sizes["forms"],
        sizes["responses"],
    )
    world.lazy(RESPONSES, _responses, world.seed, epoch, deps=(forms,))
    return {"type": "bearer", "token": token}


def _account(seed_value: int) -> str:
    rng = seeding.stream(seed_value, "typeform", "account")
    return "".join(rng.choices(_ALNUM, k=8)).lower()


def _uid(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(_ALNUM, k=length))


def iso(seconds: int) -> str:
    """Typeform's timestamps: UTC to the second with a ``Z``."""
    # isoformat of a naive UTC datetime: the same text as strftime, in half the time.
    return (_EPOCH + dt.timedelta(seconds=seconds)).isoformat() + "Z"


_EPOCH = dt.datetime(1970, 1, 1)


# -- workspaces and forms (a few dozen rows; forms rendered when read) -----------------------


class Form(NamedTuple):
    """A form's index entry."""

    id: str
    title: str
    workspace_id: str
    created: int
    """Unix seconds."""
    responses: int
    """How many responses the form has (its share of the seeded responses)."""
    first_choices: int
    """How many choices its first question (always a single-choice one) has."""


def _account_tables(
    seed_value: int, epoch: int, n_spaces: int, n_forms: int, n_responses: int
) -> BuiltTables:
    rng = seeding.stream(seed_value, "typeform", "account-tables")
    account = _account(seed_value)
    names = ["My workspace", *rng.sample(catalog.WORKSPACE_NAMES, len(catalog.WORKSPACE_NAMES))]
    workspaces: dict[str, Record] = {}
    for i in range(n_spaces):
        name = names[i] if i < len(names) else f"{rng.choice(catalog.WORKSPACE_NAMES)} {i}"
        wid = _uid(rng, 6)
        while wid in workspaces:
            wid = _uid(rng, 6)
        workspaces[wid] = {
            "id": wid,
            "name": name,
            "default": i == 0,
            "shared": i > 0 and rng.random() < 0.4,
            "account_id": account,
        }
    spaces = list(workspaces)
    if not spaces:
        return {WORKSPACES: {}, FORMS: {}, index_key(FORMS): {}}
    weights = [rng.uniform(0.2, 3.0) for _ in spaces]
    weights[-1] = 0.0 if len(spaces) > 2 else weights[-1]  # one workspace stays empty
    cum = list(itertools.accumulate(weights))
    shares = _shares(rng, seed_value, n_forms, n_responses)
    text_seed = derive_seed(seed_value, "typeform", "forms", "text")
    rows: dict[str, LazyRow] = {}
    index: dict[str, Form] = {}
    for i in range(n_forms):
        title = catalog.FORM_TITLES[i % len(catalog.FORM_TITLES)]
        if i >= len(catalog.FORM_TITLES):
            title = f"{title} #{i // len(catalog.FORM_TITLES) + 1}"
        form_id = _uid(rng, 8)
        while form_id in rows:
            form_id = _uid(rng, 8)
        created = epoch - rng.randint(400 * _DAY, 900 * _DAY)
        first = _SINGLE[int(rng.random() * len(_SINGLE))]
        entry = Form(
            form_id,
            title,
            spaces[seeding.choose_weighted(rng, range(len(spaces)), cum)],
            created,
            shares[i],
            len(catalog.QUESTIONS[first].choices),
        )
        rows[form_id] = LazyRow(_form, text_seed, i, entry, first)
        index[form_id] = entry
    return {WORKSPACES: workspaces, FORMS: rows, index_key(FORMS): index}


def _shares(rng: random.Random, seed_value: int, n_forms: int, count: int) -> list[int]:
    """Each form's number of responses: the first form more than the largest page (1000),
    the second a few pages of the default size, the others by a random weight each (some
    none at all)."""
    shares = [0] * n_forms
    if not n_forms:
        return shares
    low, high = BIG_FORM_RESPONSES
    shares[0] = min(count, rng.randint(low, high)) if count > high else count // 2
    if n_forms > 1:
        shares[1] = min(count - shares[0], rng.randint(*MEDIUM_FORM_RESPONSES))
    rest = count - sum(shares)
    if n_forms <= 2:
        shares[-1] += rest
        return shares
    weights = [rng.choice(_WEIGHTS) for _ in range(n_forms - 2)]
    if not any(weights):
        weights = [1.0] * len(weights)
    d = seeding.RowDraws(rest, 1, seed_value, "typeform", "shares")
    picks = d.weighted(0, range(len(weights)), list(itertools.accumulate(weights)))
    for k, n in enumerate(np.bincount(np.asarray(picks, dtype=np.intp), minlength=len(weights))):
        shares[k + 2] = int(n)
    return shares


_THANKS = {
    "id": "DefaultTyScreen",
    "ref": "default_tys",
    "title": "Thanks for completing this typeform",
    "type": "thankyou_screen",
}


def _form(text_seed: int, i: int, entry: Form, first: int) -> Record:
    rng = seeding.stream(text_seed, i)  # the form's own stream (a variable structure)
    others = [q for k, q in enumerate(catalog.QUESTIONS) if k != first]
    questions = [catalog.QUESTIONS[first], *rng.sample(others, rng.randint(2, 5))]
    return {
        "id": entry.id,
        "type": "quiz" if rng.random() < 0.15 else "form",
        "title": entry.title,
        "language": "en",
        "workspace_id": entry.workspace_id,
        "created_at": iso(entry.created),
        "last_updated_at": iso(entry.created + rng.randint(_DAY, 300 * _DAY)),
        "settings": {
            "is_public": rng.random() < 0.85,
            "is_trial": False,
            "language": "en",
            "progress_bar": "proportion",
            "show_progress_bar": True,
        },
        "hidden": [],
        "variables": {"score": 0},
        "welcome_screens": [],
        "thankyou_screens": [dict(_THANKS)],
        "fields": [_field(rng, q, k == 0) for k, q in enumerate(questions)],
    }


def _field(rng: random.Random, q: catalog.Question, first: bool) -> Record:
    field: Record = {
        "id": _uid(rng, 12),
        "title": q.title,
        "ref": seeding.hex_id(rng, 8) + "-" + q.type,
        "type": q.type,
        "properties": {},
        "validations": {"required": first or rng.random() < 0.3},
    }
    if q.choices:
        field["properties"] = {
            "randomize": False,
            "allow_multiple_selection": q.multiple,
            "allow_other_choice": False,
            "choices": [
                {"id": _uid(rng, 12), "ref": _uid(rng, 8).lower(), "label": c} for c in q.choices
            ],
        }
    elif q.type in ("opinion_scale", "rating"):
        field["properties"] = {
            "steps": 11 if q.type == "opinion_scale" else 5,
            "start_at_one": q.type == "rating",
        }
    return field


# -- responses (lazy rows) -------------------------------------------------------------------


class Response(NamedTuple):
    """A response's index entry."""

    token: str
    form_id: str
    submitted: int
    """Unix seconds."""
    choice: int
    """Which choice (by position) it picked for the form's first question (always answered)."""


class _ResponseDraws(NamedTuple):
    """What every response renders with: the forms and the respondents."""

    text_seed: int
    forms: Mapping[str, Any]
    """Form id -> its row (a :class:`LazyRow` until some reader renders it)."""
    people: Sequence[tuple[str, str]]
    """Name and email of each of the account's respondents (some answer several times)."""


def _tokens(d: seeding.RowDraws, col: int) -> list[str]:
    """32 base-36 characters per row, from columns ``col`` to ``col + 2`` (11 + 11 + 10)."""
    digits = np.empty((d.n, 32), dtype=np.uint8)
    table = np.frombuffer(_TOKEN_CHARS.encode(), dtype=np.uint8)
    at = 0
    for k, count in enumerate((11, 11, 10)):
        words = np.asarray(d.words(col + k), dtype=np.uint64)
        for _ in range(count):
            digits[:, at] = table[(words % np.uint64(36)).astype(np.intp)]
            words //= np.uint64(36)
            at += 1
    return [b.decode() for b in digits.view("S32").ravel().tolist()]


def _responses(seed_value: int, epoch: int, account: BuiltTables) -> BuiltTables:
    forms: Mapping[str, Form] = account[index_key(FORMS)]
    n = sum(f.responses for f in forms.values())
    d = seeding.RowDraws(n, 6, seed_value, "typeform", "responses")
    tokens = _tokens(d, 0)
    if len(set(tokens)) < n:  # 165 random bits: never seen, but a token names one response
        raise ValueError("typeform: two responses drew the same token")
    when, picks = d.floats(3), d.floats(4)
    people_draws = seeding.RowDraws(_PEOPLE, 3, seed_value, "typeform", "people")
    firsts, lasts = (
        people_draws.pick(0, pool("first_name")),
        people_draws.pick(1, pool("last_name")),
    )
    people = [
        (f"{first} {last}", f"{first}.{last}@{mail}".lower().replace("'", ""))
        for first, last, mail in zip(firsts, lasts, people_draws.pick(2, _MAIL), strict=True)
    ]
    cols = _ResponseDraws(
        derive_seed(seed_value, "typeform", "responses", "text"), account[FORMS], people
    )
    entries: list[Response] = []
    at = 0
    for form in forms.values():
        share = form.responses
        if not share:
            continue
        low, high = form.created + _DAY, epoch - 3600
        moments = sorted(low + int(f * (high - low)) for f in when[at : at + share])
        moments = _distinct(moments)  # one response a second per form, as a sample would
        k = form.first_choices
        # The first choices are the likelier: weights k + 1, k, ..., 2.
        cum = list(itertools.accumulate(k - i + 1 for i in range(k)))
        choices = [bisect.bisect(cum, f * cum[-1]) for f in picks[at : at + share]]
        entries += map(Response, tokens[at : at + share], repeat(form.id), moments, choices)
        at += share
    rows = dict(
        zip(tokens, map(LazyRow, repeat(_response), repeat(cols), range(n), entries), strict=True)
    )
    return {RESPONSES: rows, index_key(RESPONSES): dict(zip(tokens, entries, strict=True))}


def _distinct(moments: list[int]) -> list[int]:
    """Sorted ``moments`` with each repeat moved one second past the one before it."""
    for i in range(1, len(moments)):
        if moments[i] <= moments[i - 1]:
            moments[i] = moments[i - 1] + 1
    return moments


_AGENTS = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
)


def _response(cols: _ResponseDraws, i: int, entry: Response) -> Record:
    rng = seeding.stream(cols.text_seed, i)  # the row's own stream (a variable structure)
    form = plain(cols.forms[entry.form_id])
    person = cols.people[int(rng.random() * len(cols.people))]
    fields = form["fields"]
    answers = [_choice(fields[0], entry.choice)]
    answers += [
        _answer(rng, field, person)
        for field in fields[1:]
        if field["validations"]["required"] or rng.random() < 0.8
    ]
    token = entry.token
    item = {
        "landing_id": token,
        "token": token,
        "response_id": token,
        "response_type": "completed",
        "landed_at": iso(entry.submitted - rng.randint(30, 900)),
        "submitted_at": iso(entry.submitted),
        "metadata": {
            "user_agent": rng.choice(_AGENTS),
            "platform": rng.choice(("other", "mobile", "tablet")),
            "referer": f"https://apibench.typeform.com/to/{form['id']}",
            "network_id": seeding.hex_id(rng, 10),
            "browser": rng.choice(("default", "touch")),
        },
        "hidden": {},
        "calculated": {"score": 0},
        "answers": answers,
    }
    return {"form_id": entry.form_id, "item": item}


def _ref(field: Record) -> dict[str, Any]:
    return {"id": field["id"], "type": field["type"], "ref": field["ref"]}


def _choice(field: Record, picked: int) -> Record:
    """The answer to a single-choice question: its ``picked``-th choice."""
    pick = field["properties"]["choices"][picked]
    value = {"id": pick["id"], "label": pick["label"], "ref": pick["ref"]}
    return {"field": _ref(field), "type": "choice", "choice": value}


_OPEN_TEXTS = (
    "Faster load times.",
    "More templates, please.",
    "Nothing, it's great!",
    "Better mobile layout.",
    "Cheaper plans for teams.",
    "Dark mode.",
)


def _answer(rng: random.Random, field: Record, person: tuple[str, str]) -> Record:
    ref = _ref(field)
    kind = field["type"]
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
        k = len(choices)
        return _choice(field, rng.choices(range(k), weights=[k - i + 1 for i in range(k)])[0])
    if kind == "dropdown":
        return {
            "field": ref,
            "type": "text",
            "text": rng.choice(field["properties"]["choices"])["label"],
        }
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
    return {"field": ref, "type": "text", "text": rng.choice(_OPEN_TEXTS)}

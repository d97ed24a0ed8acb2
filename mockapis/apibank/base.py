"""The API-Bank framework: what an API is, its registry, parameter checking and dispatch.

An API-Bank API is a subclass of :class:`Api` registered with :func:`register`. It declares its
``name`` (the catalogue's class name), the ``suites`` it belongs to (level-1/2 ``apis/``, level-3
``lv3_apis/``), the init database it works on (``database``), and implements
:meth:`Api.call` (``db``, typed ``args`` -> output, raising :class:`ApiBankError` with
API-Bank's exception text) and, where upstream has its own, :meth:`Api.check`.

State: each init database the APIs write to is the table ``apibank.<Database>`` (rows
``{"key": <the upstream dict key, str or int>, "value": <its value>}``, table key
:func:`row_key`); read-only databases are served from the imported files (see ``home``).
APIs read and write through :class:`Db`, which buffers writes and applies them only when the
call succeeds: an API exception never leaves a half-applied write, as in a request.

Which suite an episode uses is its level (:func:`level_of`): 1 or 2 use ``apis/`` (53 APIs),
3 uses ``lv3_apis/`` (the level-3-only APIs plus Calculator and ToolSearcher). Two names exist in
both suites with different behaviour (AddMeeting, QueryMeeting): :data:`APIS` maps the
level-1/2 ones, :data:`LV3_APIS` the level-3 ones.

:func:`execute` runs one call as the HTTP endpoints do (parameter checking as API-Bank's
``ToolManager.api_call``, the result shape ``{"api_name", "input", "output", "exception"}``, and
optionally the call log ``apibank._calls``); :func:`replay` applies one call to a world without
logging it (truth functions rebuild a dialogue's earlier state with it).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypedDict, TypeVar

from mockapis.apibank.callsyntax import CallSyntaxError, parse_literal
from mockapis.apibank.home import NotImported
from mockapis.tables import Record
from mockapis.world import World

__all__ = [
    "APIS",
    "CALLS_TABLE",
    "LV3",
    "LV3_APIS",
    "LV12",
    "SETTINGS_TABLE",
    "Api",
    "ApiBankError",
    "Db",
    "DbTable",
    "Result",
    "UnknownApi",
    "check_result",
    "coerce_args",
    "execute",
    "level_of",
    "register",
    "registry",
    "replay",
    "row_key",
    "set_level",
    "suite_for_level",
]

LV12 = "apis"
"""The level-1/2 suite (upstream ``apis/``)."""
LV3 = "lv3_apis"
"""The level-3 suite (upstream ``lv3_apis/``)."""

CALLS_TABLE = "apibank._calls"
"""Every call made over HTTP: ``"<seq:06d>"`` -> ``{seq, api_name, input, output, exception}``."""
SETTINGS_TABLE = "apibank._settings"
"""Episode settings: ``"episode"`` -> ``{"level": 1|2|3}``."""

_A = TypeVar("_A", bound="Api")


class Result(TypedDict):
    """API-Bank's result of one call."""

    api_name: str
    input: Any
    output: Any
    exception: str | None


class ApiBankError(Exception):
    """An exception an API raises; its text is API-Bank's ``exception`` field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownApi(ApiBankError):
    """No API of that name in the episode's suite (API-Bank: ``invalid tool name.``)."""

    def __init__(self, name: str) -> None:
        super().__init__("invalid tool name.")
        self.name = name


# -- episode level --------------------------------------------------------------------------


def suite_for_level(level: int) -> str:
    """The suite of a level: ``apis`` for 1 and 2, ``lv3_apis`` for 3."""
    return LV3 if level == 3 else LV12


def level_of(world: World) -> int:
    """The episode's API-Bank level (1 when never set)."""
    row = world.table(SETTINGS_TABLE).get("episode")
    return int(row["level"]) if row else 1


def set_level(world: World, level: int) -> None:
    """Make the episode a level-``level`` one (1, 2 or 3): it selects the suite of APIs."""
    if level not in (1, 2, 3):
        raise ValueError(f"API-Bank levels are 1, 2 and 3; got {level!r}")
    world.table(SETTINGS_TABLE).put("episode", {"level": level})


# -- databases ------------------------------------------------------------------------------


def row_key(key: str | int) -> str:
    """The table key of an upstream dict key: a str as is, an int as ``"<n>:int"`` (upstream
    dicts mix ``"1"`` from JSON with ``1`` from ``len(db) + 1``; they are different keys)."""
    return key if isinstance(key, str) else f"{key}:int"


class DbTable:
    """A buffered view of one database as upstream's dict: keys are str or int, values JSON.

    Reads see the buffered writes; :meth:`Db.apply` writes them to the world in order.
    Values handed out are shared with the world: never mutate them; build new ones.
    """

    def __init__(self, db: Db, name: str) -> None:
        self.db = db
        self.name = name
        self.table_name = f"apibank.{name}"
        self._pending: dict[str, Record | None] = {}

    def _row(self, key: str | int) -> Record | None:
        tk = row_key(key)
        if tk in self._pending:
            return self._pending[tk]
        return self.db.world.table(self.table_name).get(tk)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str | int) and self._row(key) is not None

    def get(self, key: str | int, default: Any = None) -> Any:
        """The value under ``key``, else ``default``."""
        row = self._row(key)
        return default if row is None else row["value"]

    def __getitem__(self, key: str | int) -> Any:
        row = self._row(key)
        if row is None:
            raise KeyError(key)
        return row["value"]

    def put(self, key: str | int, value: Any) -> None:
        """Set ``key`` to ``value`` (applied when the call succeeds)."""
        tk = row_key(key)
        self._pending[tk] = {"key": key, "value": value}
        self.db._ops.append((self.table_name, tk, self._pending[tk]))

    __setitem__ = put

    def delete(self, key: str | int) -> None:
        """Remove ``key`` (``KeyError`` if absent, as ``del d[key]``)."""
        if self._row(key) is None:
            raise KeyError(key)
        tk = row_key(key)
        self._pending[tk] = None
        self.db._ops.append((self.table_name, tk, None))

    __delitem__ = delete

    def items(self) -> Iterator[tuple[str | int, Any]]:
        """``(key, value)`` pairs in upstream's dict order (buffered writes included)."""
        rows = self.db.world.table(self.table_name)
        for tk, row in rows.items():
            cur: Record | None = self._pending.get(tk, row)
            if cur is not None:
                yield cur["key"], cur["value"]
        for tk, pending in self._pending.items():
            if tk not in rows and pending is not None:
                yield pending["key"], pending["value"]

    def keys(self) -> list[str | int]:
        """The keys, in order."""
        return [k for k, _ in self.items()]

    def values(self) -> list[Any]:
        """The values, in order."""
        return [v for _, v in self.items()]

    def __iter__(self) -> Iterator[str | int]:
        return iter(self.keys())

    def __len__(self) -> int:
        return sum(1 for _ in self.items())


@dataclass
class Db:
    """What an API sees of the world: its databases (buffered), the RNG, the clock, the level."""

    world: World
    _tables: dict[str, DbTable] = field(default_factory=dict)
    _ops: list[tuple[str, str, Record | None]] = field(default_factory=list)

    def table(self, database: str) -> DbTable:
        """The database ``database`` (``"Account"``, ``"Agenda"``...) as a dict-like view."""
        found = self._tables.get(database)
        if found is None:
            found = self._tables[database] = DbTable(self, database)
        return found

    @property
    def rng(self) -> random.Random:
        """The episode RNG (new tokens, codes, ids)."""
        return self.world.rng

    @property
    def level(self) -> int:
        """The episode's level (1, 2 or 3)."""
        return level_of(self.world)

    def check_token(self, token: Any) -> str:
        """The username owning ``token`` (upstream's CheckToken), else ``ApiBankError``."""
        for username, account in self.table("Account").items():
            if isinstance(account, Mapping) and account.get("token") == token:
                return str(username)
        raise ApiBankError("The token is invalid.")

    def apply(self) -> None:
        """Write the buffered changes to the world, in order."""
        for table_name, tk, row in self._ops:
            table = self.world.table(table_name)
            if row is None:
                if tk in table:
                    table.delete(tk)
            else:
                table.put(tk, row)
        self._ops.clear()
        self._tables.clear()


# -- APIs and the registry ------------------------------------------------------------------


class Api:
    """One API-Bank API. Subclass, set the class attributes, implement :meth:`call`."""

    name: ClassVar[str]
    """The API's name (upstream class name, the catalogue's ``name``)."""
    suites: ClassVar[tuple[str, ...]] = (LV12,)
    """The suites it belongs to (:data:`LV12`, :data:`LV3`)."""
    database: ClassVar[str | None] = None
    """The init database it reads or writes (``"Agenda"``), if any."""
    defaults: ClassVar[Mapping[str, Any]] = {}
    """Parameters with a default in upstream's ``call`` signature (may be left out)."""

    def __init__(self, suite: str = LV12) -> None:
        self.suite = suite

    @property
    def spec(self) -> dict[str, Any]:
        """The catalogue spec as API-Bank shows it: name, description, input and output
        parameters (``description_2023_04`` when the catalogue has it, else ``description``)."""
        from mockapis.apibank import home

        entry = home.catalog_entry(self.name, self.suite)
        return {
            "name": self.name,
            "description": entry.get("description_2023_04") or entry.get("description", ""),
            "input_parameters": entry.get("input_parameters", {}),
            "output_parameters": entry.get("output_parameters", {}),
        }

    @property
    def input_parameters(self) -> Mapping[str, Mapping[str, Any]]:
        """The declared parameters, in order: name -> ``{"type", "description"}``."""
        params: Mapping[str, Mapping[str, Any]] = self.spec["input_parameters"]
        return params

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        """The output for typed ``args`` (declared parameters, defaults filled in); raise
        :class:`ApiBankError` with API-Bank's text when the API raises. Writes go through
        ``db`` (applied only on success)."""
        raise NotImplementedError

    def input_of(self, args: Mapping[str, Any]) -> Any:
        """The ``input`` field of the result: upstream builds it from its ``call`` signature,
        i.e. the declared parameters in order, defaults filled in."""
        return {k: args[k] for k in self.input_parameters if k in args}

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Whether ``response`` is a correct call given ``gold`` (upstream's
        ``check_api_call_correctness``; this default: same API, input, output and exception)."""
        return (
            response.get("api_name", self.name) == gold.get("api_name", self.name)
            and response.get("input") == gold.get("input")
            and response.get("output") == gold.get("output")
            and response.get("exception") == gold.get("exception")
        )


APIS: dict[str, Api] = {}
"""The level-1/2 APIs (upstream ``apis/``) by name."""
LV3_APIS: dict[str, Api] = {}
"""The level-3 APIs (upstream ``lv3_apis/``) by name."""


def register(cls: type[_A]) -> type[_A]:
    """Class decorator: add an instance of ``cls`` to the registry of each of its suites."""
    for suite in cls.suites:
        target = LV3_APIS if suite == LV3 else APIS
        if cls.name in target:
            raise ValueError(f"API-Bank API {cls.name} registered twice in {suite}")
        target[cls.name] = cls(suite)
    return cls


def registry(level: int) -> dict[str, Api]:
    """The APIs of a level's suite, by name (the modules defining them are imported)."""
    from mockapis.apibank import apis as _loaded  # noqa: F401 (registers every API)

    return LV3_APIS if level == 3 else APIS


# -- parameter checking (API-Bank's ToolManager.api_call) -----------------------------------


def _coerce(name: str, value: Any, kind: str) -> Any:
    """One parameter as ``ToolManager.api_call`` converts it (strings from the call syntax;
    JSON values already of the declared type are taken as they are)."""
    if kind == "str":
        if isinstance(value, str):
            return value
        if isinstance(value, bool) or value is None or isinstance(value, dict | list):
            raise ApiBankError(f"invalid parameter type. parameter: {value}")
        return value  # numbers pass through, as upstream passes whatever the parser gave
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.isdigit() and value.isascii():
            return int(value)
        raise ApiBankError(f"invalid parameter type. parameter: {value}")
    if kind == "float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str) and value.replace(".", "", 1).isdigit() and value.isascii():
            return float(value)
        raise ApiBankError("invalid parameter type.")
    if kind in ("list", "list(str)"):
        if isinstance(value, list):
            return value
        if isinstance(value, str):
            try:
                return json.loads(value.replace("'", '"'))
            except json.JSONDecodeError as exc:
                # API-Bank swaps quotes and reads JSON, which breaks on apostrophes
                # ("['O'Brien']"); read it as the call syntax does before giving up.
                try:
                    parsed = parse_literal(value)
                except CallSyntaxError:
                    raise ApiBankError(str(exc)) from None
                if isinstance(parsed, list):
                    return parsed
                raise ApiBankError(str(exc)) from None
        raise ApiBankError(f"invalid parameter type. parameter: {value}")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        return value == "True"
    raise ApiBankError("invalid parameter type.")


def _missing_message(api: Api, missing: list[str]) -> str:
    names = [f"'{m}'" for m in missing]
    if len(names) == 1:
        listed = names[0]
    elif len(names) == 2:
        listed = f"{names[0]} and {names[1]}"
    else:
        listed = ", ".join(names[:-1]) + f", and {names[-1]}"
    plural = "argument" if len(missing) == 1 else "arguments"
    return f"{api.name}.call() missing {len(missing)} required positional {plural}: {listed}"


def coerce_args(api: Api, args: Mapping[str, Any]) -> dict[str, Any]:
    """Typed arguments for ``api`` (declared order, defaults filled in), or ``ApiBankError``
    with API-Bank's messages: an undeclared name, a value not of the declared type, a
    missing parameter (Python's ``TypeError`` text for ``call()``)."""
    declared = api.input_parameters
    typed: dict[str, Any] = {}
    for key, value in args.items():
        if key not in declared:
            raise ApiBankError(f"invalid parameter name. parameter: {key}")
        typed[key] = _coerce(key, value, str(declared[key].get("type", "str")))
    missing = [k for k in declared if k not in typed and k not in api.defaults]
    if missing:
        raise ApiBankError(_missing_message(api, missing))
    ordered = {
        k: typed[k] if k in typed else api.defaults[k]
        for k in declared
        if k in typed or k in api.defaults
    }
    return ordered


# -- dispatch -------------------------------------------------------------------------------


def _log(world: World, result: Result) -> None:
    seq = world.next_id("apibank.calls")
    world.table(CALLS_TABLE).put(f"{seq:06d}", {"seq": seq, **result})


def execute(world: World, name: str, args: Mapping[str, Any], *, log: bool = True) -> Result:
    """Run one call in ``world``: the result (exception set when it failed), its writes
    applied only on success, and (``log``) the call appended to ``apibank._calls``.

    Raises nothing for API-level failures: an unknown name gives ``exception`` "invalid tool
    name." (check with ``isinstance`` on :func:`registry`'s mapping for a 404).
    """
    api = registry(level_of(world)).get(name)
    result: Result
    if api is None:
        result = {
            "api_name": name,
            "input": dict(args),
            "output": None,
            "exception": UnknownApi(name).message,
        }
    else:
        db = Db(world)
        try:
            typed = coerce_args(api, args)
        except ApiBankError as exc:
            result = {
                "api_name": name,
                "input": dict(args),
                "output": None,
                "exception": exc.message,
            }
        else:
            try:
                output = api.call(db, dict(typed))
            except NotImported:
                raise
            except ApiBankError as exc:
                result = {
                    "api_name": name,
                    "input": api.input_of(typed),
                    "output": None,
                    "exception": exc.message,
                }
            except Exception as exc:
                result = {
                    "api_name": name,
                    "input": api.input_of(typed),
                    "output": None,
                    "exception": str(exc),
                }
            else:
                db.apply()
                result = {
                    "api_name": name,
                    "input": api.input_of(typed),
                    "output": output,
                    "exception": None,
                }
    if log:
        _log(world, result)
    return result


def check_result(api: Api, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    """``api.check`` with upstream's evaluator around it: a check that fails on the shape of
    either result (a missing key, a None where text was expected) scores the call incorrect."""
    try:
        return bool(api.check(response, gold))
    except Exception:
        return False


def replay(world: World, name: str, args: Mapping[str, Any]) -> Result:
    """Apply one call to ``world`` as the service would, without logging it (truth functions
    rebuild a dialogue's earlier state with the gold calls; tests compare with gold)."""
    return execute(world, name, args, log=False)

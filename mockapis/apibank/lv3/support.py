"""What the level-3 APIs share: the level-3 suite base class and upstream's exception texts.

Upstream's level-3 APIs catch every exception of their body and return ``str(exc)`` as the
``exception`` field, so a missing dictionary key reads ``'Bob'`` (a ``KeyError``'s text), a
bad date reads ``time data ... does not match format ...`` and a method on a non-string
(the call syntax lets numbers through ``str`` parameters) reads ``'int' object has no
attribute 'strip'``. These helpers raise :class:`ApiBankError` with those same texts.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Hashable, Mapping
from typing import Any, ClassVar

from mockapis.apibank.base import LV3, Api, ApiBankError, Db
from mockapis.apibank.lv3.fixtures import Lv3Data, lv3_data

__all__ = ["LookupApi", "Lv3Api", "key_error", "parse_time", "text_of"]


def key_error(key: Hashable) -> ApiBankError:
    """Upstream's text for a key its table lacks (``str(KeyError(key))``, i.e. its repr)."""
    return ApiBankError(str(KeyError(key)))


def parse_time(value: Any, pattern: str) -> datetime.datetime:
    """``datetime.strptime(value, pattern)``, its error text as the API's exception."""
    try:
        return datetime.datetime.strptime(value, pattern)
    except (TypeError, ValueError) as exc:
        raise ApiBankError(str(exc)) from None


def text_of(value: Any, method: str) -> str:
    """``value`` when it is a string; else the ``AttributeError`` text upstream gets when it
    calls ``value.<method>()`` (numbers reach ``str`` parameters through the call syntax)."""
    if not isinstance(value, str):
        raise ApiBankError(f"'{type(value).__name__}' object has no attribute '{method}'")
    return value


class Lv3Api(Api):
    """An API of the level-3 suite (upstream ``lv3_apis/``)."""

    suites: ClassVar[tuple[str, ...]] = (LV3,)

    @staticmethod
    def data() -> Lv3Data:
        """The level-3 tables (see :mod:`mockapis.apibank.lv3.fixtures`)."""
        return lv3_data()


class LookupApi(Lv3Api):
    """A level-3 API that answers from one table keyed by some of its inputs."""

    key: ClassVar[tuple[str, ...]]
    """The input parameters forming the key, in order."""

    def missing(self, args: Mapping[str, Any]) -> ApiBankError:
        """The exception for a key the table lacks (default: upstream's ``KeyError`` text)."""
        return key_error(args[self.key[0]] if len(self.key) == 1 else self.key_of(args))

    def key_of(self, args: Mapping[str, Any]) -> tuple[Hashable, ...]:
        """The lookup key of ``args``."""
        return tuple(args[p] for p in self.key)

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        """The table's output for the key (a copy: callers may keep it)."""
        try:
            found = self.data().lookup(self.name, *self.key_of(args))
        except (KeyError, TypeError):
            raise self.missing(args) from None
        return copy.deepcopy(found)

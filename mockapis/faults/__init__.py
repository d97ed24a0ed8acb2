"""Fault injection: declarative rules (what, where, when) applied around services.

``load_rules(arg)`` validates rules from YAML or data; a :class:`FaultLayer` of them goes
into the :class:`~mockapis.gateway.Gateway`. See :mod:`mockapis.faults.kinds` for the kinds.
"""

from __future__ import annotations

from mockapis.faults.kinds import KINDS
from mockapis.faults.layer import FaultCall, FaultLayer
from mockapis.faults.model import Kind, Param, Reply, Rule, TransportFault, When, Where
from mockapis.faults.rules import FaultsArg, FaultSpecError, with_dose
from mockapis.faults.rules import load_rules as _load_rules

__all__ = [
    "KINDS",
    "FaultCall",
    "FaultLayer",
    "FaultSpecError",
    "FaultsArg",
    "Kind",
    "Param",
    "Reply",
    "Rule",
    "TransportFault",
    "When",
    "Where",
    "load_rules",
    "with_dose",
]


def load_rules(arg: FaultsArg) -> list[Rule]:
    """Validated rules from a YAML path, rule mappings or parsed rules (None: no rules)."""
    return _load_rules(arg, KINDS)

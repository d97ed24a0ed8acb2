"""Fault injection: declarative rules (what, where, when) applied around services.

``load_rules(arg)`` validates rules from YAML or data; a :class:`FaultLayer` of them goes
into the :class:`~mockapis.gateway.Gateway`. See :mod:`mockapis.faults.kinds` for the kinds.
"""

from __future__ import annotations

from pathlib import Path

from mockapis.faults.kinds import KINDS
from mockapis.faults.layer import FaultCall, FaultLayer
from mockapis.faults.model import Kind, Param, Reply, Rule, TransportFault, When, Where
from mockapis.faults.rules import FaultsArg, FaultSpecError, with_dose
from mockapis.faults.rules import load_rules as _load_rules
from mockapis.faults.targets import check_targets

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
    "check_targets",
    "load_rules",
    "with_dose",
]


def load_rules(arg: FaultsArg) -> list[Rule]:
    """Validated rules from a YAML path, rule mappings or parsed rules (None: no rules):
    their kinds and parameters, and targets that exist (:func:`check_targets`)."""
    rules = _load_rules(arg, KINDS)
    check_targets(rules, source=str(arg) if isinstance(arg, str | Path) else "faults")
    return rules

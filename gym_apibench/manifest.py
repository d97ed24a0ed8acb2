"""The run manifest (``run.json``): what defines the results in a run directory.

``apibench eval`` and ``apibench sweep`` write it next to ``results.jsonl`` before any episode
runs, and check it on every later run into the same directory. Two kinds of settings:

- What a result *means* must not change: the command (eval or sweep), the apibench and env
  versions, the fault rules file or fault profile (by the SHA-256 of its content), and the
  resolved settings of each agent (a model agent's model and endpoint, which may come from
  the environment rather than its spec). A run with any of them changed is refused with one
  line naming each difference: resuming would label old results with new settings.
- The grid may grow: more agents, scenarios, seeds, attempts or doses run only the new
  episodes and keep the old ones; the manifest then records the union.

A directory with results but no manifest (an older apibench, or a copied file) is refused
too: what its results were run with is unknown.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any

from gym_apibench import ENV_VERSION

__all__ = [
    "MANIFEST_FILE",
    "FaultsFile",
    "ManifestError",
    "RunManifest",
    "apibench_version",
    "claim_run",
    "grid_of",
    "read_manifest",
]

MANIFEST_FILE = "run.json"
"""The manifest's name in a run directory."""

FORMAT = 1
"""The manifest's own format version."""


class ManifestError(ValueError):
    """A run directory whose manifest is malformed, missing, or differs from this run's."""


def apibench_version() -> str:
    """The installed apibench's version (``"unknown"`` when run from a bare source tree)."""
    try:
        return metadata.version("apibench")
    except metadata.PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class FaultsFile:
    """A fault rules file or profile, by its path and the SHA-256 of its bytes."""

    file: str
    sha256: str

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> FaultsFile:
        """The file at ``path``, hashed now."""
        return cls(str(path), hashlib.sha256(Path(path).read_bytes()).hexdigest())

    def describe(self) -> str:
        """``faults.yaml (sha256 1a2b3c4d5e6f)``."""
        return f"{self.file} (sha256 {self.sha256[:12]})"


@dataclass(frozen=True)
class RunManifest:
    """The definition of a run directory's results (see the module).

    ``faults`` is eval's ``--faults`` file, ``fault_profile`` a sweep's profile; ``agents``
    maps each agent spec to its resolved settings (``{}`` for agents without options);
    ``doses`` is ``None`` outside a sweep.
    """

    command: str
    agents: dict[str, dict[str, Any]]
    scenarios: list[str]
    seeds: list[int]
    attempts: int
    faults: FaultsFile | None = None
    fault_profile: FaultsFile | None = None
    doses: list[float] | None = None
    apibench_version: str = field(default_factory=apibench_version)
    env_version: int = ENV_VERSION

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``run.json``."""
        files = {
            name: None if value is None else {"file": value.file, "sha256": value.sha256}
            for name, value in (("faults", self.faults), ("fault_profile", self.fault_profile))
        }
        return {
            "format": FORMAT,
            "command": self.command,
            "apibench_version": self.apibench_version,
            "env_version": self.env_version,
            **files,
            "agents": self.agents,
            "scenarios": self.scenarios,
            "seeds": self.seeds,
            "attempts": self.attempts,
            "doses": self.doses,
        }

    @classmethod
    def from_dict(cls, data: Any) -> RunManifest:
        """Parse ``run.json``'s object; ``ValueError`` naming the first thing wrong."""
        if not isinstance(data, dict):
            raise ValueError(f"expected a JSON object, got {type(data).__name__}")
        valid = set(cls(command="", agents={}, scenarios=[], seeds=[], attempts=1).to_dict())
        unknown = sorted(set(data) - valid)
        if unknown:
            raise ValueError(f"unknown keys {unknown}; valid: {sorted(valid)}")
        missing = sorted(valid - set(data))
        if missing:
            raise ValueError(f"missing keys {missing}")
        if data["format"] != FORMAT:
            raise ValueError(f"format {data['format']!r}, this apibench reads format {FORMAT}")
        agents = _typed(data, "agents", dict)
        if not all(isinstance(v, dict) for v in agents.values()):
            raise ValueError("agents: each agent's settings must be an object")
        doses = data["doses"]
        return cls(
            command=_typed(data, "command", str),
            apibench_version=_typed(data, "apibench_version", str),
            env_version=_typed(data, "env_version", int),
            faults=_faults_file(data, "faults"),
            fault_profile=_faults_file(data, "fault_profile"),
            agents=agents,
            scenarios=[str(s) for s in _typed(data, "scenarios", list)],
            seeds=[_int(s, "seeds") for s in _typed(data, "seeds", list)],
            attempts=_typed(data, "attempts", int),
            doses=None if doses is None else [float(d) for d in _typed(data, "doses", list)],
        )

    def changed(self, other: RunManifest) -> list[tuple[str, str, str]]:
        """Each setting in which ``other`` differs from this definition, as ``(setting,
        this one's, other's)`` texts; the grid (agents, scenarios, seeds, doses, attempts) is
        not a setting."""
        found: list[tuple[str, str, str]] = []
        for label, mine, theirs in (
            ("command", self.command, other.command),
            ("apibench version", self.apibench_version, other.apibench_version),
            ("env version", f"v{self.env_version}", f"v{other.env_version}"),
        ):
            if mine != theirs:
                found.append((label, str(mine), str(theirs)))
        for label, my_file, their_file in (
            ("faults", self.faults, other.faults),
            ("fault profile", self.fault_profile, other.fault_profile),
        ):
            if (my_file and my_file.sha256) != (their_file and their_file.sha256):
                found.append((label, _described(my_file), _described(their_file)))
        for agent in sorted(self.agents.keys() & other.agents.keys()):
            mine_set, theirs_set = self.agents[agent], other.agents[agent]
            for key in sorted(mine_set.keys() | theirs_set.keys()):
                if mine_set.get(key) != theirs_set.get(key):
                    found.append(
                        (
                            f"agent {agent!r} {key}",
                            repr(mine_set.get(key)),
                            repr(theirs_set.get(key)),
                        )
                    )
        return found

    def differences(self, now: RunManifest) -> list[str]:
        """What of this (the directory's) definition ``now`` changes, one phrase each;
        growing the grid is no difference."""
        return [f"{label} was {was}, now {new}" for label, was, new in self.changed(now)]

    def grown(self, now: RunManifest) -> RunManifest:
        """This definition with ``now``'s grid added (agents, scenarios, seeds, doses)."""
        return replace(
            self,
            agents={**self.agents, **now.agents},
            scenarios=sorted({*self.scenarios, *now.scenarios}),
            seeds=list(dict.fromkeys([*self.seeds, *now.seeds])),
            attempts=max(self.attempts, now.attempts),
            doses=None
            if self.doses is None and now.doses is None
            else sorted({*(self.doses or ()), *(now.doses or ())}),
        )


def _typed(data: Mapping[str, Any], key: str, kind: type) -> Any:
    value = data[key]
    # bool is an int to isinstance; no manifest field is a bool.
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ValueError(f"{key} must be a {kind.__name__}, got {value!r}")
    return value


def _int(value: Any, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{key}: {value!r} is not an integer")
    return value


def _faults_file(data: Mapping[str, Any], key: str) -> FaultsFile | None:
    value = data[key]
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"file", "sha256"}:
        raise ValueError(f"{key} must be null or an object with file and sha256, got {value!r}")
    return FaultsFile(str(value["file"]), str(value["sha256"]))


def read_manifest(out_dir: str | os.PathLike[str]) -> RunManifest | None:
    """The manifest of ``out_dir`` (``None`` if there is none); a malformed one is a
    :class:`ManifestError` in one line."""
    path = Path(out_dir) / MANIFEST_FILE
    if not path.exists():
        return None
    try:
        return RunManifest.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        reason = " ".join(str(exc).split())
        raise ManifestError(
            f"{path} is not a readable run manifest ({reason}); restore it, or use a new "
            "--out folder"
        ) from None


def claim_run(
    out_dir: str | os.PathLike[str], manifest: RunManifest, *, has_results: bool
) -> RunManifest:
    """Check that this run may write into ``out_dir`` and record its definition there.

    A directory without a manifest gets ``manifest`` (unless it ``has_results``: refused);
    one with a manifest must not differ in what its results mean (:meth:`differences`), and
    then records the grown grid. Returns the manifest written; refusals are a
    :class:`ManifestError` in one line, and leave the directory as it was.
    """
    out = Path(out_dir)
    old = read_manifest(out)
    if old is None:
        if has_results:
            raise ManifestError(
                f"{out} has results but no {MANIFEST_FILE} (written by apibench before 0.8.0, "
                "or copied there), so what they were run with is unknown; use a new --out folder"
            )
        current = manifest
    else:
        diffs = old.differences(manifest)
        if diffs:
            raise ManifestError(
                f"{out} holds results run with other settings ({'; '.join(diffs)}); resuming "
                "would mix them: use a new --out folder for these settings"
            )
        current = old.grown(manifest)
        if current == old:
            return old
    _write_json_atomic(out / MANIFEST_FILE, current.to_dict())
    return current


def _write_json_atomic(path: Path, payload: Any) -> None:
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temp, path)


def grid_of(jobs: Sequence[Any]) -> dict[str, Any]:
    """The grid a list of :class:`~gym_apibench.results.Job` covers, as manifest fields."""
    doses = sorted({job.dose for job in jobs if job.dose is not None})
    return {
        "scenarios": sorted({job.scenario for job in jobs}),
        "seeds": list(dict.fromkeys(job.seed for job in jobs)),
        "attempts": max((job.attempt for job in jobs), default=0) + 1,
        "doses": doses or None,
    }


def _described(value: FaultsFile | None) -> str:
    return value.describe() if value is not None else "none"

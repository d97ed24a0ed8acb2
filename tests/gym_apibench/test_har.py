"""Episode traces: HAR 1.2 files, valid against the HAR 1.2 required fields, with our extras."""

from __future__ import annotations

import copy
import json
import textwrap

import jsonschema
import pytest

import gym_apibench
from gym_apibench.har import MAX_BODY_CHARS, har_time, read_har, trace_path, truncated
from gym_apibench.harness import run_episode
from gym_apibench.scenarios import get_scenario

CLEAN = next(
    s for s in gym_apibench.scenario_ids() if s.startswith("attio.") and not get_scenario(s).faults
)

# The HAR 1.2 spec (http://www.softwareishard.com/blog/har-12-spec/) as a JSON schema: every
# object with the fields the spec marks required. Written here: no maintained HAR schema
# package is a dependency of the project.
_NV = {
    "type": "object",
    "required": ["name", "value"],
    "properties": {"name": {"type": "string"}, "value": {"type": "string"}},
}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$"}
HAR_12 = {
    "type": "object",
    "required": ["log"],
    "properties": {
        "log": {
            "type": "object",
            "required": ["version", "creator", "entries"],
            "properties": {
                "version": {"const": "1.2"},
                "creator": {
                    "type": "object",
                    "required": ["name", "version"],
                    "properties": {"name": {"type": "string"}, "version": {"type": "string"}},
                },
                "pages": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["startedDateTime", "id", "title", "pageTimings"],
                        "properties": {"startedDateTime": _DATE, "pageTimings": {"type": "object"}},
                    },
                },
                "entries": {"type": "array", "items": {"$ref": "#/$defs/entry"}},
            },
        }
    },
    "$defs": {
        "entry": {
            "type": "object",
            "required": ["startedDateTime", "time", "request", "response", "cache", "timings"],
            "properties": {
                "startedDateTime": _DATE,
                "time": {"type": "number", "minimum": 0},
                "cache": {"type": "object"},
                "timings": {
                    "type": "object",
                    "required": ["send", "wait", "receive"],
                    "properties": {
                        k: {"type": "number", "minimum": -1} for k in ("send", "wait", "receive")
                    },
                },
                "request": {
                    "type": "object",
                    "required": [
                        "method",
                        "url",
                        "httpVersion",
                        "cookies",
                        "headers",
                        "queryString",
                        "headersSize",
                        "bodySize",
                    ],
                    "properties": {
                        "method": {"type": "string"},
                        "url": {"type": "string", "pattern": "^https?://"},
                        "headers": {"type": "array", "items": _NV},
                        "queryString": {"type": "array", "items": _NV},
                        "cookies": {"type": "array"},
                        "headersSize": {"type": "integer"},
                        "bodySize": {"type": "integer"},
                        "postData": {
                            "type": "object",
                            "required": ["mimeType", "text"],
                            "properties": {
                                "mimeType": {"type": "string"},
                                "text": {"type": "string"},
                            },
                        },
                    },
                },
                "response": {
                    "type": "object",
                    "required": [
                        "status",
                        "statusText",
                        "httpVersion",
                        "cookies",
                        "headers",
                        "content",
                        "redirectURL",
                        "headersSize",
                        "bodySize",
                    ],
                    "properties": {
                        "status": {"type": "integer"},
                        "statusText": {"type": "string"},
                        "headers": {"type": "array", "items": _NV},
                        "content": {
                            "type": "object",
                            "required": ["size", "mimeType"],
                            "properties": {
                                "size": {"type": "integer"},
                                "mimeType": {"type": "string"},
                                "text": {"type": "string"},
                            },
                        },
                        "redirectURL": {"type": "string"},
                        "headersSize": {"type": "integer"},
                        "bodySize": {"type": "integer"},
                    },
                },
            },
        }
    },
}

AGENTS = '''
class Mixed:
    """One of each kind of step: GET with a query, POST with JSON, invalid, wait, submit."""

    name = "mixed"

    def reset(self, task, *, seed):
        self.base = task["services"]["attio"]
        self.auth = {"Authorization": "Bearer " + task["credentials"]["attio"]["token"]}
        self.plan = [
            {"method": "GET", "url": self.base + "/v2/objects?x=1&y=two", "headers": self.auth},
            {
                "method": "POST",
                "url": self.base + "/v2/objects/people/records/query",
                "headers": self.auth,
                "json": {"limit": 2},
            },
            {"method": "FETCH", "url": self.base + "/v2/objects"},
            {"wait": 1.5},
            {"method": "GET", "url": self.base + "/v2/objects", "headers": self.auth},
            {"submit": [1, 2]},
        ]

    def act(self, observation):
        return self.plan.pop(0)
'''


@pytest.fixture(scope="module")
def har(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agents")
    (folder / "har_agents.py").write_text(textwrap.dedent(AGENTS))
    import sys

    sys.path.insert(0, str(folder))
    try:
        rule = {"name": "cut", "kind": "connection_reset", "when": {"after": 2}}
        out = tmp_path_factory.mktemp("run")
        result = run_episode("har_agents:Mixed", CLEAN, 0, [rule], attempt=2, trace_dir=out)
    finally:
        sys.path.remove(str(folder))
    assert result.steps == 6
    path = trace_path(out, "har_agents:Mixed", CLEAN, 0, 2)
    assert path.name == "0-2.har" and path.parent.parent.name == "har_agents_Mixed"
    return read_har(path)


def test_valid_har_12(har):
    jsonschema.validate(har, HAR_12)
    broken = copy.deepcopy(har)  # the schema is no rubber stamp
    del broken["log"]["entries"][0]["response"]["redirectURL"]
    with pytest.raises(jsonschema.ValidationError, match="redirectURL"):
        jsonschema.validate(broken, HAR_12)
    assert har["log"]["creator"]["name"] == "apibench"


def test_requests_become_entries_with_clock_times(har):
    entries = har["log"]["entries"]
    assert [(e["request"]["method"], e["response"]["status"]) for e in entries] == [
        ("GET", 200),
        ("POST", 200),
        ("GET", 0),  # the 4th request meets the connection reset
    ]
    first, post, reset = entries
    assert first["request"]["queryString"] == [
        {"name": "x", "value": "1"},
        {"name": "y", "value": "two"},
    ]
    assert post["request"]["postData"] == {"mimeType": "application/json", "text": '{"limit": 2}'}
    assert post["request"]["bodySize"] == len('{"limit": 2}')
    assert json.loads(post["response"]["content"]["text"])["data"]
    assert post["response"]["content"]["mimeType"] == "application/json"
    assert post["response"]["statusText"] == "OK"
    assert first["_apibench"] == {"step": 1, "service": "attio"}
    assert reset["_faults"] == [{"rule": "cut", "kind": "connection_reset"}]
    assert reset["response"]["_error"] == "connection_reset"
    assert first["_faults"] == []
    # Times come from the virtual clock: increasing, the wait included, ISO 8601 in UTC.
    assert first["startedDateTime"] < post["startedDateTime"] < reset["startedDateTime"]
    assert first["startedDateTime"].endswith("+00:00")
    assert har["log"]["pages"][0]["startedDateTime"] == first["startedDateTime"]


def test_other_steps_are_events(har):
    meta = har["log"]["_apibench"]
    assert [(e["step"], e["type"]) for e in meta["events"]] == [
        (3, "invalid"),
        (4, "wait"),
        (6, "submit"),
    ]
    invalid, wait, submit = meta["events"]
    assert "method must be one of" in invalid["error"] and "FETCH" in invalid["action"]
    assert wait["seconds"] == 1.5
    assert submit["answer"] == [1, 2]
    assert meta["attempt"] == 2 and meta["scenario"] == CLEAN and meta["submitted"] is True
    assert meta["failure_category"] == "fault_not_recovered"


def test_har_time_is_iso_8601_with_milliseconds():
    assert har_time(1_700_000_000_050_000_000) == "2023-11-14T22:13:20.050+00:00"


def test_long_bodies_are_cut_when_written():
    text = "x" * (MAX_BODY_CHARS + 5)
    entry = {
        "request": {"postData": {"mimeType": "text/plain", "text": text}},
        "response": {"content": {"size": len(text), "mimeType": "text/plain", "text": text}},
    }
    cut = truncated({"log": {"entries": [entry]}})["log"]["entries"][0]
    assert len(cut["response"]["content"]["text"]) == MAX_BODY_CHARS
    assert cut["response"]["content"]["_truncated"] is True
    assert cut["response"]["content"]["size"] == len(text)
    assert cut["request"]["postData"]["_truncated"] is True
    assert len(entry["response"]["content"]["text"]) == len(text)  # the original is untouched

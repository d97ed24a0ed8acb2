"""The code-writing agent (``--agent code``): the API-Bench protocol as a step-by-step agent.

The model answers the task with a program (see :mod:`gym_apibench.llm.code` for the
``<<CODE>>`` tags). The program runs in a bubblewrap sandbox under limits
(:mod:`gym_apibench.llm.sandbox`, :mod:`gym_apibench.llm.isolation`; the agent refuses to
start where the sandbox cannot run, unless given ``sandbox=none``) and reaches nothing but
the loopback relay (:mod:`gym_apibench.llm.relay`): every request it makes is returned by
:meth:`CodeAgent.act`
as the next env action, and the observation is its response. So each of its requests is one
env step, traced, fault-injected and graded like any agent's, in-process or served. When
the program ends, its last JSON value on stdout is submitted.

A program that crashes, is killed at the time limit, or prints no JSON is a failed attempt;
with ``attempts=k`` the model is asked again (up to k programs in all, against the same
episode: earlier attempts' writes stay), and with ``self_heal=true`` it is shown the error
and asked to fix its program. When no attempt succeeds the agent submits ``null`` (the
episode is graded, so a program's writes still count); when the model never gave a
program at all, :class:`~gym_apibench.llm.agent.AgentGaveUp` is raised.

The program's environment: ``APIBENCH_TASK`` (JSON: instruction, inputs, services, docs and
credentials, with relay URLs for the real ones), ``APIBENCH_<SERVICE>_URL`` for each
service's base URL and ``APIBENCH_<SERVICE>_<FIELD>`` for each of its credentials' fields;
``PATH`` and locale variables; nothing else of the host (no API keys).
"""

from __future__ import annotations

import json
import os
import queue
import time
import weakref
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from gym_apibench.llm.agent import AgentGaveUp, ModelBacked
from gym_apibench.llm.client import ChatClient
from gym_apibench.llm.code import NO_ANSWER, extract_code, last_json
from gym_apibench.llm.isolation import Limits, sandbox_problem
from gym_apibench.llm.options import CodeOptions, OptionsError, parse_options
from gym_apibench.llm.prompts import code_prompt, env_name
from gym_apibench.llm.relay import Exchange, Relay
from gym_apibench.llm.sandbox import Program, ProgramResult, Sandbox, node_path
from gym_apibench.llm.tools import truncate
from mockapis.registry import get_service

__all__ = ["CodeAgent", "SandboxUnavailable", "program_env"]

GRACE_SECONDS = 30.0
"""How much longer than the time limit act() waits for a program's next event."""


class SandboxUnavailable(ValueError):
    """Programs cannot be sandboxed on this machine, and ``sandbox=none`` was not given."""


def _origins(task: Mapping[str, Any]) -> dict[str, str]:
    """Relay prefix -> real origin: each service's base URL, and its other hosts."""
    origins: dict[str, str] = {}
    for name, base in sorted(task.get("services", {}).items()):
        origins[name] = str(base)
        for host in get_service(name).hosts:
            origin = f"https://{host}"
            if not str(base).startswith(origin):
                origins[f"_host/{host}"] = origin
    return origins


def program_env(task: Mapping[str, Any], relay: Relay) -> dict[str, str]:
    """The environment of a program solving ``task`` through ``relay``."""
    shown = {
        k: task[k]
        for k in ("instruction", "inputs", "services", "docs", "credentials")
        if k in task
    }
    shown = json.loads(relay.to_relay(json.dumps(shown, ensure_ascii=False)))
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "NO_PROXY": "*",
        "no_proxy": "*",
        "APIBENCH_TASK": json.dumps(shown, ensure_ascii=False),
    }
    for name, url in shown.get("services", {}).items():
        env[env_name(name)] = str(url)
    for name, fields in shown.get("credentials", {}).items():
        prefix = env_name(name).removesuffix("_URL")
        for key, value in (fields or {}).items():
            cleaned = "".join(c if c.isalnum() else "_" for c in str(key).upper())
            if isinstance(value, str) and f"{prefix}_{cleaned}" not in env:
                env[f"{prefix}_{cleaned}"] = value
    return env


def _cleanup(resources: dict[str, Any]) -> None:
    """Kill the running program and stop the relay (also when the agent is collected)."""
    program = resources.pop("program", None)
    if program is not None:
        program.kill()
    relay = resources.pop("relay", None)
    if relay is not None:
        relay.close()


class CodeAgent(ModelBacked):
    """Asks the model for a program and plays its requests as env actions (see the module).

    :meth:`episode_stats` returns ``{"usage": {...}, "attempts": [{"outcome", "exit_code",
    "requests", "error"}], "failure", "sandbox"}``; outcomes are ``answer``, ``crash``, ``timeout``,
    ``no_json`` and ``no_code``. ``usage`` is the episode's token usage.
    """

    name = "code"

    def __init__(
        self,
        options: CodeOptions | Mapping[str, Any] | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.options = (
            options if isinstance(options, CodeOptions) else parse_options(CodeOptions, options)
        )
        if self.options.lang == "js" and node_path() is None:
            raise OptionsError("option lang=js needs node on PATH, and there is none")
        if self.options.sandbox == "bubblewrap":
            problem = sandbox_problem()
            if problem is not None:
                raise SandboxUnavailable(problem)
        self.client = ChatClient(self.options, transport=transport, sleep=sleep)
        self._task: Mapping[str, Any] = {}
        self._seed = 0
        self._messages: list[dict[str, Any]] = []
        self._resources: dict[str, Any] = {}
        self._finalizer = weakref.finalize(self, _cleanup, self._resources)
        self._events: queue.Queue[Any] = queue.Queue()
        self._exchange: Exchange | None = None
        self._started = False
        self._stats: dict[str, Any] = {}

    def close(self) -> None:
        """Kill any running program, stop the relay, close the model connection."""
        _cleanup(self._resources)
        self.client.close()

    def reset(self, task: Mapping[str, Any], *, seed: int) -> None:
        """Start an episode on ``task``: a fresh relay and conversation, no program yet."""
        _cleanup(self._resources)
        self._task = task
        self._seed = seed
        system, user = code_prompt(
            task,
            lang=self.options.lang,
            docs=self.options.docs,
            max_doc_chars=self.options.max_doc_chars,
        )
        self._messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        self._resources["relay"] = Relay(
            _origins(task), timeout=self.options.time_limit + GRACE_SECONDS
        )
        self._exchange = None
        self._started = False
        self.client.reset_usage()
        self._stats = {"attempts": [], "failure": None, "sandbox": self.options.sandbox}

    def act(self, observation: Mapping[str, Any]) -> dict[str, Any]:
        """The program's next request, or its answer once it has ended."""
        if self._exchange is not None:
            self._exchange.reply(observation)
            self._exchange = None
        if not self._started:
            self._started = True
            if not self._start_attempt():
                return self._give_up()
        while True:
            try:
                event = self._events.get(timeout=self.options.time_limit + GRACE_SECONDS)
            except queue.Empty:  # the watchdog always ends a program first; be safe anyway
                _cleanup({"program": self._resources.get("program")})
                continue
            if isinstance(event, Exchange):
                self._stats["attempts"][-1]["requests"] += 1
                self._exchange = event
                return event.action
            answer = self._judge(event)
            if answer is not NO_ANSWER:
                _cleanup(self._resources)
                return {"submit": answer}
            if not self._start_attempt():
                return self._give_up()

    def _give_up(self) -> dict[str, Any]:
        """No attempt left: submit null, or raise when no program ever ran."""
        _cleanup(self._resources)
        attempts = self._stats["attempts"]
        last = attempts[-1] if attempts else {"outcome": "no_code", "error": ""}
        reason = f"{len(attempts)} attempt(s) failed; last: {last['outcome']}: {last['error']}"
        self._stats["failure"] = reason[:500]
        if all(a["outcome"] == "no_code" for a in attempts):
            raise AgentGaveUp(self._stats["failure"])
        return {"submit": None}

    def _start_attempt(self) -> bool:
        """Ask for programs until one starts; ``False`` when the attempts are used up."""
        while len(self._stats["attempts"]) < self.options.attempts:
            number = len(self._stats["attempts"])
            messages = self._messages if self.options.self_heal else self._messages[:2]
            reply = self.client.complete(messages, seed=self._seed + number)
            text = reply.message.get("content") if reply.message else None
            code = extract_code(text if isinstance(text, str) else None)
            record: dict[str, Any] = {"outcome": "running", "exit_code": None, "requests": 0}
            self._stats["attempts"].append(record)
            if self.options.self_heal:
                self._messages.append({"role": "assistant", "content": text or ""})
            if code is None:
                record.update(outcome="no_code", error="no program between <<CODE>> tags")
                self._feedback(
                    "Your reply has no program. Answer with the complete program between "
                    "<<CODE>> and <</CODE>>."
                )
                continue
            self._events = queue.Queue()
            relay: Relay = self._resources["relay"]
            relay.sink = self._events
            self._resources["program"] = Program(
                code,
                lang=self.options.lang,
                env=program_env(self._task, relay),
                time_limit=self.options.time_limit,
                memory_mb=self.options.memory_mb,
                on_exit=self._events.put,
                sandbox=self._sandbox(relay),
            )
            return True
        return False

    def _sandbox(self, relay: Relay) -> Sandbox | None:
        if self.options.sandbox == "none":
            return None
        limits = Limits(
            memory_mb=self.options.memory_mb,
            processes=self.options.max_processes,
            scratch_mb=self.options.scratch_mb,
        )
        return Sandbox(relay_socket=relay.socket_path, port=relay.port, limits=limits)

    def _feedback(self, text: str) -> None:
        if self.options.self_heal:
            self._messages.append({"role": "user", "content": text})

    def _judge(self, result: ProgramResult) -> Any:
        """The answer of an ended program, or :data:`NO_ANSWER` (recording why)."""
        self._resources.pop("program", None)
        record = self._stats["attempts"][-1]
        record["exit_code"] = result.exit_code
        answer = NO_ANSWER
        if result.timed_out:
            record.update(
                outcome="timeout",
                error=f"killed at the time limit of {self.options.time_limit:g} seconds",
            )
        elif result.exit_code != 0:
            record.update(outcome="crash", error=f"exited with status {result.exit_code}")
        else:
            answer = last_json(result.stdout)
            if answer is NO_ANSWER:
                record.update(outcome="no_json", error="printed no JSON value on stdout")
            else:
                record.update(outcome="answer", error="")
        if answer is NO_ANSWER:
            limit = self.options.max_error_chars
            stderr = result.stderr[-limit:].strip() or "(empty)"
            stdout = result.stdout[-limit // 4 :].strip() or "(empty)"
            record["error"] += f"; stderr: {stderr[-300:]}"
            self._feedback(
                f"Your program {record['error'].split(';')[0]}.\n"
                f"Its standard error (the end):\n{truncate(stderr, limit)}\n"
                f"Its standard output (the end):\n{stdout}\n"
                "Fix the program. Answer with the complete corrected program between "
                "<<CODE>> and <</CODE>>; it must print its answer as JSON on the last line."
            )
        return answer

"""The prompts of the model-backed agents, built from the task (``info["task"]`` of the env)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from gym_apibench.llm.tools import truncate
from mockapis.registry import get_service

__all__ = ["NO_TOOL_CALL", "code_prompt", "env_name", "spec_text", "tool_prompt"]

NO_TOOL_CALL = (
    "Act with a tool call: send requests with the tools, and call submit with the answer when "
    "you are done (a text reply does nothing)."
)
"""What a tool-calling agent tells the model after a reply without a tool call."""


def _credentials(task: Mapping[str, Any]) -> str:
    return json.dumps(task.get("credentials", {}), indent=2, ensure_ascii=False)


def tool_prompt(task: Mapping[str, Any], *, operations: bool) -> tuple[str, str]:
    """``(system, user)`` messages of the tool-calling agent for ``task``."""
    services = task.get("services", {})
    lines = [
        "You complete a task for a user by calling web APIs through the tools you are given.",
        "You act only through HTTP: read the API documentation when you need it "
        "(read_docs), send requests, look at the responses, and correct your requests when "
        "a response says they were wrong. Respect rate limits (wait as Retry-After says) and "
        "retry transient server errors. Page through every page of a list when a task needs "
        "all of it.",
        "When you are done, call submit with the answer the task asks for (null when it "
        "asks for none). Every tool call is one step, and steps are limited"
        + (f" to {task['max_steps']}." if task.get("max_steps") else "."),
        "",
        "Services (name: base URL; the documentation is at <base URL>/openapi.yaml):",
        *(f"- {name}: {url}" for name, url in sorted(services.items())),
        "",
        "Credentials, by service:",
        _credentials(task),
    ]
    if operations:
        lines += [
            "",
            "Each operation of the services' APIs is a tool of its own; send your "
            "credentials in its headers argument.",
        ]
    return "\n".join(lines), str(task.get("instruction", ""))


def env_name(service: str) -> str:
    """The environment variable holding ``service``'s base URL (``APIBENCH_<NAME>_URL``)."""
    cleaned = "".join(c if c.isalnum() else "_" for c in service.upper())
    return f"APIBENCH_{cleaned}_URL"


def spec_text(service: str) -> str:
    """The text of ``service``'s spec, as served at ``<base URL>/openapi.yaml``."""
    return get_service(service).spec_path.read_text(encoding="utf-8")


CODE_RULES = """\
You solve a task by writing one complete {language} program that calls web APIs over HTTP.
Answer with the program between the tags <<CODE>> and <</CODE>>, nothing else inside them.
The program runs once, non-interactively, with a time limit. It must read each API's base URL
from the environment variables listed below (the only network it can reach); the whole task is
also in the environment variable APIBENCH_TASK (JSON with instruction, inputs, services,
credentials, docs). {libraries}
The program's answer is the last JSON value it prints on standard output: print the answer the
task asks for as JSON (print null when the task asks for none), after any other output."""

LIBRARIES = {
    "python": "The Python standard library, requests and httpx are available.",
    "js": "Use the built-in fetch of Node.js (no npm packages are installed).",
}


def code_prompt(
    task: Mapping[str, Any], *, lang: str, docs: str, max_doc_chars: int
) -> tuple[str, str]:
    """``(system, user)`` messages of the code-writing agent for ``task``.

    ``docs`` says how much of the APIs the prompt describes: ``none`` (the environment
    variables only), ``urls`` (which real API each base URL serves, as API-Bench gave base
    URLs) or ``full`` (each service's spec text, up to ``max_doc_chars`` characters).
    """
    language = "Python 3" if lang == "python" else "JavaScript (Node.js)"
    system = CODE_RULES.format(language=language, libraries=LIBRARIES[lang])
    services = task.get("services", {})
    lines = [f"Task: {task.get('instruction', '')}", "", "Base URLs, by environment variable:"]
    for name, url in sorted(services.items()):
        real = f" (serves the API of {url})" if docs != "none" else ""
        lines.append(f"- {env_name(name)}: the {name} API{real}")
    if docs != "none":
        lines += ["", "Each API's OpenAPI documentation is at <base URL>/openapi.yaml."]
    lines += ["", "Credentials, by service:", _credentials(task)]
    if docs == "full":
        for name in sorted(services):
            lines += ["", f"Documentation of {name}:", truncate(spec_text(name), max_doc_chars)]
    return system, "\n".join(lines)

"""The ``apibench`` command: list scenarios, evaluate agents, sweep fault doses, serve over HTTP,
import suites whose data users bring (API-Bank)."""

from __future__ import annotations

import argparse
import difflib
import ipaddress
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from gym_apibench.hosting import DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_EPISODES, TOKEN_VARIABLE

__all__ = ["build_parser", "main", "parse_seeds"]

MAX_SEEDS = 1_000_000


def parse_seeds(text: str) -> list[int]:
    """``"0-4"`` -> ``[0, 1, 2, 3, 4]``; ``"17,101"`` -> ``[17, 101]``; both mix (``"0-2,9"``).

    Ranges are inclusive; seeds are integers >= 0; duplicates are dropped, order is kept.
    """
    seeds: list[int] = []
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            raise ValueError(f"empty item in seeds {text!r}; write e.g. 0-4 or 17,101")
        low_text, dash, high_text = item.partition("-")
        try:
            low = int(low_text)
            high = int(high_text) if dash else low
        except ValueError:
            raise ValueError(
                f"bad seed {item!r} in {text!r}: seeds are integers >= 0, as N, A-B (inclusive) "
                "or a comma-separated list, e.g. 0-4 or 17,101"
            ) from None
        if high < low:
            raise ValueError(f"bad seed range {item!r}: the end is before the start")
        if len(seeds) + high - low + 1 > MAX_SEEDS:
            raise ValueError(f"at most {MAX_SEEDS} seeds, got more in {text!r}")
        seeds.extend(range(low, high + 1))
    return list(dict.fromkeys(seeds))


def _seeds_type(text: str) -> list[int]:
    try:
        return parse_seeds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(what: str) -> Callable[[str], int]:
    """An argparse type: an integer of at least 1, errors naming ``what``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be an integer, got {text!r}") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"{what} must be at least 1, got {value}")
        return value

    return parse


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a number of seconds, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"a number of seconds > 0, got {text!r}")
    return value


def _port_type(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be an integer, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0 (any free port) to 65535, got {value}")
    return value


def _cmd_list(args: argparse.Namespace) -> int:
    """``apibench list [--split] [--tag GLOB] [--suite NAME]``."""
    from gym_apibench import scenario_ids
    from gym_apibench.scenarios import get_scenario
    from gym_apibench.suites import SuiteError, get_suite

    try:
        ids = scenario_ids(split=args.split, tag=args.tag, suite=args.suite)
    except SuiteError as exc:
        args.parser.error(str(exc))
    suite = get_suite(args.suite) if args.suite is not None else None
    rows: list[dict[str, Any]] = []
    for s in map(get_scenario, ids):
        row: dict[str, Any] = {
            "id": s.id,
            "family": s.family,
            "category": s.category,
            "split": s.split,
            "title": s.title,
            "tags": list(s.tags),
        }
        if suite is not None:
            row = {"task": suite.task_of(s), "suite_category": suite.category_of(s), **row}
        rows.append(row)
    if suite is not None:
        rows.sort(key=lambda r: r["task"])
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    columns = [c for c in rows[0] if c != "tags"] if rows else ["id", "category", "split", "title"]
    widths = {c: max([len(c), *(len(r[c]) for r in rows)]) for c in columns}
    print("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip())
    for row in rows:
        print("  ".join(row[c].ljust(widths[c]) for c in columns).rstrip())
    return 0


def _cmd_kinds(args: argparse.Namespace) -> int:
    """``apibench kinds``: the fault kinds and their parameters (the rules' reference)."""
    from mockapis.faults import KINDS
    from mockapis.faults.model import REQUIRED

    kinds: list[dict[str, Any]] = [
        {
            "kind": kind.name,
            "transport": kind.transport,
            "doc": kind.doc,
            "params": [
                {
                    "name": p.name,
                    "type": p.describe(),
                    "default": None if p.default is REQUIRED else p.default,
                    "required": p.default is REQUIRED,
                    "choices": list(p.choices) if p.choices is not None else None,
                    "doc": p.doc,
                }
                for p in kind.params
            ],
        }
        for kind in sorted(KINDS.values(), key=lambda k: k.name)
    ]
    if args.json:
        print(json.dumps(kinds, indent=2))
        return 0
    for kind in kinds:
        tag = " (transport)" if kind["transport"] else ""
        print(f"{kind['kind']}{tag}: {kind['doc']}")
        for p in kind["params"]:
            default = "required" if p["required"] else f"default {p['default']!r}"
            choices = f"; one of {p['choices']}" if p["choices"] else ""
            print(f"    {p['name']} ({p['type']}, {default}{choices}): {p['doc']}")
    return 0


def _doses_type(text: str) -> list[float]:
    from gym_apibench.sweep import parse_doses

    try:
        return parse_doses(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _agents_and_globs(args: argparse.Namespace) -> tuple[list[str], list[str]]:
    """The ``--agent`` names and ``--scenarios`` globs of ``eval`` and ``sweep``."""
    parser: argparse.ArgumentParser = args.parser
    agents = [name.strip() for spec in args.agent for name in spec.split(",") if name.strip()]
    globs = [g.strip() for g in args.scenarios.split(",") if g.strip()]
    if not agents:
        parser.error("argument --agent: no agent names given")
    if not globs:
        parser.error("argument --scenarios: no globs given")
    # Like `python -m`, and unlike a console script: `module:factory` agents import from here.
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    return _with_agent_options(args, agents), globs


def _with_agent_options(args: argparse.Namespace, agents: list[str]) -> list[str]:
    """``agents`` with ``--model``, ``--base-url``, ``--api-key-env`` and ``--agent-option``
    folded into the spec of each agent that takes options (``llm?model=m``, see
    :func:`gym_apibench.agents.with_options`); the others are left as they are."""
    from gym_apibench.agents import AgentSpecError, agent_takes_options, with_options

    parser: argparse.ArgumentParser = args.parser
    options: dict[str, str] = {}
    for item in args.agent_option or ():
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            parser.error(f"argument --agent-option: expected KEY=VALUE, got {item!r}")
        options[key.strip()] = value
    flags = {"model": args.model, "base_url": args.base_url, "api_key_env": args.api_key_env}
    options.update({key: value for key, value in flags.items() if value is not None})
    if not options:
        return agents
    try:
        takers = {agent for agent in agents if agent_takes_options(agent)}
    except AgentSpecError as exc:
        parser.error(str(exc))
    if not takers:
        parser.error(
            "agent options given (--model, --base-url, --api-key-env or --agent-option) but no "
            "agent takes options: use llm, code, or a module:factory with an options parameter"
        )
    return [with_options(agent, options) if agent in takers else agent for agent in agents]


def _suite_of(args: argparse.Namespace) -> Any:
    """The :class:`~gym_apibench.suites.Suite` that ``--suite`` names, or ``None``."""
    from gym_apibench.suites import SuiteError, get_suite

    if args.suite is None:
        return None
    try:
        return get_suite(args.suite)
    except SuiteError as exc:
        args.parser.error(f"argument --suite: {exc}")


def _suite_ids(args: argparse.Namespace, suite: str, globs: list[str]) -> list[str]:
    """The suite's scenario ids, narrowed by ``--scenarios`` globs when given."""
    import fnmatch

    from gym_apibench import scenario_ids

    ids = scenario_ids(suite=suite)
    if globs != ["all"]:
        ids = [i for i in ids if any(fnmatch.fnmatchcase(i, g) for g in globs)]
    if not ids:
        args.parser.error(f"argument --scenarios: no scenario of suite {suite!r} matches {globs}")
    return ids


def _cmd_eval(args: argparse.Namespace) -> int:
    """``apibench eval``."""
    parser: argparse.ArgumentParser = args.parser
    from gym_apibench.agents import AgentSpecError
    from gym_apibench.harness import EvalError, StoppedAtAgentError, evaluate
    from gym_apibench.manifest import ManifestError
    from gym_apibench.report import print_ceiling, print_leaderboard, print_pairwise

    agents, globs = _agents_and_globs(args)
    suite = _suite_of(args)
    if suite is not None:
        globs = _suite_ids(args, suite.name, globs)
    attempts = args.attempts or (suite.attempts if suite is not None else 1)
    if args.faults is not None and not args.faults.is_file():
        parser.error(f"argument --faults: no such file: {args.faults}")
    try:
        results = evaluate(
            agents,
            globs,
            args.seeds,
            workers=args.workers,
            out_dir=args.out,
            faults=args.faults,
            backend=args.backend,
            ray_address=args.ray_address,
            progress=not args.no_progress,
            attempts=attempts,
            trace=not args.no_trace,
            retry_failed=args.retry_failed,
            fail_fast=args.fail_fast,
            reference=args.reference,
        )
    except (ManifestError, StoppedAtAgentError) as exc:
        return _run_stopped(parser, exc)
    except (EvalError, AgentSpecError) as exc:
        parser.error(str(exc))
    print_leaderboard(results)
    print_pairwise(results)
    print_ceiling(results)
    _warn_notes(results)
    if suite is not None:
        from gym_apibench.suite_report import print_suite_leaderboard

        print()
        print_suite_leaderboard(results, suite)
    print(f"\n{len(results)} episodes; reports: {args.out / 'report.md'}, report.html")
    return 0


def _warn_notes(results: Sequence[Any]) -> None:
    """Say on stderr which added fault rules never matched a request in the run, and which
    agents ran programs without the sandbox."""
    from gym_apibench.report import unisolated_note, unmatched_note

    for note in (unmatched_note(results), unisolated_note(results)):
        if note is not None:
            print(f"warning: {note}", file=sys.stderr)


def _run_stopped(parser: argparse.ArgumentParser, exc: Exception) -> int:
    """One line for a run refused by its directory's manifest (status 2) or stopped at an
    agent error by ``--fail-fast`` (status 1; the traceback is already printed)."""
    from gym_apibench.harness import StoppedAtAgentError

    print(f"{parser.prog}: error: {exc}", file=sys.stderr)
    if isinstance(exc, StoppedAtAgentError):
        print("fix the agent, then rerun with --retry-failed", file=sys.stderr)
        return 1
    return 2


def _cmd_report(args: argparse.Namespace) -> int:
    """``apibench report DIR [DIR...]``: rebuild (and compare) reports from results.jsonl."""
    parser: argparse.ArgumentParser = args.parser
    from gym_apibench.report import print_leaderboard
    from gym_apibench.runs import RunsError, compare_runs, paired_runs, print_paired

    out = args.out if args.out is not None else (args.dirs[0] if len(args.dirs) == 1 else None)
    if out is None and len(args.dirs) > 2:
        parser.error("comparing several runs: give --out DIR for the combined report")
    try:
        results, paths = compare_runs(args.dirs, out)
        paired = paired_runs(args.dirs) if len(args.dirs) == 2 else None
    except RunsError as exc:
        parser.error(str(exc))
    print_leaderboard(results)
    written = ", ".join(str(p) for p in paths) or "none written (give --out DIR for them)"
    print(f"\n{len(results)} episodes; reports: {written}")
    if paired is not None:
        print()
        print_paired(paired)
        if paired.refusal is not None:
            print(f"{parser.prog}: error: not compared: {paired.refusal}", file=sys.stderr)
            return 2
    return 0


def _cmd_sweep(args: argparse.Namespace) -> int:
    """``apibench sweep``."""
    parser: argparse.ArgumentParser = args.parser
    from gym_apibench.agents import AgentSpecError
    from gym_apibench.harness import EvalError, StoppedAtAgentError
    from gym_apibench.manifest import ManifestError
    from gym_apibench.sweep import PLOT_FILES, TABLE_FILE, summary, sweep

    agents, globs = _agents_and_globs(args)
    try:
        results = sweep(
            agents,
            globs,
            args.fault_profile,
            args.doses,
            args.seeds,
            workers=args.workers,
            out_dir=args.out,
            progress=not args.no_progress,
            retry_failed=args.retry_failed,
            fail_fast=args.fail_fast,
        )
    except (ManifestError, StoppedAtAgentError) as exc:
        return _run_stopped(parser, exc)
    except (EvalError, AgentSpecError) as exc:
        parser.error(str(exc))
    print(summary(results, agents, args.doses))
    _warn_notes(results)
    files = ", ".join(str(args.out / name) for name in (TABLE_FILE, *PLOT_FILES))
    print(f"\n{len(results)} episodes; {files}")
    return 0


def _known_scenario(parser: argparse.ArgumentParser, scenario: str) -> None:
    """Stop with a usage error (and the closest id) unless ``scenario`` is a scenario's id."""
    from gym_apibench.scenarios import load_scenarios

    known = sorted(load_scenarios())
    if scenario not in known:
        close = difflib.get_close_matches(scenario, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        parser.error(
            f"argument --scenario: unknown scenario {scenario!r}{hint}; see `apibench list`"
        )


def _cmd_openenv(args: argparse.Namespace) -> int:
    """``apibench openenv``: serve episodes as an OpenEnv environment, until interrupted."""
    parser: argparse.ArgumentParser = args.parser
    if args.scenario is not None:
        _known_scenario(parser, args.scenario)
    if args.server is not None and not os.environ.get(TOKEN_VARIABLE):
        parser.error(f"argument --server: set ${TOKEN_VARIABLE} to the server's control token")
    try:
        from gym_apibench.integrations.openenv import serve
    except ImportError as exc:
        parser.error(str(exc))
    serve(
        args.host,
        args.port,
        scenario=args.scenario,
        tools=args.tools,
        max_result_chars=args.max_result_chars,
        max_sessions=args.max_sessions,
        server=args.server,
    )
    return 0


def _cmd_import_apibank(args: argparse.Namespace) -> int:
    """``apibench import-apibank PATH [--home DIR]``."""
    parser: argparse.ArgumentParser = args.parser
    from gym_apibench.apibank.catalog import CatalogError
    from gym_apibench.apibank.dialogues import DialogueError
    from gym_apibench.apibank.importer import import_apibank
    from gym_apibench.scenarios import clear_scenarios_cache
    from mockapis.apibank.home import clear_caches
    from mockapis.home import HOME_VARIABLE, apibench_home

    if not args.path.is_dir():
        parser.error(f"argument PATH: no such folder: {args.path}")
    home = (args.home or apibench_home()).expanduser().resolve()
    try:
        summary = import_apibank(args.path, home)
    except (CatalogError, DialogueError, FileNotFoundError, ValueError) as exc:
        parser.error(f"cannot import {args.path}: {exc}")
    clear_caches()
    clear_scenarios_cache()
    print("\n".join(summary.lines()))
    if args.home is not None and home != apibench_home().expanduser().resolve():
        print(f"use them with {HOME_VARIABLE}={home} set (e.g. for `apibench eval`)")
    return 0


def _url_host(host: str) -> str:
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def write_json_atomic(path: Path, payload: Any, *, private: bool = False) -> None:
    """Write ``payload`` as JSON to ``path`` via a temporary file and a rename.

    A reader polling for ``path`` sees nothing or the whole file, never a part of it. The
    temporary file is made with mode 0600; ``private`` keeps it so (the control file holds
    the control token), else the file gets the usual mode (umask).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _cmd_serve(args: argparse.Namespace) -> int:
    """``apibench serve``: until SIGINT or SIGTERM."""
    parser: argparse.ArgumentParser = args.parser
    from gym_apibench.hosting import EpisodeHost
    from mockapis.control import new_token
    from mockapis.faults import FaultSpecError, load_rules
    from mockapis.server import Listeners, bind, serve

    if args.scenario is not None:
        _known_scenario(parser, args.scenario)
    else:
        for flag, value in (("--info-file", args.info_file), ("--faults", args.faults)):
            if value is not None:
                parser.error(
                    f"argument {flag}: only with --scenario (the episode server takes each "
                    "episode's settings when it is created)"
                )
    if args.faults is not None and not args.faults.is_file():
        parser.error(f"argument --faults: no such file: {args.faults}")
    try:
        rules = load_rules(args.faults)
    except FaultSpecError as exc:
        parser.error(f"argument --faults: {exc}")
    token = os.environ.get(TOKEN_VARIABLE) or new_token()
    if len(token) < 16:
        parser.error(f"${TOKEN_VARIABLE} must be at least 16 characters")
    if not _is_loopback(args.host):
        print(f"warning: serving on {args.host}, which is not a loopback address", file=sys.stderr)
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        parser.error(f"cannot listen on {args.host}:{args.port}: {exc}")
    base = f"http://{_url_host(args.host)}:{sock.getsockname()[1]}"
    listeners = Listeners()
    host = EpisodeHost(
        base,
        token,
        max_episodes=args.max_episodes,
        idle_timeout=args.idle_timeout,
        root_urls=args.root_urls,
        listeners=listeners,
        bind_host=args.host,
    )
    control = {"url": host.control_url, "token": token}

    async def ready(bound_host: str, bound_port: int) -> None:
        if args.scenario is not None:
            hosted = await host.host_single(args.scenario, args.seed, faults=rules)
            info = hosted.info(None)
            if args.info_file is not None:
                write_json_atomic(args.info_file, info)
            # The agent's info is printed (one line); the control token only without a file.
            print(json.dumps(info, ensure_ascii=False), flush=True)
            count = len(hosted.episode.rules)
            what = f"{args.scenario} (seed {args.seed}{f', {count} fault rules' * bool(count)})"
        else:
            what = (
                f"the episode server (up to {args.max_episodes} episodes, ended after "
                f"{args.idle_timeout:g} s idle)"
            )
        if args.control_file is not None:
            write_json_atomic(args.control_file, control, private=True)
        else:
            print(json.dumps(control), flush=True)
        print(f"serving {what} on {base}; Ctrl+C to stop", file=sys.stderr, flush=True)

    # The host adds a Date header to services that do not send their own (from the clock).
    serve(host, sock, on_ready=ready, date_header=False, serialize=False, listeners=listeners)
    return 0


def _cmd_mcp(args: argparse.Namespace) -> int:
    """``apibench mcp``: one episode as an MCP server over stdio, until the client closes."""
    parser: argparse.ArgumentParser = args.parser
    from mockapis.faults import FaultSpecError

    _known_scenario(parser, args.scenario)
    if args.faults is not None and not args.faults.is_file():
        parser.error(f"argument --faults: no such file: {args.faults}")
    try:
        from gym_apibench.integrations.mcp_server import serve_stdio
    except ImportError as exc:
        parser.error(str(exc))
    from gym_apibench.integrations import ToolSession

    try:
        session = ToolSession(
            args.scenario,
            args.seed,
            tools=args.tools,
            max_result_chars=args.max_result_chars,
            faults=args.faults,
        )
    except FaultSpecError as exc:
        parser.error(f"argument --faults: {exc}")
    # stdout is the protocol's: the episode's result goes to stderr when the client closes.
    print(json.dumps(serve_stdio(session), ensure_ascii=False), file=sys.stderr, flush=True)
    return 0


def _add_grid_arguments(sub: argparse.ArgumentParser) -> None:
    """``--agent``, ``--scenarios``, ``--seeds`` and ``--workers``: of ``eval`` and ``sweep``."""
    sub.add_argument(
        "--agent",
        action="append",
        required=True,
        metavar="NAME",
        help="oracle, robust, noop, random, naive, no-retry, first-page-only, llm, code or "
        "module:factory; repeat or comma-separate for several",
    )
    sub.add_argument(
        "--model",
        metavar="NAME",
        help="the model of the llm and code agents (default: $APIBENCH_MODEL)",
    )
    sub.add_argument(
        "--base-url",
        metavar="URL",
        help="an OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1 "
        "(default: $OPENAI_BASE_URL, else OpenAI's)",
    )
    sub.add_argument(
        "--api-key-env",
        metavar="VAR",
        help="the environment variable holding the endpoint's API key (default: OPENAI_API_KEY)",
    )
    sub.add_argument(
        "--agent-option",
        action="append",
        metavar="KEY=VALUE",
        help="an option of the agents that take options (e.g. tools=operations, attempts=3); "
        "repeatable",
    )
    sub.add_argument(
        "--scenarios",
        default="all",
        metavar="GLOBS",
        help="'all' or comma-separated globs over scenario ids, e.g. 'attio.*' (default: all)",
    )
    sub.add_argument(
        "--seeds",
        type=_seeds_type,
        default=[0, 1, 2, 3, 4],
        metavar="SEEDS",
        help="seeds as ranges and lists, e.g. 0-4 or 17,101 (default: 0-4)",
    )
    sub.add_argument(
        "--workers",
        type=_positive("workers"),
        default=None,
        help="parallel processes (default: CPUs)",
    )
    sub.add_argument(
        "--retry-failed",
        action="store_true",
        help="run again the episodes of DIR whose agent raised (their old lines move to "
        "DIR/replaced.jsonl)",
    )
    sub.add_argument(
        "--fail-fast",
        action="store_true",
        help="stop the run at the first agent error (its traceback is printed and saved)",
    )


def _add_tool_options(parser: argparse.ArgumentParser) -> None:
    """``--tools`` and ``--max-result-chars``: how a framework front end offers an episode's
    tools (:class:`gym_apibench.integrations.ToolSession`)."""
    parser.add_argument(
        "--tools",
        choices=("both", "operations", "http"),
        default="both",
        help="one tool per API operation, the generic http_request, or both (the default); "
        "submit, wait and read_docs always",
    )
    parser.add_argument(
        "--max-result-chars",
        type=_positive("--max-result-chars"),
        default=8_000,
        metavar="N",
        help="cut a tool result to about N characters (default 8000)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``apibench``."""
    parser = argparse.ArgumentParser(
        prog="apibench",
        description="Simulated HTTP APIs as a Gymnasium benchmark for agents.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="list the scenarios")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.add_argument("--split", choices=("train", "test"), help="only this split")
    listing.add_argument("--tag", metavar="GLOB", help="only scenarios with a tag matching GLOB")
    listing.add_argument(
        "--suite",
        metavar="NAME",
        help="only this suite's scenarios (api-bench-v2), with their task and category",
    )
    listing.set_defaults(handler=_cmd_list, parser=listing)

    kinds = commands.add_parser("kinds", help="list the fault kinds and their parameters")
    kinds.add_argument("--json", action="store_true", help="print JSON instead of text")
    kinds.set_defaults(handler=_cmd_kinds, parser=kinds)

    evaluation = commands.add_parser("eval", help="evaluate agents on scenarios and seeds")
    _add_grid_arguments(evaluation)
    evaluation.add_argument(
        "--backend",
        choices=("local", "ray"),
        default="local",
        help="run episodes in local processes, or as Ray tasks (pip install 'apibench[ray]')",
    )
    evaluation.add_argument(
        "--ray-address",
        metavar="ADDRESS",
        help="the Ray cluster to use (default: $RAY_ADDRESS, else a local instance)",
    )
    evaluation.add_argument("--faults", type=Path, metavar="FILE", help="a fault rules file")
    evaluation.add_argument(
        "--reference",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="play the same episodes with the fault-robust reference (robust) too, so the "
        "report tells episodes no agent could succeed in from failures (default: when faults "
        "are on: --faults, or scenarios with faults of their own)",
    )
    evaluation.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="results.jsonl, report.md, report.html and traces/ go here",
    )
    evaluation.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    evaluation.add_argument(
        "--attempts",
        type=_positive("attempts"),
        default=None,
        metavar="K",
        help="run each (scenario, seed) K times, for pass@k and pass^k (default: the suite's "
        "attempts with --suite, else 1)",
    )
    evaluation.add_argument(
        "--suite",
        metavar="NAME",
        help="run a named suite's scenarios (api-bench-v2) and print its leaderboard of tasks; "
        "--scenarios narrows it",
    )
    evaluation.add_argument(
        "--no-trace",
        action="store_true",
        help="do not write each episode's HAR trace under DIR/traces (written by default)",
    )
    evaluation.set_defaults(handler=_cmd_eval, parser=evaluation)

    reporting = commands.add_parser(
        "report",
        help="rebuild report.md and report.html from results; compare several runs (two: "
        "a paired comparison of their agents on the same episodes, with a significance verdict)",
    )
    reporting.add_argument(
        "dirs", nargs="+", type=Path, metavar="DIR", help="run directories (with results.jsonl)"
    )
    reporting.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="where the reports go (default: the run's own directory; required for three or "
        "more runs; two runs without it are compared on the terminal only)",
    )
    reporting.set_defaults(handler=_cmd_report, parser=reporting)

    sweeping = commands.add_parser(
        "sweep", help="fault-injection experiment: success against fault dose per agent"
    )
    _add_grid_arguments(sweeping)
    sweeping.add_argument(
        "--fault-profile",
        required=True,
        metavar="PROFILE",
        help="a fault rules file, or a built-in profile's name (e.g. flaky)",
    )
    sweeping.add_argument(
        "--doses",
        type=_doses_type,
        default=[0.0, 0.05, 0.1, 0.2, 0.4],
        metavar="DOSES",
        help="probabilities from 0 to 1 at which each profile rule fires, comma-separated "
        "(default: 0,0.05,0.1,0.2,0.4)",
    )
    sweeping.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="results.jsonl, sweep.md, sweep.png and sweep.svg go here",
    )
    sweeping.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    sweeping.set_defaults(handler=_cmd_sweep, parser=sweeping)

    serving = commands.add_parser(
        "serve",
        help="serve one scenario's services over HTTP, or host episodes (the episode server)",
    )
    serving.add_argument(
        "--scenario", metavar="ID", help="host this scenario's episode; without: the episode server"
    )
    serving.add_argument("--seed", type=int, default=0)
    serving.add_argument("--host", default="127.0.0.1")
    serving.add_argument(
        "--port", type=_port_type, default=0, help="0 picks a free port (the default)"
    )
    serving.add_argument(
        "--info-file",
        type=Path,
        metavar="FILE",
        help="write what the agent may know here as JSON: services, credentials, task",
    )
    serving.add_argument(
        "--control-file",
        type=Path,
        metavar="FILE",
        help="write the control URL and token here (mode 0600); else they are printed",
    )
    serving.add_argument(
        "--root-urls",
        action="store_true",
        help="serve each service at the root of an origin of its own (a port per service)",
    )
    serving.add_argument(
        "--max-episodes",
        type=_positive("--max-episodes"),
        default=DEFAULT_MAX_EPISODES,
        metavar="N",
        help=f"live episodes at most (default {DEFAULT_MAX_EPISODES})",
    )
    serving.add_argument(
        "--idle-timeout",
        type=_seconds,
        default=DEFAULT_IDLE_TIMEOUT,
        metavar="SECONDS",
        help=f"end an episode unused this long (default {DEFAULT_IDLE_TIMEOUT:g})",
    )
    serving.add_argument(
        "--faults", type=Path, metavar="FILE", help="a fault rules file, on top of the scenario's"
    )
    serving.set_defaults(handler=_cmd_serve, parser=serving)

    mcp = commands.add_parser(
        "mcp", help="serve one episode as an MCP server over stdio (the mcp extra)"
    )
    mcp.add_argument("--scenario", metavar="ID", required=True, help="the scenario to play")
    mcp.add_argument("--seed", type=int, default=0)
    mcp.add_argument(
        "--faults", type=Path, metavar="FILE", help="a fault rules file, on top of the scenario's"
    )
    _add_tool_options(mcp)
    mcp.set_defaults(handler=_cmd_mcp, parser=mcp)

    importing = commands.add_parser(
        "import-apibank",
        help="import API-Bank's released data (its api-bank folder) as the api-bank scenarios",
    )
    importing.add_argument(
        "path", type=Path, metavar="PATH", help="the api-bank folder (with init_database/)"
    )
    importing.add_argument(
        "--home",
        type=Path,
        metavar="DIR",
        help="the apibench data home to write to (default: $APIBENCH_HOME, else "
        "$XDG_DATA_HOME/apibench, else ~/.local/share/apibench)",
    )
    importing.set_defaults(handler=_cmd_import_apibank, parser=importing)

    openenv = commands.add_parser(
        "openenv",
        help="serve episodes as an OpenEnv environment, one per client session (the openenv extra)",
    )
    openenv.add_argument("--host", default="127.0.0.1", help="interface (default: loopback)")
    openenv.add_argument("--port", type=int, default=8000, help="port (0: a free one)")
    openenv.add_argument("--scenario", metavar="ID", help="the scenario of a reset that names none")
    _add_tool_options(openenv)
    openenv.add_argument(
        "--max-sessions",
        type=_positive("--max-sessions"),
        default=16,
        metavar="N",
        help="concurrent client sessions at most (default 16)",
    )
    openenv.add_argument(
        "--server",
        metavar="URL",
        help=f"play the episodes on this apibench episode server (its token: ${TOKEN_VARIABLE})",
    )
    openenv.set_defaults(handler=_cmd_openenv, parser=openenv)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``apibench`` with ``argv`` (default: ``sys.argv[1:]``); returns the exit status.

    Usage errors (bad arguments, unknown scenarios or agents, malformed seeds) print a message
    and return 2.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        status: int = args.handler(args)
        return status
    except KeyboardInterrupt:
        print("\ninterrupted; an eval resumes where it stopped when run again", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`apibench list | head`): quietly, as other command-line tools
        # do. Python would flush stdout again at exit and fail once more: point it at devnull
        # (the recipe of the signal module's documentation).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)


if __name__ == "__main__":
    sys.exit(main())

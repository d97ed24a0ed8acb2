"""The sandbox a model's program runs in: bubblewrap, with namespaces, a bare filesystem and limits.

A program is untrusted code. :func:`sandbox_command` wraps its command line in `bubblewrap`_
(``bwrap``, the sandbox Flatpak uses; Debian/Ubuntu package ``bubblewrap``) so that it runs:

- in its own **network namespace**, holding only a loopback interface. The relay is reached
  through a Unix socket bound into the sandbox, carried to ``127.0.0.1:<relay port>`` there
  by :mod:`gym_apibench.llm.sandbox_init`; no host port (another service, an episode
  server's control plane, the internet) is reachable;
- in its own **PID namespace** (and IPC, UTS and cgroup namespaces): it sees only its own
  processes, and when it ends (or is killed at the time limit) the namespace ends and the
  kernel kills every process left in it, whatever they did with sessions and groups;
- as uid/gid 65534 in a **user namespace**, without capabilities, with ``no_new_privs``;
- on a **filesystem** that holds the language runtime read-only (``/usr`` and the Python or
  Node installation the host runs), the allowed libraries (:data:`PYTHON_LIBRARIES`, at
  ``/opt/apibench/site-packages``), a fresh ``/proc`` and ``/dev``, the program at
  ``/sandbox``, the init and relay socket at ``/opt/apibench``, and a size-limited scratch
  ``/tmp`` (its home and working directory); all of it read-only but ``/tmp``. Not
  bound: ``/etc`` (no ``/etc/passwd``), ``/home``, ``/root``, ``/var``, ``/work``, the
  project's source, its virtual environment, the scenarios, the apibench data home. Where a
  runtime directory that is bound holds site-packages (the host's installed libraries,
  apibench among them if installed there), an empty directory covers it;
- under **limits** set by the init process before it starts the program: file size, address
  space (Python; a JavaScript program gets a V8 heap limit), no core files; and a process
  (task) count: ``RLIMIT_NPROC`` counts the tasks of the sandbox's own user, but the kernel
  exempts uid 0 on the host, and bubblewrap maps the sandbox's user to whoever runs it, so
  when apibench runs as root the count is a cgroup's ``pids.max`` instead (:class:`TaskCap`).
  The time limit and the output limit are the caller's
  (:class:`gym_apibench.llm.sandbox.Program`).

:func:`sandbox_problem` says why a machine cannot run the sandbox (no ``bwrap``, or user
namespaces disabled), with how to fix it.

.. _bubblewrap: https://github.com/containers/bubblewrap
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import itertools
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "PYTHON_LIBRARIES",
    "SANDBOX_DIR",
    "Limits",
    "TaskCap",
    "sandbox_command",
    "sandbox_problem",
]

PYTHON_LIBRARIES = (
    "requests",
    "httpx",
    # their dependencies
    "urllib3",
    "idna",
    "certifi",
    "charset-normalizer",
    "httpcore",
    "h11",
    "anyio",
    "sniffio",
    "typing_extensions",
)
"""The libraries a Python program can import beyond the standard library: the HTTP clients a
plain user's script would use, and what they need. (Node programs get Node's built-ins,
``fetch`` among them.)"""

SANDBOX_DIR = "/sandbox"
"""Where the program (``main.py``/``main.js``) is bound, read-only."""
TOOLS_DIR = "/opt/apibench"
"""Where the init and the relay's socket are bound."""
SITE_DIR = f"{TOOLS_DIR}/site-packages"
SCRATCH = "/tmp"
UID = 65534
_INSTALL_HINT = (
    "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install "
    "bubblewrap; Arch: pacman -S bubblewrap), or run programs unisolated with "
    "--agent-option sandbox=none (recorded in the results; only for programs you trust)"
)


@dataclass(frozen=True)
class Limits:
    """What a program may use: ``memory_mb`` of address space (Python) or V8 heap (Node),
    ``processes`` tasks (threads count), ``scratch_mb`` of ``/tmp`` and of any one file."""

    memory_mb: int
    processes: int
    scratch_mb: int


def bwrap_path() -> str | None:
    """The ``bwrap`` executable on ``PATH``, if any."""
    return shutil.which("bwrap")


@functools.cache
def sandbox_problem() -> str | None:
    """Why programs cannot be sandboxed on this machine (with the fix), or ``None``.

    Runs a trial sandbox once per process: ``bwrap`` may be installed where user namespaces
    are not allowed (some container runtimes, Ubuntu's AppArmor restriction)."""
    bwrap = bwrap_path()
    if bwrap is None:
        return (
            "the code agent runs programs in a bubblewrap sandbox, and bwrap is not on PATH: "
            + _INSTALL_HINT
        )
    trial = [bwrap, *_namespaces(), "--ro-bind", "/", "/", "--proc", "/proc", "true"]
    try:
        done = subprocess.run(trial, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap could not run a trial sandbox ({exc}): {_INSTALL_HINT}"
    if done.returncode != 0:
        return (
            f"bwrap cannot create the sandbox's namespaces here ({done.stderr.strip()[:300]}); "
            "user namespaces must be allowed (sysctl user.max_user_namespaces > 0; on Ubuntu "
            "24.04+ kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for "
            f"bwrap; in a container, one that permits them). Otherwise: {_INSTALL_HINT}"
        )
    if os.geteuid() == 0 and _cgroup_base() is None:
        return (
            "apibench runs as root, where the kernel does not apply a process limit "
            "(RLIMIT_NPROC) to the sandbox's user, and no writable cgroup pids controller was "
            "found to apply it instead: run apibench as a non-root user, or on a machine with "
            f"cgroups mounted writable. Otherwise: {_INSTALL_HINT}"
        )
    return None


_COUNTER = itertools.count()


class TaskCap:
    """A cgroup holding one sandbox, with ``pids.max`` = ``tasks``: the process limit when
    apibench runs as root (see the module). :meth:`wrap` prefixes a command line so that it
    enters the cgroup before it execs; :meth:`remove` deletes the cgroup once the sandbox
    has ended."""

    def __init__(self, tasks: int) -> None:
        base = _cgroup_base()
        if base is None:
            raise RuntimeError("no writable cgroup pids controller")
        self.path = base / f"{os.getpid()}-{next(_COUNTER)}"
        self.path.mkdir()
        (self.path / "pids.max").write_text(str(tasks))

    def wrap(self, command: list[str]) -> list[str]:
        """``command`` run by a shell that first moves itself into the cgroup."""
        enter = 'echo $$ > "$0" && exec "$@"'
        return ["/bin/sh", "-c", enter, str(self.path / "cgroup.procs"), *command]

    def remove(self) -> None:
        """Delete the cgroup (its processes are gone: the sandbox's PID namespace ended)."""
        for _ in range(50):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.02)


@functools.cache
def _cgroup_base() -> Path | None:
    """A writable folder of the pids controller for sandboxes' cgroups, or ``None``."""
    if os.geteuid() != 0:
        return None
    for mount, own in _pids_mounts():
        base = Path(mount + own.rstrip("/")) / "apibench-sandbox"
        with contextlib.suppress(OSError):
            if own == "/" and (Path(mount) / "cgroup.subtree_control").exists():
                (Path(mount) / "cgroup.subtree_control").write_text("+pids")  # cgroup v2
            base.mkdir(exist_ok=True)
            if (base / "cgroup.subtree_control").exists():
                (base / "cgroup.subtree_control").write_text("+pids")
            _remove_stale(base)
            trial = base / f"trial-{os.getpid()}"
            trial.mkdir(exist_ok=True)
            usable = (trial / "pids.max").exists()
            trial.rmdir()
            if usable:
                return base
    return None


def _remove_stale(base: Path) -> None:
    """Delete the empty cgroups that processes no longer running left in ``base``."""
    for child in base.iterdir():
        pid = child.name.split("-")[0]
        if child.is_dir() and pid.isdigit() and not Path(f"/proc/{pid}").exists():
            with contextlib.suppress(OSError):
                child.rmdir()


def _pids_mounts() -> Iterable[tuple[str, str]]:
    """``(mount point, this process's cgroup path)`` of each hierarchy with a pids
    controller: cgroup v1's ``pids``, or a cgroup v2 one that offers it."""
    try:
        mountinfo = Path("/proc/self/mountinfo").read_text().splitlines()
        memberships = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return
    own: dict[str, str] = {}
    for line in memberships:
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            own[controller] = path
    for line in mountinfo:
        fields = line.split()
        tail = fields[fields.index("-") + 1 :]
        mount, kind, options = fields[4], tail[0], tail[2].split(",")
        if kind == "cgroup" and "pids" in options and "pids" in own:
            yield mount, own["pids"]
        elif kind == "cgroup2" and "" in own:
            offered = Path(mount + own[""], "cgroup.controllers")
            with contextlib.suppress(OSError):
                if "pids" in offered.read_text().split():
                    yield mount, own[""]


def _namespaces() -> list[str]:
    return ["--unshare-all", "--uid", str(UID), "--gid", str(UID), "--die-with-parent"]


def sandbox_command(
    argv: Sequence[str],
    *,
    lang: str,
    program_dir: Path,
    relay_socket: str,
    port: int,
    limits: Limits,
) -> list[str]:
    """The ``bwrap`` command line that runs ``argv`` (the program's command, with paths under
    :data:`SANDBOX_DIR`) in the sandbox. ``program_dir`` is bound at :data:`SANDBOX_DIR`;
    ``relay_socket`` is the relay's Unix socket, reached from inside at
    ``127.0.0.1:<port>``."""
    bwrap = bwrap_path()
    if bwrap is None:
        raise RuntimeError(sandbox_problem() or "bwrap is not on PATH")
    init = Path(__file__).with_name("sandbox_init.py")
    config = {
        "port": port,
        "socket": f"{TOOLS_DIR}/relay.sock",
        "limits": _rlimits(lang, limits),
        "argv": list(argv),
    }
    command = [bwrap, *_namespaces(), "--new-session", "--hostname", "sandbox"]
    command += _filesystem(lang)
    command += ["--proc", "/proc", "--dev", "/dev"]
    command += ["--size", str(limits.scratch_mb * 1024 * 1024), "--tmpfs", SCRATCH]
    command += ["--ro-bind", str(program_dir), SANDBOX_DIR]
    command += ["--ro-bind", str(init), f"{TOOLS_DIR}/init.py"]
    command += ["--bind", relay_socket, f"{TOOLS_DIR}/relay.sock"]
    command += ["--remount-ro", "/", "--chdir", SCRATCH, "--"]
    command += [python_executable(), "-I", "-S", f"{TOOLS_DIR}/init.py", json.dumps(config)]
    return command


def sandbox_env(lang: str) -> dict[str, str]:
    """The variables a sandboxed program needs on top of its task's: paths inside the sandbox."""
    runtime = python_executable() if lang == "python" else (shutil.which("node") or "")
    bin_dirs = dict.fromkeys([str(Path(runtime).parent), "/usr/local/bin", "/usr/bin", "/bin"])
    env = {"PATH": ":".join(bin_dirs), "HOME": SCRATCH, "TMPDIR": SCRATCH}
    if lang == "python":
        env["PYTHONPATH"] = SITE_DIR
    return env


def _rlimits(lang: str, limits: Limits) -> dict[str, int]:
    scratch = limits.scratch_mb * 1024 * 1024
    rlimits = {"RLIMIT_NPROC": limits.processes, "RLIMIT_FSIZE": scratch, "RLIMIT_CORE": 0}
    if lang == "python":
        rlimits["RLIMIT_AS"] = limits.memory_mb * 1024 * 1024
    return rlimits


def python_executable() -> str:
    """The real interpreter behind ``sys.executable`` (a virtual environment's is a link)."""
    return os.path.realpath(sys.executable)


@functools.cache
def _filesystem(lang: str) -> tuple[str, ...]:
    """The bind mounts of the runtime for ``lang``, with the host's libraries covered."""
    args: list[str] = []
    for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / top
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    binds = ["/usr"]
    runtimes = [Path(python_executable())]  # the init runs on Python whatever the lang
    node = shutil.which("node")
    if lang == "js" and node is not None:
        runtimes.append(Path(os.path.realpath(node)))
    for runtime in runtimes:
        prefix = str(runtime.parent.parent)  # <prefix>/bin/<executable>
        if not _under(prefix, binds):
            binds.append(prefix)
    for bind in binds:
        args += ["--ro-bind", bind, bind]
    node_modules = [f"{prefix}/lib/node_modules" for prefix in binds]  # npm's global packages
    for hidden in sorted({*_hidden(), *node_modules}, key=len):
        if _under(hidden, binds) and os.path.isdir(hidden):
            args += ["--tmpfs", hidden]
    if lang == "python":
        for source, name in _libraries(PYTHON_LIBRARIES):
            args += ["--ro-bind", source, f"{SITE_DIR}/{name}"]
    return tuple(args)


def _hidden() -> Iterable[str]:
    """Host paths a runtime's directory may contain and the sandbox must not show."""
    import site

    bases = {sys.base_prefix, sys.prefix, "/usr", "/usr/local"}
    for base in bases:
        paths = sysconfig.get_paths(vars={"base": base, "platbase": base})
        yield from (paths["purelib"], paths["platlib"])
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        yield from (f"{base}/lib/{version}/dist-packages", f"{base}/lib/python3/dist-packages")
    yield from site.getsitepackages()
    yield site.getusersitepackages()
    yield sys.prefix  # a virtual environment
    project = Path(__file__).resolve().parents[2]
    yield str(project)  # the source checkout, or the site-packages apibench is in
    yield os.path.expanduser("~")
    from mockapis.home import apibench_home

    yield str(apibench_home())


def _libraries(names: Iterable[str]) -> list[tuple[str, str]]:
    """``(host path, name)`` of each top-level module and metadata folder of the installed
    distributions among ``names`` (the ones not installed are left out)."""
    found: dict[str, str] = {}
    for name in names:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        root = Path(str(dist.locate_file("")))
        for file in dist.files or ():
            top = file.parts[0]
            if top in ("..", "__pycache__") or top.endswith(".data") or top in found:
                continue
            if (root / top).exists():
                found[top] = str(root / top)
    return sorted((path, top) for top, path in found.items())


def _under(path: str, roots: Iterable[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)

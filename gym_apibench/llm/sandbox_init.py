"""The first process inside a program's sandbox: the relay's port, the limits, then the program.

Run by the sandbox's interpreter in isolated mode (``python -I -S``), so it uses the standard
library alone and imports nothing of apibench (whose source the sandbox does not show). Its
one argument is a JSON object: ``port`` and ``socket`` (the relay), ``limits``
(``resource`` name -> value) and ``argv`` (the program's command line).

The sandbox has its own network namespace, holding only a loopback interface: nothing on the
host is reachable from it. This process listens on ``127.0.0.1:<port>`` there (the port the
program's relay URLs name) and carries each connection to the relay's Unix socket, bound
into the sandbox. It listens before the program starts, so the program's first request
finds it. The program runs as its child under the resource limits; this process exits
with the program's status (``128 + N`` when signal N killed it), and then the sandbox's
PID namespace ends, killing anything the program left behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import socket
import sys
import threading

BUFFER = 65536


def _pump(source: socket.socket, target: socket.socket) -> None:
    """Copy ``source`` to ``target`` until ``source`` ends; then end ``target``'s writing."""
    try:
        while data := source.recv(BUFFER):
            target.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)


def _carry(client: socket.socket, path: str) -> None:
    """One connection: the client's bytes to the relay's socket and back."""
    relay = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        relay.connect(path)
    except OSError:
        client.close()
        relay.close()
        return
    back = threading.Thread(target=_pump, args=(relay, client), daemon=True)
    back.start()
    _pump(client, relay)
    back.join()
    client.close()
    relay.close()


def _serve(listener: socket.socket, path: str) -> None:
    while True:
        client, _ = listener.accept()
        threading.Thread(target=_carry, args=(client, path), daemon=True).start()


def main(config: dict[str, object]) -> int:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", int(config["port"])))  # type: ignore[call-overload]
    listener.listen(128)
    argv = [str(part) for part in config["argv"]]  # type: ignore[attr-defined]
    limits = {str(k): int(v) for k, v in config["limits"].items()}  # type: ignore[attr-defined]
    child = os.fork()
    if child == 0:
        try:
            listener.close()
            for name, value in limits.items():
                resource.setrlimit(getattr(resource, name), (value, value))
            os.execv(argv[0], argv)
        except BaseException as exc:  # never run on as a second copy of this process
            print(f"apibench sandbox: cannot start the program: {exc}", file=sys.stderr)
        finally:
            os._exit(127)
    threading.Thread(target=_serve, args=(listener, str(config["socket"])), daemon=True).start()
    _, status = os.waitpid(child, 0)
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.stdout.flush()
    os._exit(main(json.loads(sys.argv[1])))

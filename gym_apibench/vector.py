"""Shared memory for :class:`~gym_apibench.spaces.HttpResponseSpace`, so that
``AsyncVectorEnv`` (and ``gym.make_vec(..., vectorization_mode="async")``) work with their
default ``shared_memory=True``.

Gymnasium's shared memory is fixed-size and HTTP responses are not, so each sub-env gets one
slot of :data:`SLOT_BYTES` in a shared byte array, holding its observation as UTF-8 JSON after
a 4-byte length. A larger observation (a file download, a big page) goes to the sub-env's
file in a temporary directory made with the array, and its slot holds :data:`_SPILLED`
instead of a length. The directory goes when the buffer does (garbage collection, or exit).

Importing :mod:`gym_apibench` imports this module, which registers the three functions with
Gymnasium's single-dispatch functions, in worker processes too (they unpickle the env's
spaces, which imports the package).
"""

from __future__ import annotations

import ctypes
import json
import multiprocessing
import os
import shutil
import struct
import tempfile
import weakref
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any, overload

from gymnasium.vector.utils import (
    create_shared_memory,
    read_from_shared_memory,
    write_to_shared_memory,
)

from gym_apibench.spaces import HttpResponseSpace

__all__ = ["SLOT_BYTES", "ResponseBuffer", "Responses"]

SLOT_BYTES = 256 * 1024
"""Bytes of shared memory per sub-env; a larger observation is passed through a file."""

_HEADER = struct.Struct("<I")
_SPILLED = 0xFFFFFFFF
"""The length field of a slot whose observation is in the sub-env's spill file."""


def _encode(observation: Any) -> bytes:
    # surrogatepass: a body string is passed on exactly, whatever code points it holds.
    text = json.dumps(dict(observation), ensure_ascii=False, separators=(",", ":"), default=int)
    return text.encode("utf-8", "surrogatepass")


def _decode(data: bytes) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(data.decode("utf-8", "surrogatepass"))
    return value


def _remove_if_owner(path: str, owner: int) -> None:
    # A forked worker inherits the buffer: only the process that made the directory removes it.
    if os.getpid() == owner:
        shutil.rmtree(path, ignore_errors=True)


class ResponseBuffer:
    """The shared memory of ``n`` sub-envs' observations: a slot each, plus spill files.

    Made by ``create_shared_memory`` in the main process and passed to every worker (pickled
    when processes are spawned, inherited when forked).
    """

    def __init__(self, n: int, ctx: ModuleType | Any, slot: int = SLOT_BYTES) -> None:
        if slot <= _HEADER.size:
            raise ValueError(f"a slot holds at least {_HEADER.size + 1} bytes; got {slot}")
        self.n = n
        self.slot = slot
        # lock=False: each slot has one writer (its worker), read only once the worker has
        # answered through its pipe, so no lock is needed.
        self.array: ctypes.Array[ctypes.c_uint8] = ctx.Array(ctypes.c_uint8, n * slot, lock=False)
        self.spill_dir = tempfile.mkdtemp(prefix="apibench-vector-")
        self._cleanup = weakref.finalize(self, _remove_if_owner, self.spill_dir, os.getpid())

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["_cleanup"]  # the creating process alone removes the directory
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def _spill_path(self, index: int) -> str:
        return os.path.join(self.spill_dir, f"{index}.json")

    def _view(self, index: int) -> memoryview:
        if not 0 <= index < self.n:
            raise IndexError(f"sub-env index {index} out of range for {self.n} sub-envs")
        return memoryview(self.array).cast("B")[index * self.slot : (index + 1) * self.slot]

    def write(self, index: int, observation: Any) -> None:
        """Store sub-env ``index``'s observation (in its slot, or its spill file)."""
        data = _encode(observation)
        view = self._view(index)
        if _HEADER.size + len(data) <= self.slot:
            view[_HEADER.size : _HEADER.size + len(data)] = data
            view[: _HEADER.size] = _HEADER.pack(len(data))
            return
        with open(self._spill_path(index), "wb") as handle:
            handle.write(data)
        view[: _HEADER.size] = _HEADER.pack(_SPILLED)

    def read(self, index: int) -> dict[str, Any]:
        """Sub-env ``index``'s last observation, decoded afresh."""
        view = self._view(index)
        (length,) = _HEADER.unpack(view[: _HEADER.size])
        if length == _SPILLED:
            with open(self._spill_path(index), "rb") as handle:
                return _decode(handle.read())
        return _decode(bytes(view[_HEADER.size : _HEADER.size + length]))

    def close(self) -> None:
        """Remove the spill directory now (else at garbage collection or exit)."""
        self._cleanup()


class Responses(Sequence[dict[str, Any]]):
    """The sub-envs' observations in a :class:`ResponseBuffer`, decoded on access.

    This is what a vector env holds; what it returns with ``copy=True`` (the default) is its
    ``deepcopy``: a tuple of plain observation dicts, as without shared memory. With
    ``copy=False`` it returns this view, whose items change with the next step.
    """

    def __init__(self, buffer: ResponseBuffer) -> None:
        self.buffer = buffer

    def __len__(self) -> int:
        return self.buffer.n

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[dict[str, Any], ...]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | tuple[dict[str, Any], ...]:
        if isinstance(index, slice):
            return tuple(self.buffer.read(i) for i in range(self.buffer.n)[index])
        return self.buffer.read(range(self.buffer.n)[index])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self.buffer.read(i) for i in range(self.buffer.n))

    def __deepcopy__(self, memo: dict[int, Any]) -> tuple[dict[str, Any], ...]:
        return tuple(self)

    def __repr__(self) -> str:
        return f"Responses({self.buffer.n} sub-envs)"


@create_shared_memory.register(HttpResponseSpace)
def _create(
    space: HttpResponseSpace, n: int = 1, ctx: ModuleType | Any = multiprocessing
) -> ResponseBuffer:
    return ResponseBuffer(n, ctx, SLOT_BYTES)  # read now: tests shrink it


@read_from_shared_memory.register(HttpResponseSpace)
def _read(space: HttpResponseSpace, shared_memory: ResponseBuffer, n: int = 1) -> Responses:
    return Responses(shared_memory)


@write_to_shared_memory.register(HttpResponseSpace)
def _write(space: HttpResponseSpace, index: int, value: Any, shared_memory: ResponseBuffer) -> None:
    shared_memory.write(index, value)

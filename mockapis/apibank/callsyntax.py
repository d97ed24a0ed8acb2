"""API-Bank's call syntax ``[ApiName(key='value', ...)]`` and OpenAI-style function calls.

API-Bank's own parser (a regex, ``api_call_extraction.parse_api_call``) stops a quoted value at
the first quote, so it breaks on apostrophes (``'Let's go'``) and on the quoted lists its own
gold data writes (``attendees='['John', 'Jane']'``). This one scans instead: a quote that
opened a value closes it only where what follows can continue the call (``, key=``, the call's
``)`` and then ``]``, or a list/dict separator inside a literal); any other quote of the same
kind is part of the value. So both examples parse to the strings a person means, and a
malformed call is a :class:`CallSyntaxError` that says where and what was expected.

Values: quoted strings (``\\``-escapes as in Python: ``\\'``, ``\\"``, ``\\\\``, ``\\n``,
``\\t``, ``\\r``, ``\\uXXXX``), integers and floats, ``True``/``False``/``None`` (also
``true``/``false``/``null``), list and dict literals (nested), and bare words (the text up to
the next ``,`` or ``)``, as a string, as API-Bank's ``key=value`` form gives). Values keep the
type written: ``'5'`` is the string "5", ``5`` the integer; converting to each parameter's
declared type is the service's parameter checking, not this module's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MAX_DEPTH",
    "ApiCall",
    "CallSyntaxError",
    "format_call",
    "parse_call",
    "parse_calls",
    "parse_function_call",
    "parse_literal",
    "parse_request",
]


class CallSyntaxError(ValueError):
    """A call that cannot be parsed; ``position`` is the offset in the text, when known."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message if position is None else f"{message} (at offset {position})")
        self.message = message
        self.position = position


@dataclass(frozen=True)
class ApiCall:
    """One parsed call: the API's name and its arguments, in the order written."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)


_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_IDENT_RE = re.compile(_IDENT)
_CALL_START = re.compile(rf"\[\s*({_IDENT})\s*\(")
_BARE_CALL_START = re.compile(rf"\s*({_IDENT})\s*\(")
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
_CONSTANTS: dict[str, Any] = {
    "True": True,
    "False": False,
    "None": None,
    "true": True,
    "false": False,
    "null": None,
}
MAX_DEPTH = 64
"""How deep list and dict literals may nest in a value."""
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0"}

# What may follow the closing quote of a string, by where the string stands. A quote of the
# opening kind followed by anything else belongs to the string (apostrophes, nested quotes).
_AFTER_ARG = re.compile(
    rf"\s*(?:,\s*{_IDENT}\s*=|,?\s*\)\s*(?:\]|,\s*{_IDENT}\s*\(|$))",
)
_AFTER_ITEM = re.compile(r"\s*[,\]]")
_AFTER_KEY = re.compile(r"\s*:")
_AFTER_VALUE = re.compile(r"\s*[,}]")
_AFTER_LITERAL = re.compile(r"\s*$")


class _Scanner:
    """A cursor over the text with the grammar's productions as methods."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0

    def enter(self) -> None:
        """One level deeper into a list or dict literal (bounded: no recursion overflow)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CallSyntaxError(f"literals nest at most {MAX_DEPTH} levels deep", self.pos)

    # -- low level ------------------------------------------------------------------------

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, char: str, what: str) -> None:
        self.skip_ws()
        if self.peek() != char:
            found = repr(self.peek()) if self.peek() else "the end of the text"
            raise CallSyntaxError(f"expected {what}, found {found}", self.pos)
        self.pos += 1

    def ident(self, what: str) -> str:
        self.skip_ws()
        match = _IDENT_RE.match(self.text, self.pos)
        if match is None:
            found = repr(self.peek()) if self.peek() else "the end of the text"
            raise CallSyntaxError(f"expected {what}, found {found}", self.pos)
        self.pos = match.end()
        return match.group()

    # -- calls ----------------------------------------------------------------------------

    def call(self) -> ApiCall:
        """``Name(key=value, ...)`` from the current position."""
        name = self.ident("an API name")
        self.expect("(", f"'(' after the API name {name!r}")
        args: dict[str, Any] = {}
        self.skip_ws()
        if self.peek() == ")":
            self.pos += 1
            return ApiCall(name, args)
        while True:
            key_at = self.pos
            key = self.ident("a parameter name (calls take key=value arguments)")
            self.expect("=", f"'=' after the parameter name {key!r}")
            if key in args:
                raise CallSyntaxError(f"parameter {key!r} is given twice", key_at)
            args[key] = self.value(_AFTER_ARG, stops=",)")
            self.skip_ws()
            if self.peek() == ",":
                self.pos += 1
                self.skip_ws()
                if self.peek() == ")":  # a trailing comma
                    self.pos += 1
                    return ApiCall(name, args)
                continue
            self.expect(")", f"',' or ')' after the value of {key!r}")
            return ApiCall(name, args)

    # -- values ---------------------------------------------------------------------------

    def value(self, after: re.Pattern[str], stops: str) -> Any:
        """One value; ``after`` says what may follow a closing quote, ``stops`` which
        characters end a bare word."""
        self.skip_ws()
        char = self.peek()
        if not char:
            raise CallSyntaxError("expected a value, found the end of the text", self.pos)
        if char in "'\"":
            return self.string(after)
        if char in "[{":
            self.enter()
            found = self.list_literal() if char == "[" else self.dict_literal()
            self.depth -= 1
            return found
        return self.scalar(stops)

    def string(self, after: re.Pattern[str]) -> str:
        """A quoted string closed by the first quote of its kind that ``after`` accepts
        (else, for a clear error later, by the first quote of its kind)."""
        quote, start = self.text[self.pos], self.pos
        self.pos += 1
        chunks: list[str] = []
        fallback: tuple[int, int] | None = None  # (end offset, chunk count) at the first quote
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                chunks.append(self.escape())
                continue
            if char == quote:
                if after.match(self.text, self.pos + 1):
                    self.pos += 1
                    return "".join(chunks)
                if fallback is None:
                    fallback = (self.pos + 1, len(chunks))
            chunks.append(char)
            self.pos += 1
        if fallback is not None:
            self.pos, count = fallback
            return "".join(chunks[:count])
        raise CallSyntaxError(f"unterminated string: no closing {quote}", start)

    def escape(self) -> str:
        """The character(s) of the escape sequence at the cursor (a backslash)."""
        nxt = self.text[self.pos + 1]
        if nxt == "u":
            digits = self.text[self.pos + 2 : self.pos + 6]
            if len(digits) == 4 and all(c in "0123456789abcdefABCDEF" for c in digits):
                self.pos += 6
                return chr(int(digits, 16))
        if nxt in _ESCAPES:
            self.pos += 2
            return _ESCAPES[nxt]
        self.pos += 2  # an unknown escape keeps its backslash, as Python does
        return "\\" + nxt

    def scalar(self, stops: str) -> Any:
        """A number, a constant, or a bare word (up to the next character of ``stops``)."""
        start = self.pos
        end = start
        while end < len(self.text) and self.text[end] not in stops:
            end += 1
        word = self.text[start:end].strip()
        if not word:
            raise CallSyntaxError("expected a value", start)
        self.pos = start + len(self.text[start:end].rstrip())
        if word in _CONSTANTS:
            return _CONSTANTS[word]
        if _NUMBER.fullmatch(word):
            number = float(word)
            is_int = all(c not in word for c in ".eE")
            return int(word) if is_int else number
        return word

    def list_literal(self) -> list[Any]:
        """``[v, ...]`` (a trailing comma allowed)."""
        self.pos += 1
        items: list[Any] = []
        while True:
            self.skip_ws()
            if self.peek() == "]":
                self.pos += 1
                return items
            items.append(self.value(_AFTER_ITEM, stops=",])"))
            self.skip_ws()
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("]", "',' or ']' in a list")
            return items

    def dict_literal(self) -> dict[Any, Any]:
        """``{k: v, ...}`` (a trailing comma allowed)."""
        self.pos += 1
        items: dict[Any, Any] = {}
        while True:
            self.skip_ws()
            if self.peek() == "}":
                self.pos += 1
                return items
            key = self.value(_AFTER_KEY, stops=":})")
            if isinstance(key, list | dict):
                raise CallSyntaxError("a dict key must be a string or a number", self.pos)
            self.expect(":", "':' after a dict key")
            items[key] = self.value(_AFTER_VALUE, stops=",})")
            self.skip_ws()
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("}", "',' or '}' in a dict")
            return items


def parse_calls(text: str) -> list[ApiCall]:
    """Every call in ``text``: each ``[Name(...)]`` (or ``[A(...), B(...)]``) in order.

    Text around the calls is ignored (``API-Request: [...]``). Text that is a single call
    without brackets (``Name(k='v')``) is accepted too. No call at all is an error.
    """
    calls: list[ApiCall] = []
    pos = 0
    while (match := _CALL_START.search(text, pos)) is not None:
        scanner = _Scanner(text)
        scanner.pos = match.start() + 1
        while True:
            calls.append(scanner.call())
            scanner.skip_ws()
            if scanner.peek() == ",":
                scanner.pos += 1
                continue
            scanner.expect("]", "']' after the call (or ',' and another call)")
            break
        pos = scanner.pos
    if calls:
        return calls
    if _BARE_CALL_START.match(text):
        scanner = _Scanner(text)
        call = scanner.call()
        scanner.skip_ws()
        if scanner.pos == len(text):
            return [call]
        raise CallSyntaxError("unexpected text after the call", scanner.pos)
    raise CallSyntaxError(
        "no API call found; expected [ApiName(key='value', ...)]", 0 if text else None
    )


def parse_call(text: str) -> ApiCall:
    """The one call in ``text`` (an error when there is none or more than one)."""
    calls = parse_calls(text)
    if len(calls) != 1:
        names = ", ".join(c.name for c in calls)
        raise CallSyntaxError(f"expected one API call, found {len(calls)}: {names}")
    return calls[0]


def parse_literal(text: str) -> Any:
    """A value written as in a call (``"['O'Brien', 'Li']"`` -> ``["O'Brien", "Li"]``).

    For string parameters that hold a list or dict literal: API-Bank converts those by
    swapping quotes and reading JSON, which fails on apostrophes; this does not.
    """
    scanner = _Scanner(text)
    value = scanner.value(_AFTER_LITERAL, stops="")
    scanner.skip_ws()
    if scanner.pos != len(text):
        raise CallSyntaxError("unexpected text after the value", scanner.pos)
    return value


def _decode_json(payload: str | bytes) -> Any:
    try:
        return json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CallSyntaxError(f"the function call is not valid JSON: {exc}") from None


def parse_function_call(payload: str | bytes | Mapping[str, Any]) -> ApiCall:
    """An OpenAI-style function call: ``{"name": ..., "arguments": {...} or "<JSON>"}``.

    Also accepted: the tool-call wrapper ``{"type": "function", "function": {...}}`` (or
    just ``{"function": {...}}``). ``arguments`` may be absent, null or empty for none.
    """
    data = payload if isinstance(payload, Mapping) else _decode_json(payload)
    if not isinstance(data, Mapping):
        raise CallSyntaxError("a function call must be a JSON object with 'name' and 'arguments'")
    if "name" not in data and isinstance(data.get("function"), Mapping):
        data = data["function"]
    name = data.get("name")
    if not isinstance(name, str) or not _IDENT_RE.fullmatch(name):
        raise CallSyntaxError(
            "a function call needs 'name': the API's name as a string, got " + json.dumps(name)
        )
    unknown = sorted(set(data) - {"name", "arguments", "id", "type"})
    if unknown:
        raise CallSyntaxError(
            f"unknown field(s) in the function call: {', '.join(unknown)}; "
            "expected 'name' and 'arguments'"
        )
    arguments = data.get("arguments")
    if arguments is None or arguments == "":
        return ApiCall(name, {})
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except json.JSONDecodeError as exc:
            raise CallSyntaxError(f"'arguments' is not valid JSON: {exc}") from None
    if not isinstance(arguments, Mapping):
        raise CallSyntaxError(
            "'arguments' must be a JSON object of parameters (or a string holding one)"
        )
    return ApiCall(name, dict(arguments))


def parse_request(text: str | bytes) -> ApiCall:
    """One call from a request body: a JSON object is a function call, anything else the
    call syntax."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CallSyntaxError(f"the body is not UTF-8 text: {exc}") from None
    if text.lstrip().startswith("{"):
        return parse_function_call(text)
    return parse_call(text)


def _format_value(value: Any, escape_quotes: bool) -> str:
    if isinstance(value, str):
        text = value.replace("\\", "\\\\")
        return "'" + (text.replace("'", "\\'") if escape_quotes else text) + "'"
    if isinstance(value, list):
        return "[" + ", ".join(_format_value(v, escape_quotes) for v in value) + "]"
    if isinstance(value, dict):
        pairs = (
            f"{_format_value(k, escape_quotes)}: {_format_value(v, escape_quotes)}"
            for k, v in value.items()
        )
        return "{" + ", ".join(pairs) + "}"
    return repr(value)


def _render(name: str, args: Mapping[str, Any], escape_quotes: bool) -> str:
    inner = ", ".join(f"{key}={_format_value(value, escape_quotes)}" for key, value in args.items())
    return f"[{name}({inner})]"


def format_call(name: str, args: Mapping[str, Any]) -> str:
    """``[Name(key='value', ...)]``, the way API-Bank writes calls (strings in single quotes,
    apostrophes left as they are); :func:`parse_call` reads it back to the same values. Only
    where a value holds a quote that would read as its end (``"a', b='c"``) are quotes
    escaped (``\\'``)."""
    text = _render(name, args, escape_quotes=False)
    try:
        if parse_call(text) == ApiCall(name, dict(args)):
            return text
    except CallSyntaxError:
        pass
    return _render(name, args, escape_quotes=True)

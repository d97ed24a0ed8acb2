"""split_url: the hand-written splitter agrees with urllib on every absolute URL."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockapis.asgi import split_url


@pytest.mark.parametrize(
    "url",
    [
        "https://api.attio.com/v2/x?a=1#frag",
        "http://127.0.0.1:8080/attio/v2",
        "https://h",
        "https://h?q=1",
        "HTTPS://API.Attio.com/V2",
        "http://user:pw@[::1]:9/x",
        "https://h/a?b?c#d",
    ],
)
def test_agrees_with_urllib(url):
    ours, ref = split_url(url), urlsplit(url)
    assert ours.scheme == ref.scheme.lower()
    assert ours.host == (f"[{ref.hostname}]" if ":" in (ref.hostname or "") else ref.hostname)
    assert ours.port == (ref.port or (443 if ref.scheme.lower() == "https" else 80))
    assert ours.path == (ref.path or "/")
    assert ours.query == ref.query


@pytest.mark.parametrize("url", ["nope", "://h/x", "https://", "http://h:99999/", "/v2", "h/x"])
def test_rejects_what_is_not_absolute(url):
    with pytest.raises(ValueError):
        split_url(url)


segment = st.text("abcXYZ019-._~%", min_size=0, max_size=8)


@given(
    host=st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5}){0,2}", fullmatch=True),
    port=st.one_of(st.none(), st.integers(1, 65535)),
    path=st.lists(segment, max_size=4),
    query=st.one_of(st.none(), st.text("a=b&c%", max_size=10)),
)
def test_round_trip(host, port, path, query):
    url = f"https://{host}{'' if port is None else f':{port}'}/{'/'.join(path)}"
    if query is not None:
        url += "?" + query
    parts = split_url(url)
    assert parts.host == host
    assert parts.port == (port or 443)
    assert parts.path == "/" + "/".join(path)
    assert parts.query == (query or "")

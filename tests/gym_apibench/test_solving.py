"""Credentials as the task gives them: every service's type is a documented one."""

from __future__ import annotations

import pytest

from gym_apibench.solving import (
    FLOW_CREDENTIALS,
    SolutionError,
    auth_headers,
    retry_after,
    server_time,
)
from mockapis.registry import services
from mockapis.world import World

STATIC = {"none", "bearer", "api_key", "raw", "basic"}


@pytest.mark.parametrize("name", sorted(services()))
def test_every_service_gives_credentials_of_a_documented_type(name: str) -> None:
    service = services()[name]
    credentials = service.seed(World(seed=0), service.default_sizes)
    assert credentials["type"] in STATIC | FLOW_CREDENTIALS
    headers = auth_headers(credentials)
    # A flow type has no static header: the agent must run the flow the spec describes.
    assert (headers == {}) == (credentials["type"] in FLOW_CREDENTIALS | {"none"})


def test_an_unknown_type_has_no_header_form() -> None:
    with pytest.raises(SolutionError, match="'kerberos'"):
        auth_headers({"type": "kerberos"})


def test_server_time_reads_the_date_header_in_any_case() -> None:
    obs = {"headers": {"DATE": "Mon, 15 Jan 2024 09:00:07 GMT"}}
    now = server_time(obs)
    assert now is not None and now.isoformat() == "2024-01-15T09:00:07+00:00"
    assert server_time({"headers": {"date": "yesterday"}}) is None
    assert server_time({"headers": {}}) is None


def test_retry_after_as_seconds_or_as_a_date_against_the_servers_date() -> None:
    assert retry_after({"headers": {"Retry-After": "3"}}) == 3.0
    dated = {
        "Retry-After": "Mon, 15 Jan 2024 09:00:10 GMT",
        "Date": "Mon, 15 Jan 2024 09:00:07 GMT",
    }
    assert retry_after({"headers": dated}) == 3.0
    assert retry_after({"headers": {"Retry-After": "Mon, 15 Jan 2024 09:00:10 GMT"}}) is None
    assert retry_after({"headers": {}}) is None

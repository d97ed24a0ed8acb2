"""Credentials as the task gives them: every service's type is a documented one."""

from __future__ import annotations

import pytest

from gym_apibench.solving import FLOW_CREDENTIALS, SolutionError, auth_headers
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

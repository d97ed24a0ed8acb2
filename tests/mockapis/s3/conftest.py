"""Fixtures driving the S3 service in-process, signing requests with botocore's SigV4 signer."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from unittest import mock

import pytest
from botocore.auth import HmacV1QueryAuth, S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from mockapis.gateway import Gateway
from mockapis.s3 import SERVICE
from mockapis.world import World
from tests.inprocess import Reply, call

BASE = "https://s3.amazonaws.com"


class S3Client:
    """One seeded world; ``request`` signs with the seeded key at the episode clock's time."""

    def __init__(self, seed: int = 0, min_part_size: int = 5) -> None:
        self.world = World(seed)
        sizes = {**SERVICE.default_sizes, "min_part_size": min_part_size}
        self.creds = SERVICE.seed(self.world, sizes)
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)

    def signed(
        self, method: str, url: str, body: bytes = b"", headers: dict[str, str] | None = None,
        *, secret: str | None = None, offset: float = 0.0, payload: str | None = None,
    ) -> AWSRequest:  # fmt: skip
        creds = Credentials(self.creds["access_key_id"], secret or self.creds["secret_access_key"])
        req = AWSRequest(method, BASE + url, data=body, headers=dict(headers or {}))
        unsigned = payload == "UNSIGNED-PAYLOAD"
        req.context["client_config"] = Config(s3={"payload_signing_enabled": not unsigned})
        auth = S3SigV4Auth(creds, "s3", "us-east-1")
        with _at(self.world.clock.now + offset):
            auth.add_auth(req)
        assert req.headers["x-amz-content-sha256"] == (
            "UNSIGNED-PAYLOAD" if unsigned else hashlib.sha256(body).hexdigest()
        )
        if payload is not None and not unsigned:  # a bad value, after signing
            req.headers.replace_header("x-amz-content-sha256", payload)
        return req

    def presign(self, url: str, expires: int = 60) -> str:
        creds = Credentials(self.creds["access_key_id"], self.creds["secret_access_key"])
        req = AWSRequest("GET", BASE + url)
        auth = S3SigV4QueryAuth(creds, "s3", "us-east-1", expires=expires)
        with _at(self.world.clock.now):
            auth.add_auth(req)
        return str(req.url)

    def presign_v2(self, url: str, expires: int = 60) -> str:
        """A SigV2 presigned GET, as boto3's default config makes in us-east-1."""
        creds = Credentials(self.creds["access_key_id"], self.creds["secret_access_key"])
        req = AWSRequest("GET", BASE + url)
        at = int(self.world.clock.now) + expires

        class Signer(HmacV1QueryAuth):
            def _get_date(self) -> str:  # the episode clock's, not time.time()'s
                return str(at)

        Signer(creds, expires).add_auth(req)
        return str(req.url)

    def send(self, req: AWSRequest, **overrides: Any) -> Reply:
        body = req.body if isinstance(req.body, bytes) else (req.body or b"")
        headers = [(k.lower(), v) for k, v in req.headers.items()]
        headers.append(("content-length", str(len(body))))
        return call(
            self.gateway,
            overrides.get("method", req.method),
            overrides.get("url", req.url),
            headers,
            overrides.get("body", body),
        )

    def request(self, method: str, url: str, body: bytes = b"", **kw: Any) -> Reply:
        return self.send(self.signed(method, url, body, kw.pop("headers", None)))


def _at(seconds: float) -> Any:
    """botocore's signers, made to read ``seconds`` as the current time."""
    moment = dt.datetime.fromtimestamp(seconds, tz=dt.UTC).replace(tzinfo=None)
    return mock.patch("botocore.auth.get_current_datetime", lambda: moment)


@pytest.fixture
def s3() -> S3Client:
    return S3Client(0)

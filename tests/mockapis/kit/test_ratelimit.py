"""Rate-limit header builders: Retry-After, IETF RateLimit fields, GitHub's x-ratelimit-*."""

from __future__ import annotations

import email.utils

import pytest

from mockapis.clock import NS_PER_SECOND, VirtualClock
from mockapis.kit import (
    QuotaPolicy,
    github_ratelimit,
    http_date,
    ratelimit,
    ratelimit_policy,
    retry_after,
    retry_after_at,
)

EPOCH_NS = 1_700_000_000 * NS_PER_SECOND


def test_retry_after_seconds() -> None:
    assert retry_after(30) == {"Retry-After": "30"}
    assert retry_after(0) == {"Retry-After": "0"}
    with pytest.raises(ValueError, match="seconds must be >= 0; got -1"):
        retry_after(-1)


def test_http_date_is_an_imf_fixdate_of_the_virtual_time() -> None:
    assert http_date(EPOCH_NS) == "Tue, 14 Nov 2023 22:13:20 GMT"
    assert http_date(EPOCH_NS + 999_999_999) == "Tue, 14 Nov 2023 22:13:20 GMT"  # whole seconds
    parsed = email.utils.parsedate_to_datetime(http_date(EPOCH_NS))
    assert parsed.timestamp() == 1_700_000_000


def test_retry_after_at_a_clock_instant() -> None:
    clock = VirtualClock(EPOCH_NS)
    clock.advance(90)
    assert retry_after_at(clock.now_ns) == {"Retry-After": "Tue, 14 Nov 2023 22:14:50 GMT"}


# -- IETF draft fields -------------------------------------------------------------------------


def test_ratelimit_field() -> None:
    assert ratelimit("default", remaining=50, reset=30) == {"RateLimit": '"default";r=50;t=30'}
    assert ratelimit("burst", remaining=0) == {"RateLimit": '"burst";r=0'}


def test_ratelimit_field_with_partition_key_as_byte_sequence() -> None:
    header = ratelimit("daily", remaining=9, reset=5, partition_key=b"user-42")
    assert header == {"RateLimit": '"daily";r=9;t=5;pk=:dXNlci00Mg==:'}


def test_ratelimit_policy_field() -> None:
    header = ratelimit_policy(QuotaPolicy("default", quota=100, window=60))
    assert header == {"RateLimit-Policy": '"default";q=100;w=60'}


def test_ratelimit_policy_lists_several_policies_with_units() -> None:
    header = ratelimit_policy(
        QuotaPolicy("burst", quota=100, window=60),
        QuotaPolicy("bytes", quota=10_000, window=86_400, unit="content-bytes"),
        QuotaPolicy("open", quota=5),
    )
    assert header["RateLimit-Policy"] == (
        '"burst";q=100;w=60, "bytes";q=10000;qu="content-bytes";w=86400, "open";q=5'
    )


def test_policy_names_are_escaped_structured_strings() -> None:
    assert QuotaPolicy('a"b\\c', quota=1).item() == '"a\\"b\\\\c";q=1'


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: ratelimit("x", remaining=-1), "remaining must be between 0 and"),
        (lambda: ratelimit("x", remaining=1, reset=10**15), "reset must be between 0 and"),
        (lambda: ratelimit("naïve", remaining=1), "printable ASCII only"),
        (lambda: QuotaPolicy("x", quota=-5).item(), "quota must be between 0 and"),
        (lambda: QuotaPolicy("x", quota=5, unit="tokens").item(), "unit must be one of requests"),
        (lambda: ratelimit_policy(), "at least one policy"),
    ],
)
def test_invalid_ratelimit_values_are_refused(build, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


# -- GitHub ------------------------------------------------------------------------------------


def test_github_headers() -> None:
    headers = github_ratelimit(limit=5000, remaining=4990, reset_at=1_700_003_600)
    assert headers == {
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "4990",
        "x-ratelimit-reset": "1700003600",
        "x-ratelimit-used": "10",
        "x-ratelimit-resource": "core",
    }


def test_github_headers_for_another_resource_and_explicit_used() -> None:
    headers = github_ratelimit(limit=30, remaining=0, reset_at=1, resource="search", used=31)
    assert (headers["x-ratelimit-resource"], headers["x-ratelimit-used"]) == ("search", "31")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"limit": 10, "remaining": 11, "reset_at": 0}, "remaining must be between 0 and limit"),
        ({"limit": 10, "remaining": -1, "reset_at": 0}, "remaining must be between 0 and limit"),
        ({"limit": -1, "remaining": 0, "reset_at": 0}, "limit must be >= 0"),
        ({"limit": 1, "remaining": 0, "reset_at": -5}, "reset_at must be >= 0"),
    ],
)
def test_github_headers_refuse_inconsistent_values(kwargs, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        github_ratelimit(**kwargs)

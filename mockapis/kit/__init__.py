"""Shared pieces every service uses: auth, pagination, parsing, rate-limit headers, errors."""

from mockapis.kit.errors import ApiError

__all__ = ["ApiError"]

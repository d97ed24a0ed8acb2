"""Deterministic RSA key pairs for the seeded RSA-SHA1 consumers (same seed, same key).

Finding two 512-bit primes in Python takes about half a second on a slow machine, far too
long for a reset, so worlds draw their keys from a pool made once by :func:`rsa_key_pair`
and shipped as ``rsa_keys.json`` (``python -m mockapis.ledgerly.keys`` remakes it,
``--check`` verifies it): :func:`pooled_key_pair` picks from it by a seed.
"""

from __future__ import annotations

import functools
import json
import random
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mockapis.shipped import remake
from mockapis.world import derive_seed

__all__ = ["KEYS_PATH", "POOL_SIZE", "generate", "pool_seed", "pooled_key_pair", "rsa_key_pair"]

KEYS_PATH = Path(__file__).with_name("rsa_keys.json")
POOL_SIZE = 24
"""Key pairs in the pool: a world's consumers draw distinct ones from it."""

_SMALL_PRIMES = (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73)
_E = 65537


def _probably_prime(n: int, rng: random.Random, rounds: int = 32) -> bool:
    """Miller-Rabin with ``rounds`` witnesses drawn from ``rng``."""
    if any(n % p == 0 for p in _SMALL_PRIMES):
        return n in _SMALL_PRIMES
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(rounds):
        x = pow(rng.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(rng: random.Random, bits: int) -> int:
    while True:
        # Top two bits set (the modulus has exactly 2 * bits bits), odd.
        candidate = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if (candidate - 1) % _E and _probably_prime(candidate, rng):
            return candidate


def rsa_key_pair(seed: int, bits: int = 1024) -> tuple[str, str]:
    """``(private_pem, public_pem)`` of an RSA key drawn from ``seed`` (PKCS#8 and SPKI).

    ``cryptography`` only generates keys from the OS's randomness, so the primes are found
    here from a seeded RNG and handed to it as numbers: every world of a seed has one key.
    """
    rng = random.Random(seed)
    p = _prime(rng, bits // 2)
    q = _prime(rng, bits // 2)
    while q == p:
        q = _prime(rng, bits // 2)
    d = pow(_E, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=rsa.rsa_crt_dmp1(d, p),
        dmq1=rsa.rsa_crt_dmq1(d, q),
        iqmp=rsa.rsa_crt_iqmp(p, q),
        public_numbers=rsa.RSAPublicNumbers(_E, p * q),
    )
    key = numbers.private_key()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def pool_seed(i: int) -> int:
    """The seed pair ``i`` of the pool is drawn from."""
    return derive_seed("ledgerly", "rsa-pool", i)


def generate(count: int = POOL_SIZE) -> list[tuple[str, str]]:
    """The pool: ``count`` key pairs, each drawn by :func:`rsa_key_pair` from a fixed seed."""
    return [rsa_key_pair(pool_seed(i)) for i in range(count)]


@functools.cache
def _pool() -> tuple[tuple[str, str], ...]:
    with KEYS_PATH.open(encoding="utf-8") as handle:
        return tuple((pair[0], pair[1]) for pair in json.load(handle))


def pooled_key_pair(index: int) -> tuple[str, str]:
    """``(private_pem, public_pem)``: pair ``index`` (modulo the pool's size) of the pool."""
    pool = _pool()
    return pool[index % len(pool)]


def _dump(pairs: list[tuple[str, str]]) -> str:
    return json.dumps([list(pair) for pair in pairs], indent=0) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Remake ``rsa_keys.json``, or ``--check`` that it is what :func:`generate` makes."""
    return remake(KEYS_PATH, lambda: _dump(generate()), "python -m mockapis.ledgerly.keys", argv)


if __name__ == "__main__":
    sys.exit(main())

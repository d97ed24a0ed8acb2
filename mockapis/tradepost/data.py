"""The seeded exchange account: markets, an API key pair, balances, orders and their fills."""

from __future__ import annotations

import random
import string
from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal

from mockapis.service import resolve_sizes
from mockapis.tradepost.signing import KEYS
from mockapis.world import Record, World, derive_seed

__all__ = [
    "BALANCES",
    "DEFAULT_SIZES",
    "FEE_RATE",
    "FILLS",
    "HOST",
    "MARKETS",
    "ORDERS",
    "SEQUENCE",
    "amount",
    "decimals",
    "fill_of",
    "lock_of",
    "seed",
]

HOST = "api.tradepost.example"
MARKETS = "tradepost.markets"
BALANCES = "tradepost.balances"
ORDERS = "tradepost.orders"
FILLS = "tradepost.fills"
SEQUENCE = "tradepost._sequence"
"""``"order"`` -> ``{"next": <the next order id>}`` (new ids follow the seeded ones)."""
DEFAULT_SIZES: Mapping[str, int] = {"open_orders": 30, "history": 120}
FEE_RATE = Decimal("0.001")
"""Taker fee on market orders, charged in the quote asset."""

_MARKETS = (
    # symbol, base, quote, tick size, step size, min notional, reference price
    ("BTC-USD", "BTC", "USD", "0.01", "0.00001", "10", 42000),
    ("ETH-USD", "ETH", "USD", "0.01", "0.0001", "10", 2500),
    ("SOL-USD", "SOL", "USD", "0.001", "0.01", "5", 95),
    ("XAU-USD", "XAU", "USD", "0.01", "0.001", "20", 2030),
    ("WHT-USD", "WHT", "USD", "0.0025", "1", "20", 6),
)
_FREE = {"USD": 400_000, "BTC": 4, "ETH": 60, "SOL": 1500, "XAU": 60, "WHT": 30000}
_ORDER_ID_BASE = 8_100_000


def decimals(step: str) -> int:
    """Places after the point of a tick or step size (``"0.001"`` -> 3)."""
    exponent = Decimal(step).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def amount(value: Decimal, places: int = 8) -> str:
    """``value`` as a fixed-point string with ``places`` decimals (rounded down)."""
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN))


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with one account's exchange data; its API key and secret."""
    counts = resolve_sizes("tradepost", sizes, DEFAULT_SIZES)
    rng = random.Random(derive_seed(world.seed, "tradepost", "account"))
    alphabet = string.ascii_letters + string.digits
    key = "tp_" + "".join(rng.choices(alphabet, k=40))
    secret = "".join(rng.choices(alphabet, k=48))
    account = f"acc_{rng.randrange(10**8, 10**9)}"
    world.table(KEYS).put(key, {"api_key": key, "secret": secret, "account_id": account})
    markets = _markets(world, rng)
    free = {
        asset: Decimal(value) * Decimal(rng.randint(80, 120)) / 100
        for asset, value in _FREE.items()
    }
    locked = {asset: Decimal(0) for asset in _FREE}
    epoch_ms = world.clock.now_ns // 1_000_000
    total = counts["open_orders"] + counts["history"]
    stamps = sorted(epoch_ms - rng.randint(60_000, 30 * 86_400_000) for _ in range(total))
    open_slots = set(rng.sample(range(total), counts["open_orders"])) if total else set()
    for i, created in enumerate(stamps):
        market = rng.choice(markets)
        order = _order(rng, market, _ORDER_ID_BASE + i, created, i in open_slots)
        world.table(ORDERS).put(str(order["order_id"]), order)
        if order["status"] == "open":
            asset, lock = lock_of(market, order)
            locked[asset] += lock
        elif order["status"] == "filled":
            fill = fill_of(market, order, created + rng.randint(50, 600_000))
            world.table(FILLS).put(str(fill["fill_id"]), fill)
    for asset in _FREE:
        row = {"asset": asset, "free": amount(free[asset]), "locked": amount(locked[asset])}
        world.table(BALANCES).put(asset, row)
    world.table(SEQUENCE).put("order", {"next": _ORDER_ID_BASE + total})
    return {"type": "signed", "header": "TP-API-KEY", "key": key, "secret": secret}


def _markets(world: World, rng: random.Random) -> list[Record]:
    rows = []
    for symbol, base, quote, tick, step, notional, price in _MARKETS:
        last = Decimal(price) * Decimal(rng.randint(9000, 11000)) / 10000
        row: Record = {
            "symbol": symbol,
            "base_asset": base,
            "quote_asset": quote,
            "status": "trading",
            "tick_size": tick,
            "step_size": step,
            "min_quantity": step,
            "min_notional": notional,
            "last_price": _on_tick(last, tick),
        }
        world.table(MARKETS).put(symbol, row)
        rows.append(row)
    return rows


def _on_tick(price: Decimal, tick: str) -> str:
    size = Decimal(tick)
    return amount((price / size).to_integral_value(rounding=ROUND_DOWN) * size, decimals(tick))


def _order(
    rng: random.Random, market: Record, order_id: int, created: int, is_open: bool
) -> Record:
    side = rng.choice(("buy", "sell"))
    last = Decimal(market["last_price"])
    kind = "limit" if is_open or rng.random() < 0.7 else "market"
    price = _on_tick(last * Decimal(rng.randint(850, 1150)) / 1000, market["tick_size"])
    step = Decimal(market["step_size"])
    notional = Decimal(rng.randint(200, 20000))
    quantity = max(step, (notional / Decimal(price) / step).to_integral_value(ROUND_DOWN) * step)
    status = "open" if is_open else rng.choices(("filled", "canceled"), weights=(3, 1))[0]
    qty = amount(quantity, decimals(market["step_size"]))
    return {
        "order_id": order_id,
        "client_order_id": f"web-{rng.getrandbits(40):010x}",
        "symbol": market["symbol"],
        "side": side,
        "type": kind,
        "price": price if kind == "limit" else None,
        "quantity": qty,
        "filled_quantity": qty
        if status == "filled"
        else amount(Decimal(0), decimals(market["step_size"])),
        "status": status,
        "created_at": created,
        "updated_at": created,
    }


def lock_of(market: Record, order: Record) -> tuple[str, Decimal]:
    """The asset and amount an open order holds."""
    if order["side"] == "buy":
        return market["quote_asset"], Decimal(order["price"]) * Decimal(order["quantity"])
    return market["base_asset"], Decimal(order["quantity"])


def fill_of(market: Record, order: Record, when: int) -> Record:
    price = Decimal(order["price"] or market["last_price"])
    notional = price * Decimal(order["quantity"])
    return {
        "fill_id": order["order_id"] * 10 + 1,
        "order_id": order["order_id"],
        "symbol": order["symbol"],
        "side": order["side"],
        "price": amount(price, decimals(market["tick_size"])),
        "quantity": order["quantity"],
        "fee": amount(notional * FEE_RATE),
        "fee_asset": market["quote_asset"],
        "time": when,
    }

"""The seeded exchange account: markets, an API key pair, balances, orders and their fills.

The key, the markets and the order sequence are written eagerly; the orders with their
fills, and the balances (whose locked amounts are the open orders'), are lazy sources
(:meth:`World.lazy`). The orders' index (:class:`Order`) gives truths each order's market,
status and limit price without rendering it.
"""

from __future__ import annotations

import random
import string
from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal
from typing import NamedTuple

from mockapis import seeding
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Record, index_key, plain
from mockapis.tradepost.signing import KEYS
from mockapis.world import World

__all__ = [
    "BALANCES",
    "DEFAULT_SIZES",
    "FEE_RATE",
    "FILLS",
    "HOST",
    "MARKETS",
    "ORDERS",
    "SEQUENCE",
    "Order",
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
    rng = seeding.stream(world.seed, "tradepost", "account")
    alphabet = string.ascii_letters + string.digits
    key = "tp_" + "".join(rng.choices(alphabet, k=40))
    secret = "".join(rng.choices(alphabet, k=48))
    account = f"acc_{rng.randrange(10**8, 10**9)}"
    world.table(KEYS).put(key, {"api_key": key, "secret": secret, "account_id": account})
    markets = _markets(world, rng)
    epoch_ms = world.clock.now_ns // 1_000_000
    total = counts["open_orders"] + counts["history"]
    orders = world.lazy(
        (ORDERS, FILLS),
        _orders,
        world.seed,
        epoch_ms,
        counts["open_orders"],
        total,
        tuple((m["symbol"], m["last_price"]) for m in markets),
    )
    world.lazy(BALANCES, _balances, world.seed, deps=(orders,))
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
    return amount((price / size).to_integral_value(ROUND_DOWN) * size, decimals(tick))


class Order(NamedTuple):
    """An order's index entry: what truths need, without rendering it."""

    order_id: int
    symbol: str
    status: str
    price: str | None
    """The limit price as the order shows it (None for a market order)."""


class _Market(NamedTuple):
    """What an order of a market needs: its row's facts, the last price in ticks."""

    row: Record
    last_ticks: int
    tick_units: int
    """The tick size in units of the price's last decimal place."""
    places: int


def _market_facts(symbol: str, last_price: str) -> _Market:
    _, base, quote, tick, step, notional, _ = next(m for m in _MARKETS if m[0] == symbol)
    places = decimals(tick)
    tick_units = int(Decimal(tick).scaleb(places))
    row = {"symbol": symbol, "base_asset": base, "quote_asset": quote, "tick_size": tick}
    row |= {"step_size": step, "min_notional": notional, "last_price": last_price}
    return _Market(row, int(Decimal(last_price) / Decimal(tick)), tick_units, places)


def _price_text(market: _Market, factor: int) -> str:
    """The last price times ``factor / 1000``, down to the tick (integer ticks: exact)."""
    units = market.last_ticks * factor // 1000 * market.tick_units
    if not market.places:
        return str(units)
    scale = 10**market.places
    return f"{units // scale}.{units % scale:0{market.places}d}"


class _OrderDraws(NamedTuple):
    """An order's draws besides its index entry."""

    side: str
    kind: str
    notional: int
    client: int
    created: int
    fill_delay: int


def _order(market: _Market, entry: Order, draws: _OrderDraws) -> Record:
    step = Decimal(market.row["step_size"])
    price = Decimal(entry.price or market.row["last_price"])
    quantity = max(
        step, (Decimal(draws.notional) / price / step).to_integral_value(ROUND_DOWN) * step
    )
    qty = amount(quantity, decimals(market.row["step_size"]))
    return {
        "order_id": entry.order_id,
        "client_order_id": f"web-{draws.client:010x}",
        "symbol": entry.symbol,
        "side": draws.side,
        "type": draws.kind,
        "price": entry.price,
        "quantity": qty,
        "filled_quantity": qty
        if entry.status == "filled"
        else amount(Decimal(0), decimals(market.row["step_size"])),
        "status": entry.status,
        "created_at": draws.created,
        "updated_at": draws.created,
    }


def _fill(market: _Market, entry: Order, draws: _OrderDraws) -> Record:
    order = _order(market, entry, draws)
    return fill_of(market.row, order, draws.created + draws.fill_delay)


def _orders(
    seed_value: int,
    epoch_ms: int,
    n_open: int,
    total: int,
    markets: tuple[tuple[str, str], ...],
) -> BuiltTables:
    facts = [_market_facts(symbol, last) for symbol, last in markets]
    d = seeding.RowDraws(total, 11, seed_value, "tradepost", "orders")
    stamps = sorted(epoch_ms - t for t in d.ints(0, 60_000, 30 * 86_400_000))
    # The open orders are a random subset: the rows of the n_open smallest draws of a column.
    ranked = sorted(range(total), key=d.words(1).__getitem__)
    open_slots = set(ranked[:n_open])
    chosen = d.below(2, len(facts))
    sides = d.pick(3, ("buy", "sell"))
    limits = d.chance(4, 0.7)
    factors = d.ints(5, 850, 1150)
    # One open order at least is priced over 13% away from its market's last price (the
    # far-orders task's largest threshold): 850-868 or 1132-1150.
    far = d.ints(10, 0, 37)
    if ranked[:n_open]:
        first = ranked[0]
        factors[first] = 850 + far[first] if far[first] < 19 else 1113 + far[first]
    notionals = d.ints(6, 200, 20000)
    filled = d.chance(7, 0.75)
    clients = d.words(8)
    delays = d.ints(9, 50, 600_000)
    rows: dict[str, LazyRow] = {}
    fills: dict[str, LazyRow] = {}
    index: dict[str, Order] = {}
    for i, created in enumerate(stamps):
        market = facts[chosen[i]]
        is_open = i in open_slots
        kind = "limit" if is_open or limits[i] else "market"
        status = "open" if is_open else "filled" if filled[i] else "canceled"
        price = _price_text(market, factors[i]) if kind == "limit" else None
        entry = Order(_ORDER_ID_BASE + i, market.row["symbol"], status, price)
        draws = _OrderDraws(sides[i], kind, notionals[i], clients[i] >> 24, created, delays[i])
        rows[str(entry.order_id)] = LazyRow(_order, market, entry, draws)
        if status == "filled":
            fills[str(entry.order_id * 10 + 1)] = LazyRow(_fill, market, entry, draws)
        index[str(entry.order_id)] = entry
    return {ORDERS: rows, index_key(ORDERS): index, FILLS: fills}


def _balances(seed_value: int, orders: BuiltTables) -> BuiltTables:
    """Free amounts drawn around :data:`_FREE`; locked ones what the open orders hold."""
    rng = seeding.stream(seed_value, "tradepost", "balances")
    free = {asset: Decimal(v) * Decimal(rng.randint(80, 120)) / 100 for asset, v in _FREE.items()}
    locked = {asset: Decimal(0) for asset in _FREE}
    for key, entry in orders[index_key(ORDERS)].items():
        if entry.status == "open":
            base, quote = entry.symbol.split("-")
            asset, lock = lock_of(
                {"base_asset": base, "quote_asset": quote}, plain(orders[ORDERS][key])
            )
            locked[asset] += lock
    return {
        BALANCES: {
            asset: {"asset": asset, "free": amount(free[asset]), "locked": amount(locked[asset])}
            for asset in _FREE
        }
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

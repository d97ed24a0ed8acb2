"""A Shopify storefront's public JSON (``apibench-outfitters.myshopify.com``), no auth.

Stored table (every row is exactly what the storefront returns for it):

- ``shopify.products``: product id (as a string) -> ``{"id", "title", "handle",
  "body_html", "published_at", "created_at", "updated_at", "vendor", "product_type", "tags",
  "variants", "images", "options"}``; each variant ``{"id", "title", "option1", "option2",
  "option3", "sku", "requires_shipping", "taxable", "featured_image", "available", "price"
  (a string, "19.99"), "grams", "compare_at_price" (string or null), "position",
  "product_id", "created_at", "updated_at"}``.

Emulated: ``GET /products.json`` with ``page`` (from 1) and ``limit`` (default 30, at most
250: a larger value gives 250, as the storefront does), ``{"products": [...]}``, an empty
list past the last page; ``GET /products/{handle}.json`` (``{"product": ...}``; 404
``{"errors": "Not Found"}``).
"""

from mockapis.service import Service
from mockapis.shopify import drift, products
from mockapis.shopify.data import DEFAULT_SIZES, seed
from mockapis.shopify.errors import render_error

__all__ = ["HOST", "SERVICE"]

HOST = "apibench-outfitters.myshopify.com"

SERVICE = Service(
    name="shopify",
    hosts=(HOST,),
    routes=products.ROUTES,
    spec="shopify.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="A Shopify storefront's public products.json (page, limit <= 250).",
    default_sizes=DEFAULT_SIZES,
    clone=drift.clone,
)

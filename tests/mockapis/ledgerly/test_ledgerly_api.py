"""Ledgerly's resources: XML and JSON, paging, writes and their validation, ledger postings."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest

from tests.inprocess import Reply
from tests.mockapis.ledgerly.conftest import BASE, Books, problem


class Api:
    """The invoicing app with an access token, signing every call."""

    def __init__(self, books: Books) -> None:
        self.books = books
        self.signer = books.signer("invoicing", token=books.access_token("invoicing"))

    def call(self, method: str, path: str, **kwargs: Any) -> Reply:
        return self.books.signed(self.signer, method, path, **kwargs)

    def json(self, path: str) -> Any:
        sep = "&" if "?" in path else "?"
        reply = self.call("GET", f"{path}{sep}format=json")
        assert reply.status == 200, reply.raw
        return reply.json


@pytest.fixture(scope="module")
def api(books: Books) -> Api:
    return Api(books)


@pytest.fixture
def writer(fresh: Books) -> Api:
    return Api(fresh)


def xml(reply: Reply) -> ET.Element:
    assert reply.headers["content-type"].startswith("application/xml"), reply.headers
    return ET.fromstring(reply.raw)


def test_xml_by_default_json_on_request(api: Api) -> None:
    root = xml(api.call("GET", "/api/1.0/contacts"))
    assert root.tag == "contacts"
    assert (root.get("page"), root.get("pagesize"), root.get("total"), root.get("pages")) == (
        "1",
        "50",
        "60",
        "2",
    )
    assert [c.findtext("contact_id") for c in root][:2] == ["10001", "10002"]
    body = api.json("/api/1.0/contacts")
    assert (body["total"], body["pages"], len(body["contacts"])) == (60, 2, 50)
    assert body["contacts"][0]["contact_id"] == root[0].findtext("contact_id")


def test_line_items_render_as_repeated_elements(api: Api) -> None:
    invoice = xml(api.call("GET", "/api/1.0/invoices/20001"))
    lines = invoice.find("line_items")
    assert lines is not None and all(line.tag == "line_item" for line in lines)
    as_json = api.json("/api/1.0/invoices/20001")["invoice"]
    assert len(lines) == len(as_json["line_items"])
    assert invoice.findtext("total") == as_json["total"]


def test_paging_reaches_every_record_once(api: Api, books: Books) -> None:
    ids: list[str] = []
    page = 1
    while True:
        body = api.json(f"/api/1.0/contacts?page={page}&pagesize=25")
        ids += [c["contact_id"] for c in body["contacts"]]
        if page >= body["pages"]:
            break
        page += 1
    assert ids == sorted(books.world.table("ledgerly.contacts")) and page == 3
    assert api.json("/api/1.0/contacts?page=9")["contacts"] == []


@pytest.mark.parametrize(
    "query", ["pagesize=101", "pagesize=0", "page=0", "page=x", "type=vendor", "format=yaml"]
)
def test_bad_queries_are_400_in_xml(api: Api, query: str) -> None:
    reply = api.call("GET", f"/api/1.0/contacts?{query}")
    assert reply.status == 400
    error = xml(reply)
    assert error.tag == "error" and error.findtext("status") == "400" and error.findtext("message")


def test_errors_follow_the_format(api: Api) -> None:
    reply = api.call("GET", "/api/1.0/contacts/99999?format=json")
    assert reply.status == 404 and reply.json["error"]["code"] == "not_found"
    assert xml(api.call("GET", "/api/1.0/invoices/nope")).findtext("code") == "not_found"
    # The router's own 404 and 405 follow the format too.
    unknown = api.books.send("GET", BASE + "/api/1.0/nothing")
    assert unknown.status == 404 and xml(unknown).findtext("status") == "404"
    unknown = api.books.send("GET", BASE + "/api/1.0/nothing?format=json")
    assert unknown.status == 404 and unknown.json["error"]["status"] == 404


def test_filters(api: Api, books: Books) -> None:
    suppliers = api.json("/api/1.0/contacts?type=supplier&pagesize=100")["contacts"]
    assert suppliers and {c["type"] for c in suppliers} == {"supplier"}
    open_ = api.json("/api/1.0/invoices?status=open&pagesize=100")["invoices"]
    assert {i["status"] for i in open_} == {"open"}
    entries = api.json("/api/1.0/ledger_entries?account_code=1000&pagesize=100")
    assert {e["account_code"] for e in entries["ledger_entries"]} == {"1000"}
    assert entries["total"] == len(books.world.table("ledgerly.payments"))


def test_seeded_books_are_consistent(books: Books) -> None:
    invoices = books.world.table("ledgerly.invoices").values()
    for invoice in invoices:
        lines = invoice["line_items"]
        assert Decimal(invoice["subtotal"]) == sum(Decimal(x["line_amount"]) for x in lines)
        assert Decimal(invoice["total_tax"]) == sum(Decimal(x["tax_amount"]) for x in lines)
        assert Decimal(invoice["total"]) == Decimal(invoice["subtotal"]) + Decimal(
            invoice["total_tax"]
        )
        paid = [
            p
            for p in books.world.table("ledgerly.payments").values()
            if p["invoice_id"] == invoice["invoice_id"]
        ]
        assert Decimal(invoice["amount_paid"]) == sum(Decimal(p["amount"]) for p in paid)
        assert (invoice["status"] == "paid") == (Decimal(invoice["amount_due"]) == 0)
    entries = list(books.world.table("ledgerly.ledger_entries").values())
    assert sum(Decimal(e["debit"]) for e in entries) == sum(Decimal(e["credit"]) for e in entries)
    receivable = sum(
        Decimal(e["debit"]) - Decimal(e["credit"]) for e in entries if e["account_code"] == "1100"
    )
    assert receivable == sum(Decimal(i["amount_due"]) for i in invoices)


def test_company_and_accounts(api: Api) -> None:
    assert api.json("/api/1.0/company")["company"]["base_currency"] == "USD"
    accounts = api.json("/api/1.0/accounts")
    assert accounts["total"] == len(accounts["accounts"]) == 12


# -- writes -------------------------------------------------------------------------------------

INVOICE_XML = (
    "<invoice><contact_id>10002</contact_id><reference>R&amp;D</reference>"
    "<due_date>2099-01-01</due_date><line_items>"
    "<line_item><description>Audit</description><quantity>3</quantity>"
    "<unit_price>333.33</unit_price><tax_rate>20</tax_rate><account_code>4100</account_code>"
    "</line_item><line_item><description>Fee</description><quantity>1</quantity>"
    "<unit_price>0.05</unit_price><tax_rate>10</tax_rate></line_item></line_items></invoice>"
)


def test_create_invoice_from_xml_posts_the_ledger(writer: Api) -> None:
    world = writer.books.world
    before = world.snapshot()
    reply = writer.call(
        "POST", "/api/1.0/invoices", body=INVOICE_XML, content_type="application/xml"
    )
    assert reply.status == 201, reply.raw
    invoice = xml(reply)
    assert reply.headers["location"] == f"/api/1.0/invoices/{invoice.findtext('invoice_id')}"
    totals = [invoice.findtext(k) for k in ("subtotal", "total_tax", "total")]
    assert totals == ["1000.04", "200.01", "1200.05"]  # 199.998 -> 200.00, 0.005 -> 0.01
    assert invoice.findtext("reference") == "R&D" and invoice.findtext("status") == "open"
    diff = world.diff(before)
    # ledgerly._sequence numbers new records: bookkeeping, as scenario checks count it.
    assert set(diff) - {"ledgerly._sequence"} == {"ledgerly.invoices", "ledgerly.ledger_entries"}
    legs = list(diff["ledgerly.ledger_entries"].added.values())
    assert sum(Decimal(e["debit"]) for e in legs) == sum(Decimal(e["credit"]) for e in legs)
    assert {e["account_code"] for e in legs} == {"1100", "4100", "4000", "2200"}
    row = diff["ledgerly.invoices"].added[invoice.findtext("invoice_id") or ""]
    assert row["created_by"].endswith("@invoicing")


def test_half_up_rounding_per_line(writer: Api) -> None:
    body = {
        "contact_id": "10003",
        "line_items": [{"description": "a", "quantity": 1, "unit_price": "0.05", "tax_rate": 10}],
    }
    reply = writer.call(
        "POST",
        "/api/1.0/invoices?format=json",
        body=json.dumps(body),
        content_type="application/json",
    )
    assert reply.status == 201, reply.raw
    assert reply.json["invoice"]["line_items"][0]["tax_amount"] == "0.01"  # 0.005 rounds up


def _invoice(line: dict[str, Any] | None = None, **fields: Any) -> str:
    item = {"description": "a", "quantity": 1, "unit_price": 1, **(line or {})}
    return json.dumps({"contact_id": "10001", "line_items": [item], **fields})


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ('{"line_items": []}', "application/json", 400),
        (_invoice(contact_id="99999"), "application/json", 400),
        (_invoice({"quantity": 1.001}), "application/json", 400),
        (_invoice({"colour": "red"}), "application/json", 400),
        (_invoice({"account_code": "1000"}), "application/json", 400),
        (_invoice({"quantity": "NaN"}), "application/json", 400),
        (_invoice({"unit_price": -1}), "application/json", 400),
        (_invoice(date="2024-02-30"), "application/json", 400),
        (_invoice(date="2024-02-10", due_date="2024-02-01"), "application/json", 400),
        (_invoice(line_items=[]), "application/json", 400),
        (_invoice(extra="x"), "application/json", 400),
        ("[1]", "application/json", 400),
        ("{", "application/json", 400),
        ("<invoice><contact_id>10001", "application/xml", 400),
        ('<!DOCTYPE x [<!ENTITY a "b">]><invoice/>', "application/xml", 400),
        ("contact_id=10001&description=a&quantity=1", "text/plain", 415),
        ("", "application/json", 400),
    ],
)
def test_invalid_invoices_are_refused_and_change_nothing(
    writer: Api, body: str, content_type: str, status: int
) -> None:
    before = writer.books.world.snapshot()
    reply = writer.call("POST", "/api/1.0/invoices", body=body, content_type=content_type)
    assert reply.status == status, reply.raw
    assert xml(reply).findtext("status") == str(status)
    assert writer.books.world.diff(before) == {}


def test_form_lines_must_be_in_step(writer: Api) -> None:
    form = [("contact_id", "10001"), ("description", "a"), ("description", "b"), ("quantity", "1")]
    form += [("unit_price", "1"), ("unit_price", "2")]
    reply = writer.call("POST", "/api/1.0/invoices", form=form)
    assert reply.status == 400 and b"in step" in reply.raw


def test_payments_settle_an_invoice(writer: Api) -> None:
    world = writer.books.world
    invoice = next(i for i in world.table("ledgerly.invoices").values() if i["status"] == "open")
    due = Decimal(invoice["amount_due"])
    first = books_amount = (due / 2).quantize(Decimal("0.01"))
    partial = writer.call(
        "POST",
        "/api/1.0/payments?format=json",
        form=[("invoice_id", invoice["invoice_id"]), ("amount", str(first))],
    )
    assert partial.status == 201, partial.raw
    assert world.table("ledgerly.invoices")[invoice["invoice_id"]]["status"] == "open"
    over = writer.call(
        "POST",
        "/api/1.0/payments",
        form=[("invoice_id", invoice["invoice_id"]), ("amount", str(due))],
    )
    assert over.status == 400
    rest = str(due - books_amount)
    body = f"<payment><invoice_id>{invoice['invoice_id']}</invoice_id>"
    body += f"<amount>{rest}</amount></payment>"
    final = writer.call("POST", "/api/1.0/payments", body=body, content_type="application/xml")
    assert final.status == 201, final.raw
    settled = world.table("ledgerly.invoices")[invoice["invoice_id"]]
    assert (settled["status"], settled["amount_due"]) == ("paid", "0.00")
    again = writer.call(
        "POST",
        "/api/1.0/payments?format=json",
        form=[("invoice_id", invoice["invoice_id"]), ("amount", "1")],
    )
    assert again.status == 409 and again.json["error"]["code"] == "invoice_not_open"
    listed = writer.json(f"/api/1.0/payments?invoice_id={invoice['invoice_id']}")
    assert [p["amount"] for p in listed["payments"]][-2:] == [str(first), rest]


def test_invalidate_token_revokes_it(fresh: Books) -> None:
    token = fresh.access_token("sync")
    signer = fresh.signer("sync", token=token)
    assert fresh.signed(signer, "POST", "/oauth/invalidate_token").status == 200
    reply = fresh.signed(signer, "GET", "/api/1.0/invoices")
    assert reply.status == 401 and problem(reply)["oauth_problem"] == "token_revoked"

"""The Responses API reading files from elsewhere: PDFs uploaded through Files, and file_url
fetched from the other services of the same episode (tus, which needs a key the model does
not have; the filings site; hosts no service serves)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from fpdf import FPDF

from mockapis.gateway import Gateway
from mockapis.registry import get_service
from mockapis.tus.store import UPLOADS
from mockapis.world import World
from tests.inprocess import Reply, call
from tests.mockapis.openai.conftest import BOUNDARY, multipart

OPENAI = "https://api.openai.com"
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"invoice_number": {"type": "string"}, "total_due": {"type": "number"}},
    "required": ["invoice_number", "total_due"],
    "additionalProperties": False,
}


class Episode:
    """One world with the openai, tus, web and reader services behind one gateway."""

    def __init__(self) -> None:
        self.world = World(3)
        services = [get_service(n) for n in ("openai", "tus", "web", "reader")]
        self.creds = {s.name: s.seed(self.world, dict(s.default_sizes)) for s in services}
        self.gateway = Gateway(self.world, services, raise_server_errors=True)

    def openai(self, method: str, path: str, body: bytes = b"", ctype: str = "") -> Reply:
        headers = [("Authorization", f"Bearer {self.creds['openai']['token']}")]
        if ctype:
            headers.append(("Content-Type", ctype))
        return call(self.gateway, method, OPENAI + path, headers, body)

    def extract(self, part: dict[str, Any]) -> Reply:
        payload = {
            "model": "gpt-4.1-mini",
            "input": [{"role": "user", "content": [part]}],
            "text": {"format": {"type": "json_schema", "name": "inv", "schema": SCHEMA}},
        }
        return self.openai(
            "POST", "/v1/responses", json.dumps(payload).encode(), "application/json"
        )


@pytest.fixture
def episode() -> Episode:
    return Episode()


def _pdf(lines: list[str]) -> bytes:
    """A compressed (binary) PDF, as most PDFs are."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _output(reply: Reply) -> Any:
    assert reply.status == 200, reply.raw
    body = reply.json
    return json.loads("".join(c["text"] for o in body["output"] for c in o["content"]))


def test_binary_pdf_uploaded_through_files_is_read_by_file_id(episode: Episode) -> None:
    data = _pdf(["Subtotal: 900.00", "Invoice number: INV-5512", "Total due: 1,080.00"])
    assert any(b > 0x7F for b in data)
    body = multipart({"purpose": "user_data"}, {"file": ("scan.pdf", data)})
    made = episode.openai(
        "POST", "/v1/files", body, f"multipart/form-data; boundary={BOUNDARY}"
    ).json
    assert made["bytes"] == len(data)
    stored = episode.openai("GET", f"/v1/files/{made['id']}/content")
    assert stored.raw == data
    answer = _output(episode.extract({"type": "input_file", "file_id": made["id"]}))
    assert answer == {"invoice_number": "INV-5512", "total_due": 1080}


def _tus_upload(episode: Episode, text: str) -> str:
    rows = [r for r in episode.world.table(UPLOADS).values() if r["offset"] == r["length"]]
    row = rows[0]
    episode.world.table(UPLOADS).put(
        row["id"],
        {
            **row,
            "data": base64.b64encode(text.encode()).decode(),
            "length": len(text),
            "offset": len(text),
            "metadata": {"filename": "notes.txt"},
        },
    )
    return f"https://uploads.apibench.example/files/{row['id']}"


def test_file_url_to_a_tus_upload_is_refused_without_the_key(episode: Episode) -> None:
    url = _tus_upload(episode, "Invoice number: INV-1\nTotal due: 5\n")
    headers = [
        ("Authorization", f"Bearer {episode.creds['tus']['token']}"),
        ("Tus-Resumable", "1.0.0"),
    ]
    assert call(episode.gateway, "GET", url, headers).status == 200
    responses_before = len(episode.world.table("openai.responses"))
    reply = episode.extract({"type": "input_file", "file_url": url})
    assert reply.status == 400
    error = reply.json["error"]
    assert error["param"] == "input[0].content[0].file_url"
    assert error["message"].startswith(f"Error while downloading {url} (HTTP 4")
    assert len(episode.world.table("openai.responses")) == responses_before


def test_file_url_to_an_unknown_host_is_a_400(episode: Episode) -> None:
    reply = episode.extract({"type": "input_file", "file_url": "https://nowhere.example/a.pdf"})
    assert reply.status == 400
    assert "could not be reached" in reply.json["error"]["message"]


def test_file_data_of_a_downloaded_upload_is_read(episode: Episode) -> None:
    text = "Invoice number: INV-0042\nTotal due: 77.25\n"
    data = base64.b64encode(text.encode()).decode()
    part = {
        "type": "input_file",
        "filename": "notes.txt",
        "file_data": f"data:text/plain;base64,{data}",
    }
    assert _output(episode.extract(part)) == {"invoice_number": "INV-0042", "total_due": 77.25}


def test_file_url_through_the_reader_reads_the_filings_site(episode: Episode) -> None:
    """The site refuses fetches without a declared User-Agent; the reader declares one."""
    site = "https://filings.apibench.example/"
    direct = episode.extract({"type": "input_file", "file_url": site})
    assert direct.status == 400
    assert "HTTP 403" in direct.json["error"]["message"]
    payload = {
        "model": "gpt-4.1-mini",
        "instructions": "Summarise the page.",
        "input": [
            {
                "role": "user",
                "content": [{"type": "input_file", "file_url": "https://r.jina.ai/" + site}],
            }
        ],
    }
    reply = episode.openai(
        "POST", "/v1/responses", json.dumps(payload).encode(), "application/json"
    )
    assert reply.status == 200, reply.raw
    assert reply.json["output"][0]["content"][0]["text"].startswith("Title:")

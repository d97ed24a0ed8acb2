"""A one-page text PDF written directly (PDF 1.4, the core Helvetica fonts): what the invoice
task hands the agent, made in microseconds where a layout library takes milliseconds.

Byte for byte the same for the same lines and creation date. Lines wrap at a fixed number
of characters (Helvetica at 11 points averages about 5.5 points a character on a 482-point
measure); upper-case lines are set in bold.
"""

from __future__ import annotations

import datetime as dt
import textwrap

__all__ = ["text_pdf"]

_WIDTH = 84
"""Characters a line holds before it wraps."""
_LEADING = 14
_TOP = 800


def _escape(text: str) -> str:
    ascii_text = text.encode("ascii", "replace").decode("ascii")
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _content(lines: list[str]) -> bytes:
    ops = ["BT", f"{_LEADING} TL", f"56 {_TOP} Td"]
    for line in lines:
        if not line:
            ops.append("T*")
            continue
        ops.append(f"/{'F2' if line.isupper() else 'F1'} 11 Tf")
        for part in textwrap.wrap(line, _WIDTH) or [""]:
            ops.append(f"({_escape(part)}) Tj T*")
    ops.append("ET")
    return "\n".join(ops).encode("ascii")


def text_pdf(lines: list[str], title: str, created: dt.datetime) -> bytes:
    """A one-page A4 PDF of ``lines`` with its title and creation date."""
    stamp = created.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")
    content = _content(lines)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        f"<< /Title ({_escape(title)}) /CreationDate ({stamp}) /Producer (apibench) >>".encode(),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)

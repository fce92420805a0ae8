from __future__ import annotations

from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"


def make_pdf(lines: list[str] | None, to_unicode: bytes | None = None) -> bytes:
    """A minimal one-page PDF written by hand; ``None`` gives a page with no text. ``to_unicode``:
    the mappings of a ToUnicode CMap for its font ("1 beginbfchar <58> <0059> endbfchar")."""
    if lines is None:
        content = b""
    else:
        ops = ["BT", "/F1 12 Tf", "72 720 Td", "14 TL"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        content = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
        + (b" /ToUnicode 6 0 R" if to_unicode is not None else b"") + b" >>",
        _stream(content),
    ]
    if to_unicode is not None:
        objects.append(_stream(b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                               b"1 begincodespacerange <00> <FF> endcodespacerange\n" + to_unicode
                               + b"\nendcmap CMapName currentdict /CMap defineresource pop end end"))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(content: bytes) -> bytes:
    return b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream"


@pytest.fixture
def cases() -> Path:
    return CASES

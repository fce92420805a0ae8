"""Shared pieces of the benchmarks: markdown tables and result files."""
from __future__ import annotations

import json
import sys
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def table(headers: list[str], rows: list[list[object]]) -> str:
    def cell(v: object) -> str:
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def held_out(fingerprint) -> bool:
    """Whether a `dev` row is in the held-out half that tuning measures on (the other half is
    mined): by a hash of its expected phrase, so that spellings of one original stay together."""
    return zlib.crc32(fingerprint.expected.lower().encode()) % 2 == 1


def save(name: str, data: object) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(data, indent=2))
    return path

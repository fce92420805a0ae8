"""Sizes as people read them, the same in error messages and in `despin cache info`."""
from __future__ import annotations


def size_text(n: int) -> str:
    """Bytes in decimal units: "512 bytes", "5 kB", "2.5 MB", "12 GB"."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value == int(value) or value >= 10 else f"{value:.1f} {unit}"
    return f"{n} bytes"

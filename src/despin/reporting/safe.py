"""Spun text comes from the open web: never let it drive the terminal."""
from __future__ import annotations

import re

# C0/C1 control characters (escape sequences start with ESC), keeping tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Replace control and bidi-override characters by visible escapes."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

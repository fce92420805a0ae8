"""What the command line says when despin itself fails: one line and exit status 2, like any
other error, so that a script reading the exit status or the JSON Lines is not handed a
traceback; DESPIN_DEBUG=1 lets the traceback through for whoever reports the bug."""
from __future__ import annotations

import os

DEBUG_VARIABLE = "DESPIN_DEBUG"


def debugging() -> bool:
    return os.environ.get(DEBUG_VARIABLE, "") not in ("", "0")


def describe(exc: Exception, source: str | None = None) -> str:
    """The one-line message for an unexpected exception while handling `source` (escape it
    before it reaches a terminal)."""
    where = f"{source}: " if source else ""
    return (f"{where}internal error ({type(exc).__name__}: {exc}); this is a bug in despin, "
            f"please report it with the input ({DEBUG_VARIABLE}=1 shows the traceback)")

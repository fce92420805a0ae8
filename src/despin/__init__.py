"""despin: find machine-spun text, restore what it originally said, and trace it to its source.

    >>> import despin
    >>> despin.restore("The Supreme Courtroom ruled on the case.")
    'The Supreme Court ruled on the case.'
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["check", "restore", "restore_and_explain", "Index", "CheckResult", "Change", "Finding"]


def __getattr__(name: str):
    # Lazy, so that `import despin` stays fast and loads no lexicon until one is needed.
    if name in ("check", "restore", "restore_and_explain"):
        from despin import api

        return getattr(api, name)
    if name in ("CheckResult", "Change", "Finding"):
        from despin import types

        return getattr(types, name)
    if name == "Index":
        from despin.index import Index

        return Index
    raise AttributeError(f"module 'despin' has no attribute {name!r}")

"""despin: find machine-spun text, restore what it originally said, and trace it to its source."""
from __future__ import annotations

__version__ = "0.1.0"

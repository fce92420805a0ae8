"""The input layer: files, bytes and stdin in; a plain-text Document out."""
from __future__ import annotations

from .blocks import iter_blocks, iter_file_blocks
from .boilerplate import find_boilerplate, strip_boilerplate
from .document import Document, read_bytes, read_path, read_stdin
from .errors import InputError
from .language import detect_language

__all__ = [
    "Document",
    "InputError",
    "read_path",
    "read_bytes",
    "read_stdin",
    "find_boilerplate",
    "strip_boilerplate",
    "detect_language",
    "iter_blocks",
    "iter_file_blocks",
]

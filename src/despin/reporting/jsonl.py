"""JSON Lines: one object per input, for machines."""
from __future__ import annotations

import json
from dataclasses import asdict

from despin.types import Change, CheckResult


def utf8_name(source: str) -> str:
    """A file name as valid UTF-8.

    Python keeps the undecodable bytes of a file name as lone surrogates, which
    would write invalid UTF-8 into the stream; each such byte becomes U+FFFD.
    """
    return source.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def check_line(result: CheckResult) -> str:
    line = result.to_dict()
    line["source"] = utf8_name(result.source)
    return json.dumps(line, ensure_ascii=False)


def restore_line(source: str, text: str, changes: list[Change], note: str = "", supported: bool = True) -> str:
    """`note` says why the text, or a part of it, was left as it is (not English), if it was."""
    line = {"source": utf8_name(source), "text": text, "changes": [asdict(c) for c in changes]}
    if note:
        line["supported"], line["note"] = supported, note
    return json.dumps(line, ensure_ascii=False)


def error_line(source: str, message: str) -> str:
    return json.dumps({"source": utf8_name(source), "error": utf8_name(message)}, ensure_ascii=False)

"""JSON Lines: one object per input, for machines."""
from __future__ import annotations

import json

from despin.types import Change, CheckResult


def check_line(result: CheckResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False)


def restore_line(source: str, text: str, changes: list[Change], skipped: str = "") -> str:
    """`skipped` says why a part of the text was left as it is (not English), if one was."""
    from dataclasses import asdict

    line = {"source": source, "text": text, "changes": [asdict(c) for c in changes]}
    if skipped:
        line["supported"], line["note"] = False, skipped
    return json.dumps(line, ensure_ascii=False)


def error_line(source: str, message: str) -> str:
    return json.dumps({"source": source, "error": message}, ensure_ascii=False)

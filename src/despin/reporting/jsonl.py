"""JSON Lines: one object per input, for machines."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from despin.reporting.safe import valid_utf8
from despin.types import Boilerplate, Change, CheckResult


def check_line(result: CheckResult) -> str:
    line = result.to_dict()
    line["source"] = valid_utf8(result.source)
    return json.dumps(line, ensure_ascii=False)


def restore_line(source: str, text: str, changes: list[Change], note: str = "", supported: bool = True,
                 left_out: Sequence[Boilerplate] = ()) -> str:
    """`note` says why the text, or a part of it, was left as it is (not English), if it was;
    `left_out`: the autoblog furniture the restored text leaves out."""
    line = {"source": valid_utf8(source), "text": text, "changes": [asdict(c) for c in changes],
            "boilerplate": [asdict(b) for b in left_out]}
    if note:
        line["supported"], line["note"] = supported, note
    return json.dumps(line, ensure_ascii=False)


def error_line(source: str, message: str) -> str:
    return json.dumps({"source": valid_utf8(source), "error": valid_utf8(message)}, ensure_ascii=False)

"""JSON Lines: one object per input, for machines."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from despin.reporting.safe import valid_utf8
from despin.types import Boilerplate, Change, CheckResult

# Characters Python's str.splitlines() (and JavaScript before ES2019) take for line ends: one
# object per line must stay one line for every reader, so they are written escaped.
_LINE_ENDS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def dumps(obj: dict) -> str:
    """One JSON object on one line, non-ASCII characters as they are."""
    return json.dumps(obj, ensure_ascii=False).translate(_LINE_ENDS)


def check_line(result: CheckResult) -> str:
    line = result.to_dict()
    line["source"] = valid_utf8(result.source)
    return dumps(line)


def restore_line(source: str, text: str, changes: list[Change], note: str = "", supported: bool = True,
                 left_out: Sequence[Boilerplate] = ()) -> str:
    """`note` says why the text, or a part of it, was left as it is (not English), if it was;
    `left_out`: the autoblog furniture the restored text leaves out."""
    line = {"source": valid_utf8(source), "text": text, "changes": [asdict(c) for c in changes],
            "boilerplate": [asdict(b) for b in left_out]}
    if note:
        line["supported"], line["note"] = supported, note
    return dumps(line)


def error_line(source: str, message: str) -> str:
    return dumps({"source": valid_utf8(source), "error": valid_utf8(message)})

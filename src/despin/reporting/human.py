"""Readable reports for a terminal (rich renders them; no markup is read from the text)."""
from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from despin.reporting.safe import printable
from despin.types import Boilerplate, Change, CheckResult


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """Line and column of an offset; a line ends at "\n", "\r\n" or a lone "\r"."""
    line = text.count("\n", 0, offset) + text.count("\r", 0, offset) - text.count("\r\n", 0, offset) + 1
    return line, offset - (max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1) + 1


def print_check(console: Console, result: CheckResult, text: str, verbose: bool = False) -> None:
    head = Text(printable(result.source), style="bold")
    if not result.supported:
        head.append(f": skipped, {result.note}", style="yellow")
        console.print(head)
        return
    head.append(f": spin score {result.spin_score:.2f}, {len(result.findings)} suspicious span(s) "
                f"in {result.words} words")
    if result.note:
        head.append(f"; {result.note}", style="yellow")
    console.print(head)
    for b in result.boilerplate:
        line, col = _line_col(text, _shown_start(b))
        console.print(Text(f"  {line}:{col} autoblog {b.kind}: {printable(b.text.strip())!r}", style="dim"))
    for d in result.disguises:
        line, col = _line_col(text, d.start)
        row = Text(f"  {line}:{col} disguised word ")
        row.append(printable(d.text), style="red")
        row.append(f" reads {printable(d.plain)}: {'; '.join(d.hidden)}")
        console.print(row)
    for f in result.findings:
        line, col = _line_col(text, f.start)
        row = Text(f"  {line}:{col} ")
        row.append(printable(f.text), style="red")
        if f.restoration:
            row.append(" -> ")
            row.append(printable(f.restoration), style="green")
        row.append(f"  confidence {f.confidence:.2f}")
        if not f.rewrite:
            row.append(" (flag only)", style="yellow")
        console.print(row)
        for e in f.evidence:
            console.print(Text(f"      {e.source}: {printable(e.detail)}", style="dim"))
        if verbose and len(f.alternatives) > 1:
            alts = ", ".join(f"{printable(a.text)} ({a.score:.1f})" for a in f.alternatives[1:])
            console.print(Text(f"      also: {alts}", style="dim"))


def print_changes(console: Console, changes: list[Change], text: str, left_out: Sequence[Boilerplate] = ()) -> None:
    """One line per change, and per piece of autoblog furniture left out, in reading order."""
    if not changes and not left_out:
        console.print(Text("no changes", style="dim"))
    for item in sorted([*changes, *left_out], key=lambda x: x.start):
        if isinstance(item, Boilerplate):
            line, col = _line_col(text, _shown_start(item))
            console.print(Text(f"{line}:{col} {printable(item.text.strip())!r} left out  autoblog {item.kind}",
                               style="dim"))
            continue
        c = item
        line, col = _line_col(text, c.start)
        row = Text(f"{line}:{col} ")
        row.append(printable(c.old), style="red")
        row.append(" -> ")
        row.append(printable(c.new), style="green")
        row.append(f"  confidence {c.confidence:.2f}; ")
        row.append("; ".join(printable(e.detail) for e in c.evidence), style="dim")
        console.print(row)


def _shown_start(b: Boilerplate) -> int:
    """Where the furniture a report shows starts: closing furniture takes the blank lines before
    it (so that they leave with it), and the report shows it stripped of them."""
    return b.start + len(b.text) - len(b.text.lstrip())

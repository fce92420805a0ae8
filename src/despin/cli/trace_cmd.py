"""`despin index add|stats|remove` and `despin trace`: find the source a spun text was copied from."""
from __future__ import annotations

import functools
import sys
import warnings
from pathlib import Path

import click

from despin.cli.check_cmd import mode_options
from despin.cli.output import writing
from despin.reporting import jsonl
from despin.reporting.safe import printable, valid_utf8

INDEX_HELP = "The index file (default: $DESPIN_INDEX, else despin-index.sqlite in this folder)."


def _index_path(value: str | None) -> Path:
    from despin.index import default_index_path

    return Path(value) if value else default_index_path()


def _fail(message: str) -> None:
    click.echo(f"despin: {printable(message)}", err=True)
    sys.exit(2)


@click.group("index")
def index_group() -> None:
    """Build and inspect the index of reference documents that `despin trace` searches.

    \b
    Examples:
      despin index add articles/ feed.jsonl       index a folder (recursively) and a JSON Lines file
      despin index add --index refs.sqlite a.pdf  a chosen index file (created if absent)
      despin index stats                          documents, size and settings
      despin index remove articles/old.html       forget one document (or a folder / .jsonl file)

    The index is one SQLite file; adding the same document again changes nothing, and an
    interrupted add leaves the index as it was.
    """


@index_group.command("add")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--index", "index_path", metavar="PATH", help=INDEX_HELP)
@click.option("--text-field", metavar="NAME", help="JSON Lines: the field holding the text (default: text, content, body or extract).")
@click.option("--id-field", metavar="NAME", help="JSON Lines: the field naming each document (default: id, url, title or name; else the line number).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def add_cmd(paths: tuple[str, ...], index_path: str | None, text_field: str | None, id_field: str | None, as_json: bool) -> None:
    """Add reference documents: text, HTML, PDF files, folders of them, JSON Lines files.

    \b
    Examples:
      despin index add originals/
      despin index add --text-field body --id-field url crawl.jsonl

    Unreadable files are skipped and listed; everything else is added in one transaction.
    Exit codes: 0 done (even if some files were skipped), 2 error.
    """
    from despin.index import Index, IndexFileError

    if "" in paths:
        _fail('"": the file name is empty')  # Path("") is the current folder, whose files it would add
    path = _index_path(index_path)
    try:
        with Index(path) as idx, _progress(not as_json) as advance:
            report = idx.add(list(paths), text_field=text_field, id_field=id_field, progress=advance)
            total = idx.stats().documents
    except IndexFileError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail(f"{path}: interrupted; the index is as it was before this add")
    with writing():
        if as_json:
            click.echo(jsonl.dumps(report.to_dict() | {"index": valid_utf8(str(path)), "documents": total}))
        else:
            click.echo(
                f"{printable(str(path))}: {len(report.added)} added, {len(report.replaced)} replaced, "
                f"{len(report.unchanged)} already there, {len(report.duplicates)} duplicates, "
                f"{len(report.skipped)} skipped; {total} documents in the index"
            )
    for skipped in report.skipped:
        click.echo(f"despin: skipped {printable(skipped.name)}: {printable(skipped.reason)}", err=True)


class _progress:
    """A rich progress counter on stderr for long adds (only when stderr is a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._bar = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._bar = Progress(SpinnerColumn(), TextColumn("indexed {task.completed} documents"), TimeElapsedColumn(),
                             console=Console(stderr=True), transient=True)
        self._bar.start()
        task = self._bar.add_task("add", total=None)
        return lambda n: self._bar.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


@index_group.command("stats")
@click.option("--index", "index_path", metavar="PATH", help=INDEX_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
def stats_cmd(index_path: str | None, as_json: bool) -> None:
    """How many documents the index holds, its size and its LSH settings.

    \b
    Example:
      despin index stats --index refs.sqlite
    """
    from despin.index import Index, IndexFileError

    try:
        with Index(_index_path(index_path)) as idx:
            st = idx.stats()
    except IndexFileError as exc:
        _fail(str(exc))
    with writing():
        if as_json:
            click.echo(jsonl.dumps(st.to_dict() | {"path": valid_utf8(st.path)}))
        else:
            click.echo(f"{printable(st.path)}: {st.documents} documents ({st.words} words, {st.chunks} chunks), "
                       f"{st.file_bytes / 1e6:.1f} MB; MinHash {st.num_perm} permutations, "
                       f"LSH {st.bands} bands x {st.rows} rows")


@index_group.command("remove")
@click.argument("names", nargs=-1, required=True)
@click.option("--index", "index_path", metavar="PATH", help=INDEX_HELP)
def remove_cmd(names: tuple[str, ...], index_path: str | None) -> None:
    """Remove documents by the name they were added under (a path, or PATH#ID for JSON Lines).

    A folder or .jsonl path removes every document added from it.

    \b
    Example:
      despin index remove originals/2019/ feed.jsonl#42

    Exit codes: 0 removed, 1 nothing matched, 2 error.
    """
    from despin.index import Index, IndexFileError

    try:
        with Index(_index_path(index_path)) as idx:
            removed = idx.remove(list(names))
    except IndexFileError as exc:
        _fail(str(exc))
    with writing():
        click.echo(f"removed {len(removed)} documents")
    sys.exit(0 if removed else 1)


@click.command("trace")
@click.argument("file", type=click.Path(path_type=str, allow_dash=True))
@click.option("--index", "index_path", metavar="PATH", help=INDEX_HELP)
@click.option("--limit", type=click.IntRange(1), default=5, show_default=True, help="At most this many sources.")
@click.option("--passages", type=click.IntRange(0), default=3, show_default=True, help="Aligned passages shown per source.")
@click.option("--restore", "use_restore", is_flag=True, help="Restore the text with despin.restore before tracing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@mode_options
def trace_cmd(file: str, index_path: str | None, limit: int, passages: int, use_restore: bool, as_json: bool,
              fast: bool, threads: int | None) -> None:
    """The likely sources of a (spun) text, best first, with aligned passages as evidence.

    \b
    Examples:
      despin index add originals/ && despin trace suspect.html
      despin trace --json --index refs.sqlite page.txt
      cat page.txt | despin trace -
      despin trace --restore --fast spun.txt     restore first, without the context model

    A source is reported when at least 40% of the text aligns with it, counting a word as
    aligned when it is the same word or in the same synonym class.
    Exit codes: 0 nothing found, 1 source found, 2 error.
    """
    from despin.index import Index, IndexFileError, QueryTruncated
    from despin.reading import InputError, read_path, read_stdin

    normaliser = None
    if use_restore:
        from despin.api import restore

        normaliser = functools.partial(restore, fast=fast, threads=threads)
    try:
        doc = read_stdin() if file == "-" else read_path(file)
    except InputError as exc:
        _fail(str(exc))
    try:
        with Index(_index_path(index_path), normaliser=normaliser) as idx, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", QueryTruncated)
            result = idx.trace(doc.text, limit=limit, source=doc.source)
    except IndexFileError as exc:
        _fail(str(exc))
    for w in caught:
        if issubclass(w.category, QueryTruncated):
            click.echo(f"despin: warning: {printable(str(w.message))}", err=True)
    with writing():
        _print_trace(result, passages, as_json)
    sys.exit(1 if result.hits else 0)


def _print_trace(result, passages: int, as_json: bool) -> None:
    if as_json:
        click.echo(jsonl.dumps(result.to_dict() | {"source": valid_utf8(result.source)}))
    elif not result.hits:
        click.echo(f"{printable(result.source)}: no source found ({result.candidates} candidates checked)")
    else:
        for rank, hit in enumerate(result.hits, 1):
            click.echo(f"{rank}. {printable(hit.name)}  score {hit.score:.2f} "
                       f"(covers {hit.source_coverage:.0%} of the source)")
            for p in hit.evidence[:passages]:
                click.echo(f"     query:  {_short(p.query_text)}")
                click.echo(f"     source: {_short(p.source_text)}")


def _short(text: str, width: int = 160) -> str:
    """One line of at most `width` characters, with control characters from the web escaped."""
    text = printable(" ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"

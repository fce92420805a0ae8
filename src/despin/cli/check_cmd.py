"""`despin check` and `despin restore`."""
from __future__ import annotations

import dataclasses
import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from despin.cache import CacheFolderError
from despin.cli import bugs
from despin.cli.output import writing
from despin.cli.params import FloatRange
from despin.decoding.spans import S
from despin.decoding.spun_text import spin_score
from despin.reading import Document, InputError, iter_blocks, read_path, read_stdin
from despin.reading.blocks import iter_file_blocks
from despin.reading.document import SNIFF_BYTES, byte_order_mark, plain_text_head
from despin.reporting import human, jsonl
from despin.reporting.safe import printable
from despin.types import Boilerplate, CheckResult

EXIT_CLEAN, EXIT_SPUN, EXIT_ERROR = 0, 1, 2
# Plain-text files above this size are streamed block by block, and a text read whole (standard
# input, HTML, PDF) is cut into blocks above as many characters. Smaller ones are checked whole,
# as the Python API checks them, since a cut may fall inside a phrase.
STREAM_BYTES = 4 * 1024 * 1024


# The collector's first generation is collected after this many new objects (Python: 700).
YOUNG_OBJECTS = 20_000


def _engine(fast: bool, threads: int | None, triage: bool = False):
    from despin.api import engine_for  # the engine loads lexicons: not for --help

    engine = engine_for(fast, threads, triage)
    tune_collector()
    return engine


def tune_collector() -> None:
    """Spare the garbage collector most of its work, as the command owns its process (the
    library leaves the collector alone). The loaded lexicons are hundreds of thousands of
    objects that live as long as the process, which each full collection would scan again; and
    checking a text makes millions of small objects that reference counting frees. On 300,000
    words in fast mode the collector took 5.0 s of 38.6 with Python's settings and 1.4 s of
    30.9 with these; bench/speed.py measures both."""
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])


def mode_options(command):
    command = click.option("--threads", type=click.IntRange(1, 256), default=None,
                           help="CPU threads for the context model (default: all available).")(command)
    return click.option("--fast", is_flag=True,
                        help="Skip the context model: phrase counts only, thousands of words/s instead of "
                             "about 50-100. It finds known tortured phrases and spins the phrase counts "
                             "can see, but misses most others (the README has the figures).")(command)


def _read(path: str) -> tuple[Document, Iterator[tuple[int, str]], int | None]:
    """(the document, its (offset, text) blocks, its size in bytes when streamed from a file;
    the document's text is then left empty, and its codec is UTF-8's or the BOM's)."""
    if path == "-":
        doc = read_stdin()
        return doc, _blocks(doc.text), None
    try:
        size = os.path.getsize(path)
    except OSError:
        size = 0
    if size > STREAM_BYTES and path.lower().endswith((".txt", ".text", ".md")):
        head = _head(path)
        if plain_text_head(head, path):  # an HTML page or a PDF saved as .txt is read whole
            bom, codec, _ = byte_order_mark(head)
            return Document("", path, "text", bom, codec), iter_file_blocks(path), size
    doc: Document = read_path(path)
    return doc, _blocks(doc.text), None


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """A text read whole, cut in blocks only where it is huge: a cut may fall inside a phrase."""
    return iter_blocks(text) if len(text) > STREAM_BYTES else iter([(0, text)])


def _head(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError:
        return b""  # reading it for real will say why


def _progress(err: Console, out: Console | None = None) -> Progress:
    """Which file is being read and for how long, only where someone watches it: model mode
    reads 35-95 words a second. The display is drawn on standard error, or, given the console
    the results are printed on (`out`), on that console where it is a terminal: results then pass
    above the display. Printed through another console, they ran into it and its last line was
    drawn over. Output redirected to a file is never routed through the display. File names are
    shown as text, never as markup."""
    shared = out is not None and out.is_terminal
    console = out if shared else err
    return Progress(TextColumn("{task.description}", markup=False), BarColumn(), TaskProgressColumn(),
                    TimeElapsedColumn(), console=console, transient=True, disable=not console.is_terminal,
                    redirect_stdout=not shared and sys.stdout.isatty(), redirect_stderr=err.is_terminal)


@contextmanager
def _display_off(progress: Progress) -> Iterator[None]:
    """The progress display taken off the screen while a message is written to standard error:
    click writes past rich's redirection, so the message ran into the display and was drawn over."""
    if progress.disable:
        yield
        return
    progress.live.stop()  # not progress.stop(), which adds a blank line on a dumb terminal
    try:
        yield
    finally:
        progress.live.start(refresh=True)


def _shifted(spans: list[S], offset: int) -> list[S]:
    """Spans of a block, moved to where the block starts in its file."""
    return [dataclasses.replace(s, start=s.start + offset, end=s.end + offset) for s in spans]


PARTLY_ENGLISH = "parts of it are not English and were left as they are"


def _verdict(english: int, note: str) -> tuple[bool, str]:
    """(supported, note) of a text read in blocks, from how many blocks were English and the
    note of one that was not: a text is skipped only when no block was English."""
    if note and english:
        return True, PARTLY_ENGLISH
    return not note, note


def _check_blocks(source: str, blocks, size: int | None, progress: Progress, engine):
    """Check block by block, shifting offsets, so a huge file is never held twice. The file's
    task measures bytes when it is streamed; otherwise it only shows that work goes on."""
    merged = CheckResult(source=source, words=0, spin_score=0.0)
    texts = []
    english, note, language = 0, "", "en"  # English blocks; what a block that is not says
    task = progress.add_task(f"checking {printable(source)}", total=size)
    try:
        for offset, block in blocks:
            result = engine.check(block, source)
            merged.words += result.words
            if result.supported:
                english += 1
                merged.findings += _shifted(result.findings, offset)
                merged.boilerplate += _shifted(result.boilerplate, offset)
                merged.disguises += _shifted(result.disguises, offset)
            else:
                # Left as it is, as `restore` leaves it: nothing in it is listed or counts as found.
                note, language = result.note, result.language
            texts.append(block)
            progress.advance(task, len(block.encode()))
    finally:
        progress.remove_task(task)
    merged.supported, merged.note = _verdict(english, note)
    if not merged.supported:
        merged.language = language
    merged.spin_score = spin_score(merged.findings, merged.words, bool(merged.boilerplate))
    return merged, "".join(texts)


def _failure(exc: Exception, path: str) -> str:
    """The one-line message for what went wrong with the file at `path`: the input's fault, or
    despin's own bug (raised instead where DESPIN_DEBUG asks for its traceback)."""
    if isinstance(exc, InputError):
        return str(exc)
    if bugs.debugging():
        raise exc
    return bugs.describe(exc, path)


@click.command("check")
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input (JSON Lines).")
@click.option("-v", "--verbose", is_flag=True, help="Show ranked alternatives for each span.")
# Above 0: at 0 every text, an empty one too, would be spun.
@click.option("--min-score", type=FloatRange(0.0, 1.0, min_open=True), default=None, metavar="S",
              help="Count a text as spun (exit 1) when its spin score is at least S, instead of when one "
                   "span is 50% sure. For sorting whole pages; the README gives measured values.")
@click.option("--triage", is_flag=True,
              help="Model mode for sorting pages: leaves out its last round, the weak flags of word pairs "
                   "and words only the model finds odd, which is about half its time on clean prose. "
                   "Pair it with --min-score 0.2 (the README has the figures).")
@mode_options
def check_cmd(files: tuple[str, ...], as_json: bool, verbose: bool, min_score: float | None, triage: bool,
              fast: bool, threads: int | None) -> None:
    """Report the spans of FILES that look machine-spun ("-" reads standard input).

    Each span comes with its offsets, the likely original wording, ranked alternatives, a
    confidence and the evidence. Text, HTML and PDF are read; autoblog furniture such as
    [ad_1] markers and a closing "Source link" is reported too, and so are words disguised from
    text matching (an invisible character inside, Cyrillic letters posing as Latin ones), which
    are read as their plain letters.

    \b
    Examples:
      despin check article.txt
      curl -s https://example.org/post | despin check -
      despin check --fast --json papers/*.pdf > findings.jsonl
      despin check --fast big-dump.txt   phrase counts only, no language model
      despin check --triage --min-score 0.2 --json crawl/*.html > pages.jsonl

    Exit status: 0 when no span is at least 50% sure to be spun (weaker flags are still listed),
    1 when one is or a word is disguised, 2 on any error. With --min-score, 1 when a text's spin
    score reaches it (or a word is disguised): a single sure span in a long clean page then no
    longer counts, which suits sorting a crawl.
    """
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False)
    status = EXIT_CLEAN
    with _progress(err, out) as progress:
        done = progress.add_task(f"{len(files)} files", total=len(files), visible=len(files) > 1)
        for path in files:
            try:
                doc, blocks, size = _read(path)
                result, text = _check_blocks(doc.source, blocks, size, progress, _engine(fast, threads, triage))
            except CacheFolderError:
                raise  # no file can be checked: said once (cli/main.py)
            except Exception as exc:  # noqa: BLE001 - bad input or a bug: the other files still get their results
                status = EXIT_ERROR
                message = _failure(exc, path)
                if as_json:
                    with writing():
                        click.echo(jsonl.error_line(path, message))
                with _display_off(progress):
                    click.echo(f"despin: {printable(message)}", err=True)
                continue
            finally:
                progress.advance(done)
            with writing():
                if as_json:
                    click.echo(jsonl.check_line(result))
                else:
                    human.print_check(out, result, text, verbose)
            spun = result.spun if min_score is None else result.spin_score >= min_score
            if (spun or result.disguises) and status == EXIT_CLEAN:
                status = EXIT_SPUN
    sys.exit(status)


@click.command("restore")
@click.argument("file")
@click.option("--explain", is_flag=True, help="List every change on standard error.")
@click.option("--min-confidence", type=FloatRange(0.0, 1.0), default=None,
              help="Rewrite only spans at least this sure (default 0.5). Lower is bolder.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with the text and the changes.")
@mode_options
def restore_cmd(file: str, explain: bool, min_confidence: float | None, as_json: bool, fast: bool,
                threads: int | None) -> None:
    """Print FILE with spun wording put back as it most likely was ("-" reads standard input).

    Everything that is not rewritten is kept byte for byte, except autoblog furniture
    ([ad_N] markers, a closing "Source link"), which is left out. Spans despin is unsure of are
    left alone: `despin check` lists them.

    \b
    Examples:
      despin restore spun.txt > restored.txt
      despin restore --explain spun.txt
      despin restore --min-confidence 0.8 page.html
    """
    # One line per change, whatever reads it: a log must not get changes cut over several lines.
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        doc, blocks, size = _read(file)
        source = doc.source
        engine = _engine(fast, threads)
        pieces, changes, originals, english, note = [], [], [], 0, ""
        left_out: list[Boilerplate] = []
        with _progress(err) as progress:
            task = progress.add_task(f"restoring {printable(source)}", total=size)
            for offset, block in blocks:
                result = engine.restore(block, min_confidence, source)
                if result.check.supported:
                    english += 1
                    left_out += _shifted(result.check.boilerplate, offset)
                else:
                    note = result.check.note
                pieces.append(result.text)
                originals.append(block)
                changes += _shifted(result.changes, offset)
                progress.advance(task, len(block.encode()))
    except CacheFolderError:
        raise  # said by cli/main.py
    except Exception as exc:  # noqa: BLE001 - bad input or a bug: one line naming the file
        message = _failure(exc, file)
        if as_json:  # a reader of the JSON gets the error where it reads, as `check --json` gives it
            with writing():
                click.echo(jsonl.error_line(file, message))
        click.echo(f"despin: {printable(message)}", err=True)
        sys.exit(EXIT_ERROR)
    restored = "".join(pieces)
    supported, note = _verdict(english, note)
    if not supported:
        # The text comes back as it was; say so, or an unchanged text would read as a clean one.
        click.echo(f"despin: {printable(source)}: left as it is, {note}", err=True)
    elif note:
        click.echo(f"despin: {printable(source)}: {note}", err=True)
    with writing():
        if as_json:
            click.echo(jsonl.restore_line(source, restored, changes, note, supported, left_out))
        else:
            _write_restored(doc, restored)
    if explain:
        human.print_changes(err, changes, "".join(originals), left_out)
    sys.exit(EXIT_SPUN if changes or left_out else EXIT_CLEAN)  # leaving furniture out changes the text too


def _write_restored(doc: Document, restored: str) -> None:
    """Plain text goes back in the codec it came in, byte-order mark and all: the bytes not
    rewritten are the input's own. That codec is always a Unicode one (reading/document.py), so
    every restored text can be written in it."""
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a text-only stream, e.g. swapped in by a test harness
        sys.stdout.write(restored)
    else:
        sys.stdout.flush()
        stream.write(doc.bom + restored.encode(doc.codec))
    sys.stdout.flush()


__all__ = ["check_cmd", "restore_cmd"]

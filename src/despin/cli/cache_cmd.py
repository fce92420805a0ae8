"""`despin cache info|clear`: what the compiled tables in the cache folder take, and removing them."""
from __future__ import annotations

import sys
import time
from datetime import datetime, timezone

import click

from despin.cli.output import writing
from despin.cli.params import FloatRange
from despin.reporting import jsonl
from despin.reporting.safe import printable, valid_utf8
from despin.reporting.sizes import size_text


@click.group("cache")
def cache_group() -> None:
    """Show or empty the folder of compiled tables ($DESPIN_CACHE, else $XDG_CACHE_HOME/despin, else
    ~/.cache/despin).

    despin compiles its thesaurus, phrase counts, word options and the converted language model
    there on first use, from installed packages; nothing is downloaded. Every file is rebuilt
    when needed, so removing them is safe: the next run is slower (about a minute in fast mode,
    more where the model is converted). A file a newer version has replaced is removed on its
    own once it has gone 30 days unused.

    \b
    Examples:
      despin cache info                  each file, its size and when it was last used
      despin cache clear --unused 7      remove what no run has used for a week
    """


@cache_group.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print the listing as JSON.")
def info_cmd(as_json: bool) -> None:
    """List the cache folder's files, least recently used first, with their total size."""
    from despin.cache import cache_dir

    found = _entries()
    folder = cache_dir()
    total = sum(e.size for e in found)
    with writing():
        if as_json:
            click.echo(jsonl.dumps({
                "folder": valid_utf8(str(folder)), "bytes": total,
                "files": [{"name": valid_utf8(e.path.name), "bytes": e.size, "last_used": _iso(e.last_used)}
                          for e in found],
            }))
            return
        for e in found:
            click.echo(f"{_date(e.last_used)}  {size_text(e.size):>8}  {printable(e.path.name)}")
        click.echo(f"{printable(str(folder))}: {_files(len(found))}, {size_text(total)}")


@cache_group.command("clear")
@click.option("--unused", "days", type=FloatRange(min=0), metavar="DAYS",
              help="Only what no run has used for this many days (default: everything).")
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as JSON.")
def clear_cmd(days: float | None, as_json: bool) -> None:
    """Remove the compiled tables; each is built again when next needed."""
    from despin.cache import cache_dir, remove

    cutoff = time.time() - days * 86400 if days is not None else None
    gone = [e for e in _entries() if cutoff is None or e.last_used < cutoff]
    removed, failed = [], []
    for e in gone:
        try:
            remove(e)
            removed.append(e)
        except OSError as exc:
            failed.append((e, exc))
    freed = sum(e.size for e in removed)
    folder = cache_dir()
    with writing():
        if as_json:
            click.echo(jsonl.dumps({"folder": valid_utf8(str(folder)), "bytes": freed,
                                   "removed": [valid_utf8(e.path.name) for e in removed],
                                   "failed": [valid_utf8(e.path.name) for e, _ in failed]}))
        else:
            click.echo(f"{printable(str(folder))}: removed {_files(len(removed))}, {size_text(freed)}")
    for e, exc in failed:
        click.echo(f"despin: could not remove {printable(e.path.name)}: {printable(exc.strerror or str(exc))}", err=True)
    if failed:
        sys.exit(2)


def _entries():
    from despin.cache import CacheFolderError, entries

    try:
        return entries()
    except CacheFolderError:
        raise  # said by cli/main.py
    except OSError as exc:  # the folder cannot be read
        click.echo(f"despin: cache folder: {printable(exc.strerror or str(exc))}", err=True)
        sys.exit(2)


def _date(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat(timespec="seconds")


def _files(n: int) -> str:
    return f"{n} file" if n == 1 else f"{n} files"

"""Where compiled lexicons live, and the one process-wide cache of loaded models.

Compiled resources are built from installed packages on first use (never downloaded) and kept
under the user's cache folder, keyed by a format version so that an upgrade rebuilds them.
"""
from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from threading import RLock
from typing import TypeVar

T = TypeVar("T")

FORMAT_VERSION = 2
# A cache file no process has read for this long is removed when a newer one of its kind is built.
UNUSED_DAYS = 30

_models: dict[str, object] = {}
# Re-entrant: building one model may load another (the engine compiles the thesaurus, which
# loads the GloVe vectors); a plain lock deadlocked `despin check` on a fresh cache folder.
_lock = RLock()


class CacheFolderError(OSError):
    """The cache folder cannot be made: a setting to change, not a bug in despin."""

    def __str__(self) -> str:
        return (f"the cache folder {self.filename} cannot be used ({self.strerror}); "
                "set DESPIN_CACHE to a folder despin may write to")


def cache_dir() -> Path:
    """The folder for compiled lexicons: $DESPIN_CACHE, else $XDG_CACHE_HOME/despin, else ~/.cache/despin."""
    explicit = os.environ.get("DESPIN_CACHE")
    if explicit:
        path = Path(explicit)
    else:
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):  # the XDG spec: a relative path is invalid, and ignored
            base = str(Path.home() / ".cache")
        path = Path(base) / "despin"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise CacheFolderError(errno.ENOTDIR, "a file, not a folder", str(path)) from exc
    except OSError as exc:
        raise CacheFolderError(exc.errno, exc.strerror, str(path)) from exc
    return path


def cached_file(name: str) -> Path:
    return cache_dir() / f"v{FORMAT_VERSION}-{name}"


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write a cache file (or folder) to; it takes the place of
    `path` once the block ends without an error, and is removed if it does not. Builders in other
    processes may race, so each writes under a name of its own, and a reader never sees half a
    file. The temporary name keeps `path`'s suffix, which some writers insist on (".npz")."""
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp{path.suffix}")
    with contextlib.suppress(OSError):
        _delete(tmp)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            _delete(tmp)
        raise


def _delete(path: Path) -> None:
    """Remove a cache file or folder; one already gone is no error, any other failure raises."""
    try:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        pass


@contextmanager
def building_sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to a new SQLite file that takes the place of `path` once the block ends
    without an error (see `replacing`)."""
    with replacing(path) as tmp:
        db = sqlite3.connect(tmp)
        try:
            yield db
            db.commit()
        finally:
            db.close()


def write_atomically(path: Path, text: str) -> None:
    """Write a text file of the cache folder in one step (see `replacing`)."""
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


# What reading a cache file may raise when it was cut short, or written by another version.
UNREADABLE = (OSError, ValueError, KeyError, TypeError, AttributeError)


def compiled_text(name: str, build: Callable[[], T], dump: Callable[[T], str], load: Callable[[str], T], *,
                  note: str | None = None, prune: str | None = None) -> T:
    """The value kept in the cache folder's text file `name`, read with `load`; built (with a
    `note` on stderr for a slow build) and written with `dump` when the file is missing or
    unreadable.

    `prune`, a glob of names after the format version, removes the files of the same kind left
    unused by earlier versions (`forget_unused`) once a new one is written. A read-only cache
    folder is no error: the value is built again next time.
    """
    path = cached_file(name)
    try:
        value = load(path.read_text(encoding="utf-8"))
    except UNREADABLE:
        pass  # not there yet, or cut short, or another version's: built again
    else:
        mark_used(path)
        return value
    if note is not None:
        notice(note)
    value = build()
    with contextlib.suppress(OSError):
        write_atomically(path, dump(value))
        if prune is not None:
            forget_unused(prune, path)
    return value


def mark_used(path: Path) -> None:
    """Note that a cache file (or folder) was read now: its modification time says when it was
    last used. A read-only cache folder is still read."""
    with contextlib.suppress(OSError):
        os.utime(path)


def forget_unused(pattern: str, current: Path) -> None:
    """Remove the cache folder's files (or folders) of one kind, `pattern` a glob of their names
    after the format version, that no process has used for UNUSED_DAYS, `current` apart.

    Called after a new one is built: a file named by a digest of code and data is superseded by
    every upgrade, and each would otherwise stay for good (the cache folder of a machine that ran
    many versions held 1.4 GB). Only files long unused go, because another install of despin
    (another virtual environment, another version) may share the folder and still read its own:
    removing every other file at once would make two installs rebuild in turn.
    """
    cutoff = time.time() - UNUSED_DAYS * 86400
    for old in cache_dir().glob(f"v*-{pattern}"):
        try:
            if old != current and old.stat().st_mtime < cutoff:
                _delete(old)
        except OSError:
            continue


# What despin writes to the cache folder: a format version, then the table's own name. Nothing
# else is listed or removed, since $DESPIN_CACHE may name a folder that holds other files.
_OURS = re.compile(r"v\d+-.")


@dataclass(frozen=True)
class CacheEntry:
    """One compiled file (or converted-model folder) in the cache folder."""

    path: Path
    size: int  # bytes; a folder's files summed
    last_used: float  # seconds since the epoch: when a process last read it (its modification time)


def entries() -> list[CacheEntry]:
    """What despin keeps in the cache folder, oldest use first."""
    found = []
    for path in cache_dir().iterdir():
        if not _OURS.match(path.name):
            continue
        try:
            stat = path.stat()
            size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else stat.st_size
            found.append(CacheEntry(path, size, stat.st_mtime))
        except OSError:
            continue  # removed meanwhile by another process
    return sorted(found, key=lambda e: (e.last_used, e.path.name))


def remove(entry: CacheEntry) -> None:
    """Remove one entry, raising OSError where it cannot be (one already gone is no error): a
    process that has it open keeps reading it, and the next that needs it builds it again."""
    _delete(entry.path)


def model(key: str, build: Callable[[], T]) -> T:
    """Return the process-wide instance stored under `key`, building it on first use."""
    with _lock:
        if key not in _models:
            _models[key] = build()
        return _models[key]  # type: ignore[return-value]


def notice(message: str) -> None:
    """A one-line progress note on stderr (never on stdout, which may carry JSON)."""
    print(f"despin: {message}", file=sys.stderr, flush=True)

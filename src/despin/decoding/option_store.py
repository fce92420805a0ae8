"""The channel's options of common words, computed once and kept in the cache folder.

A word's first sight costs a thesaurus query, a ranking of a few hundred originals and the
inflection of those kept (about 0.7 ms a word). Later sights cost nothing, but fresh text keeps
bringing words the process has not seen: on 100,000 words of held-out prose half of fast mode's
time went there. The options of English's most frequent words are therefore computed once per
installation, by the same code, and read back with one SQLite look-up each.

The file is named by a digest of everything its contents depend on: the channel's settings, the
mined spin table, the compiled lexicons, the library versions and the source of the modules that
compute options. A change to any of them gives a new name, so a stale file is never read.
"""
from __future__ import annotations

import hashlib
import marshal
import sqlite3
import sys
import zlib
from collections.abc import Callable, Iterable
from contextlib import closing
from importlib import metadata
from pathlib import Path

from despin.cache import building_sqlite, cached_file, forget_unused, mark_used, notice
from despin.decoding.channel import Option

STORE_VERSION = 2
# wordfreq's most frequent English words. On 100,000 words of held-out `report` prose the first
# 50,000 held 95% of the time spent computing options; the rest of the long tail is computed as it
# comes.
STORED_WORDS = 50_000
_PREFIX = "options-"


class OptionStore:
    """Read-only look-ups of stored options."""

    def __init__(self, path: Path):
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def get(self, word: str) -> tuple[Option, ...] | None:
        """The stored options of a lowercase word, or None when the word is not stored (or its
        entry cannot be read: the caller then computes them, as for any word not stored)."""
        try:
            row = self._db.execute("SELECT options FROM opt WHERE word = ?", (word,)).fetchone()
            if row is None:
                return None
            return tuple(Option(*option) for option in marshal.loads(zlib.decompress(row[0])))
        except (sqlite3.Error, zlib.error, ValueError, TypeError, EOFError):
            return None


def open_store(digest: str, compute: Callable[[str], tuple[Option, ...]]) -> OptionStore | None:
    """The store for this digest, computing it with `compute` (a word's options) if it is missing
    or unreadable; None, with a notice, when it cannot be written (options are then computed as
    words come, which is only slower)."""
    path = cached_file(f"{_PREFIX}{digest[:16]}.sqlite")
    try:
        if path.exists() and not _readable(path):
            notice(f"{path} cannot be read; computing it again")
            path.unlink()
        if not path.exists():
            _build(path, compute, _common_words())
            forget_unused(f"{_PREFIX}*.sqlite", path)
        mark_used(path)
        return OptionStore(path)
    except (OSError, sqlite3.Error) as exc:
        notice(f"cannot keep common words' options in {path.parent} ({exc}); computing them as they come")
        return None



def _readable(path: Path) -> bool:
    """Whether the file is a store at all: a cache file cut short or overwritten is computed again."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            return db.execute("SELECT count(*) FROM (SELECT options FROM opt LIMIT 1)").fetchone()[0] == 1
    except sqlite3.Error:
        return False


def digest(parts: Iterable[object], modules: Iterable[object]) -> str:
    """A digest of `parts` (by their repr), of the source files of `modules`, of this module, and of the
    Python and library versions that shape the options (marshal's format, inflections, frequencies)."""
    h = hashlib.sha256()
    for part in (STORE_VERSION, sys.version_info[:2], *parts):
        h.update(repr(part).encode())
        h.update(b"\0")
    for name in ("lemminflect", "wordfreq", "nltk"):
        h.update(metadata.version(name).encode())
    for file in (__file__, *(module.__file__ for module in modules)):
        h.update(Path(file).read_bytes())
    return h.hexdigest()


def _common_words() -> list[str]:
    from wordfreq import top_n_list

    return top_n_list("en", STORED_WORDS)


def _build(path: Path, compute: Callable[[str], tuple[Option, ...]], words: list[str]) -> None:
    notice(f"computing the options of {len(words):,} common words for fast mode (once, about half a minute)...")
    with building_sqlite(path) as db:
        # Not WITHOUT ROWID: SQLite stores rows this long in less than half the space in a
        # rowid table (44 MB against 100 MB uncompressed; 25 MB compressed).
        db.execute("CREATE TABLE opt (word TEXT PRIMARY KEY, options BLOB)")
        rows = []
        for word in words:
            options = tuple((o.words, o.logq, o.source) for o in compute(word))
            rows.append((word, zlib.compress(marshal.dumps(options))))
        db.executemany("INSERT OR IGNORE INTO opt VALUES (?, ?)", rows)

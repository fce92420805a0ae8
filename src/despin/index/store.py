"""The index file: one SQLite database in WAL mode, recognised by its application id.

A file that is not an SQLite database, or an SQLite database that is not a despin index, is
refused with :class:`IndexFileError` and never written to. Every change runs in one
transaction, so an interrupted add leaves the file as it was; WAL lets readers keep reading
while a writer adds.
"""
from __future__ import annotations

import os
import sqlite3
import zlib
from pathlib import Path

from despin.index.fingerprint import LshParams

APPLICATION_ID = 0x4453504E  # "DSPN"
FORMAT_VERSION = 1
_SQLITE_MAGIC = b"SQLite format 3\x00"
READ_ONLY = "read-only here; it can be traced against, not changed"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    digest BLOB NOT NULL UNIQUE,
    words INTEGER NOT NULL,
    chunks INTEGER NOT NULL,
    text BLOB NOT NULL
);
CREATE TABLE bands (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID;
"""


class IndexFileError(Exception):
    """The index file is missing, corrupt, foreign or too new; str() is one line for humans."""


def pack_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6)


def unpack_text(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise IndexFileError(f"{path}: cannot read the index ({exc.strerror or exc})") from None
    if head != _SQLITE_MAGIC:
        what = "an empty file" if not head else "not an SQLite database"
        raise IndexFileError(f"{path}: not a despin index ({what}); refusing to touch it")


def open_index(path: Path, create: bool, params: LshParams | None = None, readonly: bool = False) -> tuple[sqlite3.Connection, LshParams]:
    """Open (or, when `create` and absent, create) the index; return the connection and its LSH parameters."""
    path = Path(path)
    exists = path.exists()
    if exists:
        if path.is_dir():
            raise IndexFileError(f"{path}: is a directory, not an index file")
        _check_header(path)
    elif not create:
        raise IndexFileError(f"{path}: no index here; create one with `despin index add --index {path} FILES`")
    mode = "ro" if (readonly and exists) else ("rw" if exists else "rwc")
    try:
        return _connect(path, mode, exists, params)
    except sqlite3.OperationalError as exc:
        if not exists or _writable(path):
            raise IndexFileError(f"{path}: not a usable despin index ({exc})") from None
        if create:
            raise IndexFileError(f"{path}: {READ_ONLY}") from None
    # On read-only media SQLite cannot make the shared-memory file a WAL database is read
    # through; nothing can change the file there, so it may be read as immutable.
    try:
        return _connect(path, "ro&immutable=1", exists, params)
    except sqlite3.Error as exc:
        raise IndexFileError(f"{path}: not a usable despin index ({exc})") from None


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)


def _connect(path: Path, mode: str, exists: bool, params: LshParams | None) -> tuple[sqlite3.Connection, LshParams]:
    """Connect, then check (or create) the index; a DatabaseError other than an OperationalError
    says the file is no despin index."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, isolation_level=None, timeout=30)
    except sqlite3.OperationalError:
        raise  # the caller tells read-only media from the rest
    except sqlite3.Error as exc:
        raise IndexFileError(f"{path}: cannot open the index ({exc})") from None
    try:
        if exists:
            params = _validate(conn, path)
        else:
            params = _initialise(conn, params or LshParams())
        if "immutable" not in mode:
            conn.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.OperationalError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise IndexFileError(f"{path}: not a usable despin index ({exc})") from None
    except IndexFileError:
        conn.close()
        raise
    return conn, params


def _validate(conn: sqlite3.Connection, path: Path) -> LshParams:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise IndexFileError(f"{path}: an SQLite database, but not a despin index; refusing to touch it")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > FORMAT_VERSION:
        raise IndexFileError(f"{path}: index format {version} is newer than this despin reads ({FORMAT_VERSION}); upgrade despin")
    if version < 1:
        raise IndexFileError(f"{path}: index was never completed (format 0); remove it and add again")
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    try:
        return LshParams(int(meta["num_perm"]), int(meta["bands"]), int(meta["rows"]), int(meta["seed"]))
    except (KeyError, ValueError):
        raise IndexFileError(f"{path}: despin index with damaged settings; remove it and add again") from None


def _initialise(conn: sqlite3.Connection, params: LshParams) -> LshParams:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in _SCHEMA.strip().split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [("num_perm", str(params.num_perm)), ("bands", str(params.bands)), ("rows", str(params.rows)),
             ("seed", str(params.seed)), ("format", str(FORMAT_VERSION))],
        )
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version={FORMAT_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return params

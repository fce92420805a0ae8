"""`Index`: add reference documents to an embedded SQLite index and trace spun texts to them."""
from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import warnings
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from despin.index import store
from despin.index.align import align, passages
from despin.index.analysis import Token, analyse
from despin.index.fingerprint import LshParams, band_keys, chunks, features, signatures
from despin.index.sources import expand, read_documents
from despin.index.store import IndexFileError
from despin.index.types import AddReport, IndexStats, Skipped, TraceHit, TraceResult
from despin.reporting.safe import valid_utf8

DEFAULT_INDEX = "despin-index.sqlite"
MAX_QUERY_WORDS = 20000
CANDIDATES = 20  # documents verified by alignment per query
THRESHOLD = 0.40  # weighted share of the query aligned with a source to call it a source
BATCH = 256

Item = "str | os.PathLike[str] | tuple[str, str]"


class QueryTruncated(UserWarning):
    """The traced text was longer than the limit; only its beginning was traced."""


def default_index_path() -> Path:
    return Path(os.environ.get("DESPIN_INDEX") or DEFAULT_INDEX)


def _guarded(method: Callable) -> Callable:
    """Errors from the file itself (damaged pages, a stored text that no longer unpacks, a
    writer holding the lock past the timeout) raised as IndexFileError, a one-line message
    about the file, rather than as despin's own bug."""

    @functools.wraps(method)
    def wrapper(self: Index, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.DatabaseError, zlib.error, UnicodeDecodeError) as exc:
            said = str(exc) if isinstance(exc, sqlite3.OperationalError) else ""
            if "readonly" in said:
                problem = store.READ_ONLY
            elif "locked" in said or "busy" in said:
                problem = "busy: another process is writing to it; try again later"
            else:
                problem = f"damaged index ({exc}); remove it and add the documents again"
            raise IndexFileError(f"{self.path}: {problem}") from None

    return wrapper


def _digest(text: str) -> bytes:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).digest()[:16]


class Index:
    """An index of reference documents in one SQLite file.

    >>> idx = Index("refs.sqlite")                      # created on first add
    >>> idx.add(["articles/", "feed.jsonl"]).added       # paths, folders, or (name, text) pairs
    >>> idx.trace(open("spun.txt").read()).hits[0].name
    """

    def __init__(
        self,
        path: str | os.PathLike[str] = DEFAULT_INDEX,
        *,
        normaliser: Callable[[str], str] | None = None,
        threshold: float = THRESHOLD,
        candidates: int = CANDIDATES,
        max_query_words: int = MAX_QUERY_WORDS,
        params: LshParams | None = None,
    ) -> None:
        self.path = Path(path)
        self.normaliser = normaliser  # e.g. despin.restore: traced texts are restored first
        self.threshold = threshold
        self.candidates = candidates
        self.max_query_words = max_query_words
        self._params_wanted = params
        self._conn: sqlite3.Connection | None = None
        self._params: LshParams | None = None

    # ------------------------------------------------------------------ connection

    def _open(self, create: bool) -> sqlite3.Connection:
        if self._conn is None:
            self._conn, self._params = store.open_index(self.path, create=create, params=self._params_wanted)
        return self._conn

    @property
    def params(self) -> LshParams:
        self._open(create=False)
        assert self._params is not None
        return self._params

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ adding

    @_guarded
    def add(
        self,
        items: Iterable[Item] | str | os.PathLike[str],
        *,
        text_field: str | None = None,
        id_field: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> AddReport:
        """Add files, folders (recursively) or ``(name, text)`` pairs, all in one transaction.

        A document already indexed under the same name with the same text is left alone; the
        same text under a new name is recorded as a duplicate of the first; unreadable files are
        skipped and listed in the report. If anything raises, the index is left as it was.
        """
        if isinstance(items, (str, os.PathLike)):
            items = [items]
        report = AddReport()

        def read() -> Iterable[tuple[str, str]]:
            for item in items:
                if isinstance(item, tuple):
                    yield item
                    continue
                if not Path(item).exists():
                    report.skipped.append(Skipped(valid_utf8(str(item)), "no such file or folder"))
                    continue
                for path in expand([item]):
                    yield from read_documents(path, report.skipped, text_field, id_field)

        def documents() -> Iterable[tuple[str, str]]:
            first: set[str] = set()
            for name, text in read():
                name, text = valid_utf8(name), valid_utf8(text)
                if name in first:
                    # Two ids alike in one feed (or an id that is another line's number): the
                    # second would silently replace the first.
                    report.skipped.append(Skipped(name, "the same name as an earlier document in this add"))
                    continue
                first.add(name)
                yield name, text

        conn = self._open(create=True)
        conn.execute("BEGIN IMMEDIATE")
        try:
            batch: list[tuple[str, str]] = []
            for doc in documents():
                batch.append(doc)
                if len(batch) >= BATCH:
                    self._add_batch(conn, batch, report)
                    if progress:
                        progress(len(batch))
                    batch = []
            if batch:
                self._add_batch(conn, batch, report)
                if progress:
                    progress(len(batch))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return report

    def add_text(self, text: str, name: str) -> AddReport:
        return self.add([(name, text)])

    def _add_batch(self, conn: sqlite3.Connection, batch: Sequence[tuple[str, str]], report: AddReport) -> None:
        params = self.params
        pending: list[tuple[str, str, bytes, list[Token]]] = []
        seen: dict[bytes, str] = {}
        for name, text in batch:
            digest = _digest(text)
            row = conn.execute("SELECT id, digest FROM docs WHERE name = ?", (name,)).fetchone()
            if row is not None:
                if row[1] == digest:
                    report.unchanged.append(name)
                    continue
                self._delete(conn, row[0])
                replaced = True
            else:
                replaced = False
            other = conn.execute("SELECT name FROM docs WHERE digest = ?", (digest,)).fetchone()
            if other is not None or digest in seen:
                report.duplicates.append((name, other[0] if other else seen[digest]))
                continue
            tokens = analyse(text)
            if not tokens:
                report.skipped.append(Skipped(name, "no words in it"))
                continue
            seen[digest] = name
            (report.replaced if replaced else report.added).append(name)
            pending.append((name, text, digest, tokens))
        if not pending:
            return
        feature_sets, owners = [], []
        for k, (_, _, _, tokens) in enumerate(pending):
            for chunk in chunks(tokens):
                feature_sets.append(features(chunk))
                owners.append(k)
        keys = band_keys(signatures(feature_sets, params), params)
        owners_arr = np.array(owners)
        for k, (name, text, digest, tokens) in enumerate(pending):
            mine = keys[owners_arr == k]
            cur = conn.execute(
                "INSERT INTO docs (name, digest, words, chunks, text) VALUES (?, ?, ?, ?, ?)",
                (name, digest, len(tokens), int(mine.shape[0]), store.pack_text(text)),
            )
            doc_id = cur.lastrowid
            conn.executemany(
                "INSERT OR IGNORE INTO bands (key, doc) VALUES (?, ?)",
                [(int(key), doc_id) for key in np.unique(mine)],
            )

    def _keys_of(self, text: str) -> np.ndarray:
        tokens = analyse(text)
        sets = [features(c) for c in chunks(tokens)] if tokens else []
        return np.unique(band_keys(signatures(sets, self.params), self.params))

    def _delete(self, conn: sqlite3.Connection, doc_id: int) -> None:
        blob = conn.execute("SELECT text FROM docs WHERE id = ?", (doc_id,)).fetchone()[0]
        keys = self._keys_of(store.unpack_text(blob))
        conn.executemany("DELETE FROM bands WHERE key = ? AND doc = ?", [(int(k), doc_id) for k in keys])
        conn.execute("DELETE FROM docs WHERE id = ?", (doc_id,))

    @_guarded
    def remove(self, names: Iterable[str] | str) -> list[str]:
        """Remove documents by the name they were added under (a folder or file path also removes
        every document added from inside it); returns the names removed."""
        if isinstance(names, str):
            names = [names]
        conn = self._open(create=False)
        removed: list[str] = []
        conn.execute("BEGIN IMMEDIATE")
        try:
            for name in names:
                rows = self._named(conn, name)
                for doc_id, doc_name in rows:
                    self._delete(conn, doc_id)
                    removed.append(doc_name)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return removed

    @staticmethod
    def _named(conn: sqlite3.Connection, name: str) -> list[tuple[int, str]]:
        """The documents `name` names: the one added under it, else those added from inside
        the folder or JSON Lines file it names. A name is a path as `add` was given it, so
        "./refs/a.txt" is the "refs/a.txt" that `add` stored."""
        path, sep, ident = valid_utf8(name).partition("#")
        if path:
            name = str(Path(path)) + sep + ident
        exact = conn.execute("SELECT id, name FROM docs WHERE name = ?", (name,)).fetchall()
        if exact or sep or not path:
            return exact  # "feed.jsonl#https://x/a" must not take "feed.jsonl#https://x/a/comments"
        prefix = name.rstrip("/")
        return conn.execute(
            "SELECT id, name FROM docs WHERE substr(name, 1, ?) IN (?, ?)",
            (len(prefix) + 1, prefix + "/", prefix + "#"),
        ).fetchall()

    # ------------------------------------------------------------------ reading

    @_guarded
    def stats(self) -> IndexStats:
        conn = self._open(create=False)
        docs, chunks_, words = conn.execute("SELECT COUNT(*), COALESCE(SUM(chunks), 0), COALESCE(SUM(words), 0) FROM docs").fetchone()
        band_rows = conn.execute("SELECT COUNT(*) FROM bands").fetchone()[0]
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        p = self.params
        return IndexStats(str(self.path), docs, chunks_, band_rows, words, size, store.FORMAT_VERSION, p.num_perm, p.bands, p.rows)

    @_guarded
    def names(self) -> list[str]:
        return [r[0] for r in self._open(create=False).execute("SELECT name FROM docs ORDER BY id")]

    @_guarded
    def text_of(self, name: str) -> str | None:
        row = self._open(create=False).execute("SELECT text FROM docs WHERE name = ?", (name,)).fetchone()
        return store.unpack_text(row[0]) if row else None

    @_guarded
    def trace(self, text: str, limit: int = 5, source: str = "<text>") -> TraceResult:
        """The likely sources of `text`, best first, each with aligned passages as evidence."""
        conn = self._open(create=False)
        if self.normaliser is not None:
            text = self.normaliser(text)
        tokens = analyse(text)
        truncated = False
        if len(tokens) > self.max_query_words:
            warnings.warn(
                f"{source}: {len(tokens)} words is over the limit of {self.max_query_words}; "
                f"only the first {self.max_query_words} were traced",
                QueryTruncated,
                stacklevel=3,  # past _guarded, to the caller
            )
            tokens = tokens[: self.max_query_words]
            truncated = True
        result = TraceResult(source=source, words=len(tokens), truncated=truncated)
        if not tokens:
            return result
        keys = self._query_keys(tokens)
        rows = conn.execute(
            "SELECT b.doc, COUNT(*) AS hits FROM bands b WHERE b.key IN (SELECT value FROM json_each(?)) "
            "GROUP BY b.doc ORDER BY hits DESC, b.doc LIMIT ?",
            (json.dumps([int(k) for k in keys]), self.candidates),
        ).fetchall()
        result.candidates = len(rows)
        scored = []
        for doc_id, _hits in rows:
            row = conn.execute("SELECT name, text FROM docs WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                continue
            src_text = store.unpack_text(row[1])
            src_tokens = analyse(src_text)
            alignment = align(tokens, src_tokens)
            if alignment.score >= self.threshold:
                scored.append((alignment.score, alignment.source_coverage, doc_id, row[0], src_text, src_tokens, alignment))
        scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
        for score, coverage, doc_id, name, src_text, src_tokens, alignment in scored[:limit]:
            evidence = passages(alignment, tokens, text, src_tokens, src_text)
            result.hits.append(TraceHit(doc_id, name, round(score, 4), round(coverage, 4), evidence))
        return result

    def _query_keys(self, tokens: Sequence[Token]) -> np.ndarray:
        sets = [features(c) for c in chunks(tokens)]
        return np.unique(band_keys(signatures(sets, self.params), self.params))

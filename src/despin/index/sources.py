"""Turn the paths given to `index add` into (name, text) documents, listing what can't be read.

Text, HTML and PDF files are read by :mod:`despin.reading`; JSON Lines files (``.jsonl``,
``.ndjson``) give one document per line, named ``PATH#ID`` from the line's id field (or its
line number), with the text from the first of the text fields present. Folders are walked in
name order, skipping hidden entries.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from despin.index.types import Skipped
from despin.reporting.safe import valid_utf8

JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
TEXT_FIELDS = ("text", "content", "body", "extract")
ID_FIELDS = ("id", "url", "title", "name")


def expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and the regular files inside folders named (recursively, hidden ones
    skipped: a FIFO or socket in a crawl folder would block the read forever)."""
    for path in paths:
        p = Path(path)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                rel = child.relative_to(p)
                if any(part.startswith(".") for part in rel.parts) or not child.is_file():
                    continue
                yield child
        else:
            yield p


def read_documents(
    path: Path, skipped: list[Skipped], text_field: str | None = None, id_field: str | None = None
) -> Iterator[tuple[str, str]]:
    """(name, text) of every document in one file; problems are appended to `skipped`."""
    name = valid_utf8(str(path))
    if path.suffix.lower() in JSONL_EXTENSIONS:
        yield from _read_jsonl(path, skipped, text_field, id_field)
        return
    from despin.reading import InputError, read_path

    try:
        doc = read_path(path)
    except InputError as exc:
        skipped.append(Skipped(name, exc.problem))
        return
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the rest
        skipped.append(Skipped(name, f"cannot read it ({type(exc).__name__}: {exc})"))
        return
    if not doc.text.strip():
        skipped.append(Skipped(name, "no text in it"))
        return
    yield name, doc.text


def _read_jsonl(path: Path, skipped: list[Skipped], text_field: str | None, id_field: str | None) -> Iterator[tuple[str, str]]:
    """One document per line; a line that is not UTF-8 or not a usable object is skipped alone."""
    name = valid_utf8(str(path))
    try:
        fh = path.open("rb")
    except OSError as exc:
        from despin.reading.errors import os_error

        skipped.append(Skipped(name, os_error(name, exc).problem))
        return
    text_fields = (text_field,) if text_field else TEXT_FIELDS
    id_fields = (id_field,) if id_field else ID_FIELDS
    with fh:
        for lineno, raw in enumerate(fh, 1):
            where = f"{name}#{lineno}"
            if lineno == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                skipped.append(Skipped(where, "not UTF-8 text"))
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                skipped.append(Skipped(where, f"not JSON ({exc.msg})"))
                continue
            if not isinstance(obj, dict):
                skipped.append(Skipped(where, "not a JSON object"))
                continue
            text = next((obj[f] for f in text_fields if isinstance(obj.get(f), str)), None)
            if not text or not text.strip():
                skipped.append(Skipped(where, f"no text field ({', '.join(text_fields)})"))
                continue
            ident = next((obj[f] for f in id_fields if isinstance(obj.get(f), (str, int)) and obj.get(f) != ""), lineno)
            yield f"{name}#{ident}", text

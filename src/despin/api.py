"""The public verbs: check, restore, restore_and_explain.

The engine (fingerprints, spin table, thesauri, phrase counts, and the context model unless
`fast=True`) is loaded once per process on first use and shared by every call. Without the
context model installed, every call runs in fast mode.
"""
from __future__ import annotations

from despin import cache
from despin.decoding.engine import Config, Engine
from despin.types import Change, CheckResult


def engine(config: Config | None = None) -> Engine:
    """The shared engine for a configuration (the default one unless told otherwise)."""
    config = config or Config()
    return cache.model(f"engine:{config!r}", lambda: Engine(config))


def engine_for(fast: bool = False, threads: int | None = None, triage: bool = False) -> Engine:
    """The shared engine for fast mode or model mode (the command line's --fast, --threads and
    --triage)."""
    return engine(Config(model=not fast, threads=threads, last_flags=not triage))


def check(text: str, *, source: str = "<text>", fast: bool = False, threads: int | None = None,
          triage: bool = False) -> CheckResult:
    """Find the spans of `text` that look machine-spun.

    `triage`: leave out model mode's last round of weak flags, for sorting pages by
    `spin_score` (about twice as fast; the README has the figures).

    >>> result = check("The Supreme Courtroom ruled on the case.")
    >>> [(f.text, f.restoration) for f in result.findings]
    [('Supreme Courtroom', 'Supreme Court')]
    """
    return engine_for(fast, threads, triage).check(_text(text, "check"), source)


def restore_and_explain(text: str, *, min_confidence: float | None = None, fast: bool = False,
                        threads: int | None = None) -> tuple[str, list[Change]]:
    """Return the restored text and the list of changes that produced it.

    Text outside the changed spans is kept as it is, except autoblog furniture ([ad_1], a
    closing "Source link"), which is left out.
    """
    result = engine_for(fast, threads).restore(_text(text, "restore"), min_confidence)
    return result.text, result.changes


def restore(text: str, *, min_confidence: float | None = None, fast: bool = False,
            threads: int | None = None) -> str:
    """Return `text` with spun wording put back as it most likely was.

    >>> restore("The Supreme Courtroom ruled on the case.")
    'The Supreme Court ruled on the case.'
    """
    return restore_and_explain(text, min_confidence=min_confidence, fast=fast, threads=threads)[0]


def _text(text: object, verb: str) -> str:
    """`text` if it is a str; otherwise a TypeError that says what to pass, rather than one raised
    deep inside the engine by its first regular expression."""
    if isinstance(text, str):
        return text
    hint = " (decode the bytes first, e.g. data.decode('utf-8'))" if isinstance(text, (bytes, bytearray)) else ""
    raise TypeError(f"despin.{verb}() takes the text as a str, not {type(text).__name__}{hint}")

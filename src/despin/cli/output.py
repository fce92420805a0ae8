"""Standard output, as the commands write to it: when it cannot take what they write (a full
disk, a descriptor closed or opened for reading only), that is said in one line with exit
status 2, not reported as a bug in despin."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


class OutputError(Exception):
    """Standard output cannot be written to: said once by cli/main.py."""


def require() -> None:
    """Refuse to start without a standard output (`despin check page.txt >&-`): what is written
    would be lost, and the first file despin opens would take its descriptor."""
    if sys.stdout is None:
        raise OutputError("standard output is closed")


@contextmanager
def writing() -> Iterator[None]:
    """Write to standard output, a failure there raising OutputError."""
    try:
        yield
    except BrokenPipeError:
        raise  # the reader went away, which is no error to report (cli/main.py)
    except OSError as exc:
        raise OutputError(exc.strerror or str(exc)) from exc


def discard() -> None:
    """Send what standard output still holds nowhere, so that Python does not complain on the way
    out about output it cannot flush."""
    if sys.stdout is None:
        return  # it never held anything
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())

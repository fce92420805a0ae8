"""The one error the input layer raises: a clear, single-line message for humans."""
from __future__ import annotations


class InputError(Exception):
    """Input that despin cannot read as text.

    ``str(err)`` is one human line naming the file and what is wrong, for
    example ``"page.bin: looks like a binary file (NUL bytes), not text"``.
    The CLI prints it and exits with status 2.
    """

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")

    def __str__(self) -> str:
        return f"{self.source}: {self.problem}"


def os_error(source: str, exc: OSError) -> InputError:
    """The one-line error for a file that cannot be opened or read."""
    if isinstance(exc, FileNotFoundError):
        return InputError(source, "no such file")
    if isinstance(exc, IsADirectoryError):
        return InputError(source, "is a directory, not a file")
    if isinstance(exc, PermissionError):
        return InputError(source, "permission denied")
    return InputError(source, f"cannot read it ({exc.strerror or exc})")

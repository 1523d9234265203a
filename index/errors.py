"""Errors a user can cause.

Each carries a one-line message fit to print as is; the CLI and the TUI catch
`WartaError` and nothing else, so anything else is a bug and shows as one.
"""


class WartaError(Exception):
    """Base of every error a user can cause; `str(err)` is the message to show."""

    exit_code = 2


class IndexMissingError(WartaError):
    """No index where one was expected."""

    exit_code = 1


class IndexLockedError(WartaError):
    """Another process is building the same index."""

    exit_code = 1


class IndexDamagedError(IndexMissingError):
    """The index's files cannot be read as an index: truncated, garbled, half-copied."""


class IndexVersionError(WartaError):
    """The index was written by a schema this code does not know."""

    exit_code = 1


class SourceError(WartaError):
    """A source folder or file that cannot be used at all."""


class SkipFile(Exception):
    """A file or record that is skipped with a reason; never ends a build.

    Not a WartaError: it is reported in the build's closing report, not raised to the user.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

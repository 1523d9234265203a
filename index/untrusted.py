"""Text from pages, file names and queries is untrusted wherever Warta shows it.

One definition of what cannot reach a terminal: C0 and C1 control characters (escape
sequences start with them). The cleaner removes them from article text; the front ends
replace them in file names and queries they echo.
"""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# For one line of a terminal, more: line breaks (a name must not forge report lines),
# bidirectional overrides and isolates (they reorder what follows), zero-width marks.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def strip_controls(text: str) -> str:
    """Text without control characters (tab and newline kept): for content shown as is."""
    return CONTROL.sub("", text)


def printable(text: str) -> str:
    """Text fit for one terminal line: control characters, line breaks, bidirectional
    overrides and zero-width marks shown as "?", so a file name, a query or a reason is
    still recognisable but cannot drive the terminal, forge a line or hide itself."""
    return UNPRINTABLE.sub("?", text)

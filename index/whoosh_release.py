"""The one Whoosh release whose private internals Warta's speed work drives.

Two places read Whoosh's private state, each for speed: the segment writer
(`index.segment`: the term pool, whole posting lists written as blocks, the writer
processes) and the fast query path (`search.fastpath`: posting blocks decoded straight
from W3LeafMatcher). Both were written against Whoosh 2.7.4, the last release, and both
ask here before they use those internals: under any other Whoosh (a maintained fork in
its place) they step aside and the public API does the work, slower but the same.
`index.safe_unpickle` replaces the names 2.7.4 loads pickles through, for safety.
"""

from __future__ import annotations

import whoosh

#: The release whose internals `index.segment` and `search.fastpath` reproduce and read.
RELEASE = (2, 7, 4)


def internals_supported() -> bool:
    """Whether the installed Whoosh is the release whose private state Warta reads."""
    return tuple(whoosh.__version__) == RELEASE

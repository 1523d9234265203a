"""The segment writer: how a build turns analysed articles into Whoosh segments fast.

Whoosh's own writer takes a Token object per word and a call per posting. Here each
article's terms go into a term pool (`pool`), each term's whole posting list is written as
Whoosh 3 blocks in one pass (`blocks`), and writer processes, one a core, each write a
segment (`processes`). The files are Whoosh's own (tests compare them byte for byte); the
private writer state this drives is that of Whoosh 2.7.4, checked by
`index.whoosh_release`, with the public API as the path under any other Whoosh.
"""

from index.segment.pool import TermPoolWriter
from index.segment.processes import PARALLEL_MIN_FILES, collect_stems, cpu_count, open_writer

__all__ = ["PARALLEL_MIN_FILES", "TermPoolWriter", "collect_stems", "cpu_count", "open_writer"]

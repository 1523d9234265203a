"""The fast path's tolerances and memory figures."""

#: Relative slack on score comparisons: our sums may add in another order than Whoosh's.
EPS = 1e-9
#: Default memory budget of the posting cache, in bytes the arrays hold (about 30 a
#: posting with positions): the posting lists of a session's searches at a million
#: articles, within the TUI's 1 GB.
DEFAULT_BUDGET = 320 * 1024 * 1024
#: Bytes a document number takes in a Python frozenset (its slot and its int object).
SET_BYTES = 60
#: Result sets kept as sorted arrays, beside the budget (the engine keeps as many sets).
SORTED_KEPT = 4
#: Candidates verified in the first batch; each batch after is twice the one before.
VERIFY_BATCH = 32

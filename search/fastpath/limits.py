"""The fast path's tolerances and memory estimates."""

#: Relative slack on score comparisons: our sums may add in another order than Whoosh's.
EPS = 1e-9
#: Default memory budget of decoded postings (bytes, estimated): the TUI must stay < 500 MB.
DEFAULT_BUDGET = 160 * 1024 * 1024
# Rough bytes per cached posting: a dict entry, a float, a shared int, position bytes.
BYTES_PER_POSTING = 110
# Rough bytes per entry of a term's block maxima (a dict entry, a float, an int).
BYTES_PER_BLOCK = 100
#: Candidates verified together (one position check per batch).
VERIFY_BATCH = 32

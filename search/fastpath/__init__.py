"""The fast path: match sets and top-k ranking from decoded posting lists, not Whoosh matchers.

Whoosh's collector scores every matching document with the whole scoring query, walking a
tree of Python matcher objects per posting; its block-max skipping never fires on these
queries, so a common word at 100,000 articles costs seconds. Here the same query is answered
in three cheaper steps that give the same answer:

1. The match set (for the total and the facets) is built from each term's document
   numbers, held as sorted numpy arrays, with whole-array set operations (a dense mask
   over the index's documents for big sets). A term's postings are read once, from its
   segment's postings arrays (`index.segment.arrays`, written by the build for common
   terms) or else block by block straight from Whoosh's posting file, and kept as arrays
   (about 30 bytes a posting) in a bounded LRU (`PostingCache`), so search-as-you-type
   re-uses what the previous keystroke decoded, and at a million articles the lists a
   session touches stay there.
2. Every matched document gets a lower and an upper bound of its score, all at once:
   sums of BM25F contributions gathered from the terms' score arrays, in the query
   tree's order (the same floats Whoosh adds). They differ only where an `AndMaybe` adds
   an optional clause, in practice the proximity boost: the lower bound leaves out what
   needs positions decoded, the upper bound assumes a phrase matches wherever all its
   words occur. A phrase's score does not depend on where its words stand, only whether
   they stand together, so the upper bound is its exact score if it matches.
3. Candidates are verified in the order of their upper bound, checking word positions only
   for them, until the k-th best exact score beats the next upper bound. The top-k are then
   rescored with Whoosh's own matchers, so scores (and ties, broken by document number as
   Whoosh's collector does) are bit-for-bit Whoosh's.

Only the query shapes `search.compiler` produces are handled (terms and phrases on scored
fields, And, Or, AndMaybe, Not under And); anything else (prefixes, `outlet:`, `author:`)
returns None from `compile_plan` and the engine takes the straightforward path.

The package, by job: `postings` decodes posting lists from the postings arrays or from
Whoosh's blocks (through `index.segment.reading`; the search side's only reader of
W3LeafMatcher's private state), `docarrays` holds the set algebra on sorted
arrays, `caches` keeps postings and the length norms, `context` is one search's view,
`plan` mirrors the query tree, `topk` bounds and verifies, `rescore` hands the finalists
back to Whoosh. `index.whoosh_release` says whether the internals
these modules read are the ones they were written for; when not, the engine answers
through Whoosh's own collector.
"""

from index.segment.positions import first_position
from search.fastpath.caches import FieldNorms, PostingCache
from search.fastpath.context import Context
from search.fastpath.plan import EXACT, LOWER, UPPER, compile_plan
from search.fastpath.postings import TermPostings, Unsupported
from search.fastpath.topk import top_docs

__all__ = [
    "EXACT",
    "LOWER",
    "UPPER",
    "Context",
    "FieldNorms",
    "PostingCache",
    "TermPostings",
    "Unsupported",
    "compile_plan",
    "first_position",
    "top_docs",
]

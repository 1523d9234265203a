"""One hit per story: folding a ranked list by the generation's story table.

A story's best-ranked matching article stands for it; the story's other matching articles
are folded into that hit (their number and outlets shown beside it). Whether an article
is a story's origin, and the story's size, come from the table too. Nothing here reads a
stored article: the table and the outlet partition (search.docsets) say all of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from index.story_table import StoryTable
from search.docsets import DocSets
from search.models import Facets


@dataclass
class Folded:
    """A hit that stands for its story: the document, its score, the other matching
    documents of its story (best first where ranked, then by date)."""

    doc: int
    score: float
    others: list[int]


class Stories:
    """A generation's story table, with what searching asks of it."""

    def __init__(self, table: StoryTable) -> None:
        self.table = table
        self.story_of = table.story_of()
        self.grouped: frozenset[int] = frozenset(d for m in table.members for d in m)

    @property
    def any(self) -> bool:
        """True when some articles share a story: otherwise folding changes nothing."""
        return bool(self.table.members)

    def count(self, matched: frozenset[int] | set[int]) -> int:
        """Distinct stories among the matches (an article alone is one)."""
        shared = matched & self.grouped
        if not shared:
            return len(matched)
        story_of = self.story_of
        return len(matched) - len(shared) + len({story_of[d] for d in shared})

    def fold(
        self,
        ranked: Iterable[tuple[int, float]],
        matched: frozenset[int] | set[int],
    ) -> list[Folded]:
        """The ranked documents, one per story (the first of each), with the story's
        other matches folded in."""
        story_of, members = self.story_of, self.table.members
        seen: set[int] = set()
        out: list[Folded] = []
        for doc, score in ranked:
            story = story_of[doc] if doc in self.grouped else -1
            if story < 0:
                out.append(Folded(doc, score, []))
                continue
            if story in seen:
                continue
            seen.add(story)
            others = [d for d in members[story] if d != doc and d in matched]
            out.append(Folded(doc, score, others))
        return out

    def first_of_each(
        self, matched: frozenset[int] | set[int], days: list[int]
    ) -> frozenset[int] | set[int]:
        """The matches with each story's earliest one only (by publication day, undated
        last): what counting stories, not articles, over time counts."""
        shared = matched & self.grouped
        if not shared:
            return matched
        story_of = self.story_of
        first: dict[int, int] = {}
        for d in sorted(shared, key=lambda d: (days[d] == 0, days[d], d)):
            first.setdefault(story_of[d], d)
        return (matched - shared) | set(first.values())

    def among(self, matched: frozenset[int] | set[int]) -> dict[int, list[int]]:
        """Story index → its matching articles, for the stories of more than one article
        that any match belongs to."""
        story_of = self.story_of
        found: dict[int, list[int]] = {}
        for d in matched & self.grouped:
            found.setdefault(story_of[d], []).append(d)
        return found

    def one_per(
        self, matched: frozenset[int] | set[int], key_of: Callable[[int], object] | None
    ) -> frozenset[int] | set[int]:
        """The matches with one article per story and key (an outlet, a month): what
        counts a facet in stories, each story once under every value it has."""
        shared = matched & self.grouped
        if not shared:
            return matched
        story_of = self.story_of
        seen: set[tuple[int, object]] = set()
        keep: set[int] = set()
        for d in sorted(shared):
            mark = (story_of[d], key_of(d) if key_of is not None else None)
            if mark not in seen:
                seen.add(mark)
                keep.add(d)
        return (matched - shared) | keep

    def size(self, doc: int) -> int:
        return self.table.size(doc) if doc in self.grouped else 1

    def is_origin(self, doc: int, dated: bool) -> bool:
        return self.table.is_origin(doc, dated) if doc in self.grouped else dated

    def first(self, doc: int) -> int | None:
        """The first article of a document's story (its origin, or the earliest when no
        member is dated); None for an article that stands alone."""
        if doc not in self.grouped:
            return None
        return self.table.members[self.story_of[doc]][0]

    def family(self, doc: int) -> list[int]:
        """The other articles of a document's story, earliest first."""
        if doc not in self.grouped:
            return []
        return [d for d in self.table.members[self.story_of[doc]] if d != doc]


def story_facets(sets: DocSets, stories: Stories, matched: frozenset[int] | set[int]) -> Facets:
    """Facets that count stories, not articles: a story is counted once under each
    outlet, year, month and language its matching articles have (so an outlet's count is
    the stories it carried, and the counts of a facet may add up to more than the
    stories: a story two outlets told is in both)."""
    outlet_of, month_of, language_of = sets.outlet_of(), sets.month_of(), sets.language_of()
    facets = sets.count_each(
        stories.one_per(matched, outlet_of.__getitem__),
        stories.one_per(matched, month_of.__getitem__),
        stories.one_per(matched, lambda d: (month_of[d] or "")[:4]),
        stories.one_per(matched, None if language_of is None else language_of.__getitem__),
    )
    facets.counted = "stories"
    return facets


def fold_pages(
    rank: Callable[[int], list[tuple[int, float]]],
    stories: Stories,
    matched: frozenset[int] | set[int],
    want: int,
) -> list[Folded]:
    """At least `want` folded hits (or all there are): the ranking is asked for more
    documents until enough stories are among them. Each round asks for twice what is
    still missing on top of what it had, so an archive with few copies takes one round."""
    limit = want
    while True:
        ranked = rank(limit)
        folded = stories.fold(ranked, matched)
        if len(folded) >= want or len(ranked) < limit:
            return folded
        limit += 2 * (want - len(folded)) + len(ranked) - len(folded)

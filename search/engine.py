"""Reading the index: the one place that opens a Whoosh index for searching.

`Engine` holds one open index and hands out plain dataclasses. Whoosh searchers are not
shared between threads: each thread (a Textual worker, say) gets its own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from index import store
from index.analysis import STEMS
from index.article import Article
from index.errors import IndexMissingError


class Engine:
    """An open index. Cheap to keep around; `refresh()` picks up a rebuilt index."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._local = threading.local()
        self._open()

    def _open(self) -> None:
        gen = store.current_generation(self.index_dir)
        try:
            self._ix = whoosh_index.open_dir(str(gen.path))
        except (OSError, whoosh_index.EmptyIndexError) as err:
            raise IndexMissingError(
                f"cannot open index at {self.index_dir} ({err}) — rebuild it with: warta index DIR"
            ) from None
        self.generation = gen
        self.token = gen.path.name
        self._local = threading.local()
        STEMS.load(self.index_dir / store.STEMS)

    @property
    def meta(self) -> dict[str, Any]:
        return self.generation.meta

    def refresh(self) -> bool:
        """Reopen if another process published a new generation; True when it did."""
        token = store.generation_token(self.index_dir)
        if token is None or token == self.token:
            return False
        self._open()
        return True

    def searcher(self) -> Any:
        """This thread's searcher (Whoosh searchers must not cross threads)."""
        s = getattr(self._local, "searcher", None)
        if s is None or getattr(self._local, "token", None) != self.token:
            s = self._ix.searcher()
            self._local.searcher = s
            self._local.token = self.token
        return s

    def doc_count(self) -> int:
        return self._ix.doc_count()

    def iter_articles(self) -> Iterator[Article]:
        """Every indexed article, in index order: what `warta export` writes."""
        for fields in self.searcher().all_stored_fields():
            yield article_from_stored(fields)


def article_from_stored(fields: dict[str, Any]) -> Article:
    published = fields.get("published_iso")
    body = fields.get("body") or ""
    return Article(
        id=fields["id"],
        path=fields["path"],
        title=fields.get("title") or "",
        body=body.split("\n") if body else [],
        outlet=fields.get("outlet"),
        outlet_name=fields.get("outlet_name"),
        published=datetime.fromisoformat(published) if published else None,
        published_estimated=bool(fields.get("published_estimated")),
        authors=list(fields.get("authors_list") or []),
        dateline=fields.get("dateline"),
        captions=list(fields.get("captions") or []),
        words=int(fields.get("words") or 0),
    )

"""Pages of quotes whose count is bounded work: the review queue and the quote browser.

``Paginator.count`` is ``COUNT(*)`` over every matching row; at a million quotes, or with a common
search word, that scan costs more than the page itself. ``CappedPaginator`` counts at most
``cap + 1`` rows (``COUNT`` over a ``LIMIT``), and the page says "more than 1,000" past the cap.
"""

from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, *, cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def count(self) -> int:  # type: ignore[override]  # a cached_property, as Paginator's own
        rows: Any = self.object_list  # a QuerySet here; Paginator types it as any sliceable
        return int(rows[: self.cap + 1].count())

    @property
    def capped(self) -> bool:
        """More rows match than were counted: the page shows "more than ``cap``"."""
        return self.count > self.cap

"""The workspace's extension points: a registry that apps above ``annotations`` fill in ``AppConfig.ready()``.

As Wagtail's hooks: the app that owns a page declares what may be plugged into it, and the apps
that plug in register at start-up, so ``annotations`` never imports them and nothing is looked up
by a dotted path per request::

    # suggestions/apps.py
    def ready(self):
        from annotations.extensions import workspace_panels

        workspace_panels.register("suggestions/includes/workspace_panel.html")

- ``workspace_panels``: template names ``{% include %}``d in the annotation page's side panel, in
  registration order, with ``article`` in their context.
- ``assigned_articles``: callables ``(user) -> iterable of article ids`` assigned to that user; the
  annotator's article list shows them first.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class ExtensionPoint(Generic[T]):
    """An ordered set of registered items; registering the same item twice keeps one."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: list[T] = []

    def register(self, item: T) -> T:
        """Add ``item`` (returned, so that this works as a decorator)."""
        if item not in self._items:
            self._items.append(item)
        return item

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<ExtensionPoint {self.name}: {self._items!r}>"

    @contextmanager
    def replaced(self, items: Iterable[T]) -> Iterator[None]:
        """Use ``items`` instead of the registered ones inside the block (for tests)."""
        saved, self._items = self._items, list(items)
        try:
            yield
        finally:
            self._items = saved


workspace_panels: ExtensionPoint[str] = ExtensionPoint("workspace_panels")
assigned_articles: ExtensionPoint[Callable[[Any], Iterable[int]]] = ExtensionPoint("assigned_articles")


def assigned_article_ids(user: Any) -> list[int]:
    """Ids of the articles assigned to ``user`` by every registered provider, each once, in order."""
    ids: dict[int, None] = {}
    for provider in assigned_articles:
        ids.update(dict.fromkeys(provider(user)))
    return list(ids)

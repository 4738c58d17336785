"""The research list pages' filters (the quote browser's is ``annotations.filters.QuoteFilter``).

Each is a ``StrictFilterSet``: a value it cannot read (``kind=zzz``, ``target=abc``) selects nothing
and the page shows the form's errors, never a 500. Outlets match by the one outlet rule
(``OutletFilter``), speakers by the one speaker search (``Speaker.objects.search_words``), text by
``corpus.search``.
"""

import django_filters

from annotations.filters import OutletFilter, StrictFilterSet
from annotations.models import StanceTarget
from corpus.models import Article, Speaker
from corpus.search import search


class ArticleSearchFilter(StrictFilterSet):
    q = django_filters.CharFilter(method="filter_words", label="Search titles and text")
    outlet = OutletFilter(field_name="outlet", label="Outlet")

    class Meta:
        model = Article
        fields: list[str] = []

    def filter_words(self, queryset, name, value):
        return search(queryset, ["title", "body"], value)


class SpeakerListFilter(StrictFilterSet):
    q = django_filters.CharFilter(method="filter_words", label="Name")
    kind = django_filters.ChoiceFilter(choices=Speaker.Kind.choices, empty_label="Any")

    class Meta:
        model = Speaker
        fields: list[str] = []

    def filter_words(self, queryset, name, value):
        return queryset.search_words(value)


class StanceTargetFilter(StrictFilterSet):
    """The stance page's one choice: a target (its speakers' stances), or none (every target)."""

    target = django_filters.ModelChoiceFilter(queryset=StanceTarget.objects.all(), field_name="pk", label="Target")

    class Meta:
        model = StanceTarget
        fields: list[str] = []

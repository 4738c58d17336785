"""The one definition of the quote filters, shared by the review queue, the quote browser and exports.

Each page passes its layer and default status: the review queue reads the annotators' layer
(``layer=Layer.ANNOTATION``, submitted by default); research, exports and the brat export read the
curated layer (the default). ``status=all`` lifts the status filter. Consumers use
``QuoteFilter(data, layer=..., default_status=...).qs``.

Every filter narrows with a plain condition or a ``pk__in`` subquery (never a join that could
repeat a quote), so ``.qs`` holds each quote at most once and needs no ``distinct()``.
"""

import re
from typing import TYPE_CHECKING

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F, Q

from corpus.models import Article, Speaker
from corpus.search import matching_ids, search_q

from .models import Layer, Quote, QuoteEvent, Stance, StanceTarget, Status
from .widgets import LookupSelect

STATUS_CHOICES = [*Status.choices, ("all", "Any status")]

# Sort keys offered to users: key -> ordering of the quotes (ties are broken by the quote id).
SORTS = {
    "published": ("article__published", "article_id", "start"),
    "speaker": ("speaker__name", "article__published"),
    "outlet": ("article__outlet", "article__published"),
    "article": ("article__title", "start"),
    "reviewed": ("reviewed_at",),
    "created": ("created",),
}
SORT_CHOICES = [
    ("-published", "Newest articles first"),
    ("published", "Oldest articles first"),
    ("speaker", "Speaker A–Z"),
    ("-speaker", "Speaker Z–A"),
    ("outlet", "Outlet A–Z"),
    ("article", "Article title A–Z"),
    ("-reviewed", "Recently reviewed first"),
    ("-created", "Recently created first"),
]


def equals_ignoring_case(field: str, value: str) -> Q:
    """``field`` equals ``value`` ignoring case, beyond ASCII too (SQLite's ``iexact`` folds ASCII only)."""
    return Q(**{f"{field}__iregex": "^" + re.escape(value) + "$"})


def sort_ordering(value: str) -> list:
    """The ``order_by`` arguments for a sort key such as ``-published`` (unknown keys: []).

    Missing values (no date, no speaker) come last in both directions, on SQLite as on PostgreSQL.
    """
    descending = value.startswith("-")
    fields = SORTS.get(value.lstrip("-"))
    if not fields:
        return []
    return [F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True) for name in (*fields, "id")]


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet whose invalid value (an unknown choice, a date such as 2020-02-31) selects nothing.

    django-filter would otherwise drop the invalid filter and return more rows than asked for, e.g.
    every draft for ``status=bogus``. Pages show ``form.errors`` to say why (includes/filter_errors.html).
    """

    def filter_queryset(self, queryset):
        if not self.form.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)


class OutletFilter(django_filters.CharFilter):
    """An outlet equal to the value ignoring case (``equals_ignoring_case``): the one outlet rule."""

    def filter(self, qs, value):
        value = (value or "").strip()
        return qs.filter(equals_ignoring_case(self.field_name, value)) if value else qs


if TYPE_CHECKING:
    from django_filters import FilterSet as _FilterSetBase
else:
    _FilterSetBase = object  # a mixin; the FilterSet comes from the class that uses it


class DefaultStatusMixin(_FilterSetBase):
    """A ``status`` filter with a default per page (``default_status``); ``status=all`` lifts it.

    Rows come from one layer (``layer``): the curated corpus unless a page asks for the annotators'.
    """

    def __init__(
        self,
        data=None,
        *args,
        default_status: str = Status.ACCEPTED,
        layer: str = Layer.CURATED,
        queryset=None,
        **kwargs,
    ):
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = default_status
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.layer = layer
        super().__init__(data, *args, queryset=queryset.filter(layer=layer), **kwargs)

    def filter_status(self, queryset, name, value):
        return queryset if value == "all" else queryset.filter(status=value)


SPEAKER_IDS_INLINE = 500  # speakers a text search names by id (see QuoteFilter.filter_text)
TEXT_IDS_INLINE = 5000  # quotes a rare word's search names by id, read from the text index


class QuoteFilter(DefaultStatusMixin, StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status", empty_label=None)
    # Lookup widgets: the page renders the chosen row only, whatever the size of the table.
    article = django_filters.ModelChoiceFilter(
        queryset=Article.objects.only("id", "title"), widget=LookupSelect("articles")
    )
    outlet = OutletFilter(field_name="article__outlet")
    published_after = django_filters.DateFilter(
        field_name="article__published", lookup_expr="gte", label="Published from"
    )
    published_before = django_filters.DateFilter(
        field_name="article__published", lookup_expr="lte", label="Published to"
    )
    speaker = django_filters.ModelChoiceFilter(
        queryset=Speaker.objects.only("id", "name"), widget=LookupSelect("speakers")
    )
    speaker_name = django_filters.CharFilter(method="filter_speaker_name", label="Speaker name")
    speaker_kind = django_filters.ChoiceFilter(
        field_name="speaker__kind", choices=Speaker.Kind.choices, empty_label="Any"
    )
    kind = django_filters.ChoiceFilter(choices=Quote.Kind.choices, empty_label="Any")
    annotator = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.only("id", "username"),
        method="filter_annotator",
        widget=LookupSelect("annotators"),
    )
    target = django_filters.ModelChoiceFilter(
        queryset=StanceTarget.objects.all(), method="filter_target", label="Stance target"
    )
    stance = django_filters.ChoiceFilter(
        choices=Stance.Label.choices, method="filter_stance", label="Stance", empty_label="Any"
    )
    tag = django_filters.CharFilter(method="filter_tag", label="Tag")
    submitted_after = django_filters.DateFilter(
        method="filter_submitted", label="Submitted from", widget=forms.DateInput(attrs={"type": "date"})
    )
    submitted_before = django_filters.DateFilter(
        method="filter_submitted", label="Submitted to", widget=forms.DateInput(attrs={"type": "date"})
    )
    q = django_filters.CharFilter(method="filter_text", label="Text")
    # A free CharFilter, not a ChoiceFilter: a key this filter does not know (the review queue has its
    # own sort keys under the same name, applied after ``.qs``) is ignored instead of invalid.
    sort = django_filters.CharFilter(method="filter_sort", label="Sort by")

    class Meta:
        model = Quote
        fields: list[str] = []

    def _stance_q(self) -> Q:
        """Target and label filter together: a quote with a stance of that label on that target."""
        target = self.form.cleaned_data.get("target")
        label = self.form.cleaned_data.get("stance")
        q = Q()
        if target:
            q &= Q(target=target)
        if label:
            q &= Q(label=label)
        return q

    def filter_target(self, queryset, name, value):
        return queryset.filter(pk__in=Stance.objects.filter(self._stance_q()).values("quote_id"))

    def filter_stance(self, queryset, name, value):
        if self.form.cleaned_data.get("target"):
            return queryset  # already applied together with the target
        return queryset.filter(pk__in=Stance.objects.filter(self._stance_q()).values("quote_id"))

    def filter_tag(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(pk__in=Quote.objects.filter(equals_ignoring_case("tags__name", value)).values("pk"))

    def filter_annotator(self, queryset, name, value):
        """The annotator's own quotes, or (curated layer) the curated quotes their accepted quotes support."""
        supported = Quote.objects.filter(annotator_id=value.pk, curated__isnull=False).values("curated_id")
        return queryset.filter(Q(annotator_id=value.pk) | Q(pk__in=supported))

    def filter_submitted(self, queryset, name, value):
        """Quotes submitted (at any time, if submitted more than once) on or after / before a day."""
        lookup = "at__date__gte" if name == "submitted_after" else "at__date__lte"
        events = QuoteEvent.objects.filter(action=QuoteEvent.Action.SUBMIT, **{lookup: value}).values("quote_id")
        supported = Quote.objects.filter(pk__in=events, curated__isnull=False).values("curated_id")
        return queryset.filter(Q(pk__in=events) | Q(pk__in=supported))

    def filter_speaker_name(self, queryset, name, value):
        """Quotes of the speakers ``Speaker.objects.search_words`` finds (every word begins a word of the
        name or of one alias), so "Mr. Trump" finds Donald Trump through his alias."""
        if not search_q(["name"], value, using=queryset.db):
            return queryset
        return queryset.filter(speaker__in=Speaker.objects.using(queryset.db).search_words(value).values("pk"))

    def filter_text(self, queryset, name, value):
        """Every word of ``value`` begins a word of the quote's text, or every word one of its speaker's name."""
        text = search_q(["text"], value, using=queryset.db)
        if not text:
            return queryset
        # The speakers are looked up first (their own GIN index) and passed as a list of ids, so the
        # planner sees ``text @@ q OR speaker_id IN (1, 2, ...)``: a BitmapOr of the text and speaker
        # indexes for a rare word, or a walk in page order that stops at the page (and at the count's
        # cap) for a common one. A subquery in the OR would scan every row (docs/performance.md).
        # A rare word: its quotes' ids come from the text index first (corpus.search.matching_ids).
        found = matching_ids(Quote.objects.all(), ["text"], value, cap=TEXT_IDS_INLINE)
        if found is not None:
            text = Q(pk__in=found)
        speakers = Speaker.objects.filter(search_q(["name"], value, using=queryset.db)).order_by()
        ids = list(speakers.values_list("pk", flat=True)[: SPEAKER_IDS_INLINE + 1])
        if not ids:
            return queryset.filter(text)
        if len(ids) > SPEAKER_IDS_INLINE:  # a very short word matching many names
            return queryset.filter(text | Q(speaker__in=speakers.values("pk")))
        return queryset.filter(text | Q(speaker_id__in=ids))

    def filter_sort(self, queryset, name, value):
        ordering = sort_ordering(value)
        return queryset.order_by(*ordering) if ordering else queryset


class ArticleListFilter(StrictFilterSet):
    """The annotator's article list: title words, tag, outlet, published from / to."""

    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Title")
    tag = django_filters.CharFilter(method="filter_tag", label="Tag")
    outlet = OutletFilter(field_name="outlet", label="Outlet")
    published_from = django_filters.DateFilter(field_name="published", lookup_expr="gte", label="Published from")
    published_to = django_filters.DateFilter(field_name="published", lookup_expr="lte", label="Published to")

    class Meta:
        model = Article
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        # The page's query string names the dates "from" and "to".
        if data is not None:
            data = data.copy()
            for short, name in (("from", "published_from"), ("to", "published_to")):
                if data.get(short) and not data.get(name):
                    data[name] = data[short]
        super().__init__(data, *args, **kwargs)

    def filter_tag(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(pk__in=Article.objects.filter(equals_ignoring_case("tags__name", value)).values("pk"))

"""The one definition of the quote filters, shared by the review queue, the quote browser and exports.

Each page passes its default status (the review queue: submitted; research and exports: accepted);
``status=all`` lifts the status filter.
"""

import django_filters
from django import forms
from django.db.models import Q
from taggit.models import Tag

from corpus.models import Article, Speaker

from .models import Quote, QuoteEvent, Stance, StanceTarget, Status

STATUS_CHOICES = [*Status.choices, ("all", "Any status")]


class QuoteFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status", empty_label=None)
    article = django_filters.ModelChoiceFilter(queryset=Article.objects.only("id", "title"))
    outlet = django_filters.CharFilter(field_name="article__outlet", lookup_expr="iexact")
    published_after = django_filters.DateFilter(field_name="article__published", lookup_expr="gte", label="Published from")
    published_before = django_filters.DateFilter(field_name="article__published", lookup_expr="lte", label="Published to")
    speaker = django_filters.ModelChoiceFilter(queryset=Speaker.objects.only("id", "name"))
    speaker_kind = django_filters.ChoiceFilter(field_name="speaker__kind", choices=Speaker.Kind.choices)
    kind = django_filters.ChoiceFilter(choices=Quote.Kind.choices)
    annotator = django_filters.NumberFilter(field_name="annotator_id")
    target = django_filters.ModelChoiceFilter(
        queryset=StanceTarget.objects.all(), method="filter_target", label="Stance target"
    )
    stance = django_filters.ChoiceFilter(choices=Stance.Label.choices, method="filter_stance", label="Stance")
    tag = django_filters.CharFilter(method="filter_tag")
    submitted_after = django_filters.DateFilter(
        method="filter_submitted", label="Submitted from", widget=forms.DateInput(attrs={"type": "date"})
    )
    submitted_before = django_filters.DateFilter(
        method="filter_submitted", label="Submitted to", widget=forms.DateInput(attrs={"type": "date"})
    )
    q = django_filters.CharFilter(method="filter_text", label="Text")

    class Meta:
        model = Quote
        fields: list[str] = []

    def __init__(self, data=None, *args, default_status: str = Status.ACCEPTED, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = default_status
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        return queryset if value == "all" else queryset.filter(status=value)

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
        tag_ids = Tag.objects.filter(name__iexact=value.strip()).values("id")
        return queryset.filter(tags__in=tag_ids).distinct() if value.strip() else queryset

    def filter_submitted(self, queryset, name, value):
        """Quotes submitted (at any time, if submitted more than once) on or after / before a day."""
        lookup = "at__date__gte" if name == "submitted_after" else "at__date__lte"
        events = QuoteEvent.objects.filter(action=QuoteEvent.Action.SUBMIT, **{lookup: value})
        return queryset.filter(pk__in=events.values("quote_id"))

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(text__icontains=value) | Q(speaker__name__icontains=value))

"""Filters of the exports that are not quote lists (quote lists use annotations.filters.QuoteFilter)."""

import django_filters

from annotations.filters import STATUS_CHOICES, DefaultStatusMixin, OutletFilter
from annotations.models import EntityMention
from clusters.models import Cluster
from corpus.models import Article


class ArticleFilter(django_filters.FilterSet):
    article = django_filters.NumberFilter(field_name="id")
    outlet = OutletFilter(field_name="outlet")
    published_after = django_filters.DateFilter(field_name="published", lookup_expr="gte")
    published_before = django_filters.DateFilter(field_name="published", lookup_expr="lte")

    class Meta:
        model = Article
        fields: list[str] = []


class EntityFilter(DefaultStatusMixin, django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status", empty_label=None)
    article = django_filters.NumberFilter(field_name="article_id")
    outlet = OutletFilter(field_name="article__outlet")
    published_after = django_filters.DateFilter(field_name="article__published", lookup_expr="gte")
    published_before = django_filters.DateFilter(field_name="article__published", lookup_expr="lte")

    class Meta:
        model = EntityMention
        fields: list[str] = []


class ClusterExportFilter(django_filters.FilterSet):
    min_size = django_filters.NumberFilter(field_name="size", lookup_expr="gte", min_value=1)
    min_outlets = django_filters.NumberFilter(field_name="outlet_count", lookup_expr="gte", min_value=1)

    class Meta:
        model = Cluster
        fields: list[str] = []

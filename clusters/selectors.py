"""Reads behind the cluster pages. Each runs a fixed number of queries whatever the corpus size: the
lists walk the stored counts' indexes (``cluster_most_repeated``, ``cluster_most_outlets``)."""

from typing import Any

from django import forms
from django.db.models import Exists, F, OuterRef, QuerySet

from annotations.filters import QuoteFilter
from annotations.models import Quote, Status
from corpus.models import Speaker

from .diff import Piece, word_diff
from .models import Cluster, ClusterMember

QUOTE_FILTER_KEYS = ("q", "outlet", "published_after", "published_before", "speaker", "speaker_name",
                     "speaker_kind", "kind", "target", "stance", "tag")  # fmt: skip
SPEAKERS_SHOWN = 20
OUTLETS_SHOWN = 30


class ClusterListForm(forms.Form):
    min_outlets = forms.IntegerField(
        required=False, min_value=1, max_value=10_000, label="Quoted in at least N outlets"
    )
    min_size = forms.IntegerField(required=False, min_value=1, max_value=1_000_000, label="At least N occurrences")


def ranked_clusters(data: Any) -> tuple[ClusterListForm, QuoteFilter, QuerySet[Cluster]]:
    """Most repeated first. The quote browser's filters keep the clusters with at least one matching
    occurrence; ``min_outlets`` and ``min_size`` (default 2: repeated quotes) read the stored counts."""
    form = ClusterListForm(data)
    quote_filter = QuoteFilter(data, queryset=Quote.objects.curated(), default_status=Status.ACCEPTED)
    if not form.is_valid() or not quote_filter.is_valid():
        return form, quote_filter, Cluster.objects.none()
    clusters = Cluster.objects.filter(size__gte=form.cleaned_data["min_size"] or 2)
    if form.cleaned_data["min_outlets"]:
        clusters = clusters.filter(outlet_count__gte=form.cleaned_data["min_outlets"])
    if any(data.get(key) for key in QUOTE_FILTER_KEYS):
        matching = quote_filter.qs.order_by().values("pk")
        clusters = clusters.filter(Exists(ClusterMember.objects.filter(cluster=OuterRef("pk"), quote_id__in=matching)))
    rows = clusters.select_related("first_quote__speaker", "first_article").order_by("-size", "id")
    return form, quote_filter, rows


def occurrences(cluster: Cluster) -> QuerySet[ClusterMember]:
    """The occurrences on the timeline: by published date (undated last), article, position."""
    return (
        ClusterMember.objects.filter(cluster=cluster)
        .select_related("quote__article", "quote__speaker")
        .order_by(F("quote__article__published").asc(nulls_last=True), "quote__article_id", "quote__start", "pk")
    )


def cluster_speakers(cluster: Cluster) -> list[Speaker]:
    """The speakers the quote is attributed to (at most ``SPEAKERS_SHOWN``)."""
    speaker_ids = ClusterMember.objects.filter(cluster=cluster, quote__speaker__isnull=False).values(
        "quote__speaker_id"
    )
    return list(Speaker.objects.filter(pk__in=speaker_ids).order_by("name", "pk")[:SPEAKERS_SHOWN])


def cluster_outlets(cluster: Cluster) -> list[str]:
    """The outlets of the occurrences, A–Z (at most ``OUTLETS_SHOWN``; the cluster row has their count)."""
    rows = (
        ClusterMember.objects.filter(cluster=cluster)
        .order_by("quote__article__outlet")
        .values_list("quote__article__outlet", flat=True)
        .distinct()
    )
    return list(rows[:OUTLETS_SHOWN])


def with_differences(members: list[ClusterMember], first: Quote | None) -> list[tuple[ClusterMember, list[Piece]]]:
    """Each occurrence with its words against the first occurrence's."""
    base = first.text if first is not None else ""
    return [(m, word_diff(base, m.quote.text)) for m in members]

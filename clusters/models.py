"""Clusters of the same quote across articles, over the curated layer (docs/clusters.md).

Every curated quote has one ``ClusterMember`` row (most clusters have one member). The cluster row
stores what the lists sort and filter by (size, outlets, speakers, first appearance), kept by
``clusters.services`` whenever a member joins or leaves, so that "most repeated" and "in at least N
outlets" are index walks.
"""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact

from annotations.models import Quote
from corpus.models import Article


class Cluster(models.Model):
    first_quote = models.ForeignKey(
        Quote, null=True, on_delete=models.SET_NULL, related_name="+", help_text="The earliest occurrence."
    )
    first_article = models.ForeignKey(Article, null=True, on_delete=models.SET_NULL, related_name="+")
    first_published = models.DateField(null=True, blank=True)
    size = models.PositiveIntegerField(default=1, help_text="Occurrences: curated quotes in the cluster.")
    outlet_count = models.PositiveIntegerField(default=1, help_text="Distinct outlets of the occurrences.")
    speaker_count = models.PositiveIntegerField(default=0, help_text="Distinct speakers the quote is attributed to.")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-size", "id"]
        indexes = [
            models.Index(F("size").desc(), F("id").asc(), name="cluster_most_repeated"),
            models.Index(F("outlet_count").desc(), F("size").desc(), F("id").asc(), name="cluster_most_outlets"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1), name="cluster_size_positive"),
            models.CheckConstraint(condition=Q(outlet_count__lte=F("size")), name="cluster_outlets_le_size"),
            models.CheckConstraint(condition=Q(speaker_count__lte=F("size")), name="cluster_speakers_le_size"),
        ]

    def __str__(self) -> str:
        return f"Cluster #{self.pk} ({self.size})"

    @property
    def mixed_speakers(self) -> bool:
        """The quote is attributed to more than one speaker."""
        return self.speaker_count > 1


class ClusterMember(models.Model):
    """A curated quote's place: its cluster and its normalized text (``text.fingerprint``)."""

    quote = models.OneToOneField(Quote, primary_key=True, on_delete=models.CASCADE, related_name="cluster_membership")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members")
    normalized = models.TextField()
    digest = models.CharField(max_length=32, db_index=True, help_text="MD5 of the normalized text.")

    class Meta:
        constraints = [models.CheckConstraint(condition=Exact(Length("digest"), 32), name="member_digest_md5")]

    def __str__(self) -> str:
        return f"Quote #{self.quote_id} in cluster #{self.cluster_id}"


class ClusterBand(models.Model):
    """One LSH band key of a member's MinHash (``clusters.sketch``): the candidates of a new quote are the
    members sharing a key."""

    member = models.ForeignKey(ClusterMember, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.member_id}: {self.key}"

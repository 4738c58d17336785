"""Editors' records: who is assigned to annotate which article, and which speakers were merged.

Review decisions themselves live on ``annotations.Quote`` (status, reviewer, reason) and are audited
by ``annotations.QuoteEvent``; this app adds no second audit table for them.
"""

from django.conf import settings
from django.db import models

from corpus.models import Article, Speaker


class AssignmentQuerySet(models.QuerySet):
    def for_annotator(self, user):
        return self.filter(annotator=user)


class Assignment(models.Model):
    """An article given to an annotator to annotate. Several annotators may share an article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="assignments")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments_made")
    assigned_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "annotator_id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "annotator"], name="assignment_unique_article_annotator"),
        ]

    def __str__(self) -> str:
        return f"{self.article} → {self.annotator}"


class SpeakerMerge(models.Model):
    """Record of a duplicate speaker merged into another (the duplicate row itself is deleted)."""

    source_id_was = models.PositiveBigIntegerField(help_text="Primary key the merged (deleted) speaker had.")
    source_name = models.CharField(max_length=300)
    source_snapshot = models.JSONField(help_text="The merged speaker's fields and aliases at merge time.")
    target = models.ForeignKey(Speaker, on_delete=models.SET_NULL, null=True, related_name="merges_received")
    target_name = models.CharField(max_length=300)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True, db_index=True)
    aliases_moved = models.PositiveIntegerField(default=0)
    quotes_moved = models.PositiveIntegerField(default=0)
    mentions_moved = models.PositiveIntegerField(default=0)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source_name} → {self.target_name}"


class ArticleAgreement(models.Model):
    """The stored agreement of one article: review.agreement's Report as data.

    A row is marked ``stale`` when an annotator's layer of the article or its assignments change (the
    receiver in review/apps.py, inside the writing transaction) and recomputed by
    ``services.agreement_refresh``; the agreement pages read rows instead of recomputing every article
    on every request. ``report`` is empty for an article with fewer than two annotators taking part.
    """

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="+")
    report = models.JSONField(default=dict, blank=True)
    annotators = models.PositiveIntegerField(default=0)
    pending = models.JSONField(default=list, blank=True)  # usernames assigned with nothing submitted
    pending_count = models.PositiveIntegerField(default=0)
    stale = models.BooleanField(default=True)
    computed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["article"], condition=models.Q(stale=True), name="agreement_stale"),
            models.Index(fields=["article"], condition=models.Q(annotators__gte=2), name="agreement_compared"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stale=True) | models.Q(computed_at__isnull=False), name="agreement_fresh_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement on article {self.article_id}"


class CorpusAgreement(models.Model):
    """The pooled agreement of the stored articles with two or more annotators (one row, pk=1).

    It is current while no article row is stale or newer than it and the compared articles are the
    ones it pooled (``compared``): see selectors.stored_agreement."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    report = models.JSONField(default=dict, blank=True)
    compared = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="corpus_agreement_single_row")]

    def __str__(self) -> str:
        return "Corpus agreement"

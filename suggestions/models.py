"""Stored quote suggestions: what the extractor proposed for an article, and what an annotator decided.

A suggestion is not an annotation: accepting one creates the annotator's own ``Quote`` (origin
``rule:<rule>``) through ``annotations.services``. Suggestions do not lock the article body; each
keeps the hash of the body it was computed on, and selectors ignore suggestions of an older body.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from annotations.models import Quote, span_constraints
from corpus.models import Article, Speaker


class SuggestionQuerySet(models.QuerySet):
    def for_article(self, article):
        return self.filter(article=article)

    def current(self):
        """Suggestions computed on the article's present text."""
        return self.filter(body_hash=F("article__body_hash"))

    def pending(self):
        return self.filter(status=Suggestion.Status.PENDING)

    def in_text_order(self):
        return self.order_by("start", "end", "id")

    def with_related(self):
        return self.select_related("speaker", "decided_by", "quote")


class Suggestion(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions")
    body_hash = models.CharField(max_length=64, help_text="Hash of the article body the offsets point into.")
    kind = models.CharField(max_length=10, choices=Quote.Kind.choices)
    spans = models.JSONField(help_text="Content spans [[start, end], ...] in code points, in text order.")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    speaker_name = models.CharField(max_length=300, blank=True)
    speaker_kind = models.CharField(max_length=20, blank=True)
    speaker = models.ForeignKey(
        Speaker,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        help_text="The known speaker the name resolved to, if exactly one matched.",
    )
    speaker_mention_start = models.PositiveIntegerField(null=True, blank=True)
    speaker_mention_end = models.PositiveIntegerField(null=True, blank=True)
    rule = models.CharField(max_length=50)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    quote = models.ForeignKey(
        Quote,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        help_text="The quote created when the suggestion was accepted.",
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "start", "end", "id"]
        indexes = [models.Index(fields=["article", "status", "start"])]
        constraints = [
            *span_constraints("suggestion"),
            *span_constraints("suggestion", "cue_start", "cue_end", nullable=True),
            *span_constraints("suggestion", "speaker_mention_start", "speaker_mention_end", nullable=True),
            models.CheckConstraint(
                condition=Q(status="pending") | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="suggestion_decided_has_decider",
            ),
        ]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 60 else self.text[:57] + "…"
        return f"{self.get_kind_display()} ({self.rule}): “{text}”"

    @property
    def cue(self) -> list[int] | None:
        if self.cue_start is None or self.cue_end is None:
            return None
        return [self.cue_start, self.cue_end]

    @property
    def speaker_mention(self) -> list[int] | None:
        if self.speaker_mention_start is None or self.speaker_mention_end is None:
            return None
        return [self.speaker_mention_start, self.speaker_mention_end]

    @property
    def origin(self) -> str:
        return f"rule:{self.rule}"

"""Annotations point into ``Article.body`` by Python code-point offsets.

Span rule for quote content: a content span covers the words spoken **without** the quotation marks
around them ("“They know,” Mr. Trump said" gives the content span ``They know,``). Leading and
trailing white space is never part of a span. ``annotations.services`` enforces both rules, and
the database enforces ``0 <= start < end`` on every span.
"""

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from corpus.models import Article, Speaker

HUMAN_ORIGIN = "human"


class Layer(models.TextChoices):
    """Whose record an annotation is: an annotator's own layer, or the editors' curated corpus."""

    ANNOTATION = "annotation", _("Annotator's layer")
    CURATED = "curated", _("Curated corpus")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


def span_constraints(prefix: str, start: str = "start", end: str = "end", nullable: bool = False):
    bounds = Q(**{f"{start}__gte": 0}) & Q(**{f"{end}__gt": F(start)})
    if nullable:
        # Spelled out: a comparison with NULL is NULL, and a CHECK that is NULL passes.
        both_null = Q(**{f"{start}__isnull": True}) & Q(**{f"{end}__isnull": True})
        both_set = Q(**{f"{start}__isnull": False}) & Q(**{f"{end}__isnull": False})
        bounds = both_null | (both_set & bounds)
    return [models.CheckConstraint(condition=bounds, name=f"{prefix}_{start}_{end}_valid")]


def review_constraints(prefix: str):
    return [
        models.CheckConstraint(
            condition=~Q(status__in=[Status.ACCEPTED, Status.REJECTED])
            | (Q(reviewed_by__isnull=False) & Q(reviewed_at__isnull=False)),
            name=f"{prefix}_reviewed_has_reviewer",
        ),
    ]


def layer_constraints(prefix: str):
    """A curated row is accepted and supports nothing; an annotator's row points to a curated one only
    once it is accepted."""
    return [
        models.CheckConstraint(
            condition=~Q(layer=Layer.CURATED) | (Q(status=Status.ACCEPTED) & Q(curated__isnull=True)),
            name=f"{prefix}_curated_is_accepted",
        ),
        models.CheckConstraint(
            condition=Q(curated__isnull=True) | Q(status=Status.ACCEPTED), name=f"{prefix}_support_is_accepted"
        ),
        models.CheckConstraint(condition=Q(support_count__gte=0), name=f"{prefix}_support_count_positive"),
    ]


class LayerQuerySet(models.QuerySet):
    def curated(self) -> Self:
        """The curated corpus: what researchers read, count and export."""
        return self.filter(layer=Layer.CURATED)

    def annotations(self) -> Self:
        """The annotators' own layers, as they made them."""
        return self.filter(layer=Layer.ANNOTATION)


class EntityMention(models.Model):
    LOCKS_ARTICLE_BODY = True

    class Label(models.TextChoices):
        PERSON = "PERSON", _("Person")
        ORG = "ORG", _("Organization")
        GPE = "GPE", _("Country, city, state (GPE)")
        LOC = "LOC", _("Location")
        NORP = "NORP", _("Nationality, religious or political group")
        FAC = "FAC", _("Facility")
        EVENT = "EVENT", _("Event")
        LAW = "LAW", _("Law")
        DATE = "DATE", _("Date")
        MISC = "MISC", _("Miscellaneous")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="entity_mentions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField(help_text="The article text at [start, end), as stored when annotated.")
    label = models.CharField(max_length=10, choices=Label.choices, db_index=True)
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="entity_mentions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    origin = models.CharField(max_length=100, default=HUMAN_ORIGIN, help_text="“human”, or the suggestion rule.")
    # The two layers: ``curated`` links an accepted annotator's row to the curated row it supports;
    # a curated row keeps its supporters' count and usernames (kept by the services) for lists and exports.
    layer = models.CharField(max_length=10, choices=Layer.choices, default=Layer.ANNOTATION)
    curated = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supporters",
        help_text="The curated row this accepted annotation supports.",
    )
    support_count = models.PositiveIntegerField(
        default=0, help_text="Curated rows: how many annotators' rows support it."
    )
    supported_by = models.CharField(
        max_length=1000, blank=True, help_text="Curated rows: the supporters' usernames, “;”-joined."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = LayerQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "start", "end", "id"]
        indexes = [
            models.Index(fields=["article", "annotator", "start"]),
            models.Index(fields=["layer", "article", "start"], name="mention_layer_article"),
        ]
        constraints = [
            *span_constraints("mention"),
            *review_constraints("mention"),
            *layer_constraints("mention"),
            models.UniqueConstraint(
                fields=["article", "annotator", "start", "end", "label"], name="mention_unique_per_annotator"
            ),
            models.UniqueConstraint(
                fields=["article", "start", "end", "label"],
                condition=Q(layer=Layer.CURATED),
                name="mention_curated_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.text}"


class QuoteQuerySet(LayerQuerySet):
    def for_article(self, article) -> Self:
        return self.filter(article=article)

    def by_annotator(self, user) -> Self:
        return self.filter(annotator=user)

    def drafts(self) -> Self:
        return self.filter(status=Status.DRAFT)

    def in_text_order(self) -> Self:
        return self.order_by("article_id", "start", "end", "id")


class Quote(models.Model):
    LOCKS_ARTICLE_BODY = True

    class Kind(models.TextChoices):
        DIRECT = "direct", _("Direct")
        INDIRECT = "indirect", _("Indirect")
        MIXED = "mixed", _("Mixed")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DIRECT, db_index=True)
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.PROTECT, related_name="quotes")
    # Extent and text of the content spans, kept by the services beside the spans themselves so that
    # lists and exports need no join: start of the first span, end of the last, texts joined by " … ".
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    span_offsets = models.CharField(max_length=500, help_text="Content spans as start-end;start-end.")
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    cue_text = models.CharField(max_length=300, blank=True)
    speaker_mention_start = models.PositiveIntegerField(null=True, blank=True)
    speaker_mention_end = models.PositiveIntegerField(null=True, blank=True)
    speaker_mention_text = models.CharField(max_length=500, blank=True)
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quotes")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="reviewed_quotes"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every change; writes name the version they saw."
    )
    tags = TaggableManager(blank=True)
    origin = models.CharField(max_length=100, default=HUMAN_ORIGIN, help_text="“human”, or the suggestion rule.")
    # The two layers: ``curated`` links an accepted annotator's row to the curated row it supports;
    # a curated row keeps its supporters' count and usernames (kept by the services) for lists and exports.
    layer = models.CharField(max_length=10, choices=Layer.choices, default=Layer.ANNOTATION)
    curated = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supporters",
        help_text="The curated row this accepted annotation supports.",
    )
    support_count = models.PositiveIntegerField(
        default=0, help_text="Curated rows: how many annotators' rows support it."
    )
    supported_by = models.CharField(
        max_length=1000, blank=True, help_text="Curated rows: the supporters' usernames, “;”-joined."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "start", "end", "id"]
        indexes = [
            models.Index(fields=["article", "annotator", "start"]),
            models.Index(fields=["status", "article"]),
            models.Index(fields=["layer", "article", "start"], name="quote_layer_article"),
            # the review queue: submitted quotes of the annotators' layer, oldest first, a page at a time
            models.Index(fields=["layer", "status", "updated", "id"], name="quote_queue_order"),
        ]
        constraints = [
            *span_constraints("quote"),
            *span_constraints("quote", "cue_start", "cue_end", nullable=True),
            *span_constraints("quote", "speaker_mention_start", "speaker_mention_end", nullable=True),
            *review_constraints("quote"),
            *layer_constraints("quote"),
            models.CheckConstraint(condition=Q(version__gte=1), name="quote_version_positive"),
            models.CheckConstraint(
                condition=~Q(status=Status.REJECTED) | ~Q(review_note=""), name="quote_rejection_has_reason"
            ),
        ]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 80 else self.text[:77] + "…"
        return f"“{text}”"

    @property
    def cue(self) -> tuple[int, int] | None:
        # a CheckConstraint keeps both ends set or both null
        if self.cue_start is None or self.cue_end is None:
            return None
        return (self.cue_start, self.cue_end)

    @property
    def speaker_mention(self) -> tuple[int, int] | None:
        if self.speaker_mention_start is None or self.speaker_mention_end is None:
            return None
        return (self.speaker_mention_start, self.speaker_mention_end)


class QuoteSpan(models.Model):
    """One contiguous piece of a quote's content; a quote split by its attribution has two."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="spans")
    position = models.PositiveSmallIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["quote_id", "position"]
        constraints = [
            *span_constraints("quotespan"),
            models.UniqueConstraint(fields=["quote", "position"], name="quotespan_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"


class StanceTarget(models.Model):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="stancetarget_name_not_empty"),
            # Lookups are case-insensitive (``name__iexact``), so uniqueness is too.
            models.UniqueConstraint(
                Lower("name"),
                name="stancetarget_name_unique_ci",
                violation_error_message="A stance target with this name exists already.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Stance(models.Model):
    class Label(models.TextChoices):
        FAVOR = "favor", _("Favor")
        AGAINST = "against", _("Against")
        NEUTRAL = "neutral", _("Neutral")
        UNCLEAR = "unclear", _("Unclear")

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="stances")
    target = models.ForeignKey(StanceTarget, on_delete=models.PROTECT, related_name="stances")
    label = models.CharField(max_length=10, choices=Label.choices)
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stances")
    note = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["quote_id", "target__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["quote", "target", "annotator"], name="stance_unique_per_quote_target_annotator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_label_display()} {self.target}"


class EventAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    SUBMIT = "submit", _("Submitted")
    ACCEPT = "accept", _("Accepted")
    REJECT = "reject", _("Rejected")
    CORRECT = "correct", _("Corrected in review")
    REOPEN = "reopen", _("Reopened")
    STANCE = "stance", _("Stance changed")
    SUPPORT = "support", _("Support changed")
    MERGE = "merge", _("Speaker merged")
    ADMIN = "admin", _("Changed in admin")
    IMPORT = "import", _("Imported")
    DELETE = "delete", _("Deleted")


class EventBase(models.Model):
    """One change with its state before and after (None before a creation, None after a deletion)."""

    Action = EventAction

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=EventAction.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"

    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


class QuoteEvent(EventBase):
    """Audit trail of a quote (either layer), its spans and its stances.

    The quote key has no database constraint and is left alone on delete, so a deleted quote keeps
    its history (``quote_id`` still names it; ``quote`` then no longer resolves).
    """

    quote = models.ForeignKey(Quote, on_delete=models.DO_NOTHING, db_constraint=False, related_name="events")

    class Meta:
        ordering = ["quote_id", "at", "id"]


class MentionEvent(EventBase):
    """Audit trail of an entity mention (either layer); kept when the mention is deleted."""

    mention = models.ForeignKey(EntityMention, on_delete=models.DO_NOTHING, db_constraint=False, related_name="events")

    class Meta:
        ordering = ["mention_id", "at", "id"]

"""Summary tables of the curated corpus, so research pages never aggregate the whole corpus per request.

``Tally`` holds the corpus-wide counts the pages show (quotes by status, kind, outlet, speaker, month;
stances by target and label; articles by outlet: every article has an ``ArticleStats`` row). It always equals the sum of the per-article counts stored in
``ArticleStats``: both are written together by ``research.services.stats_refresh``. An article whose
quotes changed is marked ``stale`` inside the writing transaction (research/apps.py), and refreshed
right after the commit, or by the next page that reads the tallies. A new article is marked the same
way (``post_save``, or ``corpus.signals.articles_created`` from a bulk import).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from corpus.models import Article, Speaker


class ArticleStats(models.Model):
    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="+")
    counts = models.JSONField(default=list, blank=True)  # [[dimension, scope, key, n], ...] as added into Tally
    stale = models.BooleanField(default=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["article"], condition=models.Q(stale=True), name="stats_stale")]

    def __str__(self) -> str:
        return f"Counts of article {self.article_id}"


class Tally(models.Model):
    class Dimension(models.TextChoices):
        STATUS = "status", _("Annotators' quotes by status")
        KIND = "kind", _("Curated quotes by kind")
        OUTLET = "outlet", _("Curated quotes by outlet")
        SPEAKER = "speaker", _("Curated quotes by speaker id")
        MONTH = "month", _("Curated quotes by month of publication")
        TARGET = "target", _("Curated stances by target id")
        STANCE = "stance", _("Curated stances of quotes with a speaker, by target id and label")
        SPEAKER_STANCE = "sp_stance", _("A speaker's curated stances (scope: speaker id) by target id and label")
        TARGET_SPEAKER = "tg_speaker", _("Curated stances on a target (scope: target id) by speaker id and label")
        # the sum of a speaker's tg_speaker rows over the labels: the stance page walks its top rows
        TARGET_SPEAKER_TOTAL = "tg_sp_n", _("Curated stances on a target (scope: target id) by speaker id")
        SPEAKER_MONTH = "sp_month", _("A speaker's curated quotes (scope: speaker id) by month")
        ARTICLES = "articles", _("Articles by outlet (every article, with or without quotes)")

    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    # Dimensions read per speaker or per target keep that id here: an equality the index serves.
    scope = models.BigIntegerField(default=0)
    key = models.CharField(max_length=300, blank=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dimension", "scope", "key"], name="tally_one_row_per_key"),
            models.CheckConstraint(condition=models.Q(n__gte=0), name="tally_not_negative"),
        ]
        # the top rows of a dimension, ties by key: an ordered walk that stops at the LIMIT
        indexes = [models.Index(fields=["dimension", "scope", "-n", "key"], name="tally_top_key")]

    def __str__(self) -> str:
        return f"{self.dimension}[{self.scope}]:{self.key} = {self.n}"


class SpeakerTally(models.Model):
    """Curated quotes per (speaker, outlet, month of publication): what “Who gets quoted” reads.

    A speaker is one row per outlet and month, so distinct speakers are counted from these rows
    (``COUNT(DISTINCT speaker)``), never summed. The speaker's gender, role and kind are joined when the
    page reads, so changing an attribute or a kind needs no recount. Kept with ``Tally`` by
    ``research.services.stats_refresh`` from the same per-article counts (``ArticleStats``).
    """

    # No speaker attributed: NULL. Not a database constraint: the row may outlive a merged-away
    # speaker at n = 0 until its articles are recounted (pages read n > 0 only).
    speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    outlet = models.CharField(max_length=200, blank=True)
    month = models.CharField(max_length=7, blank=True)  # "2024-03"; "" when the article has no date
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["speaker", "outlet", "month"],
                condition=models.Q(speaker__isnull=False),
                name="speakertally_one_row_per_key",
            ),
            models.UniqueConstraint(
                fields=["outlet", "month"],
                condition=models.Q(speaker__isnull=True),
                name="speakertally_one_row_without_speaker",
            ),
            models.CheckConstraint(condition=models.Q(n__gte=0), name="speakertally_not_negative"),
        ]
        indexes = [models.Index(fields=["outlet", "month"], name="speakertally_outlet_month")]

    def __str__(self) -> str:
        return f"speaker {self.speaker_id} in {self.outlet or '(no outlet)'}, {self.month or '(no date)'}: {self.n}"

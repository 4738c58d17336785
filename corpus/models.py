"""The texts of the corpus and the people and organizations quoted in them.

This app knows nothing of annotations. Apps that point spans into ``Article.body`` declare it by
setting ``LOCKS_ARTICLE_BODY = True`` on their model; ``Article.clean`` then refuses body changes
while any such row exists.
"""

from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from text.names import normalize_name as normalize_alias

from .search import search_q
from .text import body_hash

QID_VALIDATOR = RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata QID is the letter Q followed by digits, such as Q22686.")


class ArticleQuerySet(models.QuerySet):
    def with_tags(self) -> Self:
        return self.prefetch_related("tags")


class Article(models.Model):
    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=200, unique=True)
    outlet = models.CharField(max_length=200, blank=True, db_index=True)
    byline = models.CharField(max_length=500, blank=True)
    dateline = models.CharField(max_length=200, blank=True)
    published = models.DateField(null=True, blank=True, db_index=True)
    url = models.URLField(max_length=1000, blank=True, verbose_name="URL")
    language = models.CharField(max_length=16, default="en")
    body = models.TextField(help_text="The text every annotation offset points into (Python code points).")
    body_hash = models.CharField(max_length=64, editable=False, db_index=True)
    tags = TaggableManager(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="article_url_unique_when_set",
                violation_error_message="Another article has this URL already.",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # The hash is derived data, kept with the body it describes.
        self.body_hash = body_hash(self.body)
        if not self.slug:
            self.slug = slugify(self.title)[:200] or "article"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The article's public page (the research reading view); staff edit it in the admin."""
        return reverse("research:article", args=[self.pk])

    def has_annotations(self) -> bool:
        for relation in self._meta.related_objects:
            model = relation.related_model
            if (
                getattr(model, "LOCKS_ARTICLE_BODY", False)
                and model._default_manager.filter(**{relation.field.name: self.pk}).exists()
            ):
                return True
        return False

    def clean(self):
        super().clean()
        if self.body is not None and "\r" in self.body:
            raise ValidationError({"body": "Line breaks must be \\n only (convert \\r\\n before saving)."})
        if self.pk is None:
            return
        stored = Article.objects.filter(pk=self.pk).values_list("body_hash", flat=True).first()
        if stored is not None and stored != body_hash(self.body) and self.has_annotations():
            raise ValidationError(
                {
                    "body": "This article has annotations whose offsets point into its text, so its body "
                    "cannot be changed. Delete the annotations first, or import the new text as a new article."
                }
            )


class SpeakerQuerySet(models.QuerySet):
    def search_words(self, query: str | None) -> Self:
        """Speakers whose name, or one of whose aliases, holds every word of ``query`` as a word prefix
        (``corpus.search``): the one speaker search of the project (research speaker list, the quote
        filter's speaker name, the lookups, the workspace, the API). No join, so no duplicates: the ids
        come from one IN over a UNION of the name and alias searches (an index lookup each on
        PostgreSQL, not a scan testing two subplans per row)."""
        condition = search_q(["name"], query, using=self.db)
        if not condition:
            return self
        by_name = Speaker.objects.using(self.db).filter(condition).order_by().values("pk")
        aliases = SpeakerAlias.objects.using(self.db).filter(search_q(["alias"], query, using=self.db))
        return self.filter(pk__in=by_name.union(aliases.order_by().values("speaker_id")))

    def with_wikidata_proposal(self) -> Self:
        """Speakers with a Wikidata item an annotator proposed and no editor has confirmed or rejected yet,
        the oldest proposal first (the partial index ``speaker_wikidata_proposed``)."""
        return self.exclude(wikidata_qid_proposed="").order_by("wikidata_proposed_at", "pk")


class Speaker(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANIZATION = "organization", _("Organization")
        GROUP = "group", _("Group of unnamed sources")
        UNKNOWN = "unknown", _("Unknown")

    name = models.CharField(max_length=300, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    description = models.CharField(
        max_length=500, blank=True, help_text="Role or description, e.g. “ICE’s acting director”."
    )
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The organization (or another speaker) this speaker speaks for.",
    )
    # Confirmed by an editor (or from an import or fixture an editor vouches for): the only QID whose
    # claims are read as research data (``enrich_speakers``, the exports, the releases).
    wikidata_qid = models.CharField("Wikidata QID", max_length=20, blank=True, validators=[QID_VALIDATOR])
    # An annotator's pick in the workspace's new-speaker form: a proposal an editor confirms (it becomes
    # ``wikidata_qid``, with the claims) or rejects (it is cleared). Never read as research data.
    wikidata_qid_proposed = models.CharField(
        "proposed Wikidata QID",
        max_length=20,
        blank=True,
        validators=[QID_VALIDATOR],
        help_text="Picked by an annotator; not used until an editor confirms it on the review pages.",
    )
    wikidata_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Wikidata QID proposed by",
    )
    wikidata_proposed_at = models.DateTimeField("Wikidata QID proposed at", null=True, blank=True)
    tags = TaggableManager(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_qid"],
                condition=~Q(wikidata_qid=""),
                name="speaker_qid_unique_when_set",
                violation_error_message="Another speaker has this Wikidata QID already.",
            ),
            models.CheckConstraint(
                condition=Q(wikidata_qid="") | Q(wikidata_qid__regex=r"^Q[1-9][0-9]*$"),
                name="speaker_qid_format",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="speaker_name_not_empty"),
            models.CheckConstraint(
                condition=Q(wikidata_qid_proposed="") | Q(wikidata_qid_proposed__regex=r"^Q[1-9][0-9]*$"),
                name="speaker_qid_proposed_format",
                violation_error_message=QID_VALIDATOR.message,
            ),
            models.CheckConstraint(
                condition=Q(wikidata_qid_proposed="") | Q(wikidata_proposed_at__isnull=False),
                name="speaker_qid_proposed_has_date",
                violation_error_message="A proposed Wikidata QID needs the date it was proposed.",
            ),
        ]
        indexes = [
            # Pending proposals only (few rows): the editors' list, oldest first, and the look-up of an
            # item's proposal (the workspace's search, a new pick).
            models.Index(
                fields=["wikidata_proposed_at", "id"],
                condition=~Q(wikidata_qid_proposed=""),
                name="speaker_wikidata_proposed",
            ),
            models.Index(
                fields=["wikidata_qid_proposed"],
                condition=~Q(wikidata_qid_proposed=""),
                name="speaker_wikidata_proposed_qid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.affiliation_id is not None and self.affiliation_id == self.pk:
            raise ValidationError({"affiliation": "A speaker cannot be affiliated with itself."})


class SpeakerAliasQuerySet(models.QuerySet):
    def matching(self, text: str) -> Self:
        return self.filter(normalized=normalize_alias(text))


class SpeakerAlias(models.Model):
    """Another name a speaker goes by. The normalized form is unique across all speakers."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=300)
    normalized = models.CharField(max_length=300, unique=True, editable=False)

    objects = SpeakerAliasQuerySet.as_manager()

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "speaker aliases"
        constraints = [models.CheckConstraint(condition=~Q(normalized=""), name="alias_normalized_not_empty")]

    def __str__(self) -> str:
        return self.alias

    def save(self, *args, **kwargs):
        self.normalized = normalize_alias(self.alias)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.normalized = normalize_alias(self.alias or "")
        if not self.normalized:
            raise ValidationError({"alias": "An alias needs at least one letter or digit."})
        clash = (
            SpeakerAlias.objects.filter(normalized=self.normalized)
            .exclude(pk=self.pk)
            .select_related("speaker")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {"alias": f"“{self.alias}” is already an alias of {clash.speaker.name} (as “{clash.alias}”)."}
            )


class RoleCategory(models.Model):
    """The codebook of speaker roles (politician, government official, expert, …): editable by staff."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=100)
    guidance = models.TextField(blank=True, help_text="How coders decide that a speaker has this role.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "label"]
        verbose_name_plural = "role categories"

    def __str__(self) -> str:
        return self.label


class SpeakerAttribute(models.Model):
    """One attribute of a speaker (gender, role, party, employer, country) with where it comes from.

    Never inferred from a first name: the source is the article's own words (with the span), Wikidata
    (with the QID and the retrieval date), an editor's judgment, or an import.
    """

    class Name(models.TextChoices):
        GENDER = "gender", _("Gender")
        ROLE = "role", _("Role category")
        PARTY = "party", _("Party")
        EMPLOYER = "employer", _("Employer or affiliation")
        COUNTRY = "country", _("Country")

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        NON_BINARY = "non-binary", _("Non-binary")
        ANOTHER = "another", _("Another gender")
        UNKNOWN = "unknown", _("Unknown")
        NOT_APPLICABLE = "not-applicable", _("Not applicable (organization or group)")

    class Source(models.TextChoices):
        ARTICLE = "article", _("Described in the article")
        WIKIDATA = "wikidata", _("Wikidata")
        EDITOR = "editor", _("Editor's judgment")
        IMPORT = "import", _("Import")

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="attributes")
    name = models.CharField(max_length=10, choices=Name.choices)
    value = models.CharField(max_length=200)
    source = models.CharField(max_length=10, choices=Source.choices)
    # Provenance, by source: the article and the span of the words that say it; the Wikidata QID and
    # when it was retrieved; who set it and when (always).
    # An attribute read from an article goes with the article: its evidence would be gone.
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    evidence = models.CharField(
        max_length=300, blank=True, help_text="The words of the article, or the Wikidata label."
    )
    wikidata_qid = models.CharField(max_length=20, blank=True, validators=[QID_VALIDATOR])
    retrieved_at = models.DateTimeField(null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["speaker_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["speaker", "name"], name="speakerattribute_one_per_name"),
            models.CheckConstraint(
                condition=~Q(source="article")
                | (Q(article__isnull=False) & Q(span_start__isnull=False) & Q(span_end__gt=models.F("span_start"))),
                name="speakerattribute_article_has_span",
            ),
            models.CheckConstraint(
                condition=~Q(source="wikidata") | (~Q(wikidata_qid="") & Q(retrieved_at__isnull=False)),
                name="speakerattribute_wikidata_has_qid_and_date",
            ),
            models.CheckConstraint(condition=~Q(value=""), name="speakerattribute_value_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_name_display()}: {self.value} ({self.get_source_display()})"

    def clean(self):
        """The rules of each attribute and source, for the services and the admin alike."""
        super().clean()
        self.value = (self.value or "").strip()
        if self.name == self.Name.GENDER:
            if self.value not in self.Gender.values:
                raise ValidationError({"value": f"Gender is one of: {', '.join(self.Gender.values)}."})
            if self.speaker_id is not None:
                is_person = self.speaker.kind in (Speaker.Kind.PERSON, Speaker.Kind.UNKNOWN)
                if (self.value == self.Gender.NOT_APPLICABLE) == is_person:
                    raise ValidationError(
                        {"value": "Gender is “not applicable” for organizations and groups, and only for them."}
                    )
        elif self.name == self.Name.ROLE:
            if not RoleCategory.objects.filter(code=self.value).exists():
                raise ValidationError({"value": f"“{self.value}” is not a role of the codebook."})
        elif not self.value:
            raise ValidationError({"value": "Give a value."})
        if self.source == self.Source.ARTICLE:
            if self.article_id is None or self.span_start is None or self.span_end is None:
                raise ValidationError(
                    {"span_start": "“Described in the article” needs the article and the words that say so."}
                )
            if not 0 <= self.span_start < self.span_end <= len(self.article.body):
                raise ValidationError(
                    {"span_start": f"The span {self.span_start}-{self.span_end} is not inside the article text."}
                )
            self.evidence = self.article.body[self.span_start : self.span_end][:300]
        elif self.source == self.Source.WIKIDATA and (not self.wikidata_qid or self.retrieved_at is None):
            raise ValidationError({"wikidata_qid": "A Wikidata source needs the QID and the retrieval date."})

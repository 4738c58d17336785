from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.db.models.functions import Coalesce

from .errors import validation_message
from .models import Article, RoleCategory, Speaker, SpeakerAlias, SpeakerAttribute
from .services import speaker_wikidata_proposal_reject


class ArticleAdminForm(forms.ModelForm):
    """Browsers send a textarea's line breaks as CRLF; the stored body has \n only, so normalize first
    (an unchanged body then compares equal, and the body lock speaks only of real changes)."""

    # strip=False: leading or trailing white space is part of the text the offsets count.
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 20}), strip=False)
    url = forms.URLField(required=False, assume_scheme="https", max_length=Article._meta.get_field("url").max_length)

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 -- the admin chooses the fields with its fieldsets

    def clean_body(self):
        body = self.cleaned_data.get("body") or ""
        return body.replace("\r\n", "\n").replace("\r", "\n")


def _related_count(relation: str) -> Coalesce:
    """COUNT of the rows of a reverse relation of Article (declared by the apps above corpus)."""
    field = Article._meta.get_field(relation)
    assert isinstance(field, ForeignObjectRel) and field.related_model is not None, relation
    rows = (
        field.related_model._default_manager.filter(**{field.field.name: OuterRef("pk")})
        .order_by()
        .values(field.field.name)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "outlet", "published", "language", "quote_count", "mention_count", "tag_list"]
    list_filter = ["outlet", "language", "published", "tags"]
    search_fields = ["title", "url", "outlet", "byline"]
    date_hierarchy = "published"
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["body_hash", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "outlet", "byline", "dateline", "published", "url", "language", "tags"]}),
        (
            "Text",
            {
                "fields": ["body", "body_hash"],
                "description": "Offsets of every annotation point into this text; "
                "it cannot change once the article is annotated.",
            },
        ),
        ("Record", {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        # One correlated COUNT subquery per relation: joining both relations and counting distinct
        # rows would build quotes x mentions rows per article first.
        qs = super().get_queryset(request).prefetch_related("tags")
        return qs.annotate(_quotes=_related_count("quotes"), _mentions=_related_count("entity_mentions"))

    @admin.display(description="Quotes", ordering="_quotes")
    def quote_count(self, obj):
        return obj._quotes

    @admin.display(description="Entity mentions", ordering="_mentions")
    def mention_count(self, obj):
        return obj._mentions

    @admin.display(description="Tags")
    def tag_list(self, obj):
        return ", ".join(t.name for t in obj.tags.all())


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    extra = 1
    fields = ["alias", "normalized"]
    readonly_fields = ["normalized"]


class SpeakerAttributeInline(admin.TabularInline):
    """Editors review the attributes here; the model's own rules check each source's provenance."""

    model = SpeakerAttribute
    extra = 0
    fields = [
        "name",
        "value",
        "source",
        "article",
        "span_start",
        "span_end",
        "evidence",
        "wikidata_qid",
        "retrieved_at",
        "set_by",
        "set_at",
    ]
    readonly_fields = ["evidence", "set_by", "set_at"]
    raw_id_fields = ["article"]


@admin.register(RoleCategory)
class RoleCategoryAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "position", "guidance"]
    list_editable = ["position"]


class WikidataProposalFilter(admin.SimpleListFilter):
    title = "proposed Wikidata item"
    parameter_name = "wikidata_proposal"

    def lookups(self, request, model_admin):
        return [("yes", "Waiting for an editor"), ("no", "None")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(wikidata_qid_proposed="")
        if self.value() == "no":
            return queryset.filter(wikidata_qid_proposed="")
        return queryset


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "description",
        "affiliation",
        "wikidata_qid",
        "wikidata_qid_proposed",
        "alias_list",
        "quote_count",
    ]
    list_filter = ["kind", WikidataProposalFilter, "tags"]
    search_fields = ["name", "aliases__alias", "description", "wikidata_qid", "wikidata_qid_proposed"]
    autocomplete_fields = ["affiliation"]
    # An annotator's proposal is decided through the services (the review page's Confirm and Reject, or
    # the action below), never typed over here.
    readonly_fields = ["wikidata_qid_proposed", "wikidata_proposed_by", "wikidata_proposed_at"]
    actions = ["reject_wikidata_proposals"]
    inlines = [SpeakerAliasInline, SpeakerAttributeInline]

    @admin.action(description="Reject the proposed Wikidata items of the selected speakers")
    def reject_wikidata_proposals(self, request, queryset):
        rejected = 0
        for speaker in queryset.exclude(wikidata_qid_proposed="")[:500]:
            try:
                speaker_wikidata_proposal_reject(speaker=speaker, qid=speaker.wikidata_qid_proposed, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{speaker.name}: {validation_message(exc)}", level=messages.ERROR)
            else:
                rejected += 1
        self.message_user(
            request,
            f"{rejected} proposal(s) rejected; nothing was linked. Confirm proposals on the review page "
            "(Review → Merge speakers → Proposed Wikidata items).",
            level=messages.SUCCESS if rejected else messages.WARNING,
        )

    def save_model(self, request, obj, form, change):
        if "wikidata_qid" in form.changed_data and obj.wikidata_qid and obj.wikidata_qid_proposed:
            # Staff chose the item: a pending proposal is decided, as when an editor links one.
            obj.wikidata_qid_proposed, obj.wikidata_proposed_by, obj.wikidata_proposed_at = "", None, None
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            if isinstance(obj, SpeakerAttribute):
                obj.set_by = request.user
            obj.save()
        formset.save_m2m()

    list_select_related = ["affiliation"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("aliases", "tags")
            .annotate(_quotes=Count("quotes", distinct=True))
            .order_by(*Speaker._meta.ordering)
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset, True

    @admin.display(description="Aliases")
    def alias_list(self, obj):
        return ", ".join(a.alias for a in obj.aliases.all())

    @admin.display(description="Quotes", ordering="_quotes")
    def quote_count(self, obj):
        return obj._quotes


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "normalized", "speaker"]
    search_fields = ["alias", "normalized", "speaker__name"]
    autocomplete_fields = ["speaker"]
    list_select_related = ["speaker"]
    readonly_fields = ["normalized"]

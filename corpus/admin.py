from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.db.models.functions import Coalesce

from .models import Article, RoleCategory, Speaker, SpeakerAlias, SpeakerAttribute


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


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "description", "affiliation", "wikidata_qid", "alias_list", "quote_count"]
    list_filter = ["kind", "tags"]
    search_fields = ["name", "aliases__alias", "description", "wikidata_qid"]
    autocomplete_fields = ["affiliation"]
    inlines = [SpeakerAliasInline, SpeakerAttributeInline]

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

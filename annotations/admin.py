from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from corpus.admin import ArticleAdmin
from corpus.errors import validation_message
from corpus.models import Article
from text.segments import Highlight, segments
from text.sentences import sentence_bounds

from . import services
from .models import EntityMention, MentionEvent, Quote, QuoteEvent, QuoteSpan, Stance, StanceTarget


def _in_context(body: str, start: int, end: int, marks: list[tuple[int, int]] | None = None):
    """The sentence around [start, end) with ``marks`` (default: the span itself) marked; all escaped."""
    left, right = sentence_bounds(body, start, end)
    highlights = [Highlight(s, e, "mark") for s, e in (marks or [(start, end)])]
    return format_html_join(
        "",
        "{}",
        (
            (format_html("<mark>{}</mark>", seg.text) if seg.marks else seg.text,)
            for seg in segments(body, highlights, start=left, end=right)
        ),
    )


class QuoteSpanInline(admin.TabularInline):
    model = QuoteSpan
    extra = 0
    fields = readonly_fields = ("position", "start", "end", "text")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StanceInline(admin.TabularInline):
    """Label and note can be changed here (through the services, recorded in the quote's history);
    stances are added in the workspace or in review."""

    model = Stance
    extra = 0
    fields = ["target", "label", "annotator", "note"]
    readonly_fields = ["target", "annotator"]

    def has_add_permission(self, request, obj=None):
        return False


class QuoteEventInline(admin.TabularInline):
    model = QuoteEvent
    extra = 0
    fields = readonly_fields = ("at", "actor", "action", "changed", "note")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Changed")
    def changed(self, obj):
        return ", ".join(obj.changed_fields())


def _review_selected(modeladmin, request, queryset, *, accept: bool) -> None:
    """Review the selected annotators' quotes through the services; report what was left alone."""
    done, skipped = 0, []
    for quote in queryset.order_by("pk"):
        try:
            if accept:
                services.quote_accept(quote=quote, reviewer=request.user)
            else:
                services.quote_reject(quote=quote, reviewer=request.user, reason="Rejected in admin")
        except ValidationError as exc:
            skipped.append(f"#{quote.pk}: {validation_message(exc)}")
            continue
        done += 1
    verb = "Accepted" if accept else "Rejected"
    modeladmin.message_user(request, f"{verb} {done} quote(s).", messages.SUCCESS)
    for line in skipped:
        modeladmin.message_user(request, f"Left as it is: {line}", messages.WARNING)


@admin.action(description="Accept selected quotes (into the curated layer)")
def accept_quotes(modeladmin, request, queryset):
    _review_selected(modeladmin, request, queryset, accept=True)


@admin.action(description="Reject selected quotes (reason: “Rejected in admin”)")
def reject_quotes(modeladmin, request, queryset):
    _review_selected(modeladmin, request, queryset, accept=False)


class ServiceWritesMixin:
    """Admin saves and deletes of annotations go through the services, so each writes one history event."""

    def delete_model(self, request, obj):
        self.service_delete(obj, request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset.order_by("pk"):
            self.service_delete(obj, request.user)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            _delete(obj, request.user)
        for obj in instances:
            changed = next((f.changed_data for f in formset.forms if f.instance is obj), [])
            _save(obj, request.user, changed)
        formset.save_m2m()


def _save(obj, actor, changed) -> None:
    if isinstance(obj, Quote):
        services.quote_admin_save(quote=obj, actor=actor, changed=changed)
    elif isinstance(obj, EntityMention):
        services.entity_mention_admin_save(mention=obj, actor=actor, changed=changed)
    elif isinstance(obj, Stance):
        services.stance_admin_save(stance=obj, actor=actor)
    else:
        obj.save()


def _delete(obj, actor) -> None:
    if isinstance(obj, Quote):
        services.quote_delete(quote=obj, actor=actor)
    elif isinstance(obj, EntityMention):
        services.entity_mention_delete(mention=obj, actor=actor)
    elif isinstance(obj, Stance):
        services.stance_delete(stance=obj, actor=actor)
    else:
        obj.delete()


@admin.register(Quote)
class QuoteAdmin(ServiceWritesMixin, admin.ModelAdmin):
    list_display = [
        "short_text",
        "speaker",
        "kind",
        "layer",
        "status",
        "support_count",
        "article",
        "annotator",
        "reviewed_by",
        "updated",
    ]
    list_filter = ["layer", "status", "kind", "origin", "article__outlet", "tags", "annotator"]
    search_fields = ["text", "speaker__name", "speaker__aliases__alias", "article__title", "cue_text"]
    list_select_related = ["speaker", "article", "annotator", "reviewed_by"]
    autocomplete_fields = ["speaker", "article"]
    raw_id_fields = ["annotator", "reviewed_by"]
    actions = [accept_quotes, reject_quotes]
    inlines = [QuoteSpanInline, StanceInline, QuoteEventInline]
    readonly_fields = [
        "in_sentence",
        "start",
        "end",
        "text",
        "span_offsets",
        "cue_start",
        "cue_end",
        "cue_text",
        "speaker_mention_start",
        "speaker_mention_end",
        "speaker_mention_text",
        "version",
        "created",
        "updated",
        # Review state changes through the actions (and the review pages), never by typing it here.
        "layer",
        "status",
        "curated",
        "support_count",
        "supported_by",
        "reviewed_by",
        "reviewed_at",
    ]
    fieldsets = [
        (None, {"fields": ["article", "in_sentence", "kind", "speaker", "tags", "origin"]}),
        (
            "Spans (code points of the article text; change them in the annotation workspace)",
            {
                "fields": [
                    "text",
                    "span_offsets",
                    "start",
                    "end",
                    "cue_text",
                    "cue_start",
                    "cue_end",
                    "speaker_mention_text",
                    "speaker_mention_start",
                    "speaker_mention_end",
                ]
            },
        ),
        (
            "Review",
            {
                "fields": [
                    "layer",
                    "annotator",
                    "status",
                    "reviewed_by",
                    "reviewed_at",
                    "review_note",
                    "curated",
                    "support_count",
                    "supported_by",
                    "version",
                ]
            },
        ),
        ("Record", {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset, True

    @admin.display(description="Quote", ordering="text")
    def short_text(self, obj):
        return str(obj)

    @admin.display(description="In its sentence")
    def in_sentence(self, obj):
        if obj.pk is None:
            return "—"
        return _in_context(obj.article.body, obj.start, obj.end, [(s.start, s.end) for s in obj.spans.all()])

    def has_add_permission(self, request):
        # Quotes are created from a text selection, where offsets are exact; the admin edits them.
        return False

    def save_model(self, request, obj, form, change):
        """Nothing yet: the quote, its tags and its stances are saved together in ``save_related``,
        through one service call, so one admin save is one event in the quote's history."""

    def save_related(self, request, form, formsets, change):
        stances, deleted, changed = [], [], list(form.changed_data)
        for formset in formsets:
            saved = formset.save(commit=False)  # the read-only inlines save nothing
            if formset.model is Stance:
                stances += saved
                deleted += formset.deleted_objects
                changed += [f"stance {f.instance.target}" for f in formset.forms if f.has_changed()]
        services.quote_admin_save(
            quote=form.instance,
            actor=request.user,
            changed=changed,
            tags=form.cleaned_data.get("tags"),
            stances=stances,
            deleted_stances=deleted,
        )

    def service_delete(self, obj, actor):
        services.quote_delete(quote=obj, actor=actor)


@admin.register(EntityMention)
class EntityMentionAdmin(ServiceWritesMixin, admin.ModelAdmin):
    list_display = ["text", "label", "speaker", "article", "start", "end", "annotator", "layer", "status"]
    list_filter = ["layer", "label", "status", "origin", "article__outlet"]
    search_fields = ["text", "speaker__name", "article__title"]
    list_select_related = ["speaker", "article", "annotator"]
    autocomplete_fields = ["speaker", "article"]
    raw_id_fields = ["annotator", "reviewed_by"]
    readonly_fields = [
        "in_sentence",
        "start",
        "end",
        "text",
        "created",
        "updated",
        "layer",
        "status",
        "curated",
        "support_count",
        "supported_by",
        "reviewed_by",
        "reviewed_at",
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description="In its sentence")
    def in_sentence(self, obj):
        if obj.pk is None:
            return "—"
        return _in_context(obj.article.body, obj.start, obj.end)

    def save_model(self, request, obj, form, change):
        services.entity_mention_admin_save(mention=obj, actor=request.user, changed=form.changed_data)

    def service_delete(self, obj, actor):
        services.entity_mention_delete(mention=obj, actor=actor)


@admin.register(StanceTarget)
class StanceTargetAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name", "description"]


@admin.register(Stance)
class StanceAdmin(ServiceWritesMixin, admin.ModelAdmin):
    list_display = ["quote", "target", "label", "annotator", "updated"]
    list_filter = ["label", "target"]
    search_fields = ["quote__text", "target__name", "note"]
    list_select_related = ["quote", "target", "annotator"]
    fields = ["quote", "target", "annotator", "label", "note"]
    readonly_fields = ["quote", "target", "annotator"]

    def has_add_permission(self, request):
        return False  # stances are read from a quote in the workspace or in review

    def save_model(self, request, obj, form, change):
        services.stance_admin_save(stance=obj, actor=request.user)

    def service_delete(self, obj, actor):
        services.stance_delete(stance=obj, actor=actor)


class EventAdmin(admin.ModelAdmin):
    """History is read-only, here as everywhere: no add, change or delete."""

    list_filter = ["action"]
    ordering = ["-at", "-id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QuoteEvent)
class QuoteEventAdmin(EventAdmin):
    list_display = ["at", "actor", "action", "quote_id", "note"]
    list_select_related = ["actor"]
    readonly_fields = ["quote_id", "actor", "action", "at", "before", "after", "note"]
    fields = list(readonly_fields)


@admin.register(MentionEvent)
class MentionEventAdmin(EventAdmin):
    list_display = ["at", "actor", "action", "mention_id", "note"]
    list_select_related = ["actor"]
    readonly_fields = ["mention_id", "actor", "action", "at", "before", "after", "note"]
    fields = list(readonly_fields)


class QuoteInline(admin.TabularInline):
    model = Quote
    extra = 0
    fields = ["text", "layer", "kind", "speaker", "status", "annotator"]
    readonly_fields = ["text", "layer", "status", "annotator"]
    autocomplete_fields = ["speaker"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class EntityMentionInline(admin.TabularInline):
    model = EntityMention
    extra = 0
    fields = ["text", "layer", "label", "start", "end", "speaker", "status"]
    readonly_fields = ["text", "layer", "start", "end", "status"]
    autocomplete_fields = ["speaker"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


# The article admin belongs to corpus, which knows nothing of annotations; the inlines are added here.
admin.site.unregister(Article)


@admin.register(Article)
class AnnotatedArticleAdmin(ArticleAdmin):
    inlines = [QuoteInline, EntityMentionInline]

    def save_formset(self, request, form, formset, change):
        # Inline edits of quotes and mentions go through the services: versioned, one event each.
        ServiceWritesMixin.save_formset(self, request, form, formset, change)

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []

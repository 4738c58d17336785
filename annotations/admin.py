from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join

from corpus.admin import ArticleAdmin
from corpus.models import Article
from text.segments import Highlight, segments
from text.sentences import sentence_bounds

from . import services
from .models import EntityMention, Quote, QuoteEvent, QuoteSpan, Stance, StanceTarget, Status


def _in_context(body: str, start: int, end: int, marks: list[tuple[int, int]] | None = None):
    """The sentence around [start, end) with ``marks`` (default: the span itself) marked; all escaped."""
    left, right = sentence_bounds(body, start, end)
    highlights = [Highlight(s, e, "mark") for s, e in (marks or [(start, end)])]
    return format_html_join("", "{}", (
        (format_html("<mark>{}</mark>", seg.text) if seg.marks else seg.text,)
        for seg in segments(body, highlights, start=left, end=right)
    ))


class QuoteSpanInline(admin.TabularInline):
    model = QuoteSpan
    extra = 0
    fields = ["position", "start", "end", "text"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StanceInline(admin.TabularInline):
    model = Stance
    extra = 0
    fields = ["target", "label", "annotator", "note"]
    autocomplete_fields = ["target"]
    raw_id_fields = ["annotator"]


class QuoteEventInline(admin.TabularInline):
    model = QuoteEvent
    extra = 0
    fields = ["at", "actor", "action", "changed", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Changed")
    def changed(self, obj):
        return ", ".join(obj.changed_fields())


@admin.action(description="Accept selected quotes")
def accept_quotes(modeladmin, request, queryset):
    done = 0
    for quote in queryset.select_related("article"):
        if quote.status == Status.ACCEPTED:
            continue
        services.quote_accept(quote=quote, reviewer=request.user)
        done += 1
    skipped = queryset.count() - done
    modeladmin.message_user(request, f"Accepted {done} quote(s); {skipped} were already accepted.", messages.SUCCESS)


@admin.action(description="Reject selected quotes (reason: “Rejected in admin”)")
def reject_quotes(modeladmin, request, queryset):
    done = 0
    for quote in queryset:
        if quote.status == Status.REJECTED:
            continue
        services.quote_reject(quote=quote, reviewer=request.user, reason="Rejected in admin")
        done += 1
    modeladmin.message_user(request, f"Rejected {done} quote(s).", messages.SUCCESS)


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["short_text", "speaker", "kind", "status", "article", "annotator", "reviewed_by", "updated"]
    list_filter = ["status", "kind", "origin", "article__outlet", "tags", "annotator"]
    search_fields = ["text", "speaker__name", "speaker__aliases__alias", "article__title", "cue_text"]
    list_select_related = ["speaker", "article", "annotator", "reviewed_by"]
    autocomplete_fields = ["speaker", "article"]
    raw_id_fields = ["annotator", "reviewed_by"]
    actions = [accept_quotes, reject_quotes]
    inlines = [QuoteSpanInline, StanceInline, QuoteEventInline]
    readonly_fields = [
        "in_sentence", "start", "end", "text", "span_offsets", "cue_start", "cue_end", "cue_text",
        "speaker_mention_start", "speaker_mention_end", "speaker_mention_text", "version", "created", "updated",
    ]
    fieldsets = [
        (None, {"fields": ["article", "in_sentence", "kind", "speaker", "tags", "origin"]}),
        ("Spans (code points of the article text; change them in the annotation workspace)", {"fields": [
            "text", "span_offsets", "start", "end", "cue_text", "cue_start", "cue_end",
            "speaker_mention_text", "speaker_mention_start", "speaker_mention_end",
        ]}),
        ("Review", {"fields": ["annotator", "status", "reviewed_by", "reviewed_at", "review_note", "version"]}),
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
        # Admin edits are audited and versioned like every other change.
        services.quote_admin_save(quote=obj, actor=request.user, changed=form.changed_data)


@admin.register(EntityMention)
class EntityMentionAdmin(admin.ModelAdmin):
    list_display = ["text", "label", "speaker", "article", "start", "end", "annotator", "status"]
    list_filter = ["label", "status", "origin", "article__outlet"]
    search_fields = ["text", "speaker__name", "article__title"]
    list_select_related = ["speaker", "article", "annotator"]
    autocomplete_fields = ["speaker", "article"]
    raw_id_fields = ["annotator", "reviewed_by"]
    readonly_fields = ["in_sentence", "start", "end", "text", "created", "updated"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="In its sentence")
    def in_sentence(self, obj):
        if obj.pk is None:
            return "—"
        return _in_context(obj.article.body, obj.start, obj.end)


@admin.register(StanceTarget)
class StanceTargetAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name", "description"]


@admin.register(Stance)
class StanceAdmin(admin.ModelAdmin):
    list_display = ["quote", "target", "label", "annotator", "updated"]
    list_filter = ["label", "target"]
    search_fields = ["quote__text", "target__name", "note"]
    list_select_related = ["quote", "target", "annotator"]
    autocomplete_fields = ["target"]
    raw_id_fields = ["quote", "annotator"]


@admin.register(QuoteEvent)
class QuoteEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "quote"]
    list_filter = ["action"]
    ordering = ["-at", "-id"]
    list_select_related = ["actor", "quote"]
    readonly_fields = ["quote", "actor", "action", "at", "before", "after", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class QuoteInline(admin.TabularInline):
    model = Quote
    extra = 0
    fields = ["text", "kind", "speaker", "status", "annotator"]
    readonly_fields = ["text", "annotator"]
    autocomplete_fields = ["speaker"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class EntityMentionInline(admin.TabularInline):
    model = EntityMention
    extra = 0
    fields = ["text", "label", "start", "end", "speaker", "status"]
    readonly_fields = ["text", "start", "end"]
    autocomplete_fields = ["speaker"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


# The article admin belongs to corpus, which knows nothing of annotations; the inlines are added here.
admin.site.unregister(Article)


@admin.register(Article)
class AnnotatedArticleAdmin(ArticleAdmin):
    inlines = [QuoteInline, EntityMentionInline]

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []

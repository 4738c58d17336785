from django.contrib import admin

from .models import Suggestion


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ("article", "kind", "rule", "speaker_name", "status", "decided_by", "created")
    list_filter = ("status", "kind", "rule")
    search_fields = ("text", "speaker_name", "article__title")
    list_select_related = ("article", "decided_by")
    raw_id_fields = ("article", "speaker", "quote", "decided_by")
    readonly_fields = ("body_hash", "created")

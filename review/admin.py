from django.contrib import admin

from .models import Assignment, SpeakerMerge


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["article", "annotator", "assigned_by", "assigned_at"]
    list_filter = ["annotator"]
    list_select_related = ["article", "annotator", "assigned_by"]
    search_fields = ["article__title", "annotator__username"]
    raw_id_fields = ["article", "annotator", "assigned_by"]


@admin.register(SpeakerMerge)
class SpeakerMergeAdmin(admin.ModelAdmin):
    list_display = [
        "source_name",
        "target_name",
        "merged_by",
        "merged_at",
        "aliases_moved",
        "quotes_moved",
        "mentions_moved",
    ]
    list_select_related = ["merged_by"]
    readonly_fields = [f.name for f in SpeakerMerge._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

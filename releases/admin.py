from django.contrib import admin

from .models import Release


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Read-only: releases are created and built through the services (pages, API, release_build);
    a published one never changes (the database refuses it too)."""

    list_display = ("name", "version", "status", "licence", "created", "published", "size")
    list_filter = ("status", "licence")
    search_fields = ("name", "version")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return obj is not None and not obj.is_published and super().has_delete_permission(request, obj)

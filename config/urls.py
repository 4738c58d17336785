from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog

admin.site.site_header = "Quote corpus administration"
admin.site.site_title = "Quote corpus admin"

handler400 = "config.errors.bad_request"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("annotate/", include("annotations.urls")),
    path("review/", include("review.urls")),
    path("research/clusters/", include("clusters.urls")),
    path("research/releases/", include("releases.urls")),
    path("research/", include("research.urls")),
    path("exports/", include("exports.urls")),
    path("ingest/", include("ingest.urls")),
    path("suggestions/", include("suggestions.urls")),
    path("jobs/", include("jobs.urls")),
    path("api/v1/", include("api.urls")),
    # The interface strings of the pages' scripts (gettext in static/*.js; catalogue under locale/); the
    # browser keeps it for an hour, so a page load does not wait for it each time.
    path("jsi18n/", cache_control(max_age=3600, private=True)(JavaScriptCatalog.as_view()), name="javascript-catalog"),
]

if "debug_toolbar" in settings.INSTALLED_APPS:  # config.settings.dev only
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()

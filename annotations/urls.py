from django.urls import path

from . import views

app_name = "annotations"

urlpatterns = [
    path("", views.index, name="index"),
    path("articles/<int:pk>/", views.article_annotate, name="article_annotate"),
    path("guidelines/", views.guidelines, name="guidelines"),
    path("api/articles/<int:pk>/state/", views.api_state, name="api_state"),
    path("api/articles/<int:pk>/quotes/", views.api_quote_create, name="api_quote_create"),
    path("api/articles/<int:pk>/mentions/", views.api_mention_create, name="api_mention_create"),
    path("api/articles/<int:pk>/submit/", views.api_submit, name="api_submit"),
    path("api/quotes/<int:pk>/", views.api_quote, name="api_quote"),
    path("api/quotes/<int:pk>/stances/", views.api_quote_stance, name="api_quote_stance"),
    path("api/stances/<int:pk>/", views.api_stance, name="api_stance"),
    path("api/mentions/<int:pk>/", views.api_mention, name="api_mention"),
    path("api/speakers/", views.api_speakers, name="api_speakers"),
    path("api/targets/", views.api_targets, name="api_targets"),
    path("lookup/<slug:kind>/", views.lookup, name="lookup"),
]

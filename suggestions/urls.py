from django.urls import path

from . import views

app_name = "suggestions"

urlpatterns = [
    path("", views.index, name="index"),
    path("articles/<int:pk>/", views.article_suggestions_page, name="article"),
    path("articles/<int:pk>/suggest/", views.article_suggest, name="article_suggest"),
    path("api/articles/<int:pk>/", views.api_list, name="api_list"),
    path("api/articles/<int:pk>/suggest/", views.api_suggest, name="api_suggest"),
    path("api/<int:pk>/accept/", views.api_accept, name="api_accept"),
    path("api/<int:pk>/reject/", views.api_reject, name="api_reject"),
]

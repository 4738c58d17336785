from django.urls import path

from . import views

app_name = "suggestions"

urlpatterns = [
    path("", views.index, name="index"),
    path("suggest/", views.suggest_many, name="suggest_many"),
    path("articles/<int:pk>/", views.article_suggestions_page, name="article"),
    path("articles/<int:pk>/suggest/", views.article_suggest, name="article_suggest"),
]

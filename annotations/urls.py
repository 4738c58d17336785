from django.urls import path

from . import views

app_name = "annotations"

urlpatterns = [
    path("", views.index, name="index"),
    path("articles/<int:pk>/", views.article_annotate, name="article_annotate"),
    path("guidelines/", views.guidelines, name="guidelines"),
]

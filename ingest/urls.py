from django.urls import path

from . import views

app_name = "ingest"

urlpatterns = [
    path("", views.index, name="index"),
    path("brat/", views.brat_export, name="brat_export"),
]

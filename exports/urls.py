from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.index, name="index"),
    path("codebook/", views.codebook, name="codebook"),
    path("quotes.csv", views.export_csv, {"slug": "quotes"}, name="quotes_csv"),
    path("stances.csv", views.export_csv, {"slug": "stances"}, name="stances_csv"),
    path("entities.csv", views.export_csv, {"slug": "entities"}, name="entities_csv"),
    path("speakers.csv", views.export_csv, {"slug": "speakers"}, name="speakers_csv"),
    path("articles.csv", views.export_csv, {"slug": "articles"}, name="articles_csv"),
    path("clusters.csv", views.export_csv, {"slug": "clusters"}, name="clusters_csv"),
    path("corpus.jsonl", views.corpus_jsonl, name="corpus_jsonl"),
]

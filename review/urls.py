from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.index, name="index"),
    path("quotes/<int:pk>/", views.quote_detail, name="quote"),
    path("quotes/<int:pk>/accept/", views.quote_accept, name="quote_accept"),
    path("quotes/<int:pk>/reject/", views.quote_reject, name="quote_reject"),
    path("quotes/<int:pk>/correct/", views.quote_correct, name="quote_correct"),
    path("quotes/<int:pk>/history/", views.quote_history, name="quote_history"),
    path("bulk/", views.bulk, name="bulk"),
    path("mine/", views.mine, name="mine"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/<int:pk>/delete/", views.assignment_delete, name="assignment_delete"),
    path("articles/<int:pk>/adjudicate/", views.adjudicate, name="adjudicate"),
    path("articles/<int:pk>/adjudicate/pick/", views.adjudicate_pick, name="adjudicate_pick"),
    path("articles/<int:pk>/adjudicate/entity/", views.adjudicate_entity, name="adjudicate_entity"),
    path("agreement/", views.agreement_corpus, name="agreement"),
    path("agreement.csv", views.agreement_corpus_csv, name="agreement_csv"),
    path("agreement/refresh/", views.agreement_refresh, name="agreement_refresh"),
    path("articles/<int:pk>/agreement/", views.agreement_article, name="article_agreement"),
    path("articles/<int:pk>/agreement.csv", views.agreement_article_csv, name="article_agreement_csv"),
    path("speakers/merge/", views.speaker_merge, name="speaker_merge"),
    path("speakers/merges/<int:pk>/undo/", views.speaker_merge_undo, name="speaker_merge_undo"),
    path("speakers/candidates/", views.speaker_candidates, name="speaker_candidates"),
    path("speakers/<int:pk>/wikidata/", views.speaker_wikidata, name="speaker_wikidata"),
    path("speakers/wikidata-proposals/", views.speaker_wikidata_proposals, name="speaker_wikidata_proposals"),
    path(
        "speakers/<int:pk>/wikidata/proposal/confirm/",
        views.speaker_wikidata_proposal_confirm,
        name="speaker_wikidata_proposal_confirm",
    ),
    path(
        "speakers/<int:pk>/wikidata/proposal/reject/",
        views.speaker_wikidata_proposal_reject,
        name="speaker_wikidata_proposal_reject",
    ),
]

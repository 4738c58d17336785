"""Stored agreement (ArticleAgreement, CorpusAgreement): always what a fresh computation gives.

Each test changes the annotations through the services (create, edit, review, delete, assign, delete
an article), checks the stored figures are reported out of date, refreshes, and compares them with
``selectors.agreement_figures()`` computed from scratch."""

import pytest
from django.urls import reverse

from annotations import services as annotation_services
from jobs.models import Job
from review import agreement, selectors, services
from review.models import ArticleAgreement, CorpusAgreement
from tests.factories import ArticleFactory, annotator, editor, find_span, make_mention, make_quote
from tests.jobs.support import run_queued

from .conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return {"ann": annotator(username="ann"), "ann2": annotator(username="ann2"), "ed": editor(username="ed")}


@pytest.fixture
def two_articles(team):
    articles = [ArticleFactory(title="First"), ArticleFactory(title="Second")]
    for article in articles:
        submit(make_quote(article=article, annotator_user=team["ann"]))
        submit(make_quote(article=article, annotator_user=team["ann2"], text="We will act"))
        submit(make_quote(article=article, annotator_user=team["ann"], text="The plan is ready."))
        make_mention(article=article, annotator_user=team["ann2"], status="submitted")
    return articles


def assert_stored_equals_fresh():
    fresh = selectors.agreement_figures()
    stored = selectors.stored_agreement()
    assert stored.current
    assert agreement.report_to_data(stored.corpus) == agreement.report_to_data(fresh.corpus)
    assert stored.pending == sum(len(v) for v in fresh.pending.values())
    rows = {r.article_id: r for r in ArticleAgreement.objects.filter(annotators__gte=2)}
    assert set(rows) == set(fresh.by_article)
    for article_id, report in fresh.by_article.items():
        assert rows[article_id].report == agreement.report_to_data(report)


def refresh_and_compare():
    assert not selectors.stored_agreement().current
    services.agreement_refresh()
    assert_stored_equals_fresh()


def test_report_data_round_trip_keeps_every_figure(two_articles):
    report = selectors.agreement_figures().corpus
    back = agreement.report_from_data(agreement.report_to_data(report))
    assert back.kind_alpha == report.kind_alpha and back.stance_alpha == report.stance_alpha
    assert back.pooled().quotes_overlap.f1 == report.pooled().quotes_overlap.f1
    assert agreement.report_to_data(back) == agreement.report_to_data(report)


def test_first_refresh_stores_what_a_fresh_computation_gives(two_articles):
    assert ArticleAgreement.objects.filter(stale=True).count() == 2
    refresh_and_compare()
    assert CorpusAgreement.objects.get().compared == 2


def test_create_marks_the_article_and_refresh_catches_up(two_articles, team):
    services.agreement_refresh()
    submit(make_quote(article=two_articles[0], annotator_user=team["ann2"], text="The plan is ready."))
    assert list(ArticleAgreement.objects.filter(stale=True).values_list("article_id", flat=True)) == [
        two_articles[0].pk
    ]
    refresh_and_compare()


def test_edit_and_review_and_delete(two_articles, team):
    services.agreement_refresh()
    quote = two_articles[1].quotes.filter(annotator=team["ann2"]).get()
    annotation_services.quote_update(quote=quote, actor=team["ann2"], spans=[find_span(quote.article.body, "will act")])
    refresh_and_compare()
    quote.refresh_from_db()
    annotation_services.quote_accept(quote=quote, reviewer=team["ed"])
    refresh_and_compare()
    other = two_articles[1].quotes.filter(annotator=team["ann"], text="The plan is ready.").get()
    annotation_services.quote_delete(quote=other, actor=team["ann"])
    refresh_and_compare()


def test_assignments_count_as_pending_until_work_is_submitted(two_articles, team):
    services.agreement_refresh()
    third = annotator(username="ann3")
    services.assignments_create(articles=[two_articles[0]], annotators=[third], assigned_by=team["ed"])
    refresh_and_compare()
    assert CorpusAgreement.objects.get().pending == 1


def test_deleting_an_article_is_noticed(two_articles):
    services.agreement_refresh()
    two_articles[0].delete()  # the admin's cascade: no service runs, the stored row goes with it
    refresh_and_compare()
    assert CorpusAgreement.objects.get().compared == 1


def test_a_rolled_back_change_leaves_the_figures_current(two_articles, team):
    from django.db import transaction

    services.agreement_refresh()

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        submit(make_quote(article=two_articles[0], annotator_user=team["ann2"], text="The plan is ready."))
        raise Abort
    assert selectors.stored_agreement().current


def test_the_page_waits_for_recompute_past_its_bound(two_articles, client_for, team, monkeypatch):
    monkeypatch.setattr("review.services.INLINE_REFRESH_ARTICLES", 1)  # two changed articles: too many
    client = client_for(team["ed"])
    html = client.get(reverse("review:agreement")).content.decode()
    assert "Agreement has not been computed yet." in html and "Recompute" in html
    response = client.post(reverse("review:agreement_refresh"))
    job = Job.objects.get(kind="agreement_refresh")
    assert response.url == reverse("jobs:detail", args=[job.pk]) and job.status == Job.Status.QUEUED
    # a second press while it is queued shows that job instead of starting another
    assert client.post(reverse("review:agreement_refresh")).url == response.url
    assert not client.get(reverse("review:agreement")).context["stored"].current  # the page computed nothing
    (ran,) = run_queued()
    assert ran.status == Job.Status.SUCCEEDED and ran.result == {"articles": 2, "pooled": True}
    assert (ran.progress_done, ran.progress_total) == (2, 2)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Agreement recomputed for 2 changed articles" in page
    response = client.get(reverse("review:agreement"))
    assert response.context["stored"].current and response.context["report"].articles == 2
    assert f"job #{job.pk}</a>, succeeded" in response.content.decode()
    submit(make_quote(article=two_articles[0], annotator_user=team["ann2"], text="The plan is ready."))
    html = client.get(reverse("review:agreement")).content.decode()  # one changed article: inline
    assert "up to date" in html


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("annotator", 403), ("researcher", 403), ("editor", 302)]
)
def test_recompute_permission(role_users, client_for, who, status):
    assert client_for(role_users[who]).post(reverse("review:agreement_refresh")).status_code == status


def test_recompute_needs_csrf(client, editor_user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor_user)
    assert strict.post(reverse("review:agreement_refresh")).status_code == 403


def test_refresh_command(two_articles, capsys):
    from django.core.management import call_command

    call_command("refresh_agreement")
    assert "Recomputed 2 changed article(s)" in capsys.readouterr().out
    assert_stored_equals_fresh()

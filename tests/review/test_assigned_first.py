"""The annotator's article list (annotations app) lists review assignments first, registered in ReviewConfig.ready()."""

import pytest
from django.urls import reverse

from annotations.extensions import assigned_articles
from corpus.models import Article
from review import selectors, services
from tests.factories import ArticleFactory, make_quote

pytestmark = pytest.mark.django_db


def test_assigned_articles_come_first_then_started_then_newest(client_for, annotator_user, editor_user):
    ArticleFactory(title="Newest", published="2024-05-01")
    started = ArticleFactory(title="Started", published="2020-01-01")
    assigned = ArticleFactory(title="Assigned", published="2019-01-01")
    make_quote(article=started, annotator_user=annotator_user)
    services.assignments_create(articles=[assigned], annotators=[annotator_user], assigned_by=editor_user)
    response = client_for(annotator_user).get(reverse("annotations:index"))
    titles = [a.title for a in response.context["page"]]
    assert titles == ["Assigned", "Started", "Newest"]
    assert "assigned to you" in response.content.decode()


def test_other_annotators_assignments_do_not_reorder_my_list(client_for, annotator_user, other_annotator, editor_user):
    ArticleFactory(title="Newest", published="2024-05-01")
    theirs = ArticleFactory(title="Theirs", published="2019-01-01")
    services.assignments_create(articles=[theirs], annotators=[other_annotator], assigned_by=editor_user)
    titles = [a.title for a in client_for(annotator_user).get(reverse("annotations:index")).context["page"]]
    assert titles == ["Newest", "Theirs"]


def test_review_registers_its_assignments_in_ready():
    assert selectors.assigned_article_ids in list(assigned_articles)


def test_without_a_provider_the_list_still_works(client_for, annotator_user, editor_user):
    ArticleFactory(title="Only", published="2020-01-01")
    newest = ArticleFactory(title="Newest", published="2024-01-01")
    only = Article.objects.get(title="Only")
    services.assignments_create(articles=[only], annotators=[annotator_user], assigned_by=editor_user)
    with assigned_articles.replaced([]):
        page = client_for(annotator_user).get(reverse("annotations:index")).context["page"]
    assert [a.pk for a in page] == [newest.pk, only.pk]  # no assignments first: newest first

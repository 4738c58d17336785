import pytest
from django.urls import reverse

from annotations.extensions import workspace_panels
from annotations.models import Quote
from suggestions.models import Suggestion
from tests.factories import ArticleFactory

from .factories import article_with_suggestions

pytestmark = pytest.mark.django_db

ALLOWED = {"annotator", "editor", "admin"}


def _expect(response, who, login_url="/accounts/login/"):
    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(login_url)
    elif who in ALLOWED:
        assert response.status_code == 200, response.content[:300]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "annotator", "editor", "researcher", "admin"])
def test_permission_matrix_reads(who, role_users, client_for):
    article, _ = article_with_suggestions()
    client = client_for(role_users[who])
    for url in [
        reverse("suggestions:index"),
        reverse("suggestions:article", args=[article.pk]),
    ]:
        _expect(client.get(url), who)


@pytest.mark.parametrize("who", ["anonymous", "annotator", "editor", "researcher", "admin"])
def test_permission_matrix_writes(who, role_users, client_for):
    article, stored = article_with_suggestions()
    client = client_for(role_users[who])
    response = client.post(reverse("suggestions:article_suggest", args=[article.pk]))
    if who in ALLOWED:
        assert response.status_code == 302 and response["Location"] == reverse("suggestions:article", args=[article.pk])
    else:
        _expect(response, who)
    assert not Quote.objects.exists()


def test_the_old_json_views_are_gone(client_for, annotator_user):
    """The panel calls /api/v1/suggestions/… now (tests/api/test_suggestions.py)."""
    article, stored = article_with_suggestions()
    client = client_for(annotator_user)
    assert client.get(f"/suggestions/api/articles/{article.pk}/").status_code == 404
    assert client.post(f"/suggestions/api/{stored[0].pk}/accept/").status_code == 404
    assert Suggestion.objects.get(pk=stored[0].pk).status == "pending"


def test_panel_calls_the_public_api(client_for, annotator_user):
    article, stored = article_with_suggestions()
    html = client_for(annotator_user).get(reverse("suggestions:article", args=[article.pk])).content.decode()
    assert f'data-list-url="/api/v1/suggestions/articles/{article.pk}"' in html
    assert f'data-suggest-url="/api/v1/suggestions/articles/{article.pk}/suggest"' in html
    assert 'data-accept-url="/api/v1/suggestions/0/accept"' in html
    assert 'data-reject-url="/api/v1/suggestions/0/reject"' in html


def test_article_page_escapes_and_embeds_body(client_for, annotator_user):
    article = ArticleFactory(title="<script>alert(1)</script>", body="“We will act,” Jane Doe said. </script><b>x</b>")
    html = client_for(annotator_user).get(reverse("suggestions:article", args=[article.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "</script><b>x</b>" not in html  # json_script escapes the body
    assert 'id="suggestions-panel"' in html


@pytest.mark.parametrize("rows", [2, 30])
def test_index_runs_a_bounded_number_of_queries(rows, client_for, annotator_user, django_assert_max_num_queries):
    for _ in range(rows):
        article_with_suggestions()
    client = client_for(annotator_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("suggestions:index"))
    assert response.status_code == 200
    assert response.content.decode().count("Suggest again") == rows


def test_workspace_panel_is_registered_in_ready():
    assert "suggestions/includes/workspace_panel.html" in list(workspace_panels)


def test_index_filters_through_the_article_filter(client_for, annotator_user):
    wanted = ArticleFactory(title="Harbour dredging approved")
    ArticleFactory(title="Budget vote delayed")
    client = client_for(annotator_user)
    response = client.get(reverse("suggestions:index"), {"q": "dredging"})
    assert [a.pk for a in response.context["page"]] == [wanted.pk]
    response = client.get(reverse("suggestions:index"), {"q": "dredging", "from": "2020-02-31"})
    assert response.status_code == 200 and "published_from" in response.context["form"].errors
    assert list(response.context["page"]) == [] and "Some filters were not understood" in response.content.decode()

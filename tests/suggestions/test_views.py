import json

import pytest
from django.urls import reverse

from annotations.extensions import workspace_panels
from annotations.models import Quote
from suggestions.models import Suggestion
from tests.factories import ArticleFactory

from .factories import article_with_suggestions

pytestmark = pytest.mark.django_db

ALLOWED = {"annotator", "editor", "admin"}


def _post_json(client, url):
    return client.post(url, data="{}", content_type="application/json")


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
        reverse("suggestions:api_list", args=[article.pk]),
    ]:
        _expect(client.get(url), who)


@pytest.mark.parametrize("who", ["anonymous", "annotator", "editor", "researcher", "admin"])
def test_permission_matrix_writes(who, role_users, client_for):
    article, stored = article_with_suggestions()
    client = client_for(role_users[who])
    _expect(_post_json(client, reverse("suggestions:api_accept", args=[stored[0].pk])), who)
    _expect(_post_json(client, reverse("suggestions:api_reject", args=[stored[1].pk])), who)
    _expect(_post_json(client, reverse("suggestions:api_suggest", args=[article.pk])), who)
    response = client.post(reverse("suggestions:article_suggest", args=[article.pk]))
    if who in ALLOWED:
        assert response.status_code == 302 and response["Location"] == reverse("suggestions:article", args=[article.pk])
    else:
        _expect(response, who)
    expected_quotes = 1 if who in ALLOWED else 0
    assert Quote.objects.count() == expected_quotes


def test_annotator_accept_creates_their_own_quote(client_for, annotator_user, editor_user):
    article, stored = article_with_suggestions()
    response = _post_json(client_for(annotator_user), reverse("suggestions:api_accept", args=[stored[0].pk]))
    data = response.json()
    quote = Quote.objects.get(pk=data["quote_id"])
    assert quote.annotator == annotator_user and quote.origin == "rule:direct"
    assert data["status"] == "accepted" and data["counts"]["accepted"] == 1
    # an editor accepting gets their own quote too
    response = _post_json(client_for(editor_user), reverse("suggestions:api_accept", args=[stored[1].pk]))
    assert Quote.objects.get(pk=response.json()["quote_id"]).annotator == editor_user


def test_list_endpoint_payload(client_for, annotator_user):
    article, stored = article_with_suggestions()
    data = client_for(annotator_user).get(reverse("suggestions:api_list", args=[article.pk])).json()
    first = data["suggestions"][0]
    assert first == {
        "id": stored[0].pk,
        "kind": "direct",
        "rule": "direct",
        "spans": [[33, 60]],
        "text": "We will rebuild the bridge,",
        "cue": stored[0].cue,
        "cue_text": "said",
        "speaker": "Jane Doe",
        "speaker_id": None,
        "speaker_known": False,
        "speaker_mention": stored[0].speaker_mention,
        "status": "pending",
        "quote_id": None,
    }
    assert data["counts"] == {"pending": 2, "accepted": 0, "rejected": 0}
    assert data["quotes"] == []


def test_deciding_twice_is_a_clear_conflict(client_for, annotator_user):
    article, stored = article_with_suggestions()
    client = client_for(annotator_user)
    _post_json(client, reverse("suggestions:api_reject", args=[stored[0].pk]))
    response = _post_json(client, reverse("suggestions:api_accept", args=[stored[0].pk]))
    assert response.status_code == 409 and "already rejected" in response.json()["error"]
    assert not Quote.objects.exists()


def test_bad_json_body_is_refused(client_for, annotator_user):
    article, stored = article_with_suggestions()
    response = client_for(annotator_user).post(
        reverse("suggestions:api_accept", args=[stored[0].pk]), data="{nope", content_type="application/json"
    )
    assert response.status_code == 400 and "not JSON" in response.json()["error"]
    assert Suggestion.objects.get(pk=stored[0].pk).status == "pending"


def test_writes_need_post_and_csrf(annotator_user):
    from django.test import Client

    article, stored = article_with_suggestions()
    client = Client(enforce_csrf_checks=True)
    client.force_login(annotator_user)
    assert client.get(reverse("suggestions:api_accept", args=[stored[0].pk])).status_code == 405
    assert (
        client.post(
            reverse("suggestions:api_accept", args=[stored[0].pk]), data="{}", content_type="application/json"
        ).status_code
        == 403
    )
    assert not Quote.objects.exists()


def test_unknown_ids_are_404(client_for, annotator_user):
    client = client_for(annotator_user)
    assert client.get(reverse("suggestions:api_list", args=[999])).status_code == 404
    assert _post_json(client, reverse("suggestions:api_accept", args=[999])).status_code == 404


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


@pytest.mark.parametrize("rows", [1, 20])
def test_list_endpoint_runs_a_bounded_number_of_queries(
    rows, client_for, annotator_user, django_assert_max_num_queries
):
    body = " ".join(f"“Point number {i} stands,” Jane Doe said." for i in range(rows))
    article = ArticleFactory(body=body)
    from suggestions.services import suggest_for_article

    assert len(suggest_for_article(article=article)) == rows
    client = client_for(annotator_user)
    with django_assert_max_num_queries(8):
        data = client.get(reverse("suggestions:api_list", args=[article.pk])).json()
    assert len(data["suggestions"]) == rows


def test_workspace_panel_is_registered_in_ready():
    assert "suggestions/includes/workspace_panel.html" in list(workspace_panels)


def test_suggest_endpoint_returns_fresh_list(client_for, annotator_user):
    article = ArticleFactory(body="“We will act,” Jane Doe said.")
    data = _post_json(client_for(annotator_user), reverse("suggestions:api_suggest", args=[article.pk])).json()
    assert [s["spans"] for s in data["suggestions"]] == [[[1, 13]]]
    assert json.dumps(data)

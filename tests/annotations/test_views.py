"""Views of the annotator workspace: permission matrix for every endpoint, API behaviour, bounded queries."""

import json

import pytest
from django.urls import reverse

from annotations import services
from annotations.extensions import workspace_panels
from tests import factories

pytestmark = pytest.mark.django_db


def call(client, method, url, data=None):
    kwargs = {"content_type": "application/json"}
    if data is not None:
        kwargs["data"] = json.dumps(data)
    return getattr(client, method.lower())(url, **kwargs)


@pytest.fixture
def setup(article, annotator_user, other_annotator, editor_user):
    mine = factories.make_quote(article=article, annotator_user=annotator_user)
    theirs = factories.make_quote(article=article, annotator_user=other_annotator, text="The plan is ready.")
    mention = factories.make_mention(article=article, annotator_user=other_annotator)
    target = factories.StanceTargetFactory(name="the plan")
    stance = services.stance_set(quote=theirs, target=target, label="favor", annotator=other_annotator)
    return {"article": article, "mine": mine, "theirs": theirs, "mention": mention, "stance": stance, "target": target}


def pages(s):
    a = s["article"].pk
    return [
        reverse("annotations:index"),
        reverse("annotations:article_annotate", args=[a]),
        reverse("annotations:guidelines"),
    ]


def test_anonymous_is_sent_to_login(client, setup):
    for url in pages(setup):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_researcher_cannot_open_the_workspace(client_for, setup, researcher_user):
    client = client_for(researcher_user)
    for url in pages(setup):
        assert client.get(url).status_code == 403, url


def test_editor_opens_the_workspace(client_for, setup, editor_user):
    client = client_for(editor_user)
    for url in pages(setup):
        assert client.get(url).status_code == 200, url


def test_the_page_writes_through_the_api(client_for, setup, annotator_user):
    """The page's config points its script at /api/v1/workspace/ (the old /annotate/api/ views are gone)."""
    client = client_for(annotator_user)
    response = client.get(reverse("annotations:article_annotate", args=[setup["article"].pk]))
    urls = response.context["config"]["urls"]
    pk = setup["article"].pk
    assert urls["state"] == f"/api/v1/workspace/articles/{pk}"
    assert urls["quote"] == "/api/v1/workspace/quotes/{id}"
    assert urls["quoteStances"] == "/api/v1/workspace/quotes/{id}/stances"
    assert urls["mention"] == "/api/v1/workspace/mentions/{id}"
    assert urls["speakers"] == "/api/v1/workspace/speakers"
    assert all(u.startswith("/api/v1/workspace/") for k, u in urls.items() if k != "preferences"), urls
    assert urls["preferences"] == "/api/v1/preferences"
    assert client.get("/annotate/api/speakers/?q=x").status_code == 404


def test_pages_render_for_annotator(client_for, setup, annotator_user):
    client = client_for(annotator_user)
    with workspace_panels.replaced(["annotations/includes/test_panel.html"]):
        response = client.get(reverse("annotations:article_annotate", args=[setup["article"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="ws-body"' in html and 'id="ws-state"' in html
    assert f"test-panel-{setup['article'].pk}" in html  # the plug-in panel got the article
    assert "<kbd>q</kbd>" in html  # shortcuts listed
    state = response.context["state"]
    assert [q["id"] for q in state["quotes"]] == [setup["mine"].pk]  # my copy only
    response = client.get(reverse("annotations:article_annotate", args=[setup["article"].pk]) + "?view=accepted")
    assert response.context["state"]["quotes"] == []


def test_article_list_filters_progress_and_order(client_for, annotator_user):
    old = factories.ArticleFactory(title="Old story", outlet="Gazette", published="2020-01-01", tags=["immigration"])
    new = factories.ArticleFactory(title="New story", outlet="Herald", published="2025-01-01")
    factories.make_quote(article=old, annotator_user=annotator_user)
    client = client_for(annotator_user)
    response = client.get(reverse("annotations:index"))
    rows = list(response.context["page"])
    assert [a.pk for a in rows] == [old.pk, new.pk]  # started first
    assert rows[0].my_quotes == 1 and rows[0].my_quote_drafts == 1 and rows[1].my_quotes == 0
    assert "1 not submitted" in response.content.decode()
    assert [a.pk for a in client.get(reverse("annotations:index") + "?tag=immigration").context["page"]] == [old.pk]
    assert [a.pk for a in client.get(reverse("annotations:index") + "?outlet=herald").context["page"]] == [new.pk]
    assert [a.pk for a in client.get(reverse("annotations:index") + "?q=new").context["page"]] == [new.pk]
    assert [a.pk for a in client.get(reverse("annotations:index") + "?from=2024-01-01").context["page"]] == [new.pk]
    assert [a.pk for a in client.get(reverse("annotations:index") + "?to=2021-01-01").context["page"]] == [old.pk]


def _annotate(article, user, n_quotes, n_mentions):
    """``n_quotes`` one-word quotes and ``n_mentions`` entities on distinct words of a long article."""
    speaker = factories.SpeakerFactory()
    target = factories.StanceTargetFactory(name="t")
    for i in range(n_quotes):
        q = services.quote_create(
            article=article, spans=[(i * 6, i * 6 + 4)], annotator=user, speaker=speaker, tags=["x"]
        )
        if i % 10 == 0:
            services.stance_set(quote=q, target=target, label="favor", annotator=user)
    for i in range(n_mentions):
        services.entity_mention_create(article=article, start=i * 6, end=i * 6 + 4, label="MISC", annotator=user)


@pytest.mark.parametrize("size", [5, 500])
def test_annotation_page_runs_the_same_queries_for_5_and_500(
    client_for, annotator_user, size, django_assert_num_queries
):
    article = factories.ArticleFactory(body="word. " * 600)
    _annotate(article, annotator_user, size // 2 + size % 2, size // 2)
    client = client_for(annotator_user)
    url = reverse("annotations:article_annotate", args=[article.pk])
    # session, user, groups, article, article tags, quotes, quote tags, stances (with targets), mentions,
    # and the role codebook of the new-speaker form
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["state"]["quotes"]) + len(response.context["state"]["mentions"]) == size
    with django_assert_num_queries(8):  # the workspace state through the API, the same for 5 and 500
        client.get(reverse("api-v1:workspace_state", args=[article.pk]))


@pytest.mark.parametrize("n_articles", [3, 60])
def test_article_list_queries_are_bounded(client_for, annotator_user, n_articles, django_assert_max_num_queries):
    for i in range(n_articles):
        article = factories.ArticleFactory(tags=["t"])
        if i % 2:
            factories.make_quote(article=article, annotator_user=annotator_user)
    client = client_for(annotator_user)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("annotations:index")).status_code == 200


def test_article_list_with_an_impossible_date_lists_nothing_and_says_why(client_for, annotator_user):
    factories.ArticleFactory(title="Dated", published="2020-02-20")
    response = client_for(annotator_user).get(reverse("annotations:index"), {"from": "2020-02-31"})
    assert response.status_code == 200
    assert list(response.context["page"]) == [] and "published_from" in response.context["errors"]
    assert "not valid" in response.content.decode()


def test_article_list_filters_through_the_filterset(client_for, annotator_user):
    old = factories.ArticleFactory(title="Old story", outlet="Gazette", published="2020-01-01", tags=["Immigration"])
    factories.ArticleFactory(title="New story", outlet="Herald", published="2025-01-01")
    client = client_for(annotator_user)
    for query in ({"tag": "immigration"}, {"outlet": "GAZETTE"}, {"to": "2021-01-01"}, {"q": "old"}):
        assert [a.pk for a in client.get(reverse("annotations:index"), query).context["page"]] == [old.pk], query

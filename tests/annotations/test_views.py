"""Views of the annotator workspace: permission matrix for every endpoint, API behaviour, bounded queries."""

import json

import pytest
from django.urls import reverse

from annotations import services
from annotations.extensions import workspace_panels
from annotations.models import EntityMention, Quote, Stance, Status
from corpus.models import Speaker
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


def endpoints(s):
    a = s["article"].pk
    q, m, st = s["theirs"].pk, s["mention"].pk, s["stance"].pk
    span = factories.find_span(s["article"].body, "Officials")
    return [
        ("GET", reverse("annotations:index"), None),
        ("GET", reverse("annotations:article_annotate", args=[a]), None),
        ("GET", reverse("annotations:guidelines"), None),
        ("GET", reverse("annotations:api_state", args=[a]), None),
        ("POST", reverse("annotations:api_quote_create", args=[a]), {"kind": "direct", "spans": [list(span)]}),
        (
            "POST",
            reverse("annotations:api_mention_create", args=[a]),
            {"start": span[0], "end": span[1], "label": "NORP"},
        ),
        ("POST", reverse("annotations:api_submit", args=[a]), {}),
        ("PATCH", reverse("annotations:api_quote", args=[q]), {"kind": "indirect"}),
        ("DELETE", reverse("annotations:api_quote", args=[q]), None),
        ("POST", reverse("annotations:api_quote_stance", args=[q]), {"target": s["target"].pk, "label": "against"}),
        ("DELETE", reverse("annotations:api_stance", args=[st]), None),
        ("PATCH", reverse("annotations:api_mention", args=[m]), {"label": "ORG"}),
        ("DELETE", reverse("annotations:api_mention", args=[m]), None),
        ("GET", reverse("annotations:api_speakers") + "?q=jane", None),
        ("POST", reverse("annotations:api_speakers"), {"name": "New Person"}),
        ("GET", reverse("annotations:api_targets") + "?q=plan", None),
        ("POST", reverse("annotations:api_targets"), {"name": "A new target"}),
    ]


def test_anonymous_is_sent_to_login_everywhere(client, setup):
    for method, url, data in endpoints(setup):
        response = call(client, method, url, data)
        assert response.status_code == 302, (method, url)
        assert response.url.startswith(reverse("login")), (method, url)


def test_researcher_cannot_annotate_anywhere(client_for, setup, researcher_user):
    client = client_for(researcher_user)
    for method, url, data in endpoints(setup):
        assert call(client, method, url, data).status_code == 403, (method, url)
    assert Quote.objects.count() == 2 and EntityMention.objects.count() == 1 and Stance.objects.count() == 1
    assert not Speaker.objects.filter(name="New Person").exists()


def test_annotator_cannot_touch_another_annotators_work(client_for, setup, annotator_user):
    client = client_for(annotator_user)
    object_endpoints = [
        e for e in endpoints(setup) if "/api/quotes/" in e[1] or "/api/stances/" in e[1] or "/api/mentions/" in e[1]
    ]
    assert len(object_endpoints) == 6
    for method, url, data in object_endpoints:
        response = call(client, method, url, data)
        assert response.status_code == 403, (method, url)
        assert "own annotations" in response.json()["errors"]["__all__"][0]
    theirs = Quote.objects.get(pk=setup["theirs"].pk)
    assert theirs.kind == "direct" and theirs.version == 1
    assert EntityMention.objects.get().label == "PERSON"
    assert Stance.objects.get().label == "favor"


def test_annotator_cannot_change_accepted_annotations(client_for, setup, annotator_user, editor_user):
    mine = services.quote_accept(
        quote=services.quote_submit(quote=setup["mine"], actor=annotator_user), reviewer=editor_user
    )
    mention = factories.make_mention(
        article=setup["article"], annotator_user=annotator_user, text="Civic League", label="ORG"
    )
    services.entity_mention_review(mention=mention, reviewer=editor_user, accept=True)
    client = client_for(annotator_user)
    for method, url, data in [
        ("PATCH", reverse("annotations:api_quote", args=[mine.pk]), {"kind": "mixed", "version": mine.version}),
        ("DELETE", reverse("annotations:api_quote", args=[mine.pk]), None),
        ("POST", reverse("annotations:api_quote_stance", args=[mine.pk]), {"target_name": "x", "label": "favor"}),
        ("PATCH", reverse("annotations:api_mention", args=[mention.pk]), {"label": "GPE"}),
        ("DELETE", reverse("annotations:api_mention", args=[mention.pk]), None),
    ]:
        response = call(client, method, url, data)
        assert response.status_code == 403, (method, url)
        assert "accepted" in response.json()["errors"]["__all__"][0]
    assert Quote.objects.get(pk=mine.pk).kind == "direct"
    assert EntityMention.objects.get(pk=mention.pk).label == "ORG"


def test_editor_may_annotate_and_change(client_for, setup, editor_user):
    client = client_for(editor_user)
    response = call(
        client, "PATCH", reverse("annotations:api_quote", args=[setup["theirs"].pk]), {"kind": "indirect", "version": 1}
    )
    assert response.status_code == 200
    assert Quote.objects.get(pk=setup["theirs"].pk).kind == "indirect"
    for url in (reverse("annotations:index"), reverse("annotations:article_annotate", args=[setup["article"].pk])):
        assert client.get(url).status_code == 200


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


def test_create_quote_with_new_speaker_and_stances(client_for, article, annotator_user):
    client = client_for(annotator_user)
    body = article.body
    payload = {
        "kind": "direct",
        "spans": [list(factories.find_span(body, "We will act,"))],
        "span_texts": ["We will act,"],
        "cue": list(factories.find_span(body, "said")),
        "cue_text": "said",
        "speaker_mention": list(factories.find_span(body, "Jane Doe")),
        "new_speaker": {"name": "Jane Doe", "kind": "person", "description": "mayor"},
        "tags": ["a", "b"],
        "stances": [{"target_name": "The plan", "label": "favor", "note": "clear"}],
    }
    response = call(client, "POST", reverse("annotations:api_quote_create", args=[article.pk]), payload)
    assert response.status_code == 201, response.content
    quote = Quote.objects.get()
    assert quote.speaker.name == "Jane Doe" and quote.speaker.description == "mayor"
    assert quote.cue_text == "said" and quote.speaker_mention_text == "Jane Doe"
    assert Stance.objects.get().target.name == "The plan"
    data = response.json()["quote"]
    assert data["spans"] == payload["spans"] and data["tags"] == ["a", "b"] and data["editable"] is True


@pytest.mark.parametrize(
    "payload, field, fragment",
    [
        ({"kind": "direct", "spans": [[0, 3]], "span_texts": ["XYZ"]}, "spans", "does not match"),
        ({"kind": "direct", "spans": [[0, 10_000]]}, "__all__", "past the end"),
        ({"kind": "direct", "spans": "nope"}, "spans", "Select the words"),
        ({"kind": "loud", "spans": [[0, 3]]}, "kind", "valid choice"),
        ({"kind": "direct", "spans": [[0, 3]], "new_speaker": {"name": ""}}, "new_speaker", "required"),
        ({"kind": "direct", "spans": [[0, 3]], "stances": [{"label": "favor"}]}, "stances", "Stance 1"),
    ],
)
def test_quote_create_errors_change_nothing(client_for, article, annotator_user, payload, field, fragment):
    client = client_for(annotator_user)
    response = call(client, "POST", reverse("annotations:api_quote_create", args=[article.pk]), payload)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert fragment in " ".join(errors[field]), errors
    assert Quote.objects.count() == 0 and Speaker.objects.count() == 0


def test_failed_stance_rolls_back_new_speaker(client_for, article, annotator_user):
    client = client_for(annotator_user)
    span = factories.find_span(article.body, "We will act,")
    payload = {
        "kind": "direct",
        "spans": [list(span)],
        "new_speaker": {"name": "Jane Doe"},
        "stances": [{"target_name": "x" * 300, "label": "favor"}],
    }
    response = call(client, "POST", reverse("annotations:api_quote_create", args=[article.pk]), payload)
    assert response.status_code == 400
    assert Quote.objects.count() == 0 and Speaker.objects.count() == 0


def test_crossing_selection_gets_a_clear_message(client_for, article, annotator_user):
    factories.make_quote(article=article, annotator_user=annotator_user)  # "We will act,"
    client = client_for(annotator_user)
    start = article.body.index("act,")
    end = article.body.index("Jane") + len("Jane")
    response = call(
        client,
        "POST",
        reverse("annotations:api_mention_create", args=[article.pk]),
        {"start": start, "end": end, "label": "MISC"},
    )
    assert response.status_code == 400
    assert "crosses the quote" in response.json()["errors"]["__all__"][0]
    # Nested is fine: an entity inside the quote.
    inside = factories.find_span(article.body, "We")
    response = call(
        client,
        "POST",
        reverse("annotations:api_mention_create", args=[article.pk]),
        {"start": inside[0], "end": inside[1], "label": "MISC", "text": "We"},
    )
    assert response.status_code == 201
    response = call(
        client,
        "POST",
        reverse("annotations:api_mention_create", args=[article.pk]),
        {"start": inside[0], "end": inside[1], "label": "MISC"},
    )
    assert response.status_code == 400 and "already tagged" in response.json()["errors"]["__all__"][0]


def test_version_conflict_is_409_with_current_state(client_for, setup, annotator_user):
    client = client_for(annotator_user)
    url = reverse("annotations:api_quote", args=[setup["mine"].pk])
    assert call(client, "PATCH", url, {"kind": "indirect", "version": 1}).status_code == 200
    response = call(client, "PATCH", url, {"kind": "mixed", "version": 1})
    assert response.status_code == 409
    data = response.json()
    assert data["current"]["kind"] == "indirect" and data["current"]["version"] == 2
    assert "version" in data["errors"]["__all__"][0]


def test_update_split_and_delete_own_quote(client_for, setup, annotator_user):
    client = client_for(annotator_user)
    body = setup["article"].body
    url = reverse("annotations:api_quote", args=[setup["mine"].pk])
    spans = [list(factories.find_span(body, "We will act,")), list(factories.find_span(body, "The plan is ready."))]
    response = call(client, "PATCH", url, {"spans": spans, "version": 1, "tags": ["x"]})
    assert response.status_code == 200, response.content
    quote = Quote.objects.get(pk=setup["mine"].pk)
    assert quote.text == "We will act, … The plan is ready." and [t.name for t in quote.tags.all()] == ["x"]
    assert call(client, "DELETE", url).status_code == 200
    assert not Quote.objects.filter(pk=setup["mine"].pk).exists()


def test_submit_turns_my_drafts_submitted(client_for, setup, annotator_user):
    factories.make_mention(article=setup["article"], annotator_user=annotator_user, text="Civic League", label="ORG")
    client = client_for(annotator_user)
    response = call(client, "POST", reverse("annotations:api_submit", args=[setup["article"].pk]), {})
    assert response.status_code == 200 and response.json()["submitted"] == 1
    assert Quote.objects.get(pk=setup["mine"].pk).status == Status.SUBMITTED
    assert Quote.objects.get(pk=setup["theirs"].pk).status == Status.DRAFT
    assert EntityMention.objects.get(annotator=annotator_user).status == Status.SUBMITTED


def test_speaker_search_by_alias_and_create(client_for, annotator_user):
    from corpus.services import speaker_create

    speaker_create(name="Donald Trump", aliases=["Mr. Trump"])
    client = client_for(annotator_user)
    results = client.get(reverse("annotations:api_speakers") + "?q=mr trump").json()["results"]
    assert [r["name"] for r in results] == ["Donald Trump"] and results[0]["matched_alias"] == "Mr. Trump"
    response = call(client, "POST", reverse("annotations:api_speakers"), {"name": "Mr. Trump"})
    assert response.status_code == 400  # the alias is taken
    response = call(client, "POST", reverse("annotations:api_targets"), {"name": ""})
    assert response.status_code == 400 and "name" in response.json()["errors"]


def test_writes_need_csrf(article, annotator_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(annotator_user)
    span = factories.find_span(article.body, "Officials")
    response = call(
        client,
        "POST",
        reverse("annotations:api_mention_create", args=[article.pk]),
        {"start": span[0], "end": span[1], "label": "NORP"},
    )
    assert response.status_code == 403
    assert EntityMention.objects.count() == 0


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
    # session, user, groups, article, article tags, quotes, quote tags, stances (with targets), mentions
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["state"]["quotes"]) + len(response.context["state"]["mentions"]) == size
    with django_assert_num_queries(8):
        client.get(reverse("annotations:api_state", args=[article.pk]))


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

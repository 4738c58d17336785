"""/api/v1/suggestions/…: the suggestions panel's calls (list, run the rules, accept, reject) and a
model's own push, through suggestions.services with the pages' roles (annotators and editors)."""

import pytest
from django.test import Client

from annotations.models import Quote
from corpus import services as corpus_services
from corpus.models import Speaker
from suggestions.models import Suggestion
from suggestions.services import suggest_for_article
from tests.api.conftest import API, assert_problem
from tests.factories import ArticleFactory, SpeakerFactory, find_span
from tests.suggestions.factories import BODY, article_with_suggestions

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(client, annotator_user):
    client.force_login(annotator_user)
    return client


def _post(client, url, data=None):
    return client.post(API + url, data if data is not None else {}, content_type="application/json")


def _states():
    return sorted(Suggestion.objects.values_list("pk", "status", "rule"))


def test_list_is_the_panels_payload(ann):
    article, stored = article_with_suggestions()
    data = ann.get(API + f"suggestions/articles/{article.pk}").json()
    assert data["article"] == article.pk
    assert data["suggestions"][0] == {
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


def test_accept_makes_the_callers_own_quote(client, annotator_user, editor_user):
    article, stored = article_with_suggestions()
    client.force_login(annotator_user)
    data = _post(client, f"suggestions/{stored[0].pk}/accept").json()
    quote = Quote.objects.get(pk=data["quote_id"])
    assert quote.annotator == annotator_user and quote.origin == "rule:direct"
    assert data == {
        "id": stored[0].pk,
        "status": "accepted",
        "quote_id": quote.pk,
        "counts": {"pending": 1, "accepted": 1, "rejected": 0},
    }
    listed = client.get(API + f"suggestions/articles/{article.pk}").json()
    assert [s["id"] for s in listed["suggestions"]] == [stored[1].pk]
    assert listed["quotes"] == [{"id": quote.pk, "spans": [[33, 60]], "origin": "rule:direct"}]
    client.force_login(editor_user)  # an editor accepting gets their own quote too
    data = _post(client, f"suggestions/{stored[1].pk}/accept").json()
    assert Quote.objects.get(pk=data["quote_id"]).annotator == editor_user


def test_reject(ann):
    article, stored = article_with_suggestions()
    data = _post(ann, f"suggestions/{stored[1].pk}/reject").json()
    assert data["status"] == "rejected" and data["quote_id"] is None
    assert data["counts"] == {"pending": 1, "accepted": 0, "rejected": 1}
    assert Suggestion.objects.get(pk=stored[1].pk).status == "rejected"
    assert not Quote.objects.exists()


@pytest.mark.parametrize("second", ["accept", "reject"])
def test_deciding_twice_is_a_409_of_its_own_type(ann, second):
    article, stored = article_with_suggestions()
    _post(ann, f"suggestions/{stored[0].pk}/reject")
    body = assert_problem(_post(ann, f"suggestions/{stored[0].pk}/{second}"), 409)
    assert body["type"] == "/api/v1/problems/suggestion-conflict"
    assert "already rejected" in body["detail"] and body["current_status"] == "rejected"
    assert not Quote.objects.exists()


def test_a_suggestion_of_an_older_text_is_a_409(ann):
    article, stored = article_with_suggestions()
    corpus_services.article_update(article=article, body=BODY + " More.")
    body = assert_problem(_post(ann, f"suggestions/{stored[0].pk}/accept"), 409)
    assert "text changed" in body["detail"] and body["current_status"] == "pending"
    assert not Quote.objects.exists()


def test_a_body_is_not_read(ann):
    """Accept and reject take no body: junk in it changes nothing about the decision."""
    article, stored = article_with_suggestions()
    response = ann.post(API + f"suggestions/{stored[0].pk}/reject", "{nope", content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"


def test_run_the_rules_returns_the_fresh_list(ann):
    article = ArticleFactory(body="“We will act,” Jane Doe said.")
    data = _post(ann, f"suggestions/articles/{article.pk}/suggest").json()
    assert [s["spans"] for s in data["suggestions"]] == [[[1, 13]]]
    assert Suggestion.objects.filter(article=article, status="pending").count() == 1


def test_writes_need_the_csrf_header_with_the_session(annotator_user):
    article, stored = article_with_suggestions()
    client = Client(enforce_csrf_checks=True)
    client.force_login(annotator_user)
    assert_problem(client.get(API + f"suggestions/{stored[0].pk}/accept"), 405)
    body = assert_problem(client.post(API + f"suggestions/{stored[0].pk}/accept"), 403)
    assert "CSRF" in body["detail"]
    assert not Quote.objects.exists()


def test_unknown_ids_are_404(ann):
    assert_problem(ann.get(API + "suggestions/articles/999999"), 404)
    assert_problem(_post(ann, "suggestions/999999/accept"), 404)
    assert_problem(_post(ann, "suggestions/articles/999999/suggest"), 404)


@pytest.mark.parametrize("rows", [1, 20])
def test_list_runs_a_bounded_number_of_queries(rows, ann, django_assert_max_num_queries):
    body = " ".join(f"“Point number {i} stands,” Jane Doe said." for i in range(rows))
    article = ArticleFactory(body=body)
    assert len(suggest_for_article(article=article)) == rows
    with django_assert_max_num_queries(10):
        data = ann.get(API + f"suggestions/articles/{article.pk}").json()
    assert len(data["suggestions"]) == rows


# --- pushing a model's own suggestions ------------------------------------------------------------


def _push_body(article, **item):
    span = find_span(article.body, "We will rebuild the bridge,")
    suggestion = {"kind": "direct", "spans": [list(span)], "speaker": "Jane Doe", **item}
    return {"model": "my-crf", "suggestions": [suggestion]}


def test_push_stores_a_models_suggestions_beside_the_rules(ann, annotator_user):
    article, stored = article_with_suggestions()
    jane = SpeakerFactory(name="Jane Doe")
    data = _post(ann, f"suggestions/articles/{article.pk}", _push_body(article)).json()
    pushed = [s for s in data["suggestions"] if s["rule"] == "model:my-crf"]
    assert (
        len(pushed) == 1 and pushed[0]["speaker_id"] == jane.pk and pushed[0]["text"] == "We will rebuild the bridge,"
    )
    assert data["counts"]["pending"] == 3  # the rules' two stay
    # a second push replaces that model's pending suggestions only
    span = find_span(article.body, "The work would start in May")
    second = {"model": "my-crf", "suggestions": [{"kind": "indirect", "spans": [list(span)]}]}
    again = _post(ann, f"suggestions/articles/{article.pk}", second).json()
    assert sorted(s["rule"] for s in again["suggestions"]) == sorted([s.rule for s in stored] + ["model:my-crf"])
    assert list(Suggestion.objects.filter(rule="model:my-crf").values_list("spans", flat=True)) == [[list(span)]]
    # accepting one: the annotator's quote, with the model as its origin
    pushed_id = next(s["id"] for s in again["suggestions"] if s["rule"] == "model:my-crf")
    quote = Quote.objects.get(pk=_post(ann, f"suggestions/{pushed_id}/accept").json()["quote_id"])
    assert quote.origin == "rule:model:my-crf" and quote.annotator == annotator_user


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"spans": [[0, 10**6]]}, "suggestions.0"),
        ({"spans": [[20, 10]]}, "suggestions.0"),
        ({"spans": [[-1, 3]]}, "suggestions.0"),
        ({"kind": "shouted"}, "suggestions.0.kind"),
        ({"speaker_kind": "alien"}, "suggestions.0.speaker_kind"),
        ({"spans": []}, "suggestions.0.spans"),
        ({"spans": "0-10"}, "suggestions.0.spans"),
    ],
)
def test_push_refuses_bad_suggestions_and_stores_none(ann, item, field):
    article, stored = article_with_suggestions()
    before = _states()
    body = assert_problem(_post(ann, f"suggestions/articles/{article.pk}", _push_body(article, **item)), 422)
    assert any(key.startswith(field) for key in body["errors"]), body
    assert _states() == before


def test_push_refuses_a_span_with_its_quotation_marks(ann):
    article, stored = article_with_suggestions()
    start, end = find_span(article.body, "We will rebuild the bridge,")
    before = _states()
    body = assert_problem(
        _post(ann, f"suggestions/articles/{article.pk}", _push_body(article, spans=[[start - 1, end + 1]])), 422
    )
    assert "quotation marks" in body["detail"]
    assert _states() == before


@pytest.mark.parametrize("model", ["", "My Model", "x" * 45, "a/b", "-lead"])
def test_push_refuses_a_bad_model_name(ann, model):
    article, stored = article_with_suggestions()
    before = _states()
    body = _push_body(article)
    body["model"] = model
    problem = assert_problem(_post(ann, f"suggestions/articles/{article.pk}", body), 422)
    assert "model" in problem["errors"]
    assert _states() == before


@pytest.mark.parametrize(
    "raw",
    [
        b'{"model": "m", "suggestions": [{"kind": "direct", "spans": [[0, 3]], "speaker": "Ja\\u0000ne"}]}',
        b'{"model": "m", "suggestions": [{"kind": "direct", "spans": [[0, 3]], "speaker": "\\udc00"}]}',
        b'{"model": "m\\u0000", "suggestions": []}',
    ],
)
def test_push_refuses_nul_and_lone_surrogates(ann, raw):
    article, stored = article_with_suggestions()
    before = _states()
    response = ann.post(API + f"suggestions/articles/{article.pk}", raw, content_type="application/json")
    assert_problem(response, 400)
    assert _states() == before and not Speaker.objects.exists()


def test_push_refuses_an_oversized_body(ann, settings):
    settings.API_MAX_BODY_BYTES = 1000
    article, stored = article_with_suggestions()
    before = _states()
    body = _push_body(article, speaker="x" * 2000)
    assert_problem(_post(ann, f"suggestions/articles/{article.pk}", body), 413)
    assert _states() == before

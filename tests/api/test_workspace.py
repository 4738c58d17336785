"""The workspace's operations (/api/v1/workspace/...): the page's roles for every operation, the
workspace's payloads and shapes, problem-details errors, CSRF for the session. (They replaced the
JSON views of annotations.views; these are those views' tests, moved.)"""

import json

import pytest
from django.urls import reverse

from annotations import services
from annotations.models import EntityMention, Quote, Stance, Status
from corpus import services as services_corpus
from corpus.models import Speaker, SpeakerAttribute
from tests import factories
from tests.api.conftest import assert_problem
from tests.corpus.test_wikidata import fake  # noqa: F401  (fixture: the local fake Wikidata)

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
        ("GET", reverse("api-v1:workspace_state", args=[a]), None),
        ("POST", reverse("api-v1:workspace_quote_create", args=[a]), {"kind": "direct", "spans": [list(span)]}),
        (
            "POST",
            reverse("api-v1:workspace_mention_create", args=[a]),
            {"start": span[0], "end": span[1], "label": "NORP"},
        ),
        ("POST", reverse("api-v1:workspace_submit", args=[a]), {}),
        ("PATCH", reverse("api-v1:workspace_quote", args=[q]), {"kind": "indirect"}),
        ("DELETE", reverse("api-v1:workspace_quote", args=[q]), None),
        ("POST", reverse("api-v1:workspace_stance_set", args=[q]), {"target": s["target"].pk, "label": "against"}),
        ("DELETE", reverse("api-v1:workspace_stance_delete", args=[st]), None),
        ("PATCH", reverse("api-v1:workspace_mention_update", args=[m]), {"label": "ORG"}),
        ("DELETE", reverse("api-v1:workspace_mention_update", args=[m]), None),
        ("GET", reverse("api-v1:workspace_speaker_search") + "?q=jane", None),
        ("POST", reverse("api-v1:workspace_speaker_search"), {"name": "New Person"}),
        ("GET", reverse("api-v1:workspace_target_search") + "?q=plan", None),
        ("POST", reverse("api-v1:workspace_target_search"), {"name": "A new target"}),
    ]


def test_anonymous_gets_401_everywhere(client, setup):
    for method, url, data in endpoints(setup):
        assert_problem(call(client, method, url, data), 401)
    assert Quote.objects.count() == 2 and EntityMention.objects.count() == 1


def test_researcher_cannot_annotate_anywhere(client_for, setup, researcher_user):
    client = client_for(researcher_user)
    for method, url, data in endpoints(setup):
        assert call(client, method, url, data).status_code == 403, (method, url)
    assert Quote.objects.count() == 2 and EntityMention.objects.count() == 1 and Stance.objects.count() == 1
    assert not Speaker.objects.filter(name="New Person").exists()


def test_annotator_cannot_touch_another_annotators_work(client_for, setup, annotator_user):
    client = client_for(annotator_user)
    object_endpoints = [
        e
        for e in endpoints(setup)
        if "/workspace/quotes/" in e[1] or "/workspace/stances/" in e[1] or "/workspace/mentions/" in e[1]
    ]
    assert len(object_endpoints) == 6
    for method, url, data in object_endpoints:
        response = call(client, method, url, data)
        assert "own annotations" in assert_problem(response, 403)["detail"], (method, url)
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
        ("PATCH", reverse("api-v1:workspace_quote", args=[mine.pk]), {"kind": "mixed", "version": mine.version}),
        ("DELETE", reverse("api-v1:workspace_quote", args=[mine.pk]), None),
        ("POST", reverse("api-v1:workspace_stance_set", args=[mine.pk]), {"target_name": "x", "label": "favor"}),
        ("PATCH", reverse("api-v1:workspace_mention_update", args=[mention.pk]), {"label": "GPE"}),
        ("DELETE", reverse("api-v1:workspace_mention_update", args=[mention.pk]), None),
    ]:
        response = call(client, method, url, data)
        assert "accepted" in assert_problem(response, 403)["detail"], (method, url)
    assert Quote.objects.get(pk=mine.pk).kind == "direct"
    assert EntityMention.objects.get(pk=mention.pk).label == "ORG"


def test_editor_may_annotate_and_change(client_for, setup, editor_user):
    client = client_for(editor_user)
    response = call(
        client,
        "PATCH",
        reverse("api-v1:workspace_quote", args=[setup["theirs"].pk]),
        {"kind": "indirect", "version": 1},
    )
    assert response.status_code == 200
    assert Quote.objects.get(pk=setup["theirs"].pk).kind == "indirect"


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
    response = call(client, "POST", reverse("api-v1:workspace_quote_create", args=[article.pk]), payload)
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
        ({"kind": "direct", "spans": "nope"}, "spans", "valid list"),
        ({"kind": "loud", "spans": [[0, 3]]}, "kind", "valid choice"),
        ({"kind": "direct", "spans": [[0, 3]], "new_speaker": {"name": ""}}, "new_speaker", "required"),
        ({"kind": "direct", "spans": [[0, 3]], "stances": [{"label": "favor"}]}, "stances", "Stance 1"),
        (
            {
                "kind": "direct",
                "spans": [[0, 3]],
                "stances": [{"target_name": f"T{i}", "label": "favor"} for i in range(51)],
            },
            "stances",
            "At most 50 stances in one request (got 51)",
        ),
    ],
)
def test_quote_create_errors_change_nothing(client_for, article, annotator_user, payload, field, fragment):
    client = client_for(annotator_user)
    response = call(client, "POST", reverse("api-v1:workspace_quote_create", args=[article.pk]), payload)
    errors = assert_problem(response, 400 if field == "__all__" else 422)["errors"]
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
    response = call(client, "POST", reverse("api-v1:workspace_quote_create", args=[article.pk]), payload)
    assert "stances.0.target_name" in assert_problem(response, 422)["errors"]
    assert Quote.objects.count() == 0 and Speaker.objects.count() == 0


def test_crossing_selection_gets_a_clear_message(client_for, article, annotator_user):
    factories.make_quote(article=article, annotator_user=annotator_user)  # "We will act,"
    client = client_for(annotator_user)
    start = article.body.index("act,")
    end = article.body.index("Jane") + len("Jane")
    response = call(
        client,
        "POST",
        reverse("api-v1:workspace_mention_create", args=[article.pk]),
        {"start": start, "end": end, "label": "MISC"},
    )
    assert response.status_code == 400
    assert "crosses the quote" in response.json()["errors"]["__all__"][0]
    # Nested is fine: an entity inside the quote.
    inside = factories.find_span(article.body, "We")
    response = call(
        client,
        "POST",
        reverse("api-v1:workspace_mention_create", args=[article.pk]),
        {"start": inside[0], "end": inside[1], "label": "MISC", "text": "We"},
    )
    assert response.status_code == 201
    response = call(
        client,
        "POST",
        reverse("api-v1:workspace_mention_create", args=[article.pk]),
        {"start": inside[0], "end": inside[1], "label": "MISC"},
    )
    assert response.status_code == 400 and "already tagged" in response.json()["errors"]["__all__"][0]


def test_version_conflict_is_409_with_current_state(client_for, setup, annotator_user):
    client = client_for(annotator_user)
    url = reverse("api-v1:workspace_quote", args=[setup["mine"].pk])
    assert call(client, "PATCH", url, {"kind": "indirect", "version": 1}).status_code == 200
    response = call(client, "PATCH", url, {"kind": "mixed", "version": 1})
    data = assert_problem(response, 409)
    assert data["current"]["kind"] == "indirect" and data["current"]["version"] == 2
    assert data["current_version"] == 2 and "version" in data["detail"]
    assert Quote.objects.get(pk=setup["mine"].pk).kind == "indirect"


def test_update_split_and_delete_own_quote(client_for, setup, annotator_user):
    client = client_for(annotator_user)
    body = setup["article"].body
    url = reverse("api-v1:workspace_quote", args=[setup["mine"].pk])
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
    response = call(client, "POST", reverse("api-v1:workspace_submit", args=[setup["article"].pk]), {})
    assert response.status_code == 200 and response.json()["submitted"] == 1
    assert Quote.objects.get(pk=setup["mine"].pk).status == Status.SUBMITTED
    assert Quote.objects.get(pk=setup["theirs"].pk).status == Status.DRAFT
    assert EntityMention.objects.get(annotator=annotator_user).status == Status.SUBMITTED


def test_speaker_search_by_alias_and_create(client_for, annotator_user):
    from corpus.services import speaker_create

    speaker_create(name="Donald Trump", aliases=["Mr. Trump"])
    client = client_for(annotator_user)
    results = client.get(reverse("api-v1:workspace_speaker_search") + "?q=mr trump").json()["results"]
    assert [r["name"] for r in results] == ["Donald Trump"] and results[0]["matched_alias"] == "Mr. Trump"
    response = call(client, "POST", reverse("api-v1:workspace_speaker_search"), {"name": "Mr. Trump"})
    assert_problem(response, 422)  # the alias is taken
    assert Speaker.objects.count() == 1
    response = call(client, "POST", reverse("api-v1:workspace_target_search"), {"name": ""})
    assert "name" in assert_problem(response, 422)["errors"]
    response = call(client, "POST", reverse("api-v1:workspace_target_search"), {"name": "The plan"})
    assert response.status_code == 201 and response.json()["target"]["name"] == "The plan"


def test_writes_need_csrf(article, annotator_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(annotator_user)
    span = factories.find_span(article.body, "Officials")
    response = call(
        client,
        "POST",
        reverse("api-v1:workspace_mention_create", args=[article.pk]),
        {"start": span[0], "end": span[1], "label": "NORP"},
    )
    assert response.status_code == 403
    assert EntityMention.objects.count() == 0


# --- the new speaker's gender, role and Wikidata item ----------------------------------------------


def _quote_with_new_speaker(article, _no_mention=False, **new_speaker):
    """A quote of "Jane Doe" (her name taken as the speaker mention, unless ``_no_mention``)."""
    body = article.body
    payload = {
        "kind": "direct",
        "spans": [list(factories.find_span(body, "We will act,"))],
        "new_speaker": {"name": "Jane Doe", **new_speaker},
    }
    if not _no_mention:
        payload["speaker_mention"] = list(factories.find_span(body, "Jane Doe"))
        payload["speaker_mention_text"] = "Jane Doe"
    return payload


def test_described_in_the_article_stores_the_speaker_mention_as_evidence(client_for, article, annotator_user):
    payload = _quote_with_new_speaker(article, gender="woman", role="politician", described=True)
    response = call(
        client_for(annotator_user), "POST", reverse("api-v1:workspace_quote_create", args=[article.pk]), payload
    )
    assert response.status_code == 201, response.content
    speaker = Speaker.objects.get(name="Jane Doe")
    rows = {a.name: a for a in SpeakerAttribute.objects.filter(speaker=speaker)}
    assert sorted(rows) == ["gender", "role"]
    for row in rows.values():
        assert (row.source, row.article_id, row.evidence, row.set_by) == (
            "article",
            article.pk,
            "Jane Doe",
            annotator_user,
        )
        assert [row.span_start, row.span_end] == payload["speaker_mention"]
    assert (rows["gender"].value, rows["role"].value) == ("woman", "politician")


def test_an_annotators_own_judgment_is_refused_and_nothing_is_written(client_for, article, annotator_user):
    payload = _quote_with_new_speaker(article, gender="woman")
    response = call(
        client_for(annotator_user), "POST", reverse("api-v1:workspace_quote_create", args=[article.pk]), payload
    )
    errors = assert_problem(response, 422)["errors"]
    assert "tick “The article says so”" in " ".join(errors["new_speaker"]), errors
    assert (Quote.objects.count(), Speaker.objects.count(), SpeakerAttribute.objects.count()) == (0, 0, 0)


def test_an_editors_judgment_is_recorded_as_the_editors(client_for, article, editor_user):
    payload = _quote_with_new_speaker(article, kind="organization", role="advocacy", described=False)
    payload["new_speaker"]["name"] = "Civic League"
    response = call(
        client_for(editor_user), "POST", reverse("api-v1:workspace_quote_create", args=[article.pk]), payload
    )
    assert response.status_code == 201, response.content
    role = SpeakerAttribute.objects.get(speaker__name="Civic League")
    assert (role.name, role.value, role.source, role.set_by, role.article_id) == (
        "role",
        "advocacy",
        "editor",
        editor_user,
        None,
    )


@pytest.mark.parametrize(
    "new_speaker, fragment",
    [
        ({"gender": "female", "described": True}, "Speaker gender: Select a valid choice"),
        ({"gender": "not-applicable", "described": True}, "Speaker gender: Select a valid choice"),
        ({"role": "astronaut", "described": True}, "Speaker role: Select a valid choice"),
        ({"kind": "organization", "gender": "man", "described": True}, "does not apply to an organization"),
        ({"kind": "group", "gender": "woman", "described": True}, "does not apply to an organization or a group"),
        ({"gender": "woman", "described": True, "_no_mention": True}, "needs the words that say it"),
        ({"wikidata_qid": "Q0"}, "Speaker wikidata_qid: A Wikidata QID is the letter Q"),
    ],
)
def test_new_speaker_attributes_are_checked(client_for, article, annotator_user, new_speaker, fragment):
    payload = _quote_with_new_speaker(article, **new_speaker)
    response = call(
        client_for(annotator_user), "POST", reverse("api-v1:workspace_quote_create", args=[article.pk]), payload
    )
    errors = assert_problem(response, 422)["errors"]
    assert fragment in " ".join(errors["new_speaker"]), errors
    assert (Quote.objects.count(), Speaker.objects.count(), SpeakerAttribute.objects.count()) == (0, 0, 0)


def test_an_annotators_pick_is_a_proposal_and_a_taken_one_refused(client_for, article, annotator_user):
    url = reverse("api-v1:workspace_quote_create", args=[article.pk])
    client = client_for(annotator_user)
    response = call(client, "POST", url, _quote_with_new_speaker(article, wikidata_qid="Q9000001"))
    assert response.status_code == 201, response.content
    jane = Speaker.objects.get(name="Jane Doe")
    assert (jane.wikidata_qid, jane.wikidata_qid_proposed, jane.wikidata_proposed_by) == (
        "",
        "Q9000001",
        annotator_user,
    )
    assert jane.wikidata_proposed_at is not None
    assert SpeakerAttribute.objects.count() == 0  # the claims come when an editor confirms the proposal
    payload = _quote_with_new_speaker(article, wikidata_qid="Q9000001")
    payload["new_speaker"]["name"] = "Jane Doe (again)"
    payload["spans"] = [list(factories.find_span(article.body, "The plan is ready."))]
    errors = assert_problem(call(client, "POST", url, payload), 422)["errors"]
    assert "Another speaker has this Wikidata QID already, proposed and waiting for an editor: use “Jane Doe”" in (
        " ".join(errors["new_speaker"])
    ), errors
    assert Speaker.objects.count() == 1


def test_an_editors_pick_links_the_speaker(client_for, article, editor_user):
    url = reverse("api-v1:workspace_quote_create", args=[article.pk])
    response = call(client_for(editor_user), "POST", url, _quote_with_new_speaker(article, wikidata_qid="Q9000001"))
    assert response.status_code == 201, response.content
    jane = Speaker.objects.get(name="Jane Doe")
    assert (jane.wikidata_qid, jane.wikidata_qid_proposed, jane.wikidata_proposed_at) == ("Q9000001", "", None)


@pytest.mark.parametrize(
    "role, linked, proposed",
    [("annotator", "", "Q9000001"), ("editor", "Q9000001", "")],
)
def test_create_speaker_answers_the_link_and_the_proposal_apart(client_for, role, linked, proposed):
    user = factories.UserFactory(roles=[role])
    response = call(
        client_for(user),
        "POST",
        reverse("api-v1:workspace_speaker_create"),
        {"name": "Maria Scott", "wikidata_qid": "Q9000001"},
    )
    assert response.status_code == 201, response.content
    data = response.json()["speaker"]
    assert (data["wikidata_qid"], data["wikidata_qid_proposed"]) == (linked, proposed)
    speaker = Speaker.objects.get(pk=data["id"])
    assert (speaker.wikidata_qid, speaker.wikidata_qid_proposed) == (linked, proposed)


@pytest.mark.parametrize(
    "qid, status",
    [("X12", 422), ("Q0", 422), ("Q12a", 422), ("q12", 422), ("Q" + "1" * 30, 422), ("Q1\u0000", 400)],
)
def test_a_bad_pick_is_refused_and_nothing_is_written(client_for, annotator_user, qid, status):
    body = '{"name": "Maria Scott", "wikidata_qid": "' + qid + '"}'  # raw: the NUL escape reaches the parser
    response = client_for(annotator_user).post(
        reverse("api-v1:workspace_speaker_create"), data=body, content_type="application/json"
    )
    problem = assert_problem(response, status)
    if status == 422:
        assert "wikidata_qid" in problem["errors"], problem
    assert Speaker.objects.count() == 0


def test_wikidata_search_when_off_says_so(client_for, annotator_user, settings):
    settings.WIKIDATA_ENABLED = False
    response = client_for(annotator_user).get(reverse("api-v1:workspace_wikidata_search"), {"q": "Maria Scott"})
    assert response.status_code == 200
    data = response.json()
    assert data["available"] is False and data["results"] == [] and "turned off" in data["message"]


def test_wikidata_search_lists_items_and_the_speaker_already_linked(
    fake, client_for, annotator_user, django_assert_max_num_queries
):
    linked = factories.SpeakerFactory(name="Maria Scott", wikidata_qid="Q9000002")
    client = client_for(annotator_user)
    url = reverse("api-v1:workspace_wikidata_search")
    client.get(url, {"q": "nobody"})  # the session and the user's roles are read once
    with django_assert_max_num_queries(4):  # session, user, groups, the speakers linked to the items
        data = client.get(url, {"q": "Maria Scott"}).json()
    assert data["available"] is True and data["message"] == ""
    assert [(r["qid"], r["label"], r["description"]) for r in data["results"]] == [
        ("Q9000001", "Maria Scott", "fictional legislator used in tests"),
        ("Q9000002", "Maria Scott", "fictional painter"),
    ]
    assert data["results"][0]["speaker"] is None and data["results"][0]["proposed_for"] is None
    assert data["results"][1]["speaker"] == {
        "id": linked.pk,
        "name": "Maria Scott",
        "kind": "person",
        "description": "",
    }
    assert Speaker.objects.count() == 1 and not SpeakerAttribute.objects.exists()  # a search links nothing


def test_wikidata_search_offers_the_speaker_an_item_is_proposed_for(fake, client_for, annotator_user):
    proposed = services_corpus.speaker_create(name="Maria Scott", wikidata_pick="Q9000001", actor=annotator_user)
    data = client_for(annotator_user).get(reverse("api-v1:workspace_wikidata_search"), {"q": "Maria Scott"}).json()
    first = data["results"][0]
    assert first["qid"] == "Q9000001" and first["speaker"] is None
    assert first["proposed_for"] == {"id": proposed.pk, "name": "Maria Scott", "kind": "person", "description": ""}
    assert data["results"][1]["proposed_for"] is None


def test_wikidata_search_unreachable_tries_once_and_says_so(fake, client_for, annotator_user):
    fake.mode = "down"
    response = client_for(annotator_user).get(reverse("api-v1:workspace_wikidata_search"), {"q": "Maria Scott"})
    data = response.json()
    assert response.status_code == 200 and data["available"] is False and "could not be reached" in data["message"]
    assert len(fake.requests) == 1  # one attempt: a person is waiting (the editor's page retries)
    fake.mode, fake.requests = "slow", []  # slower than WIKIDATA_TIMEOUT
    data = client_for(annotator_user).get(reverse("api-v1:workspace_wikidata_search"), {"q": "Maria Scott"}).json()
    assert data["available"] is False and "TimeoutError" in data["message"]


def test_wikidata_search_needs_the_annotator_role(fake, client, researcher_user):
    url = reverse("api-v1:workspace_wikidata_search")
    assert_problem(client.get(url, {"q": "Maria Scott"}), 401)
    client.force_login(researcher_user)
    assert_problem(client.get(url, {"q": "Maria Scott"}), 403)
    assert fake.requests == []

"""The curated layer end to end: one curated quote per quote, the review loop, and agreement unchanged
by corrections. Everything here goes over HTTP where a user would."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from annotations import services as annotation_services
from annotations.models import Quote, QuoteEvent, Status
from corpus.models import Article
from review import selectors, services
from tests import factories

pytestmark = pytest.mark.django_db


def call(client, method, url, data=None):
    kwargs = {"content_type": "application/json"}
    if data is not None:
        kwargs["data"] = json.dumps(data)
    return getattr(client, method.lower())(url, **kwargs)


def _annotate_over_http(client, article, span, speaker):
    created = call(
        client,
        "POST",
        reverse("api-v1:workspace_quote_create", args=[article.pk]),
        {"kind": "direct", "spans": [list(span)], "speaker": speaker.pk},
    )
    assert created.status_code in (200, 201), created.content
    submitted = call(client, "POST", reverse("api-v1:workspace_submit", args=[article.pk]), {})
    assert submitted.status_code == 200, submitted.content


def _csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_three_annotators_one_quote_gives_one_curated_row_with_its_support(client_for, editor_user, researcher_user):
    article = factories.ArticleFactory()
    jane = factories.SpeakerFactory(name="Jane Doe")
    exact = factories.find_span(article.body, "We will act,")
    trimmed = (exact[0], exact[1] - 1)  # "We will act" without the comma
    users = [factories.annotator(username=name) for name in ("ann-a", "ann-b", "ann-c")]
    for user, span in zip(users, [exact, exact, trimmed]):
        _annotate_over_http(client_for(user), article, span, jane)

    editor = client_for(editor_user)
    queue = editor.get(reverse("review:index"))
    items = queue.context["items"]
    assert len(items) == 3 and {relation.state for _, _, relation in items} == {"new"}
    response = editor.post(
        reverse("review:bulk"),
        {
            "decision": "accept",
            "quote": [f"{q.pk}:{q.version}" for q, _, _ in items],
            "reason": "",
        },
    )
    assert response.status_code == 302

    (curated,) = Quote.objects.curated()
    assert (curated.support_count, curated.supported_by) == (3, "ann-a;ann-b;ann-c")
    assert set(Quote.objects.annotations().values_list("status", "curated")) == {(Status.ACCEPTED, curated.pk)}
    # The annotators' quotes stay as they made them, the trimmed one included.
    assert sorted(Quote.objects.annotations().values_list("span_offsets", flat=True)) == sorted(
        [f"{exact[0]}-{exact[1]}"] * 2 + [f"{trimmed[0]}-{trimmed[1]}"]
    )

    researcher = client_for(researcher_user)
    rows = _csv_rows(researcher.get(reverse("exports:quotes_csv")))
    assert len(rows) == 1
    assert (rows[0]["quote_text"], rows[0]["support"], rows[0]["annotators"]) == (
        "We will act,",
        "3",
        "ann-a;ann-b;ann-c",
    )
    overview = researcher.get(reverse("research:index"))
    assert overview.context["accepted_count"] == 1
    assert [(s.name, s.n) for s in overview.context["top_speakers"]] == [("Jane Doe", 1)]
    speaker_page = researcher.get(reverse("research:speaker", args=[jane.pk]))
    assert speaker_page.context["quote_count"] == 1
    assert speaker_page.content.decode().count("We will act,") == 1


def test_queue_says_agrees_differs_or_new(client_for, editor_user, annotator_user, other_annotator):
    article = factories.ArticleFactory()
    first = factories.make_quote(article=article, annotator_user=annotator_user, status="submitted")
    annotation_services.quote_accept(quote=first, reviewer=editor_user)
    same = factories.make_quote(article=article, annotator_user=other_annotator, status="submitted")
    other_kind = factories.make_quote(
        article=article, annotator_user=factories.annotator(), kind="indirect", status="submitted"
    )
    new = factories.make_quote(
        article=article, text="The plan is ready.", annotator_user=other_annotator, status="submitted"
    )
    response = client_for(editor_user).get(reverse("review:index"))
    relations = {q.pk: r for q, _, r in response.context["items"]}
    curated = Quote.objects.curated().get()
    assert relations[same.pk].state == "agrees" and relations[same.pk].curated == curated
    assert relations[other_kind.pk].state == "differs"
    assert [(d.field, d.mine, d.curated) for d in relations[other_kind.pk].differences] == [
        ("kind", "Indirect", "Direct")
    ]
    assert relations[new.pk].state == "new"
    html = response.content.decode()
    assert f'Agrees with <a href="{reverse("review:quote", args=[curated.pk])}">curated #{curated.pk}</a>' in html
    assert "Differs from" in html and "<del>Indirect</del>" in html


def test_accepting_twice_never_makes_a_second_copy(editor_user, annotator_user, other_annotator):
    article = factories.ArticleFactory()
    a = factories.make_quote(article=article, annotator_user=annotator_user, status="submitted")
    b = factories.make_quote(article=article, annotator_user=other_annotator, status="submitted")
    annotation_services.quote_accept(quote=a, reviewer=editor_user)
    annotation_services.quote_accept(quote=b, reviewer=editor_user)
    with pytest.raises(Exception, match="only submitted"):
        annotation_services.quote_accept(quote=b, reviewer=editor_user)
    assert Quote.objects.curated().count() == 1 and Quote.objects.curated().get().support_count == 2


def test_rejecting_an_accepted_quote_withdraws_its_support(editor_user, annotator_user, other_annotator):
    article = factories.ArticleFactory()
    a = factories.make_quote(article=article, annotator_user=annotator_user, status="submitted")
    b = factories.make_quote(article=article, annotator_user=other_annotator, status="submitted")
    annotation_services.quote_accept(quote=a, reviewer=editor_user)
    annotation_services.quote_accept(quote=b, reviewer=editor_user)
    annotation_services.quote_reject(quote=b, reviewer=editor_user, reason="Second thoughts")
    curated = Quote.objects.curated().get()
    assert (curated.support_count, curated.supported_by) == (1, annotator_user.username)
    assert Quote.objects.get(pk=b.pk).curated is None


def test_deleting_a_curated_quote_sends_its_supporters_back_and_keeps_the_history(
    client_for, editor_user, annotator_user
):
    quote = factories.make_quote(annotator_user=annotator_user, status="submitted")
    curated = annotation_services.quote_accept(quote=quote, reviewer=editor_user).curated
    annotation_services.quote_delete(quote=curated, actor=editor_user)
    quote.refresh_from_db()
    assert (quote.status, quote.curated) == (Status.SUBMITTED, None)
    events = QuoteEvent.objects.filter(quote_id=curated.pk).order_by("id")
    assert [e.action for e in events] == ["create", "delete"] and events.last().after is None
    page = client_for(editor_user).get(reverse("review:quote_history", args=[curated.pk]))
    assert page.status_code == 200 and "was deleted; its history is kept" in page.content.decode()


def test_a_rejected_quote_edited_goes_back_to_draft_and_can_be_resubmitted(client_for, editor_user, annotator_user):
    article = factories.ArticleFactory()
    quote = factories.make_quote(article=article, annotator_user=annotator_user, status="submitted")
    annotation_services.quote_reject(quote=quote, reviewer=editor_user, reason="Wrong span")
    mine = client_for(annotator_user)
    page = mine.get(reverse("review:mine")).content.decode()
    link = f"{reverse('annotations:article_annotate', args=[article.pk])}?quote={quote.pk}"
    assert link in page and "Wrong span" in page
    quote.refresh_from_db()
    response = call(
        mine,
        "PATCH",
        reverse("api-v1:workspace_quote", args=[quote.pk]),
        {"kind": "indirect", "version": quote.version},
    )
    assert response.status_code == 200, response.content
    quote.refresh_from_db()
    assert (quote.status, quote.kind) == (Status.DRAFT, "indirect")
    assert quote.events.order_by("-id").first().action == QuoteEvent.Action.REOPEN
    assert call(mine, "POST", reverse("api-v1:workspace_submit", args=[article.pk]), {}).status_code == 200
    queue = client_for(editor_user).get(reverse("review:index"))
    assert [q.pk for q, *_ in queue.context["items"]] == [quote.pk]


def test_mine_shows_what_the_editor_changed(client_for, editor_user, annotator_user):
    article = factories.ArticleFactory()
    quote = factories.make_quote(article=article, annotator_user=annotator_user, status="submitted")
    services.quote_correct_and_accept(quote=quote, reviewer=editor_user, expected_version=quote.version, kind="mixed")
    page = client_for(annotator_user).get(reverse("review:mine")).content.decode()
    assert (
        "The editor changed kind in the corpus" in page and "<del>Direct</del>" in page and "<ins>Mixed</ins>" in page
    )


def test_agreement_on_the_demo_data_is_the_same_after_an_editor_corrects_a_quote(db):
    call_command("load_seed", verbosity=0)
    call_command("demo_accounts", verbosity=0)
    call_command("demo_annotations", verbosity=0)
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.get(username="editor")
    article = Article.objects.get(slug="ice-signals-mass-immigration-arrests")
    before = selectors.agreement_figures([article.pk])
    quote = Quote.objects.annotations().filter(article=article, status=Status.SUBMITTED).order_by("pk").first()
    spans = [(s.start, s.end) for s in quote.spans.all()]
    spans[0] = (spans[0][0], spans[0][1] - 1)  # trim the last character, as a correction would
    new_kind = "mixed" if quote.kind != "mixed" else "direct"
    services.quote_correct_and_accept(
        quote=quote, reviewer=editor, expected_version=quote.version, spans=spans, kind=new_kind, speaker=None
    )
    after = selectors.agreement_figures([article.pk])
    assert after.by_article[article.pk] == before.by_article[article.pk]
    assert after.corpus == before.corpus
    quote.refresh_from_db()
    assert quote.curated.kind == new_kind and quote.kind != new_kind and quote.curated.speaker is None


def test_accept_costs_a_bounded_number_of_queries(django_assert_max_num_queries, editor_user, annotator_user):
    article = factories.ArticleFactory()
    for text in ("We will act,", "The plan is ready."):
        annotation_services.quote_accept(
            quote=factories.make_quote(
                article=article, text=text, annotator_user=factories.annotator(), status="submitted"
            ),
            reviewer=editor_user,
        )
    quote = factories.make_quote(article=article, annotator_user=annotator_user, status="submitted")
    with django_assert_max_num_queries(30):
        annotation_services.quote_accept(quote=quote, reviewer=editor_user)

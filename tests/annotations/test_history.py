"""Every path that changes a quote, a mention or a stance writes exactly one event per changed row, with
a real before/after difference: services, admin forms, inlines, actions, review, merge and import."""

import pytest
from django.urls import reverse

from annotations import services
from annotations.models import EntityMention, MentionEvent, Quote, QuoteEvent, Stance
from corpus.services import speaker_create
from ingest import archives as ingest_archives
from ingest import selectors as ingest_selectors
from ingest import services as ingest_services
from review import services as review_services
from tests import factories

pytestmark = pytest.mark.django_db

VOLATILE = {"updated"}


def _state() -> dict:
    """Every quote and mention as plain values; a quote's state includes its stances and tags."""
    stances: dict = {}
    for row in Stance.objects.order_by("pk").values("quote_id", "target_id", "label", "annotator_id", "note"):
        stances.setdefault(row["quote_id"], []).append(tuple(sorted(row.items())))
    state = {}
    for quote in Quote.objects.prefetch_related("tags").order_by("pk"):
        values = {k: v for k, v in vars(quote).items() if not k.startswith("_") and k not in VOLATILE}
        state[("quote", quote.pk)] = (
            tuple(sorted(values.items())),
            tuple(stances.get(quote.pk, [])),
            tuple(sorted(quote.tags.names())),
        )
    for row in EntityMention.objects.order_by("pk").values():
        state[("mention", row["id"])] = tuple(sorted((k, v) for k, v in row.items() if k not in VOLATILE))
    return state


def _events() -> dict:
    counts: dict = {}
    for quote_id in QuoteEvent.objects.values_list("quote_id", flat=True):
        counts[("quote", quote_id)] = counts.get(("quote", quote_id), 0) + 1
    for mention_id in MentionEvent.objects.values_list("mention_id", flat=True):
        counts[("mention", mention_id)] = counts.get(("mention", mention_id), 0) + 1
    return counts


def _last_event(key):
    kind, pk = key
    model, field = (QuoteEvent, "quote_id") if kind == "quote" else (MentionEvent, "mention_id")
    return model.objects.filter(**{field: pk}).order_by("-id").first()


def assert_one_event_per_change(action, *args, **kwargs):
    state, events = _state(), _events()
    result = action(*args, **kwargs)
    new_state, new_events = _state(), _events()
    changed = {k for k in set(state) | set(new_state) if state.get(k) != new_state.get(k)}
    assert changed, f"{action} changed nothing"
    for key in set(events) | set(new_events):
        expected = 1 if key in changed else 0
        assert new_events.get(key, 0) - events.get(key, 0) == expected, (action, key)
    for key in changed:
        event = _last_event(key)
        assert event.before != event.after, (action, key)
        if event.before is not None and event.after is not None:
            assert event.changed_fields(), (action, key)
    return result


@pytest.fixture
def world(article, annotator_user, other_annotator, editor_user):
    quote = factories.make_quote(article=article, annotator_user=annotator_user)
    target = factories.StanceTargetFactory(name="The plan")
    return {"article": article, "quote": quote, "target": target}


def test_services(world, annotator_user, editor_user):
    article, quote, target = world["article"], world["quote"], world["target"]
    other = assert_one_event_per_change(
        services.quote_create,
        article=article,
        spans=[factories.find_span(article.body, "The plan is ready.")],
        annotator=annotator_user,
    )
    assert_one_event_per_change(services.quote_update, quote=quote, actor=annotator_user, kind="mixed", tags=["t"])
    stance = assert_one_event_per_change(
        services.stance_set, quote=quote, target=target, label="favor", annotator=annotator_user
    )
    assert_one_event_per_change(
        services.stance_set, quote=quote, target=target, label="against", annotator=annotator_user
    )
    assert_one_event_per_change(services.stance_delete, stance=Stance.objects.get(pk=stance.pk), actor=annotator_user)
    mention = assert_one_event_per_change(factories.make_mention, article=article, annotator_user=annotator_user)
    assert_one_event_per_change(services.entity_mention_update, mention=mention, actor=annotator_user, label="ORG")
    assert_one_event_per_change(services.annotations_submit, article=article, annotator=annotator_user)
    assert_one_event_per_change(services.quote_accept, quote=quote, reviewer=editor_user)
    assert_one_event_per_change(services.entity_mention_review, mention=mention, reviewer=editor_user, accept=True)
    assert_one_event_per_change(
        services.quote_reject, quote=Quote.objects.get(pk=other.pk), reviewer=editor_user, reason="No"
    )
    assert_one_event_per_change(services.quote_delete, quote=Quote.objects.get(pk=other.pk), actor=annotator_user)
    assert_one_event_per_change(services.entity_mention_delete, mention=mention, actor=editor_user)


def test_review_correct_and_adjudicate(world, annotator_user, other_annotator, editor_user):
    article, quote, target = world["article"], world["quote"], world["target"]
    services.quote_submit(quote=quote, actor=annotator_user)
    quote.refresh_from_db()
    # Correcting is two changes of the curated quote (content, stance): check each step on its own.
    curated = assert_one_event_per_change(services.quote_accept, quote=quote, reviewer=editor_user).curated
    assert_one_event_per_change(
        review_services.quote_correct_and_accept,
        quote=curated,
        reviewer=editor_user,
        expected_version=curated.version,
        kind="indirect",
    )
    assert_one_event_per_change(
        review_services.curated_stances_set, quote=curated, editor=editor_user, stances={target: "neutral"}
    )
    theirs = factories.make_quote(article=article, annotator_user=other_annotator, status="submitted")
    assert_one_event_per_change(
        review_services.bulk_review, quote_ids=[theirs.pk], reviewer=editor_user, decision="accept"
    )


def test_speaker_merge(world, annotator_user, editor_user):
    source, target = speaker_create(name="Jane Roe"), speaker_create(name="Jane M. Roe")
    services.quote_update(quote=world["quote"], actor=annotator_user, speaker=source)
    factories.make_mention(article=world["article"], annotator_user=annotator_user, speaker=source)
    assert_one_event_per_change(review_services.speaker_merge, source=source, target=target, actor=editor_user)


def test_import(world, annotator_user, other_annotator, editor_user):
    from annotations.filters import QuoteFilter

    documents = ingest_selectors.brat_documents(
        QuoteFilter({"status": "all"}, layer="annotation"), article=world["article"]
    )
    data = ingest_archives.brat_zip(documents)
    Article = type(world["article"])
    Quote.objects.all().delete()
    EntityMention.objects.all().delete()
    Article.objects.all().delete()
    assert_one_event_per_change(ingest_services.import_submission, files=[("a.zip", data)], annotator=other_annotator)


def _admin_post_data(response) -> dict:
    """The change form's current values, as a browser would post them back unchanged."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if isinstance(value, (list, tuple)):
                value = bound.field.widget.format_value(value) if "tag" in bound.name else list(value)
            data[bound.html_name] = "" if value is None else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return {k: v for k, v in data.items() if v is not False}


def test_admin_form_inline_action_and_delete(client_for, admin_user, world, annotator_user, editor_user):
    quote, article = world["quote"], world["article"]
    client = client_for(admin_user)
    services.stance_set(quote=quote, target=world["target"], label="favor", annotator=annotator_user)

    def post_quote_form():
        url = reverse("admin:annotations_quote_change", args=[quote.pk])
        data = _admin_post_data(client.get(url))
        data["kind"] = "indirect"
        data["stances-0-label"] = "against"
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    assert_one_event_per_change(post_quote_form)
    quote.refresh_from_db()
    assert quote.kind == "indirect" and quote.stances.get().label == "against"

    def post_article_inline():
        url = reverse("admin:corpus_article_change", args=[article.pk])
        data = _admin_post_data(client.get(url))
        prefix = next(k for k in data if k.endswith("-0-kind"))
        data[prefix] = "mixed"
        data["body"] = article.body.replace("\n", "\r\n")  # as a browser sends a textarea
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    assert_one_event_per_change(post_article_inline)
    quote.refresh_from_db()
    assert quote.kind == "mixed" and quote.version == 3  # one version per admin save

    services.quote_submit(quote=quote, actor=annotator_user)
    assert_one_event_per_change(
        client.post,
        reverse("admin:annotations_quote_changelist"),
        {"action": "accept_quotes", "_selected_action": [quote.pk]},
    )
    curated = Quote.objects.curated().get()
    assert_one_event_per_change(
        client.post, reverse("admin:annotations_quote_delete", args=[curated.pk]), {"post": "yes"}
    )
    assert not Quote.objects.curated().exists() and QuoteEvent.objects.filter(quote_id=curated.pk).exists()


def test_admin_saves_an_annotated_article_and_explains_the_body_lock(client_for, admin_user, world):
    article = world["article"]
    client = client_for(admin_user)
    url = reverse("admin:corpus_article_change", args=[article.pk])
    data = _admin_post_data(client.get(url))
    data["body"] = article.body.replace("\n", "\r\n")
    data["title"] = "A new headline"
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.title == "A new headline" and "\r" not in article.body
    data["body"] = article.body + " More."
    response = client.post(url, data)
    assert response.status_code == 200 and "cannot be changed" in response.content.decode()
    article.refresh_from_db()
    assert not article.body.endswith("More.")

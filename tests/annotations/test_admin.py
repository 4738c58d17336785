"""Every admin change list and change form renders, with content, in a bounded number of queries."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from annotations import services
from annotations.models import EntityMention, Quote, QuoteEvent, Stance, StanceTarget, Status
from corpus.models import Article, Speaker, SpeakerAlias
from corpus.services import speaker_alias_add
from tests.factories import ArticleFactory, SpeakerFactory, StanceTargetFactory, find_span, make_mention

pytestmark = pytest.mark.django_db

MODELS = [Article, Speaker, SpeakerAlias, EntityMention, Quote, StanceTarget, Stance, QuoteEvent]


@pytest.fixture
def seeded(db):
    call_command("load_seed", verbosity=0)
    return Article.objects.get(slug="ice-signals-mass-immigration-arrests")


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def add_rows(count: int, annotator, first: int = 0):
    """``count`` more articles, each with a quote, a stance, a mention, a speaker with an alias."""
    target = StanceTargetFactory(name="Bulk target")
    for i in range(first, first + count):
        article = ArticleFactory(tags=["bulk", f"t{i}"])
        speaker = SpeakerFactory(name=f"Bulk speaker {i}")
        speaker_alias_add(speaker=speaker, alias=f"Alias {i}")
        quote = services.quote_create(
            article=article,
            spans=[find_span(article.body, "We will act,")],
            annotator=annotator,
            speaker=speaker,
            tags=["bulk"],
        )
        services.stance_set(quote=quote, target=target, label="favor", annotator=annotator)
        make_mention(article=article, annotator_user=annotator, speaker=speaker)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_renders_rows_with_bounded_queries(
    client_for, admin_user, annotator_user, seeded, model, django_assert_max_num_queries
):
    client = client_for(admin_user)
    url = admin_url(model, "changelist")
    add_rows(3, annotator_user)
    with django_assert_max_num_queries(20) as few:
        response = client.get(url)
    assert response.status_code == 200
    add_rows(40, annotator_user, first=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    obj = response.context["cl"].result_list[0]  # a row of the page shown
    html = response.content.decode()
    assert model._meta.verbose_name_plural.lower() in html.lower()
    assert f"/{obj.pk}/change/" in html


def test_article_change_form_shows_quotes_and_mentions_inline(client_for, admin_user, seeded):
    html = client_for(admin_user).get(admin_url(Article, "change", seeded.pk)).content.decode()
    assert "WASHINGTON — Immigration and Customs Enforcement" in html
    assert "They know. They know," in html  # quote inline
    assert "Mark Morgan" in html  # mention inline
    assert "immigration" in html  # tags


def test_quote_change_form_shows_the_quote_in_its_sentence(client_for, admin_user, seeded):
    quote = Quote.objects.curated().get(text__startswith="such an operation")
    html = client_for(admin_user).get(admin_url(Quote, "change", quote.pk)).content.decode()
    assert "had warned that <mark>such an operation would generate public outrage</mark>." in html
    assert "Ronald D. Vitiello" in html and "Planned ICE raids on migrant families" in html


def test_speaker_change_form_lists_aliases_inline(client_for, admin_user, seeded):
    trump = Speaker.objects.get(name="Donald Trump")
    html = client_for(admin_user).get(admin_url(Speaker, "change", trump.pk)).content.decode()
    assert "Mr. Trump" in html and "President Trump" in html and "Q22686" in html


@pytest.mark.parametrize(
    "model", [Speaker, SpeakerAlias, EntityMention, StanceTarget, Stance, QuoteEvent], ids=lambda m: m.__name__
)
def test_other_change_forms_render(client_for, admin_user, seeded, model):
    obj = model.objects.order_by("pk").first()
    response = client_for(admin_user).get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert str(obj)[:20].replace("“", "").strip()[:10] in response.content.decode().replace("&quot;", '"')


def test_speaker_autocomplete_finds_by_alias(client_for, admin_user, seeded):
    url = reverse("admin:autocomplete") + "?app_label=annotations&model_name=quote&field_name=speaker&term=Vitiello"
    data = client_for(admin_user).get(url).json()
    assert [r["text"] for r in data["results"]] == ["Ronald D. Vitiello"]


def test_admin_refuses_body_edit_of_annotated_article(client_for, admin_user, seeded):
    url = admin_url(Article, "change", seeded.pk)
    client = client_for(admin_user)
    form = {
        "title": seeded.title,
        "slug": seeded.slug,
        "outlet": seeded.outlet,
        "dateline": seeded.dateline,
        "published": "2019-06-18",
        "language": "en",
        "tags": "seed",
        "body": seeded.body + " Edited.",
        "quotes-TOTAL_FORMS": 0,
        "quotes-INITIAL_FORMS": 0,
        "entity_mentions-TOTAL_FORMS": 0,
        "entity_mentions-INITIAL_FORMS": 0,
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "cannot be changed" in response.content.decode()
    seeded.refresh_from_db()
    assert not seeded.body.endswith("Edited.")


def test_accept_and_reject_actions(client_for, admin_user, annotator_user, article):
    quote = services.quote_create(
        article=article,
        spans=[find_span(article.body, "We will act,")],
        annotator=annotator_user,
        status=Status.SUBMITTED,
    )
    client = client_for(admin_user)
    url = admin_url(Quote, "changelist")
    client.post(url, {"action": "accept_quotes", "_selected_action": [quote.pk]})
    quote.refresh_from_db()
    assert quote.status == Status.ACCEPTED and quote.reviewed_by == admin_user
    response = client.post(url, {"action": "accept_quotes", "_selected_action": [quote.pk]}, follow=True)
    assert "Left as it is: #" in response.content.decode() and "is accepted" in response.content.decode()
    client.post(url, {"action": "reject_quotes", "_selected_action": [quote.pk]})
    quote.refresh_from_db()
    assert quote.status == Status.REJECTED and quote.review_note
    assert list(quote.events.values_list("action", flat=True)) == ["create", "accept", "reject"]


def test_admin_quote_edit_is_versioned_and_audited(client_for, admin_user, annotator_user, article):
    quote = services.quote_create(
        article=article, spans=[find_span(article.body, "We will act,")], annotator=annotator_user
    )
    client = client_for(admin_user)
    page = client.get(admin_url(Quote, "change", quote.pk))
    assert page.status_code == 200
    form = {
        "article": article.pk,
        "kind": "indirect",
        "speaker": "",
        "tags": "x",
        "origin": "human",
        "annotator": annotator_user.pk,
        "status": "draft",
        "reviewed_by": "",
        "reviewed_at_0": "",
        "reviewed_at_1": "",
        "review_note": "",
        "spans-TOTAL_FORMS": 1,
        "spans-INITIAL_FORMS": 1,
        "spans-0-id": quote.spans.get().pk,
        "spans-0-quote": quote.pk,
        "stances-TOTAL_FORMS": 0,
        "stances-INITIAL_FORMS": 0,
        "events-TOTAL_FORMS": 1,
        "events-INITIAL_FORMS": 1,
        "events-0-id": quote.events.get().pk,
        "events-0-quote": quote.pk,
    }
    response = client.post(admin_url(Quote, "change", quote.pk), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    quote.refresh_from_db()
    assert quote.kind == "indirect" and quote.version == 2
    event = quote.events.latest("id")
    assert event.before["kind"] == "direct" and event.after["kind"] == "indirect"


def test_split_quote_marks_each_span_but_not_the_attribution(client_for, admin_user, seeded):
    quote = Quote.objects.curated().get(text__startswith="They know. They know,")
    html = client_for(admin_user).get(admin_url(Quote, "change", quote.pk)).content.decode()
    assert "“<mark>They know. They know,</mark>” Mr. Trump said as he left for Florida. “<mark>They’re going" in html


def test_sentence_context_escapes_html_in_article_text(client_for, admin_user, annotator_user):
    article = ArticleFactory(body="<script>alert(1)</script> Officials said “<b>bold</b> words” today.")
    quote = services.quote_create(
        article=article, spans=[find_span(article.body, "<b>bold</b> words")], annotator=annotator_user
    )
    html = client_for(admin_user).get(admin_url(Quote, "change", quote.pk)).content.decode()
    assert "<mark>&lt;b&gt;bold&lt;/b&gt; words</mark>" in html
    assert "<script>alert(1)</script>" not in html

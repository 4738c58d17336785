"""Quote lists: the curated layer by default, ``layer=mine``, QuoteFilter's filters, bounded pages."""

import pytest
from taggit.models import Tag

from annotations import services as annotation_services
from annotations.models import Layer, Quote
from tests import factories
from tests.api.conftest import API, curated_quote

pytestmark = pytest.mark.django_db


def _curated_rows(n, *, editor, annotator_user, outlet="The Daily Test"):
    target = factories.StanceTargetFactory(name="The plan")
    quotes = []
    for i in range(n):
        article = factories.ArticleFactory(outlet=outlet)
        speaker = factories.SpeakerFactory(name=f"Person {i}")
        quote = curated_quote(editor=editor, annotator_user=annotator_user, article=article, speaker=speaker)
        annotation_services.stance_set(quote=quote, target=target, label="favor", annotator=editor)
        quote.tags.add(f"tag{i % 3}")
        quotes.append(quote)
    return quotes


def test_curated_layer_by_default(bearer, token_for, researcher_user, editor_user, annotator_user):
    curated = curated_quote(editor=editor_user, annotator_user=annotator_user)
    factories.make_quote(annotator_user=annotator_user, text="The plan is ready.")  # a draft: not curated
    body = bearer(token_for(researcher_user)).get(API + "quotes").json()
    assert [q["id"] for q in body["results"]] == [curated.pk]
    row = body["results"][0]
    assert row["layer"] == "curated" and row["status"] == "accepted"
    assert row["supported_by"] == ["ann"] and row["annotator"] is None
    assert row["text"] == "We will act," and row["spans"] == [[curated.start, curated.end]]


def test_layer_mine_is_the_callers_own(bearer, token_for, annotator_user, other_annotator, editor_user):
    mine = factories.make_quote(annotator_user=annotator_user)
    factories.make_quote(annotator_user=other_annotator)
    curated_quote(editor=editor_user, annotator_user=other_annotator)
    body = bearer(token_for(annotator_user)).get(API + "quotes?layer=mine").json()
    assert [q["id"] for q in body["results"]] == [mine.pk]
    assert body["results"][0]["status"] == "draft" and body["results"][0]["annotator"] == "ann"
    body = bearer(token_for(annotator_user)).get(API + "quotes?layer=mine&status=submitted").json()
    assert body["results"] == []


def test_the_shared_filters_apply(bearer, token_for, researcher_user, editor_user, annotator_user):
    kept = _curated_rows(2, editor=editor_user, annotator_user=annotator_user)
    _curated_rows(2, editor=editor_user, annotator_user=annotator_user, outlet="Elsewhere")
    caller = bearer(token_for(researcher_user))
    body = caller.get(API + "quotes?outlet=the+daily+test").json()
    assert sorted(q["id"] for q in body["results"]) == sorted(q.pk for q in kept)
    body = caller.get(API + f"quotes?speaker={kept[1].speaker_id}").json()
    assert [q["id"] for q in body["results"]] == [kept[1].pk]
    body = caller.get(API + "quotes?tag=TAG1").json()
    assert sorted(q["id"] for q in body["results"]) == sorted(
        q.pk for q in Quote.objects.filter(layer=Layer.CURATED, tags__name="tag1")
    )
    body = caller.get(API + "quotes?q=Person+0").json()
    assert [q["speaker"]["name"] for q in body["results"]] == ["Person 0", "Person 0"]


def test_keyset_pages_walk_every_row_once(bearer, token_for, researcher_user, editor_user, annotator_user):
    quotes = _curated_rows(7, editor=editor_user, annotator_user=annotator_user)
    caller = bearer(token_for(researcher_user))
    seen, url, pages = [], API + "quotes?limit=3&outlet=The+Daily+Test", 0
    while url:
        body = caller.get(url).json()
        assert body["count"] == 7 and body["count_capped"] is False
        seen += [q["id"] for q in body["results"]]
        url = body["next"]
        pages += 1
        if url:
            assert "outlet=The+Daily+Test" in url  # the filters carry over
    assert pages == 3
    in_text_order = sorted(quotes, key=lambda q: (q.article_id, q.start, q.end, q.pk))
    assert seen == [q.pk for q in in_text_order]


def test_sorted_pages_use_the_filters_sort(bearer, token_for, researcher_user, editor_user, annotator_user):
    _curated_rows(5, editor=editor_user, annotator_user=annotator_user)
    caller = bearer(token_for(researcher_user))
    names, url = [], API + "quotes?limit=2&sort=-speaker"
    while url:
        body = caller.get(url).json()
        names += [q["speaker"]["name"] for q in body["results"]]
        url = body["next"]
    assert names == sorted(names, reverse=True) and len(names) == 5


def test_count_is_capped(bearer, token_for, researcher_user, editor_user, annotator_user, monkeypatch):
    from api import pagination

    _curated_rows(3, editor=editor_user, annotator_user=annotator_user)
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    body = bearer(token_for(researcher_user)).get(API + "quotes").json()
    assert body["count"] == 2 and body["count_capped"] is True and len(body["results"]) == 3


@pytest.mark.parametrize("n", [3, 30])
def test_quote_list_queries_do_not_grow_with_rows(
    n, bearer, token_for, researcher_user, editor_user, annotator_user, django_assert_max_num_queries
):
    _curated_rows(n, editor=editor_user, annotator_user=annotator_user)
    caller = bearer(token_for(researcher_user))
    with django_assert_max_num_queries(8):
        body = caller.get(API + "quotes?limit=50&tag=tag1").json()
    assert len(body["results"]) == len([i for i in range(n) if i % 3 == 1])
    with django_assert_max_num_queries(8):
        body = caller.get(API + "quotes?limit=50").json()
    assert len(body["results"]) == n
    assert all(q["stances"][0]["target"] == "The plan" and q["tags"] for q in body["results"])


@pytest.mark.parametrize("n", [3, 30])
def test_other_lists_queries_do_not_grow_with_rows(
    n, bearer, token_for, editor_user, annotator_user, django_assert_max_num_queries
):
    quotes = _curated_rows(n, editor=editor_user, annotator_user=annotator_user)
    for quote in quotes:
        mention = factories.make_mention(article=quote.article, annotator_user=annotator_user)
        annotation_services.annotations_submit(article=quote.article, annotator=annotator_user)
        mention.refresh_from_db()
        annotation_services.entity_mention_review(mention=mention, reviewer=editor_user, accept=True)
        quote.article.tags.add("news")
        quote.speaker.aliases.create(alias=f"Alias of {quote.speaker.name}")
    caller = bearer(token_for(editor_user))
    for path, expected in [
        ("articles", n),
        ("speakers", n),
        ("mentions", n),
        ("stances", n),
        ("stance-targets", 1),
    ]:
        with django_assert_max_num_queries(7):
            body = caller.get(API + f"{path}?limit=50").json()
        assert len(body["results"]) == expected, path
    assert Tag.objects.filter(name="news").exists()


def test_detail_of_a_curated_quote(bearer, token_for, researcher_user, editor_user, annotator_user):
    curated = curated_quote(editor=editor_user, annotator_user=annotator_user)
    body = bearer(token_for(researcher_user)).get(API + f"quotes/{curated.pk}").json()
    assert body["id"] == curated.pk and body["version"] == curated.version
    assert body["url"].endswith(f"/api/v1/quotes/{curated.pk}")

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from corpus import services
from corpus.models import Article, Speaker, SpeakerAlias
from tests.factories import ArticleFactory, make_mention, make_quote

pytestmark = pytest.mark.django_db


def test_article_create_normalizes_newlines_and_hashes_body():
    article = services.article_create(title=" T ", body="one\r\ntwo\rthree 😀", tags=["a", "b"])
    assert article.body == "one\ntwo\nthree 😀"
    assert len(article.body_hash) == 64 and article.title == "T" and article.slug == "t"
    assert sorted(article.tags.names()) == ["a", "b"]


def test_article_slugs_stay_unique():
    first = services.article_create(title="Same title", body="x")
    second = services.article_create(title="Same title", body="y")
    assert (first.slug, second.slug) == ("same-title", "same-title-2")


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": "", "body": "x"}, "title"),
        ({"title": "T", "body": ""}, "body"),
        ({"title": "T", "body": "x", "url": "not a url"}, "url"),
    ],
)
def test_bad_articles_are_refused(fields, message):
    with pytest.raises(ValidationError, match=message):
        services.article_create(**fields)
    assert Article.objects.count() == 0


def test_duplicate_url_is_refused_but_blank_urls_may_repeat():
    services.article_create(title="A", body="x", url="https://example.org/a")
    services.article_create(title="B", body="y")
    services.article_create(title="C", body="z")
    with pytest.raises(ValidationError, match="URL"):
        services.article_create(title="D", body="w", url="https://example.org/a")
    assert Article.objects.count() == 3


def test_body_edit_of_annotated_article_is_refused_and_changes_nothing(annotator_user):
    article = ArticleFactory()
    make_mention(article=article, annotator_user=annotator_user)
    original = article.body
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.article_update(article=article, body=original + " more")
    article.refresh_from_db()
    assert article.body == original
    # Other fields still change, and an identical body is not a change.
    services.article_update(article=article, title="New title", body=original)
    article.refresh_from_db()
    assert article.title == "New title"


def test_body_edit_of_article_with_only_quotes_is_refused(annotator_user):
    article = ArticleFactory()
    make_quote(article=article, annotator_user=annotator_user)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.article_update(article=article, body="Something else")


def test_body_edit_of_unannotated_article_is_allowed():
    article = ArticleFactory()
    services.article_update(article=article, body="Fresh text")
    article.refresh_from_db()
    assert article.body == "Fresh text"


def test_duplicate_alias_is_refused_and_changes_nothing():
    trump = services.speaker_create(name="Donald Trump", aliases=["Mr. Trump"])
    with pytest.raises(ValidationError, match="already an alias of Donald Trump"):
        services.speaker_create(name="Someone Else", aliases=["MR TRUMP"])
    assert Speaker.objects.count() == 1 and SpeakerAlias.objects.filter(speaker=trump).count() == 2


def test_alias_uniqueness_holds_in_the_database():
    speaker = services.speaker_create(name="A Person")
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerAlias.objects.create(speaker=speaker, alias="a person")


@pytest.mark.parametrize("qid", ["22686", "Q", "Q0123", "q22686", "Q12a", "P31"])
def test_bad_qids_are_refused(qid):
    with pytest.raises(ValidationError, match="Wikidata"):
        services.speaker_create(name="X", wikidata_qid=qid)
    assert Speaker.objects.count() == 0


def test_qid_format_and_uniqueness_hold_in_the_database():
    Speaker.objects.create(name="A", wikidata_qid="Q1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Speaker.objects.create(name="B", wikidata_qid="Q1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Speaker.objects.create(name="C", wikidata_qid="bogus")
    Speaker.objects.create(name="D", wikidata_qid="")
    Speaker.objects.create(name="E", wikidata_qid="")


def test_duplicate_qid_is_refused_with_a_message():
    services.speaker_create(name="Donald Trump", wikidata_qid="Q22686")
    with pytest.raises(ValidationError, match="QID"):
        services.speaker_create(name="Donald J. Trump", wikidata_qid="Q22686")

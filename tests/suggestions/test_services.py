import pytest
from django.core.exceptions import ValidationError

from annotations.models import Quote, QuoteEvent
from corpus.models import Speaker
from corpus.services import article_update, speaker_create
from suggestions import extractor, services
from suggestions.models import Suggestion
from suggestions.selectors import article_suggestions, known_speaker_aliases

from .factories import BODY, article_with_suggestions

pytestmark = pytest.mark.django_db


def test_suggest_for_article_stores_pending_suggestions_with_offsets():
    article, stored = article_with_suggestions()
    assert [s.kind for s in stored] == ["direct", "indirect"]
    direct = stored[0]
    assert direct.spans == [[33, 60]] and BODY[33:60] == "We will rebuild the bridge,"
    assert direct.text == "We will rebuild the bridge,"
    assert direct.speaker_name == "Jane Doe" and direct.rule == "direct"
    assert BODY[direct.cue_start : direct.cue_end] == "said"
    assert BODY[direct.speaker_mention_start : direct.speaker_mention_end] == "Ms. Doe"
    assert all(s.status == Suggestion.Status.PENDING and s.body_hash == article.body_hash for s in stored)


def test_running_again_replaces_pending_but_keeps_decisions(annotator_user):
    article, stored = article_with_suggestions()
    services.suggestion_reject(suggestion=stored[1], user=annotator_user)
    again = services.suggest_for_article(article=article)
    # the rejected one is not proposed again; the pending one was replaced, not duplicated
    assert [s.kind for s in again] == ["direct"]
    assert Suggestion.objects.filter(article=article).count() == 2
    assert not Suggestion.objects.filter(pk=stored[0].pk).exists()


def test_store_is_all_or_nothing(article):
    services.suggest_for_article(article=article)
    before = list(Suggestion.objects.values_list("pk", flat=True))
    good = extractor.Suggestion("direct", [(1, 5)], None, None, None, "direct")
    bad = extractor.Suggestion("direct", [(10, 10_000)], None, None, None, "direct")
    with pytest.raises(ValidationError, match="past the end"):
        services.suggestions_store(article=article, items=[good, bad])
    assert list(Suggestion.objects.values_list("pk", flat=True)) == before


def test_store_refuses_quotation_marks_in_a_span(article):
    body = article.body
    start = body.index("“")
    item = extractor.Suggestion("direct", [(start, start + 5)], None, None, None, "direct")
    with pytest.raises(ValidationError, match="quotation marks"):
        services.suggestions_store(article=article, items=[item])
    assert not Suggestion.objects.exists()


def test_accept_creates_the_annotators_own_quote_with_rule_origin(annotator_user):
    article, stored = article_with_suggestions()
    quote = services.suggestion_accept(suggestion=stored[0], user=annotator_user)
    assert quote.annotator == annotator_user and quote.origin == "rule:direct"
    assert quote.status == "draft" and quote.kind == "direct"
    assert [[s.start, s.end] for s in quote.spans.all()] == stored[0].spans
    assert quote.cue_text == "said" and quote.speaker_mention_text == "Ms. Doe"
    assert quote.speaker.name == "Jane Doe" and quote.speaker.kind == Speaker.Kind.PERSON
    assert QuoteEvent.objects.filter(quote=quote, action="create", actor=annotator_user).exists()
    stored[0].refresh_from_db()
    assert stored[0].status == "accepted" and stored[0].decided_by == annotator_user and stored[0].quote == quote
    assert stored[0].decided_at is not None


def test_accept_uses_a_known_speaker_through_its_alias(annotator_user):
    known = speaker_create(name="Jane Q. Doe", aliases=["Jane Doe", "Ms. Doe"])
    article, stored = article_with_suggestions()
    assert stored[0].speaker == known
    quote = services.suggestion_accept(suggestion=stored[0], user=annotator_user)
    assert quote.speaker == known
    assert Speaker.objects.count() == 1


def test_group_speaker_is_created_as_a_group(annotator_user):
    article, stored = article_with_suggestions()
    quote = services.suggestion_accept(suggestion=stored[1], user=annotator_user)
    assert quote.speaker.name == "two city officials" and quote.speaker.kind == Speaker.Kind.GROUP
    assert quote.kind == "indirect" and quote.origin == "rule:indirect_after"


def test_decided_suggestion_cannot_be_decided_again(annotator_user, other_annotator):
    article, stored = article_with_suggestions()
    services.suggestion_reject(suggestion=stored[0], user=annotator_user)
    with pytest.raises(ValidationError, match="already rejected"):
        services.suggestion_accept(suggestion=stored[0], user=other_annotator)
    assert not Quote.objects.exists()


def test_accept_failure_changes_nothing(annotator_user):
    article, stored = article_with_suggestions()
    # overlapping spans are refused by annotations.services: the whole accept rolls back
    Suggestion.objects.filter(pk=stored[0].pk).update(spans=[[0, 3], [1, 4]])
    with pytest.raises(ValidationError, match="overlap"):
        services.suggestion_accept(suggestion=stored[0], user=annotator_user)
    stored[0].refresh_from_db()
    assert stored[0].status == "pending" and not Quote.objects.exists()
    assert not Speaker.objects.exists()


def test_suggestions_of_an_older_body_are_ignored_and_refused(annotator_user):
    article, stored = article_with_suggestions()
    article_update(article=article, body=BODY + "\n\nA new closing line.")
    assert list(article_suggestions(article)) == []
    with pytest.raises(ValidationError, match="text changed"):
        services.suggestion_accept(suggestion=stored[0], user=annotator_user)


def test_known_speaker_aliases_only_for_names_in_the_text():
    speaker_create(name="Jane Q. Doe", aliases=["Ms. Doe"])
    speaker_create(name="Someone Else")
    assert known_speaker_aliases(BODY) == {"Ms. Doe": "Jane Q. Doe"}


def test_mixed_suggestion_ending_in_its_fragment_is_accepted_with_the_marks(annotator_user):
    from tests.factories import ArticleFactory

    body = "Mr. Smith pulled the nomination, saying he wanted the agency to go in a “tougher direction.”"
    article = ArticleFactory(body=body)
    (stored,) = services.suggest_for_article(article=article)
    assert stored.kind == "mixed" and stored.text.endswith("“tougher direction.”")
    quote = services.suggestion_accept(suggestion=stored, user=annotator_user)
    assert quote.text == "he wanted the agency to go in a “tougher direction.”" and quote.origin == "rule:participle"

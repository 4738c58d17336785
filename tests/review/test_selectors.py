import pytest

from annotations import services as annotation_services
from review import selectors, services
from tests.factories import ArticleFactory, find_span, make_quote

from .conftest import submit

pytestmark = pytest.mark.django_db


def test_assigned_article_ids_most_recent_first(
    editor_user, annotator_user, other_annotator, django_assert_num_queries
):
    first, second, other = ArticleFactory(), ArticleFactory(), ArticleFactory()
    services.assignments_create(articles=[first], annotators=[annotator_user], assigned_by=editor_user)
    services.assignments_create(articles=[second], annotators=[annotator_user], assigned_by=editor_user)
    services.assignments_create(articles=[other], annotators=[other_annotator], assigned_by=editor_user)
    with django_assert_num_queries(1):
        assert selectors.assigned_article_ids(annotator_user) == [second.pk, first.pk]


def test_assigned_article_ids_for_anonymous():
    from django.contrib.auth.models import AnonymousUser

    assert selectors.assigned_article_ids(AnonymousUser()) == []


def test_progress_counts_per_article_and_annotator(editor_user, annotator_user, other_annotator, researcher_user):
    article = ArticleFactory()
    services.assignments_create(
        articles=[article], annotators=[annotator_user, other_annotator], assigned_by=editor_user
    )
    submit(make_quote(article=article, annotator_user=annotator_user))
    make_quote(article=article, text="The plan is ready.", annotator_user=annotator_user)
    rows = selectors.article_progress([article])[article.pk]
    by_name = {p.annotator.username: p for p in rows}
    assert by_name["ann"].counts == {"submitted": 1, "draft": 1} and by_name["ann"].state == "awaiting review"
    assert by_name["ann2"].state == "not started"


def test_quote_in_paragraph_marks_spans_cue_and_mention(annotator_user):
    body = "First paragraph.\n“Yes,” she said, “and no.” More text.\nLast."
    article = ArticleFactory(body=body)
    quote = annotation_services.quote_create(
        article=article,
        spans=[find_span(body, "Yes,"), find_span(body, "and no.")],
        annotator=annotator_user,
        cue=find_span(body, "said"),
        speaker_mention=find_span(body, "she"),
    )
    context = selectors.quote_in_paragraph(quote)
    marked = [(s.text, s.kind) for s in context["segments"] if s.kind]
    assert marked == [("Yes,", "quote"), ("she", "mention"), ("said", "cue"), ("and no.", "quote")]
    assert "".join(s.text for s in context["segments"]) == "“Yes,” she said, “and no.” More text."


def test_long_paragraph_is_cut_to_the_sentence(annotator_user):
    body = "Filler sentence here. " * 80 + "“Key words,” he said. " + "More filler. " * 80
    article = ArticleFactory(body=body.strip())
    quote = make_quote(article=article, text="Key words,", annotator_user=annotator_user)
    context = selectors.quote_in_paragraph(quote)
    text = "".join(s.text for s in context["segments"])
    assert text == "“Key words,” he said." and context["cut_left"] and context["cut_right"]


def test_annotators_include_editors_and_superusers_once(annotator_user, editor_user, admin_user, researcher_user):
    from review.selectors import annotators

    names = list(annotators().values_list("username", flat=True))
    assert editor_user.username in names and annotator_user.username in names and admin_user.username in names
    assert researcher_user.username not in names and len(names) == len(set(names))


def test_merge_candidates_give_each_reason(editor_user):
    """The same Wikidata item, aliases of the same words, similar names in one outlet; pairs that
    share nothing are not listed."""
    import datetime

    from corpus import services as corpus_services
    from review.selectors import merge_candidates

    linked = corpus_services.speaker_create(name="Maria Scott", wikidata_qid="Q9000001")
    stray = corpus_services.speaker_create(name="M. E. Scott")
    corpus_services.speaker_attribute_set(
        speaker=stray,
        name="gender",
        value="woman",
        source="wikidata",
        wikidata_qid="Q9000001",
        retrieved_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
    )
    reordered = corpus_services.speaker_create(name="Scott, Maria")  # the same words as "Maria Scott"
    titled = corpus_services.speaker_create(name="Lee", aliases=["Dr. Ana Lee"])
    plain = corpus_services.speaker_create(name="Ana Lee")
    corpus_services.speaker_create(name="Ana Leeson")  # shares no word set, no item, no outlet
    found = {(c.first.name, c.second.name): c.reason for c in merge_candidates()}
    assert found == {
        ("M. E. Scott", "Maria Scott"): "the same Wikidata item (Q9000001)",
        ("Maria Scott", "Scott, Maria"): "shared alias (“Maria Scott”, “Scott, Maria”)",
        ("Lee", "Ana Lee"): "shared alias (“Dr. Ana Lee”, “Ana Lee”)",
    }
    assert {linked, reordered, titled, plain} <= {s for c in merge_candidates() for s in (c.first, c.second)}

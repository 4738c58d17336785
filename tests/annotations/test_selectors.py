import pytest

from annotations import selectors
from annotations.models import Status
from corpus import services as corpus_services
from tests.factories import ArticleFactory, make_mention, make_quote

pytestmark = pytest.mark.django_db


def test_annotator_articles_put_assigned_then_started_first_with_my_counts(annotator_user, other_annotator):
    newest = ArticleFactory(title="Newest", published="2024-01-01")
    started = ArticleFactory(title="Started", published="2020-01-01")
    assigned = ArticleFactory(title="Assigned", published="2019-01-01")
    make_quote(article=started, annotator_user=annotator_user)
    make_quote(article=newest, annotator_user=other_annotator)
    rows = list(selectors.annotator_articles(annotator_user, assigned_ids=[assigned.pk]))
    assert [a.title for a in rows] == ["Assigned", "Started", "Newest"]
    mine = {a.title: (a.my_quotes, a.my_quote_drafts) for a in rows}
    assert mine == {"Assigned": (0, 0), "Started": (1, 1), "Newest": (0, 0)}


def test_workspace_state_in_five_queries_mine_or_accepted(annotator_user, django_assert_max_num_queries):
    article = ArticleFactory()
    quote = make_quote(article=article, annotator_user=annotator_user)
    make_mention(article=article, annotator_user=annotator_user)
    with django_assert_max_num_queries(5):
        state = selectors.workspace_state(article, annotator_user, "nonsense")
    assert state["view"] == selectors.VIEW_MINE and [q["id"] for q in state["quotes"]] == [quote.pk]
    assert len(state["mentions"]) == 1
    accepted = selectors.workspace_state(article, annotator_user, selectors.VIEW_ACCEPTED)
    assert accepted["quotes"] == [] and accepted["mentions"] == []
    assert quote.status == Status.DRAFT


def test_speaker_search_reports_the_alias_that_matched():
    corpus_services.speaker_create(name="Donald Trump", aliases=["Mr. Trump"])
    (hit,) = selectors.speaker_search("mr. tru")
    assert hit["name"] == "Donald Trump" and hit["matched_alias"] == "Mr. Trump" and hit["aliases"] == ["Mr. Trump"]
    assert selectors.speaker_search("  ") == []


def test_workspace_state_rows_equal_the_one_at_a_time_dicts(article, annotator_user, editor_user, other_annotator):
    """The bulk path builds from plain rows; every field must be what quote_data / mention_data give."""
    from annotations import services
    from annotations.models import Quote
    from tests.factories import SpeakerFactory, StanceTargetFactory, find_span, make_mention, make_quote

    speaker = SpeakerFactory(name="Jane <b>Doe</b>", description="=spokesperson")
    wall, tax = StanceTargetFactory(name="Wall"), StanceTargetFactory(name="Aardvark tax")
    quote = make_quote(
        article=article, annotator_user=annotator_user, speaker=speaker, cue="said", tags=["b-tag", "a-tag"]
    )
    services.stance_set(quote=quote, target=wall, label="favor", annotator=annotator_user, note="n")
    services.stance_set(quote=quote, target=tax, label="against", annotator=annotator_user)
    services.quote_update(
        quote=Quote.objects.get(pk=quote.pk),
        actor=annotator_user,
        speaker_mention=find_span(article.body, "Jane Doe"),
    )
    make_quote(article=article, text="The plan is ready.", annotator_user=annotator_user, kind="indirect")
    make_mention(article=article, annotator_user=annotator_user)
    theirs = make_quote(article=article, annotator_user=other_annotator)  # someone else's: not in my view
    services.quote_submit(quote=theirs, actor=other_annotator)
    services.quote_accept(quote=Quote.objects.get(pk=theirs.pk), reviewer=editor_user)  # a curated quote
    for user in (annotator_user, editor_user, other_annotator):
        for view in (selectors.VIEW_MINE, selectors.VIEW_ACCEPTED):
            state = selectors.workspace_state(article, user, view)
            quotes = list(selectors.workspace_quotes(article, user, view))
            tags = selectors.quote_tag_names(q.pk for q in quotes)
            assert state["quotes"] == [selectors.quote_data(q, user, tags.get(q.pk, [])) for q in quotes]
            mentions = selectors.workspace_mentions(article, user, view)
            assert state["mentions"] == [selectors.mention_data(m, user) for m in mentions]
    assert len(selectors.workspace_state(article, annotator_user, selectors.VIEW_ACCEPTED)["quotes"]) == 1
    mine = selectors.workspace_state(article, annotator_user)["quotes"]
    assert len(mine) == 2 and mine[0]["stances"][0]["target"]["name"] == "Aardvark tax"  # stances by target name
    as_editor = selectors.workspace_state(article, editor_user, selectors.VIEW_MINE)
    assert as_editor["quotes"] == []  # the editor's own layer is empty here


@pytest.mark.parametrize("n", [2, 20])
def test_workspace_state_queries_do_not_grow(article, annotator_user, n, django_assert_max_num_queries):
    from tests.factories import ArticleFactory, make_quote

    body = "".join(f"“Line {i} is said.” " for i in range(n))
    article = ArticleFactory(body=body)
    for i in range(n):
        make_quote(article=article, text=f"Line {i} is said.", annotator_user=annotator_user, tags=["t"])
    with django_assert_max_num_queries(6):
        assert len(selectors.workspace_state(article, annotator_user)["quotes"]) == n

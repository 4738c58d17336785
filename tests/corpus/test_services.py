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


# --- Wikidata picks: an annotator's is a proposal, an editor's a link ---------------------------------


@pytest.fixture
def fetched():
    """The item Q9000001 as ``wikidata.fetch`` reads it (no network: built here)."""
    from corpus.wikidata import Entity

    return Entity(
        qid="Q9000001",
        label="Maria Scott",
        description="fictional legislator used in tests",
        claims={"P21": ["Q6581072"], "P106": ["Q82955"], "P102": ["Q9000010"]},
        labels={"Q9000010": "Harbour Party"},
    )


def test_an_annotators_pick_is_a_proposal_not_a_link(annotator_user):
    scott = services.speaker_create(name="Maria Scott", wikidata_pick="Q9000001", actor=annotator_user)
    scott.refresh_from_db()
    assert (scott.wikidata_qid, scott.wikidata_qid_proposed, scott.wikidata_proposed_by) == (
        "",
        "Q9000001",
        annotator_user,
    )
    assert scott.wikidata_proposed_at is not None
    assert list(Speaker.objects.with_wikidata_proposal()) == [scott]
    assert scott.attributes.count() == 0


def test_a_pick_without_an_actor_is_a_proposal_too():
    scott = services.speaker_create(name="Maria Scott", wikidata_pick="Q9000001")
    assert (scott.wikidata_qid, scott.wikidata_qid_proposed, scott.wikidata_proposed_by) == ("", "Q9000001", None)


def test_an_editors_pick_links_the_speaker(editor_user, admin_user):
    scott = services.speaker_create(name="Maria Scott", wikidata_pick="Q9000001", actor=editor_user)
    assert (scott.wikidata_qid, scott.wikidata_qid_proposed, scott.wikidata_proposed_at) == ("Q9000001", "", None)
    root = services.speaker_create(name="Root Pick", wikidata_pick="Q9000002", actor=admin_user)  # superuser
    assert (root.wikidata_qid, root.wikidata_qid_proposed) == ("Q9000002", "")


@pytest.mark.parametrize("qid", ["X12", "Q0", "Q01", "q12", "Q12x", "Q1\x00", "Q" + "1" * 25])
def test_a_bad_pick_is_refused_and_nothing_is_written(annotator_user, qid):
    with pytest.raises(ValidationError) as caught:
        services.speaker_create(name="Maria Scott", wikidata_pick=qid, actor=annotator_user)
    assert "wikidata_qid" in caught.value.message_dict
    assert Speaker.objects.count() == 0 and SpeakerAlias.objects.count() == 0


def test_a_picked_item_linked_or_proposed_elsewhere_is_refused(annotator_user, editor_user):
    services.speaker_create(name="Linked", wikidata_qid="Q1")
    services.speaker_create(name="Proposed", wikidata_pick="Q2", actor=annotator_user)
    for actor in (annotator_user, editor_user):
        with pytest.raises(ValidationError, match="Another speaker has this Wikidata QID already: use “Linked”"):
            services.speaker_create(name="Again 1", wikidata_pick="Q1", actor=actor)
        with pytest.raises(ValidationError, match="proposed and waiting for an editor: use “Proposed”"):
            services.speaker_create(name="Again 2", wikidata_pick="Q2", actor=actor)
    with pytest.raises(ValidationError, match="not both"):
        services.speaker_create(name="Both", wikidata_qid="Q3", wikidata_pick="Q3")
    assert Speaker.objects.count() == 2


def test_the_database_checks_a_proposal_has_a_qid_shape_and_a_date():
    from django.utils import timezone

    with transaction.atomic(), pytest.raises(IntegrityError):
        Speaker.objects.create(name="A", wikidata_qid_proposed="bogus", wikidata_proposed_at=timezone.now())
    with transaction.atomic(), pytest.raises(IntegrityError):
        Speaker.objects.create(name="B", wikidata_qid_proposed="Q5")
    Speaker.objects.create(name="C", wikidata_qid_proposed="Q5", wikidata_proposed_at=timezone.now())


def test_confirm_links_the_proposal_with_its_claims_and_closes_it(annotator_user, editor_user, fetched):
    from corpus.models import SpeakerAttribute

    scott = services.speaker_create(name="Maria Scott", wikidata_pick="Q9000001", actor=annotator_user)
    changes = services.speaker_wikidata_proposal_confirm(speaker=scott, entity=fetched, actor=editor_user)
    scott.refresh_from_db()
    assert (scott.wikidata_qid, scott.wikidata_qid_proposed, scott.wikidata_proposed_by) == ("Q9000001", "", None)
    assert scott.wikidata_proposed_at is None
    assert "QID: — → Q9000001" in changes and "gender: — → woman" in changes
    gender = SpeakerAttribute.objects.get(speaker=scott, name="gender")
    assert (gender.source, gender.wikidata_qid, gender.set_by) == ("wikidata", "Q9000001", editor_user)
    assert gender.retrieved_at is not None
    assert not Speaker.objects.with_wikidata_proposal().exists()


def test_reject_clears_the_proposal_and_links_nothing(annotator_user, editor_user):
    scott = services.speaker_create(name="Maria Scott", wikidata_pick="Q9000001", actor=annotator_user)
    services.speaker_wikidata_proposal_reject(speaker=scott, qid="Q9000001", actor=editor_user)
    scott.refresh_from_db()
    assert (scott.wikidata_qid, scott.wikidata_qid_proposed, scott.wikidata_proposed_at) == ("", "", None)
    assert scott.attributes.count() == 0


def test_only_editors_decide_a_proposal_and_only_the_one_they_saw(
    annotator_user, researcher_user, editor_user, fetched
):
    scott = services.speaker_create(name="Maria Scott", wikidata_pick="Q9000001", actor=annotator_user)
    for actor in (annotator_user, researcher_user, None):
        with pytest.raises(ValidationError, match="Only editors"):
            services.speaker_wikidata_proposal_confirm(speaker=scott, entity=fetched, actor=actor)
        with pytest.raises(ValidationError, match="Only editors"):
            services.speaker_wikidata_proposal_reject(speaker=scott, qid="Q9000001", actor=actor)
    with pytest.raises(ValidationError, match="is now Q9000001, not Q7"):
        services.speaker_wikidata_proposal_reject(speaker=scott, qid="Q7", actor=editor_user)
    other = services.speaker_create(name="No Proposal")
    with pytest.raises(ValidationError, match="no proposed Wikidata item"):
        services.speaker_wikidata_proposal_confirm(speaker=other, entity=fetched, actor=editor_user)
    scott.refresh_from_db()
    assert (scott.wikidata_qid, scott.wikidata_qid_proposed) == ("", "Q9000001")
    assert scott.attributes.count() == 0


def test_linking_another_item_sets_the_proposal_aside(annotator_user, editor_user, fetched):
    scott = services.speaker_create(name="Maria Scott", wikidata_pick="Q42", actor=annotator_user)
    changes = services.speaker_wikidata_link(speaker=scott, entity=fetched, actor=editor_user)
    scott.refresh_from_db()
    assert (scott.wikidata_qid, scott.wikidata_qid_proposed) == ("Q9000001", "")
    assert "proposed Q42 set aside" in changes


def test_confirming_an_item_linked_to_another_speaker_meanwhile_writes_nothing(annotator_user, editor_user, fetched):
    scott = services.speaker_create(name="Maria Scott", wikidata_pick="Q9000001", actor=annotator_user)
    services.speaker_create(name="M. Scott", wikidata_qid="Q9000001")  # e.g. an import, since
    with pytest.raises(ValidationError, match="Another speaker has this Wikidata QID already"):
        services.speaker_wikidata_proposal_confirm(speaker=scott, entity=fetched, actor=editor_user)
    scott.refresh_from_db()
    assert (scott.wikidata_qid, scott.wikidata_qid_proposed, scott.description) == ("", "Q9000001", "")
    assert scott.attributes.count() == 0

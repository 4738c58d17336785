import pytest
from django.core.exceptions import ValidationError

from annotations import services
from annotations.exceptions import VersionConflict
from annotations.models import EntityMention, Quote, QuoteEvent, QuoteSpan, Stance, Status
from tests.factories import ArticleFactory, SpeakerFactory, StanceTargetFactory, find_span, make_mention, make_quote

pytestmark = pytest.mark.django_db


def counts():
    return (Quote.objects.count(), QuoteSpan.objects.count(), EntityMention.objects.count(), Stance.objects.count())


def test_quote_create_stores_spans_text_and_denormalized_fields(article, annotator_user):
    first = find_span(article.body, "We will act,")
    second = find_span(article.body, "The plan is ready.")
    cue = find_span(article.body, "said")
    mention = find_span(article.body, "Jane Doe")
    speaker = SpeakerFactory(name="Jane Doe")
    quote = services.quote_create(
        article=article,
        spans=[second, first],
        annotator=annotator_user,
        speaker=speaker,
        cue=cue,
        speaker_mention=mention,
        tags=["politics", " budget "],
    )
    assert [(s.start, s.end, s.text) for s in quote.spans.all()] == [
        (*first, "We will act,"),
        (*second, "The plan is ready."),
    ]
    assert quote.text == "We will act, … The plan is ready."
    assert quote.span_offsets == f"{first[0]}-{first[1]};{second[0]}-{second[1]}"
    assert (quote.start, quote.end) == (first[0], second[1])
    assert quote.cue_text == "said" and quote.speaker_mention_text == "Jane Doe"
    assert sorted(quote.tags.names()) == ["budget", "politics"]
    assert quote.events.get().action == QuoteEvent.Action.CREATE


@pytest.mark.parametrize(
    "spans, message",
    [
        ([(-1, 5)], "cannot be negative"),
        ([(10, 5)], "not after its start"),
        ([(5, 5)], "not after its start"),
        ([(0, 10_000)], "past the end"),
        ([("a", 5)], "whole numbers"),
        ([], "at least one content span"),
        ([(13, 20), (15, 25)], "overlap"),
    ],
)
def test_bad_spans_are_refused_and_change_nothing(article, annotator_user, spans, message):
    before = counts()
    with pytest.raises(ValidationError, match=message):
        services.quote_create(article=article, spans=spans, annotator=annotator_user)
    assert counts() == before


def test_span_text_mismatch_is_refused(article, annotator_user):
    span = find_span(article.body, "We will act,")
    with pytest.raises(ValidationError, match="does not match"):
        services.quote_create(article=article, spans=[span], span_texts=["We will not act"], annotator=annotator_user)
    assert Quote.objects.count() == 0


def test_content_span_excludes_quote_marks(article, annotator_user):
    start, end = find_span(article.body, "“We will act,”")
    with pytest.raises(ValidationError, match="quotation marks"):
        services.quote_create(article=article, spans=[(start, end)], annotator=annotator_user)


def test_content_ending_in_a_single_closing_mark_is_refused_as_the_extractor_trims_it(annotator_user):
    # ’ closes a single-quoted quote: the extractor never puts it at a content edge, nor may an annotator
    article = ArticleFactory(body="She said ‘we will wait’ and left.")
    start, end = find_span(article.body, "we will wait’")
    with pytest.raises(ValidationError, match="quotation marks"):
        services.quote_create(article=article, spans=[(start, end)], annotator=annotator_user)
    assert Quote.objects.count() == 0
    start, end = find_span(article.body, "we will wait")
    assert services.quote_create(article=article, spans=[(start, end)], annotator=annotator_user).text == "we will wait"


def test_span_with_surrounding_whitespace_is_refused(article, annotator_user):
    start, end = find_span(article.body, " Jane Doe")
    with pytest.raises(ValidationError, match="white space"):
        services.entity_mention_create(article=article, start=start, end=end, label="PERSON", annotator=annotator_user)


def test_offsets_are_code_points_outside_the_bmp(annotator_user):
    article = ArticleFactory(body="😀😀 “Émoji 👍🏽 here,” she said.")
    start, end = find_span(article.body, "Émoji 👍🏽 here,")
    quote = services.quote_create(article=article, spans=[(start, end)], annotator=annotator_user)
    assert (quote.start, quote.end) == (4, 18)
    assert quote.spans.get().text == "Émoji 👍🏽 here,"


def test_unknown_speaker_is_refused(article, annotator_user):
    ghost = SpeakerFactory.build(pk=999999)
    with pytest.raises(ValidationError, match="Unknown speaker"):
        make_quote(article=article, annotator_user=annotator_user, speaker=ghost)
    assert Quote.objects.count() == 0


def test_cue_inside_content_is_refused(article, annotator_user):
    with pytest.raises(ValidationError, match="cue overlaps"):
        make_quote(article=article, annotator_user=annotator_user, cue="will")


def test_accept_and_reject_record_reviewer_and_bump_version(article, annotator_user, editor_user):
    quote = make_quote(article=article, annotator_user=annotator_user, status="submitted")
    accepted = services.quote_accept(quote=quote, reviewer=editor_user, expected_version=1)
    assert accepted.status == Status.ACCEPTED and accepted.reviewed_by == editor_user
    assert accepted.reviewed_at is not None and accepted.version == 2
    with pytest.raises(ValidationError, match="reason"):
        services.quote_reject(quote=accepted, reviewer=editor_user, reason="  ")
    rejected = services.quote_reject(quote=accepted, reviewer=editor_user, reason="Paraphrase", expected_version=2)
    assert rejected.status == Status.REJECTED and rejected.review_note == "Paraphrase"
    actions = list(rejected.events.values_list("action", flat=True))
    assert actions == ["create", "accept", "reject"]


def test_stale_version_raises_conflict_and_changes_nothing(article, annotator_user, editor_user):
    quote = make_quote(article=article, annotator_user=annotator_user, status="submitted")
    services.quote_accept(quote=quote, reviewer=editor_user, expected_version=1)
    with pytest.raises(VersionConflict, match="version 1"):
        services.quote_reject(quote=quote, reviewer=editor_user, reason="late", expected_version=1)
    quote.refresh_from_db()
    assert quote.status == Status.ACCEPTED and quote.version == 2


def test_quote_update_changes_spans_and_records_before_after(article, annotator_user):
    quote = make_quote(article=article, annotator_user=annotator_user)
    new_span = find_span(article.body, "The plan is ready.")
    updated = services.quote_update(
        quote=quote, actor=annotator_user, expected_version=1, spans=[new_span], kind="indirect"
    )
    assert updated.text == "The plan is ready." and updated.kind == "indirect" and updated.version == 2
    event = updated.events.latest("id")
    assert event.before["text"] == "We will act," and event.after["text"] == "The plan is ready."
    assert {"kind", "spans", "text", "version"} <= set(event.changed_fields())


def test_submit_turns_my_drafts_into_submitted_only(article, annotator_user, other_annotator):
    mine = make_quote(article=article, annotator_user=annotator_user)
    theirs = make_quote(article=article, annotator_user=other_annotator)
    assert services.annotations_submit(article=article, annotator=annotator_user) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (Status.SUBMITTED, Status.DRAFT)


def test_stance_set_is_one_per_quote_target_annotator(article, annotator_user):
    quote = make_quote(article=article, annotator_user=annotator_user)
    target = StanceTargetFactory(name="The plan")
    services.stance_set(quote=quote, target=target, label="favor", annotator=annotator_user)
    services.stance_set(quote=quote, target=target, label="against", annotator=annotator_user, note="sarcasm")
    stance = Stance.objects.get()
    assert (stance.label, stance.note) == ("against", "sarcasm")


def test_bad_stance_label_is_refused(article, annotator_user):
    quote = make_quote(article=article, annotator_user=annotator_user)
    with pytest.raises(ValidationError):
        services.stance_set(quote=quote, target=StanceTargetFactory(), label="love", annotator=annotator_user)
    assert Stance.objects.count() == 0


@pytest.mark.parametrize("text", ["—", "“…”", "!?"])
def test_span_of_only_punctuation_is_refused(text):
    from annotations.services import span_text

    body = f"Jane {text} Doe"
    with pytest.raises(ValidationError, match="only punctuation"):
        span_text(body, 5, 5 + len(text))


def test_span_with_a_word_or_emoji_passes_the_punctuation_rule():
    from annotations.services import span_text

    assert span_text("a — 😀 b", 4, 5) == "😀"
    assert span_text("“Yes”", 1, 4) == "Yes"


def test_quote_create_costs_at_most_eight_queries(article, annotator_user, django_assert_max_num_queries):
    speaker = SpeakerFactory()
    span = find_span(article.body, "We will act,")
    cue = find_span(article.body, "said")
    # savepoint, speaker check, quote, span, event, release; and one upsert each marking the two read
    # models (stored agreement, research counts) stale in the same transaction
    with django_assert_max_num_queries(8):
        services.quote_create(article=article, spans=[span], cue=cue, annotator=annotator_user, speaker=speaker)


@pytest.mark.parametrize("drafts", [2, 12])
def test_submitting_drafts_costs_the_same_queries_for_any_number(
    article, annotator_user, drafts, django_assert_num_queries
):
    body = "".join(f"“Line {i} is said.” " for i in range(drafts))
    article = ArticleFactory(body=body)
    for i in range(drafts):
        quote = make_quote(article=article, text=f"Line {i} is said.", annotator_user=annotator_user, tags=["t"])
        factories_mention = make_mention(article=article, text=f"Line {i}", annotator_user=annotator_user)
        assert factories_mention.status == Status.DRAFT and quote.status == Status.DRAFT
    with django_assert_num_queries(12):  # 10, and one upsert per read model marked stale
        assert services.annotations_submit(article=article, annotator=annotator_user) == drafts
    assert set(Quote.objects.values_list("status", flat=True)) == {Status.SUBMITTED}
    assert QuoteEvent.objects.filter(action="submit").count() == drafts


def test_stance_target_names_are_unique_ignoring_case(db):
    services.stance_target_create(name="Border wall")
    with pytest.raises(ValidationError, match="exists already"):
        services.stance_target_create(name="border WALL")
    assert services.stance_target_get_or_create(name="BORDER wall").name == "Border wall"


def test_submit_reads_the_status_after_locking_not_the_callers_copy(article, annotator_user):
    """A caller's stale copy still says draft; the row was submitted meanwhile: refused, one submit event."""
    stale = make_quote(article=article, annotator_user=annotator_user)
    services.quote_submit(quote=Quote.objects.get(pk=stale.pk), actor=annotator_user)
    assert stale.status == Status.DRAFT
    with pytest.raises(ValidationError, match="Only draft quotes can be submitted"):
        services.quote_submit(quote=stale, actor=annotator_user)
    assert QuoteEvent.objects.filter(quote_id=stale.pk, action=QuoteEvent.Action.SUBMIT).count() == 1
    assert Quote.objects.get(pk=stale.pk).status == Status.SUBMITTED


@pytest.mark.django_db
def test_quote_save_records_a_new_speakers_attributes_from_the_quotes_speaker_mention(annotator_user):
    from corpus.models import SpeakerAttribute

    article = ArticleFactory()
    mention = find_span(article.body, "Jane Doe")
    quote = services.quote_create(
        article=article,
        spans=[find_span(article.body, "We will act,")],
        annotator=annotator_user,
        speaker_mention=mention,
    )
    new_speaker = {"name": "Jane Doe", "attributes": {"values": {"gender": "woman"}, "described": True}}
    # A change that leaves the mention out keeps the quote's own: that is the evidence.
    services.quote_save(article=article, actor=annotator_user, quote=quote, fields={"new_speaker": new_speaker})
    gender = SpeakerAttribute.objects.get()
    assert (gender.speaker.name, gender.source, gender.evidence) == ("Jane Doe", "article", "Jane Doe")
    assert (gender.span_start, gender.span_end) == mention
    assert QuoteEvent.objects.filter(quote=quote).count() == 2  # created, then the speaker changed: one event
    with pytest.raises(ValidationError) as caught:
        services.quote_save(
            article=article,
            actor=annotator_user,
            quote=quote,
            fields={"speaker_mention": None, "new_speaker": {**new_speaker, "name": "J. Doe"}},
        )
    assert "needs the words that say it" in str(caught.value.message_dict["new_speaker"])
    assert SpeakerAttribute.objects.count() == 1 and not quote.__class__.objects.filter(speaker__name="J. Doe").exists()


@pytest.mark.django_db
def test_described_without_a_speaker_mention_is_refused_even_for_an_editor(editor_user):
    from corpus.models import Speaker, SpeakerAttribute

    article = ArticleFactory()
    new_speaker = {"name": "Jane Doe", "attributes": {"values": {"gender": "woman"}, "described": True}}
    fields = {"kind": "direct", "spans": [find_span(article.body, "We will act,")], "new_speaker": new_speaker}
    with pytest.raises(ValidationError, match="needs the words that say it"):
        services.quote_save(article=article, actor=editor_user, fields=fields)  # not silently the editor's judgment
    assert (Quote.objects.count(), Speaker.objects.count(), SpeakerAttribute.objects.count()) == (0, 0, 0)

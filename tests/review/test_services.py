import datetime

import pytest
from django.core.exceptions import ValidationError

from annotations import services as annotation_services
from annotations.exceptions import VersionConflict
from annotations.models import EntityMention, Quote, QuoteEvent, Stance, Status
from corpus import services as corpus_services
from corpus.models import Speaker, SpeakerAlias, SpeakerAttribute
from corpus.selectors import speaker_named
from review import services
from review.models import Assignment, SpeakerMerge
from tests.factories import (
    ArticleFactory,
    SpeakerFactory,
    StanceTargetFactory,
    annotator,
    find_span,
    make_mention,
    make_quote,
)

from .conftest import submit

pytestmark = pytest.mark.django_db


def test_accept_records_reviewer_and_audit(submitted_quote, editor_user):
    quote = services.quote_review(
        quote=submitted_quote, reviewer=editor_user, decision="accept", expected_version=submitted_quote.version
    )
    assert (quote.status, quote.reviewed_by, quote.version) == (
        Status.ACCEPTED,
        editor_user,
        submitted_quote.version + 1,
    )
    event = quote.events.order_by("-id").first()
    assert (event.action, event.actor, event.before["status"], event.after["status"]) == (
        "accept",
        editor_user,
        "submitted",
        "accepted",
    )


def test_reject_needs_a_reason_and_changes_nothing_without(submitted_quote, editor_user):
    events = QuoteEvent.objects.count()
    with pytest.raises(ValidationError, match="reason"):
        services.quote_review(
            quote=submitted_quote,
            reviewer=editor_user,
            decision="reject",
            expected_version=submitted_quote.version,
            reason="  ",
        )
    submitted_quote.refresh_from_db()
    assert submitted_quote.status == Status.SUBMITTED and QuoteEvent.objects.count() == events
    quote = services.quote_review(
        quote=submitted_quote,
        reviewer=editor_user,
        decision="reject",
        expected_version=submitted_quote.version,
        reason="Not a quote: paraphrase.",
    )
    assert (quote.status, quote.review_note) == (Status.REJECTED, "Not a quote: paraphrase.")
    assert quote.events.order_by("-id").first().note == "Not a quote: paraphrase."


def test_only_editors_review(submitted_quote, annotator_user):
    with pytest.raises(ValidationError, match="Only editors"):
        services.quote_review(quote=submitted_quote, reviewer=annotator_user, decision="accept", expected_version=None)


def test_stale_version_raises_conflict_and_changes_nothing(submitted_quote, editor_user):
    seen = submitted_quote.version
    services.quote_review(quote=submitted_quote, reviewer=editor_user, decision="accept", expected_version=seen)
    with pytest.raises(VersionConflict) as info:
        services.quote_review(
            quote=submitted_quote, reviewer=editor_user, decision="reject", expected_version=seen, reason="Wrong"
        )
    assert info.value.current.status == Status.ACCEPTED
    assert "version" in str(info.value)
    assert Quote.objects.annotations().get().status == Status.ACCEPTED


def test_correct_and_accept_changes_the_curated_quote_and_keeps_the_annotators(article, submitted_quote, editor_user):
    target = StanceTargetFactory(name="Immigration")
    annotation_services.stance_set(
        quote=submitted_quote, target=target, label="favor", annotator=submitted_quote.annotator
    )
    speaker = SpeakerFactory(name="Jane Doe")
    new_span = find_span(article.body, "The plan is ready.")
    curated = services.quote_correct_and_accept(
        quote=submitted_quote,
        reviewer=editor_user,
        expected_version=Quote.objects.get().version,
        spans=[new_span],
        kind="indirect",
        speaker=speaker,
        cue=None,
        stances={target: "against"},
        note="Wrong sentence",
    )
    curated.refresh_from_db()
    assert curated.layer == "curated" and curated.status == Status.ACCEPTED
    assert (curated.text, curated.kind, curated.speaker, curated.cue_text) == (
        "The plan is ready.",
        "indirect",
        speaker,
        "",
    )
    # The annotator's quote stays as it was submitted, accepted as the curated quote's support.
    mine = Quote.objects.annotations().get()
    assert (mine.text, mine.kind, mine.status, mine.curated, mine.review_note) == (
        "We will act,",
        "direct",
        Status.ACCEPTED,
        curated,
        "Wrong sentence",
    )
    assert list(Stance.objects.filter(quote=mine).values_list("label", flat=True)) == ["favor"]
    correct = curated.events.get(action=QuoteEvent.Action.CORRECT)
    assert correct.before["text"] == "We will act," and correct.after["text"] == "The plan is ready."
    assert correct.actor == editor_user and correct.note == "Wrong sentence"
    assert {"kind", "speaker", "spans", "text", "cue"} <= set(correct.changed_fields())
    # The editor's stance replaces the one the curated quote took from the annotator.
    assert list(Stance.objects.filter(quote=curated).values_list("label", "annotator")) == [("against", editor_user.pk)]
    stance_events = curated.events.filter(action=QuoteEvent.Action.STANCE, actor=editor_user)
    assert stance_events.exists() and all(e.before != e.after for e in stance_events)


def test_correct_with_bad_span_changes_nothing(article, submitted_quote, editor_user):
    before = list(Quote.objects.values())
    with pytest.raises(ValidationError, match="past the end"):
        services.quote_correct_and_accept(
            quote=submitted_quote, reviewer=editor_user, expected_version=submitted_quote.version, spans=[(0, 10_000)]
        )
    assert list(Quote.objects.values()) == before


def test_bulk_review_mixed_selection(article, annotator_user, editor_user, other_annotator):
    waiting = submit(make_quote(article=article, annotator_user=annotator_user))
    accepted = submit(make_quote(article=article, annotator_user=other_annotator))
    annotation_services.quote_accept(quote=accepted, reviewer=editor_user)
    draft = make_quote(article=article, text="The plan is ready.", annotator_user=annotator_user)
    stale = submit(make_quote(article=article, text="The plan is ready.", annotator_user=other_annotator))
    events = QuoteEvent.objects.filter(quote=accepted).count()
    outcomes = services.bulk_review(
        quote_ids=[waiting.pk, accepted.pk, draft.pk, stale.pk, 999_999, waiting.pk],
        reviewer=editor_user,
        decision="accept",
        versions={stale.pk: stale.version - 1},
    )
    by_id = {o.quote_id: o for o in outcomes}
    assert len(outcomes) == 5  # the duplicated id counts once
    assert by_id[waiting.pk].outcome == "accepted"
    assert by_id[accepted.pk].outcome == "unchanged" and "accepted already" in by_id[accepted.pk].message
    assert by_id[draft.pk].outcome == "unchanged" and "draft" in by_id[draft.pk].message
    assert by_id[stale.pk].outcome == "conflict"
    assert by_id[999_999].outcome == "missing"
    assert QuoteEvent.objects.filter(quote=accepted).count() == events  # not changed twice
    statuses = dict(Quote.objects.annotations().values_list("pk", "status"))
    assert statuses == {waiting.pk: "accepted", accepted.pk: "accepted", draft.pk: "draft", stale.pk: "submitted"}
    # Two annotators' copies of one quote: one curated quote, supported twice.
    (curated,) = Quote.objects.curated()
    assert curated.support_count == 2 and {waiting.curated_id for waiting in [Quote.objects.get(pk=waiting.pk)]} == {
        curated.pk
    }


def test_bulk_reject_needs_reason_first(article, submitted_quote, editor_user):
    with pytest.raises(ValidationError, match="reason"):
        services.bulk_review(quote_ids=[submitted_quote.pk], reviewer=editor_user, decision="reject")
    outcomes = services.bulk_review(
        quote_ids=[submitted_quote.pk], reviewer=editor_user, decision="reject", reason="Dup"
    )
    assert outcomes[0].outcome == "rejected" and Quote.objects.annotations().get().review_note == "Dup"


def test_adjudicate_pick_accepts_one_and_rejects_others_with_reason(
    article, annotator_user, other_annotator, editor_user
):
    mine = submit(make_quote(article=article, annotator_user=annotator_user))
    theirs = submit(make_quote(article=article, annotator_user=other_annotator, kind="indirect"))
    services.adjudicate_pick(chosen=theirs, others=[mine], reviewer=editor_user)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert theirs.status == Status.ACCEPTED
    assert mine.status == Status.REJECTED and f"quote #{theirs.pk}" in mine.review_note
    (curated,) = Quote.objects.curated()
    assert curated.kind == "indirect" and theirs.curated == curated and curated.support_count == 1
    services.adjudicate_pick(chosen=theirs, others=[mine], reviewer=editor_user)  # idempotent
    assert QuoteEvent.objects.filter(action__in=["accept", "reject"]).count() == 2
    assert Quote.objects.curated().count() == 1


def test_adjudicate_merge_accepts_matching_versions_into_one_curated_quote(
    article, annotator_user, other_annotator, editor_user
):
    mine = submit(make_quote(article=article, annotator_user=annotator_user))
    theirs = submit(make_quote(article=article, annotator_user=other_annotator))
    curated = services.adjudicate_pick(chosen=theirs, others=[mine], reviewer=editor_user, merged=True)
    assert set(Quote.objects.annotations().values_list("status", "curated")) == {("accepted", curated.pk)}
    curated.refresh_from_db()
    assert (curated.support_count, curated.supported_by) == (
        2,
        ";".join(sorted([annotator_user.username, other_annotator.username])),
    )


def test_adjudicate_pick_refuses_other_articles(article, annotator_user, other_annotator, editor_user):
    mine = submit(make_quote(article=article, annotator_user=annotator_user))
    elsewhere = submit(make_quote(annotator_user=other_annotator))
    with pytest.raises(ValidationError):
        services.adjudicate_pick(chosen=mine, others=[elsewhere], reviewer=editor_user)
    assert Quote.objects.filter(status=Status.SUBMITTED).count() == 2 and not Quote.objects.curated().exists()


def test_entity_pick(article, annotator_user, other_annotator, editor_user):
    a = make_mention(article=article, annotator_user=annotator_user, status="submitted")
    b = make_mention(article=article, annotator_user=other_annotator, label="ORG", status="submitted")
    services.entity_adjudicate_pick(chosen=a, others=[a, b], reviewer=editor_user)
    assert dict(EntityMention.objects.annotations().values_list("pk", "status")) == {a.pk: "accepted", b.pk: "rejected"}
    (curated,) = EntityMention.objects.curated()
    assert (curated.start, curated.end, curated.label, curated.support_count) == (a.start, a.end, a.label, 1)


def test_assign_chosen_skips_existing_pairs(editor_user, annotator_user, other_annotator):
    articles = [ArticleFactory(), ArticleFactory()]
    created = services.assignments_create(articles=articles, annotators=[annotator_user], assigned_by=editor_user)
    assert len(created) == 2
    created = services.assignments_create(
        articles=articles, annotators=[annotator_user, other_annotator], assigned_by=editor_user
    )
    assert len(created) == 2 and Assignment.objects.count() == 4


def test_assign_refuses_non_annotators_and_non_editors(editor_user, researcher_user, annotator_user, article):
    with pytest.raises(ValidationError, match="not an annotator"):
        services.assignments_create(articles=[article], annotators=[researcher_user], assigned_by=editor_user)
    with pytest.raises(ValidationError, match="Only editors"):
        services.assignments_create(articles=[article], annotators=[annotator_user], assigned_by=annotator_user)
    assert not Assignment.objects.exists()


def test_spread_evenly_balances_by_current_load(editor_user):
    a, b, c = annotator(), annotator(), annotator()
    busy = ArticleFactory()
    services.assignments_create(articles=[busy], annotators=[a], assigned_by=editor_user)  # a has load 1
    articles = [ArticleFactory() for _ in range(4)]
    services.assignments_spread(articles=articles, annotators=[a, b, c], per_article=2, assigned_by=editor_user)
    loads = {u.pk: Assignment.objects.filter(annotator=u).count() for u in (a, b, c)}
    assert sorted(loads.values()) == [3, 3, 3]  # 1 + 8 new spread to 3 each
    for article in articles:
        assert Assignment.objects.filter(article=article).count() == 2
    # Running it again adds nothing: every article has its two.
    assert (
        services.assignments_spread(articles=articles, annotators=[a, b, c], per_article=2, assigned_by=editor_user)
        == []
    )


def test_spread_refuses_too_many_per_article(editor_user, annotator_user, article):
    with pytest.raises(ValidationError, match="between 1 and 1"):
        services.assignments_spread(
            articles=[article], annotators=[annotator_user], per_article=2, assigned_by=editor_user
        )


def test_speaker_merge_moves_everything_in_one_record(article, annotator_user, editor_user):
    keep = corpus_services.speaker_create(name="Jane Doe", aliases=["J. Doe"])
    dup = corpus_services.speaker_create(name="Jane A. Doe", aliases=["Ms. Doe"], wikidata_qid="Q42", tags=["mp"])
    member = SpeakerFactory(name="Aide", affiliation=dup)
    quote = submit(make_quote(article=article, annotator_user=annotator_user, speaker=dup))
    mention = make_mention(article=article, annotator_user=annotator_user, speaker=dup)
    version = Quote.objects.get().version
    record = services.speaker_merge(source=dup, target=keep, actor=editor_user)
    assert not Speaker.objects.filter(pk=dup.pk).exists()
    keep.refresh_from_db()
    assert set(SpeakerAlias.objects.filter(speaker=keep).values_list("alias", flat=True)) == {
        "Jane Doe",
        "J. Doe",
        "Jane A. Doe",
        "Ms. Doe",
    }
    quote.refresh_from_db()
    mention.refresh_from_db()
    member.refresh_from_db()
    assert quote.speaker == keep and quote.version == version + 1 and mention.speaker == keep
    assert member.affiliation == keep and keep.wikidata_qid == "Q42" and list(keep.tags.names()) == ["mp"]
    event = quote.events.order_by("-id").first()
    assert event.before["speaker"] == "Jane A. Doe" and event.after["speaker"] == "Jane Doe"
    assert (record.quotes_moved, record.mentions_moved, record.aliases_moved) == (1, 1, 2)
    assert SpeakerMerge.objects.get().source_snapshot["aliases"] == ["Jane A. Doe", "Ms. Doe"]
    assert speaker_find_ok("Ms Doe", keep)


def test_speaker_merge_undo_brings_everything_back(article, annotator_user, editor_user):
    keep = corpus_services.speaker_create(name="Jane Doe", aliases=["J. Doe"])
    dup = corpus_services.speaker_create(name="Jane A. Doe", aliases=["Ms. Doe"], wikidata_qid="Q42", tags=["mp"])
    member = SpeakerFactory(name="Aide", affiliation=dup)
    quote = submit(make_quote(article=article, annotator_user=annotator_user, speaker=dup))
    mention = make_mention(article=article, annotator_user=annotator_user, speaker=dup)
    record = services.speaker_merge(source=dup, target=keep, actor=editor_user)
    back = services.speaker_merge_undo(merge=record, actor=editor_user)
    assert back.pk == dup.pk and (back.name, back.wikidata_qid) == ("Jane A. Doe", "Q42")
    keep.refresh_from_db()
    assert keep.wikidata_qid == "" and set(keep.aliases.values_list("alias", flat=True)) == {"Jane Doe", "J. Doe"}
    assert set(back.aliases.values_list("alias", flat=True)) == {"Jane A. Doe", "Ms. Doe"}
    quote.refresh_from_db()
    mention.refresh_from_db()
    member.refresh_from_db()
    assert quote.speaker_id == mention.speaker_id == member.affiliation_id == dup.pk
    assert [e.action for e in quote.events.order_by("id")][-2:] == ["merge", "merge"]
    with pytest.raises(ValidationError, match="undone already"):
        services.speaker_merge_undo(merge=record, actor=editor_user)


def attribute_rows(speaker):
    """Every column of a speaker's attributes, speaker aside: what an undo must give back."""
    return list(SpeakerAttribute.objects.filter(speaker=speaker).order_by("id").values())


def attributed_pair(article, editor_user):
    """A kept speaker with a role of its own, and a duplicate with four attributes, each source's provenance."""
    keep = corpus_services.speaker_create(name="Jane Doe")
    dup = corpus_services.speaker_create(name="Jane A. Doe")
    corpus_services.speaker_attribute_set(speaker=keep, name="role", value="politician", source="editor")
    corpus_services.speaker_attribute_set(
        speaker=dup,
        name="gender",
        value="woman",
        source="article",
        actor=editor_user,
        article=article,
        span=find_span(article.body, "Jane Doe"),
    )
    retrieved = datetime.datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=datetime.UTC)
    corpus_services.speaker_attribute_set(
        speaker=dup, name="country", value="Freedonia", source="wikidata", wikidata_qid="Q42", retrieved_at=retrieved
    )
    corpus_services.speaker_attribute_set(speaker=dup, name="role", value="expert", source="import")
    corpus_services.speaker_attribute_set(
        speaker=dup, name="party", value="Green", source="editor", actor=editor_user, evidence="her site"
    )
    # Dates the merge and the undo must not touch (auto_now would stamp them now).
    SpeakerAttribute.objects.filter(speaker=dup).update(
        set_at=datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    )
    return keep, dup


def test_speaker_merge_keeps_attributes_in_the_record_and_gives_the_kept_speaker_those_it_lacks(article, editor_user):
    keep, dup = attributed_pair(article, editor_user)
    before = attribute_rows(dup)
    keep_before = attribute_rows(keep)
    record = services.speaker_merge(source=dup, target=keep, actor=editor_user)
    recorded = SpeakerMerge.objects.get(pk=record.pk).source_snapshot["attributes"]
    assert [(a["id"], a["name"], a["value"], a["source"]) for a in recorded] == [
        (r["id"], r["name"], r["value"], r["source"]) for r in before
    ]
    country = next(a for a in recorded if a["name"] == "country")
    assert (country["wikidata_qid"], country["retrieved_at"]) == ("Q42", "2026-03-04T05:06:07.123456+00:00")
    gender = next(a for a in recorded if a["name"] == "gender")
    assert (gender["article_id"], gender["evidence"], gender["set_by_id"]) == (
        article.pk,
        "Jane Doe",  # the span's words
        editor_user.pk,
    )
    assert (gender["span_start"], gender["span_end"]) == find_span(article.body, "Jane Doe")
    # The kept speaker keeps its own role and takes the three it lacked, the same rows with their provenance.
    after = {r["name"]: r for r in attribute_rows(keep)}
    assert after["role"] == keep_before[0]
    moved = {r["name"]: r for r in before if r["name"] != "role"}
    assert {name: {**row, "speaker_id": keep.pk} for name, row in moved.items()} == {
        name: row for name, row in after.items() if name != "role"
    }
    assert SpeakerMerge.objects.get().source_snapshot["moved_attribute_ids"] == sorted(r["id"] for r in moved.values())
    assert not SpeakerAttribute.objects.filter(pk=next(r["id"] for r in before if r["name"] == "role")).exists()


def test_speaker_merge_undo_recreates_the_attributes_exactly(article, editor_user):
    keep, dup = attributed_pair(article, editor_user)
    before, keep_before = attribute_rows(dup), attribute_rows(keep)
    record = services.speaker_merge(source=dup, target=keep, actor=editor_user)
    back = services.speaker_merge_undo(merge=record, actor=editor_user)
    assert attribute_rows(back) == before  # every column: id, value, source, span, evidence, QID, dates, who
    assert attribute_rows(keep) == keep_before  # what it took is taken off again


def test_speaker_merge_undo_leaves_an_attribute_changed_on_the_kept_speaker_since(article, editor_user):
    keep, dup = attributed_pair(article, editor_user)
    before = attribute_rows(dup)
    record = services.speaker_merge(source=dup, target=keep, actor=editor_user)
    corpus_services.speaker_attribute_set(speaker=keep, name="party", value="Blue", source="editor")
    back = services.speaker_merge_undo(merge=record, actor=editor_user)
    assert dict(SpeakerAttribute.objects.filter(speaker=keep).values_list("name", "value")) == {
        "role": "politician",
        "party": "Blue",
    }
    restored = attribute_rows(back)
    party = next(r for r in restored if r["name"] == "party")
    was = next(r for r in before if r["name"] == "party")
    assert party["id"] != was["id"] and {**party, "id": was["id"]} == was
    assert [r for r in restored if r["name"] != "party"] == [r for r in before if r["name"] != "party"]


def test_speaker_merge_gender_that_does_not_fit_the_kept_speaker_stays_with_the_duplicate(editor_user):
    keep = corpus_services.speaker_create(name="Civic League", kind=Speaker.Kind.ORGANIZATION)
    dup = corpus_services.speaker_create(name="J. Civic League")
    corpus_services.speaker_attribute_set(speaker=dup, name="gender", value="woman", source="editor")
    before = attribute_rows(dup)
    record = services.speaker_merge(source=dup, target=keep, actor=editor_user)
    assert not SpeakerAttribute.objects.exists()
    assert record.source_snapshot["moved_attribute_ids"] == []
    back = services.speaker_merge_undo(merge=record, actor=editor_user)
    assert attribute_rows(back) == before


def test_refused_speaker_merge_undo_writes_nothing(article, editor_user):
    keep, dup = attributed_pair(article, editor_user)
    record = services.speaker_merge(source=dup, target=keep, actor=editor_user)
    keep_after_merge = attribute_rows(keep)
    SpeakerFactory(pk=dup.pk, name="Someone else")  # the old id is taken again
    with pytest.raises(ValidationError, match="exists again"):
        services.speaker_merge_undo(merge=record, actor=editor_user)
    assert attribute_rows(keep) == keep_after_merge and not SpeakerAttribute.objects.filter(speaker_id=dup.pk).exists()
    record.refresh_from_db()
    assert record.undone_at is None and SpeakerAlias.objects.filter(alias="Jane A. Doe", speaker=keep).exists()
    Speaker.objects.filter(pk=dup.pk).delete()
    back = services.speaker_merge_undo(merge=record, actor=editor_user)
    assert {r["name"] for r in attribute_rows(back)} == {"gender", "country", "role", "party"}
    with pytest.raises(ValidationError, match="undone already"):
        services.speaker_merge_undo(merge=record, actor=editor_user)
    assert SpeakerAttribute.objects.filter(speaker=back).count() == 4
    assert attribute_rows(keep)[0]["value"] == "politician" and len(attribute_rows(keep)) == 1


def test_speaker_merge_undo_skips_an_attribute_whose_article_is_gone(article, editor_user):
    keep, dup = attributed_pair(article, editor_user)
    keep_before = attribute_rows(keep)
    record = services.speaker_merge(source=dup, target=keep, actor=editor_user)
    article.delete()  # its gender attribute (moved to the kept speaker) goes with it
    back = services.speaker_merge_undo(merge=record, actor=editor_user)
    assert {r["name"] for r in attribute_rows(back)} == {"country", "role", "party"}
    assert attribute_rows(keep) == keep_before


def speaker_find_ok(text, speaker):
    return speaker_named(text).speaker == speaker


def test_speaker_merge_refuses_same_speaker(editor_user):
    s = SpeakerFactory()
    with pytest.raises(ValidationError):
        services.speaker_merge(source=s, target=s, actor=editor_user)
    assert Speaker.objects.filter(pk=s.pk).exists() and not SpeakerMerge.objects.exists()


def _proposal_of(speaker):
    speaker.refresh_from_db()
    return (speaker.wikidata_qid, speaker.wikidata_qid_proposed, speaker.wikidata_proposed_by_id)


def test_speaker_merge_gives_a_proposal_to_a_kept_speaker_without_an_item_and_the_undo_takes_it_back(
    annotator_user, editor_user
):
    dup = corpus_services.speaker_create(name="Jane A. Doe", wikidata_pick="Q42", actor=annotator_user)
    proposed_at = Speaker.objects.get(pk=dup.pk).wikidata_proposed_at
    keep = corpus_services.speaker_create(name="Jane Doe")
    merge = services.speaker_merge(source=dup, target=keep, actor=editor_user)
    assert _proposal_of(keep) == ("", "Q42", annotator_user.pk)
    assert keep.wikidata_proposed_at == proposed_at
    back = services.speaker_merge_undo(merge=merge, actor=editor_user)
    assert _proposal_of(back) == ("", "Q42", annotator_user.pk) and back.wikidata_proposed_at == proposed_at
    assert _proposal_of(keep) == ("", "", None) and keep.wikidata_proposed_at is None


def test_speaker_merge_keeps_the_kept_speakers_item_and_a_decision_made_since_stands(annotator_user, editor_user):
    dup = corpus_services.speaker_create(name="Jane A. Doe", wikidata_pick="Q42", actor=annotator_user)
    linked = corpus_services.speaker_create(name="Jane Doe", wikidata_qid="Q7")
    merge = services.speaker_merge(source=dup, target=linked, actor=editor_user)
    assert _proposal_of(linked) == ("Q7", "", None)  # a linked speaker takes no proposal
    assert _proposal_of(services.speaker_merge_undo(merge=merge, actor=editor_user)) == ("", "Q42", annotator_user.pk)

    dup = Speaker.objects.get(name="Jane A. Doe")
    keep = corpus_services.speaker_create(name="Jane B. Doe")
    merge = services.speaker_merge(source=dup, target=keep, actor=editor_user)
    corpus_services.speaker_wikidata_proposal_reject(speaker=keep, qid="Q42", actor=editor_user)
    back = services.speaker_merge_undo(merge=merge, actor=editor_user)
    assert _proposal_of(back) == ("", "", None) and _proposal_of(keep) == ("", "", None)  # the rejection stands

"""Editors' writes: review decisions, assignment, adjudication and speaker merges.

Review is the only writer of the curated layer, and it writes it through ``annotations.services``
(quote_accept, quote_reject, curated_quote_update, stance_set, ...), which lock the rows, check the
version the editor saw and write one history event per change.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from accounts.roles import Role, has_role
from annotations import services as annotation_services
from annotations.exceptions import VersionConflict
from annotations.models import EntityMention, Layer, Quote, Stance, StanceTarget, Status
from corpus.models import Article, Speaker, SpeakerAlias, SpeakerAttribute

from . import agreement, selectors
from .models import ArticleAgreement, Assignment, CorpusAgreement, SpeakerMerge

UNSET = annotation_services.UNSET


def _require_editor(user: Any) -> None:
    if not has_role(user, Role.EDITOR):
        raise ValidationError("Only editors review, assign and merge.")


# --- Review decisions ---------------------------------------------------------------------------


@transaction.atomic
def quote_review(
    *, quote: Quote, reviewer: Any, decision: str, expected_version: int | None, reason: str = ""
) -> Quote:
    """Accept or reject one quote at the version the editor saw. Raises VersionConflict if it changed."""
    _require_editor(reviewer)
    if decision == "accept":
        return annotation_services.quote_accept(
            quote=quote, reviewer=reviewer, expected_version=expected_version, note=reason
        )
    if decision == "reject":
        return annotation_services.quote_reject(
            quote=quote, reviewer=reviewer, reason=reason, expected_version=expected_version
        )
    raise ValidationError(f"Unknown review decision {decision!r}.")


@transaction.atomic
def quote_correct_and_accept(
    *,
    quote: Quote,
    reviewer: Any,
    expected_version: int,
    spans: Iterable[Sequence[int]] = UNSET,
    kind: str = UNSET,
    speaker: Speaker | None = UNSET,
    cue: Sequence[int] | None = UNSET,
    speaker_mention: Sequence[int] | None = UNSET,
    stances: Mapping[StanceTarget, str | None] | None = None,
    note: str = "",
) -> Quote:
    """Accept an annotator's quote and correct the curated quote it supports, in one step (given a
    curated quote, correct it).

    The annotator's quote stays as it was submitted (it is their record, and agreement reads it); the
    correction is one ``correct`` event on the curated quote. A stance the editor sets replaces the
    curated quote's stances on that target (``None`` removes them). Returns the curated quote.
    """
    _require_editor(reviewer)
    curated: Quote | None
    version: int | None = expected_version
    if quote.layer == Layer.CURATED:
        curated, label = quote, "an editor"
    else:
        accepted = annotation_services.quote_accept(
            quote=quote, reviewer=reviewer, expected_version=expected_version, note=note
        )
        curated, version, label = accepted.curated, None, f"review of quote #{accepted.pk}"
    if curated is None:
        raise ValidationError("The accepted quote has no curated quote.")
    changes = {
        k: v
        for k, v in {
            "spans": spans,
            "kind": kind,
            "speaker": speaker,
            "cue": cue,
            "speaker_mention": speaker_mention,
        }.items()
        if v is not UNSET
    }
    if changes:
        curated = annotation_services.curated_quote_update(
            quote=curated,
            editor=reviewer,
            expected_version=version,
            note=note.strip() or f"Corrected in {label}.",
            **changes,
        )
    curated_stances_set(quote=curated, editor=reviewer, stances=stances or {})
    return curated


def curated_stances_set(*, quote: Quote, editor: Any, stances: Mapping[StanceTarget, str | None]) -> None:
    """Set the curated quote's one stance per target (``None`` or "" removes the target's stances)."""
    for target, label in stances.items():
        existing = list(Stance.objects.filter(quote=quote, target=target))
        if not label:
            if existing:
                annotation_services.stances_delete(quote=quote, actor=editor, target=target)
            continue
        if len(existing) == 1 and existing[0].label == label:
            continue  # unchanged
        others = [s for s in existing if s.annotator_id != editor.pk]
        if others:
            annotation_services.stances_delete(quote=quote, actor=editor, target=target, keep_target_ids=())
        annotation_services.stance_set(quote=quote, target=target, label=label, annotator=editor)


@dataclass(frozen=True)
class BulkOutcome:
    quote_id: int
    outcome: str  # accepted, rejected, unchanged, conflict, missing
    message: str


@transaction.atomic
def bulk_review(
    *,
    quote_ids: Iterable[int],
    reviewer: Any,
    decision: str,
    reason: str = "",
    versions: Mapping[int, int] | None = None,
) -> list[BulkOutcome]:
    """Accept or reject a selection; returns one outcome per requested quote.

    Only submitted quotes change. A quote already accepted or rejected (by someone else, or earlier
    in this batch) is reported as unchanged, never reviewed twice; a quote whose version differs from
    the one the editor saw (``versions``) is reported as a conflict. Each quote is written in its own
    savepoint, so one conflict does not undo the others.
    """
    _require_editor(reviewer)
    if decision not in ("accept", "reject"):
        raise ValidationError(f"Unknown review decision {decision!r}.")
    reason = (reason or "").strip()
    if decision == "reject" and not reason:
        raise ValidationError({"reason": "Give a reason for the rejection; the annotators will see it."})
    ids = sorted({int(i) for i in quote_ids})
    if not ids:
        raise ValidationError("Select at least one quote.")
    versions = versions or {}
    # Lock in id order so two bulk actions on overlapping selections cannot deadlock.
    rows = {q.pk: q for q in Quote.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    results = []
    for pk in ids:
        quote = rows.get(pk)
        if quote is None:
            results.append(BulkOutcome(pk, "missing", f"Quote #{pk} no longer exists."))
            continue
        if quote.status != Status.SUBMITTED:
            results.append(
                BulkOutcome(
                    pk, "unchanged", f"Quote #{pk} is {quote.get_status_display().lower()} already; left as it is."
                )
            )
            continue
        try:
            with transaction.atomic():
                quote_review(
                    quote=quote,
                    reviewer=reviewer,
                    decision=decision,
                    reason=reason,
                    expected_version=versions.get(pk),
                )
        except VersionConflict as conflict:
            results.append(BulkOutcome(pk, "conflict", str(conflict)))
            continue
        done = "accepted" if decision == "accept" else "rejected"
        results.append(BulkOutcome(pk, done, f"Quote #{pk} {done}."))
    return results


# --- Adjudication ---------------------------------------------------------------------------------


@transaction.atomic
def adjudicate_pick(
    *,
    chosen: Quote,
    others: Iterable[Quote],
    reviewer: Any,
    versions: Mapping[int, int] | None = None,
    merged: bool = False,
) -> Quote:
    """Settle one position of an article: ``chosen`` becomes the curated version of this quote.

    With ``merged`` the versions matched already (one-click merge): all of them are accepted and support
    one curated quote. Otherwise the curated quote takes ``chosen``'s content (spans, kind, speaker,
    cue, mention) and the other versions are rejected with a reason naming the chosen quote, so their
    annotators see why. Returns the curated quote.
    """
    _require_editor(reviewer)
    versions = versions or {}
    others = [q for q in others if q.pk != chosen.pk]
    if any(q.article_id != chosen.article_id for q in others):
        raise ValidationError("Adjudication compares quotes of one article.")
    if chosen.layer != Layer.ANNOTATION or any(q.layer != Layer.ANNOTATION for q in others):
        raise ValidationError("Adjudication compares annotators' quotes.")
    if chosen.status != Status.ACCEPTED:
        chosen = annotation_services.quote_accept(
            quote=chosen,
            reviewer=reviewer,
            expected_version=versions.get(chosen.pk),
            note="Chosen in adjudication",
        )
    if chosen.curated_id is None:
        raise ValidationError("The accepted quote has no curated quote.")
    curated = Quote.objects.select_related("speaker").get(pk=chosen.curated_id)
    if not merged:
        wanted: dict[str, Any] = {
            "spans": [(s.start, s.end) for s in chosen.spans.all()],
            "kind": chosen.kind,
            "speaker": chosen.speaker,
            "cue": chosen.cue,
            "speaker_mention": chosen.speaker_mention,
        }
        curated = annotation_services.curated_quote_update(
            quote=curated, editor=reviewer, note=f"Quote #{chosen.pk}'s version chosen in adjudication.", **wanted
        )
    for other in sorted(others, key=lambda q: q.pk):
        if merged:
            if other.status != Status.ACCEPTED:
                annotation_services.quote_accept(
                    quote=other,
                    reviewer=reviewer,
                    expected_version=versions.get(other.pk),
                    note=f"Same as quote #{chosen.pk}, merged in adjudication.",
                )
            continue
        if other.status == Status.REJECTED:
            continue
        annotation_services.quote_reject(
            quote=other,
            reviewer=reviewer,
            expected_version=versions.get(other.pk),
            reason=f"Another annotator's version (quote #{chosen.pk}) was accepted in adjudication.",
        )
    return curated


@transaction.atomic
def entity_adjudicate_pick(*, chosen: EntityMention, others: Iterable[EntityMention], reviewer: Any) -> EntityMention:
    """Accept one annotator's entity mention and reject the other versions of it."""
    _require_editor(reviewer)
    for other in others:
        if other.pk != chosen.pk and other.status != Status.REJECTED:
            annotation_services.entity_mention_review(mention=other, reviewer=reviewer, accept=False)
    if chosen.status != Status.ACCEPTED:
        chosen = annotation_services.entity_mention_review(mention=chosen, reviewer=reviewer, accept=True)
    return chosen


# --- Assignment ---------------------------------------------------------------------------------


def _check_annotators(annotators: Sequence[Any]) -> None:
    if not annotators:
        raise ValidationError({"annotators": "Choose at least one annotator."})
    for user in annotators:
        if not has_role(user, Role.ANNOTATOR, Role.EDITOR):
            raise ValidationError({"annotators": f"{user.get_username()} is not an annotator."})


@transaction.atomic
def assignments_create(*, articles: Sequence[Article], annotators: Sequence[Any], assigned_by: Any) -> list[Assignment]:
    """Assign each article to each annotator; pairs assigned already are left as they are."""
    _require_editor(assigned_by)
    _check_annotators(annotators)
    if not articles:
        raise ValidationError({"articles": "Choose at least one article."})
    existing = set(
        Assignment.objects.filter(article__in=articles, annotator__in=annotators).values_list(
            "article_id", "annotator_id"
        )
    )
    rows = [
        Assignment(article=article, annotator=user, assigned_by=assigned_by)
        for article in articles
        for user in annotators
        if (article.pk, user.pk) not in existing
    ]
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=False)
    created = Assignment.objects.bulk_create(rows)
    agreement_mark_stale(article_ids=[row.article_id for row in created])
    return created


@transaction.atomic
def assignments_spread(
    *, articles: Sequence[Article], annotators: Sequence[Any], per_article: int, assigned_by: Any
) -> list[Assignment]:
    """Give each article ``per_article`` annotators in all, choosing the least loaded first.

    Load is each annotator's current number of assignments (across the corpus), updated as this runs;
    ties go to the lower user id. Annotators an article has already count toward its ``per_article``.
    """
    _require_editor(assigned_by)
    _check_annotators(annotators)
    if not articles:
        raise ValidationError({"articles": "Choose at least one article."})
    if not 1 <= per_article <= len(annotators):
        raise ValidationError(
            {"per_article": f"Annotators per article must be between 1 and {len(annotators)} (the number chosen)."}
        )
    annotators = sorted(annotators, key=lambda u: u.pk)
    load = dict(
        Assignment.objects.filter(annotator__in=annotators)
        .values("annotator_id")
        .annotate(n=Count("id"))
        .values_list("annotator_id", "n")
    )
    have: dict[int, set[int]] = {}
    for article_id, annotator_id in Assignment.objects.filter(article__in=articles).values_list(
        "article_id", "annotator_id"
    ):
        have.setdefault(article_id, set()).add(annotator_id)
    rows = []
    for article in sorted(articles, key=lambda a: a.pk):
        current = have.get(article.pk, set())
        need = per_article - len(current & {u.pk for u in annotators})
        choices = sorted((u for u in annotators if u.pk not in current), key=lambda u: (load.get(u.pk, 0), u.pk))
        for user in choices[: max(need, 0)]:
            rows.append(Assignment(article=article, annotator=user, assigned_by=assigned_by))
            load[user.pk] = load.get(user.pk, 0) + 1
    created = Assignment.objects.bulk_create(rows)
    agreement_mark_stale(article_ids=[row.article_id for row in created])
    return created


@transaction.atomic
def assignment_delete(*, assignment: Assignment, actor: Any) -> None:
    _require_editor(actor)
    article_id = assignment.article_id
    assignment.delete()
    agreement_mark_stale(article_ids=[article_id])


# --- Speaker merge ------------------------------------------------------------------------------

# Every column of a SpeakerAttribute, as the merge record keeps it (dates as ISO strings: the record is JSON).
_ATTRIBUTE_FIELDS = (
    "id",
    "name",
    "value",
    "source",
    "article_id",
    "span_start",
    "span_end",
    "evidence",
    "wikidata_qid",
    "retrieved_at",
    "set_by_id",
    "set_at",
)
_ATTRIBUTE_DATES = ("retrieved_at", "set_at")


def _attribute_data(attribute: SpeakerAttribute) -> dict[str, Any]:
    data = {field: getattr(attribute, field) for field in _ATTRIBUTE_FIELDS}
    for field in _ATTRIBUTE_DATES:
        data[field] = data[field].isoformat() if data[field] is not None else None
    return data


def _attribute_takeable(attribute: SpeakerAttribute, target: Speaker) -> bool:
    """Whether the duplicate's attribute holds for the kept speaker by the attribute rules (a gender "not
    applicable" fits an organization only, so it does not move to a person)."""
    moved = SpeakerAttribute(**{f: getattr(attribute, f) for f in _ATTRIBUTE_FIELDS if f != "id"})
    moved.speaker = target
    try:
        moved.full_clean(validate_constraints=False, validate_unique=False)
    except ValidationError:
        return False
    return True


@transaction.atomic
def speaker_merge(*, source: Speaker, target: Speaker, actor: Any) -> SpeakerMerge:
    """Merge the duplicate ``source`` into ``target``, then delete ``source``; one transaction.

    Aliases move over (the source's own name becomes an alias of the target), quotes and entity
    mentions re-point (one history event each), members affiliated with the source follow, tags are
    united, and the target takes the source's Wikidata QID and description if it has none (and the source's
    proposed QID, an annotator's pick waiting for an editor, if it has neither a QID nor a proposal), and each of
    the source's attributes it lacks (with its provenance; the others are deleted with the source). A
    ``SpeakerMerge`` row records it all, with what ``speaker_merge_undo`` needs to take it back.
    """
    _require_editor(actor)
    if source.pk == target.pk:
        raise ValidationError("Choose two different speakers to merge.")
    speakers = {s.pk: s for s in Speaker.objects.select_for_update().filter(pk__in=[source.pk, target.pk])}
    if len(speakers) != 2:
        raise ValidationError("One of the speakers no longer exists.")
    source, target = speakers[source.pk], speakers[target.pk]
    alias_ids = list(SpeakerAlias.objects.filter(speaker=source).order_by("pk").values_list("pk", flat=True))
    snapshot: dict[str, Any] = {
        "id": source.pk,
        "name": source.name,
        "kind": source.kind,
        "description": source.description,
        "wikidata_qid": source.wikidata_qid,
        # An annotator's proposed item, waiting for an editor: it goes with the duplicate, or to the kept
        # speaker when that has no item of its own, and comes back with the undo.
        "wikidata_qid_proposed": source.wikidata_qid_proposed,
        "wikidata_proposed_by_id": source.wikidata_proposed_by_id,
        "wikidata_proposed_at": source.wikidata_proposed_at.isoformat() if source.wikidata_proposed_at else None,
        "affiliation_id": source.affiliation_id,
        "aliases": list(SpeakerAlias.objects.filter(pk__in=alias_ids).order_by("pk").values_list("alias", flat=True)),
        "alias_ids": alias_ids,
        "tags": sorted(source.tags.names()),
        "member_ids": list(
            Speaker.objects.filter(affiliation=source).exclude(pk=target.pk).values_list("pk", flat=True)
        ),
        "target_was_affiliated": target.affiliation_id == source.pk,
    }
    # The duplicate's attributes, every column, before any is moved or deleted: the undo recreates them.
    attributes = list(SpeakerAttribute.objects.filter(speaker=source).order_by("pk"))
    snapshot["attributes"] = [_attribute_data(a) for a in attributes]
    # What the kept speaker lacks it takes, with its provenance (same row, moved); the rest goes with the
    # duplicate. The undo takes the moved ones back off the kept speaker.
    target_names = set(SpeakerAttribute.objects.filter(speaker=target).values_list("name", flat=True))
    snapshot["moved_attribute_ids"] = [
        a.pk for a in attributes if a.name not in target_names and _attribute_takeable(a, target)
    ]
    SpeakerAttribute.objects.filter(pk__in=snapshot["moved_attribute_ids"]).update(speaker=target)
    moved_aliases = SpeakerAlias.objects.filter(pk__in=alias_ids).update(speaker=target)
    snapshot["added_alias_id"] = None
    if not SpeakerAlias.objects.matching(source.name).exists():
        alias_row = SpeakerAlias(speaker=target, alias=source.name)
        alias_row.full_clean()
        alias_row.save()
        snapshot["added_alias_id"] = alias_row.pk

    quote_ids, mention_ids = annotation_services.speaker_replace(
        source=source,
        target=target,
        actor=actor,
        note=f"Speaker “{source.name}” merged into “{target.name}”.",
    )
    snapshot["quote_ids"], snapshot["mention_ids"] = quote_ids, mention_ids
    Speaker.objects.filter(pk__in=snapshot["member_ids"]).update(affiliation=target)
    if target.affiliation_id == source.pk:
        target.affiliation = None

    tags = sorted(set(snapshot["tags"]) | set(target.tags.names()))
    source_pk, source_proposed_at = source.pk, source.wikidata_proposed_at
    source.delete()
    snapshot["took_qid"] = not target.wikidata_qid and bool(snapshot["wikidata_qid"])
    snapshot["took_description"] = not target.description and bool(snapshot["description"])
    if snapshot["took_qid"]:
        target.wikidata_qid = snapshot["wikidata_qid"]
    snapshot["took_proposal"] = (
        bool(snapshot["wikidata_qid_proposed"]) and not target.wikidata_qid and not target.wikidata_qid_proposed
    )
    if snapshot["took_proposal"]:
        target.wikidata_qid_proposed = snapshot["wikidata_qid_proposed"]
        target.wikidata_proposed_by_id = snapshot["wikidata_proposed_by_id"]
        target.wikidata_proposed_at = source_proposed_at
    if snapshot["took_description"]:
        target.description = snapshot["description"]
    target.full_clean()
    target.save()
    target.tags.set(tags)
    record = SpeakerMerge(
        source_id_was=source_pk,
        source_name=snapshot["name"],
        source_snapshot=snapshot,
        target=target,
        target_name=target.name,
        merged_by=actor,
        aliases_moved=moved_aliases,
        quotes_moved=len(quote_ids),
        mentions_moved=len(mention_ids),
    )
    record.full_clean()
    record.save()
    return record


def _attributes_to_restore(snap: Mapping[str, Any], target: Speaker) -> tuple[list[SpeakerAttribute], list[int]]:
    """The duplicate's attributes as recorded at the merge (unsaved rows, their speaker still to set), and the
    ids of those the kept speaker took that still stand as recorded, to take off it again.

    Recreated exactly, id and dates included, except: an attribute read from an article deleted since is not
    (it would have gone with the article); a user deleted since is no longer named (as the deletion does);
    a moved attribute an editor changed on the kept speaker since stays there as changed, and the restored
    speaker gets the recorded one under a new id.
    """
    recorded = snap.get("attributes", [])
    moved = set(snap.get("moved_attribute_ids", []))
    article_ids = {a["article_id"] for a in recorded if a["article_id"] is not None}
    articles = set(Article.objects.filter(pk__in=article_ids).values_list("pk", flat=True))
    user_ids = {a["set_by_id"] for a in recorded if a["set_by_id"] is not None}
    users = set(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", flat=True))
    on_target = {
        row["id"]: row
        for row in SpeakerAttribute.objects.filter(pk__in=moved, speaker=target).values(*_ATTRIBUTE_FIELDS)
    }
    taken_ids = set(SpeakerAttribute.objects.filter(pk__in=[a["id"] for a in recorded]).values_list("pk", flat=True))
    rows: list[SpeakerAttribute] = []
    moved_back: list[int] = []
    for data in recorded:
        if data["article_id"] is not None and data["article_id"] not in articles:
            continue
        values = dict(data)
        for field in _ATTRIBUTE_DATES:
            values[field] = datetime.datetime.fromisoformat(data[field]) if data[field] is not None else None
        if values["set_by_id"] not in users:
            values["set_by_id"] = None
        current = on_target.get(data["id"])
        if current is not None and current == values:
            moved_back.append(data["id"])
        elif data["id"] in taken_ids:
            values["id"] = None
        rows.append(SpeakerAttribute(**values))
    return rows, moved_back


@transaction.atomic
def speaker_merge_undo(*, merge: SpeakerMerge, actor: Any) -> Speaker:
    """Take a merge back: the duplicate comes back under its old id with its fields, aliases, attributes,
    members, quotes and mentions (each re-pointed quote and mention gets one history event); the attributes
    the kept speaker took from it are taken off it again."""
    _require_editor(actor)
    record = SpeakerMerge.objects.select_for_update(of=("self",)).select_related("target").get(pk=merge.pk)
    if record.undone_at is not None:
        raise ValidationError("This merge was undone already.")
    target = record.target
    if target is None:
        raise ValidationError("The speaker it was merged into has been deleted; the merge cannot be undone.")
    snap = record.source_snapshot
    if "quote_ids" not in snap:
        raise ValidationError("This merge was recorded before merges could be undone.")
    if Speaker.objects.filter(pk=snap["id"]).exists():
        raise ValidationError(f"A speaker with id {snap['id']} exists again; the merge cannot be undone.")
    target = Speaker.objects.select_for_update().get(pk=target.pk)
    attribute_rows, moved_back = _attributes_to_restore(snap, target)
    # Every check is above: from here on the undo writes, all of it or (on an error) nothing.
    if snap["took_qid"]:
        target.wikidata_qid = ""
    # The duplicate's proposal comes back with it, unless the kept speaker took it and an editor decided it
    # there since (confirmed or rejected): that decision stands.
    proposal = snap.get("wikidata_qid_proposed", "")
    if snap.get("took_proposal"):
        if target.wikidata_qid_proposed == proposal:
            target.wikidata_qid_proposed, target.wikidata_proposed_by, target.wikidata_proposed_at = "", None, None
        else:
            proposal = ""
    if snap["took_description"]:
        target.description = ""
    target.save()
    proposed_by_id = snap.get("wikidata_proposed_by_id")
    if proposed_by_id is not None and not get_user_model().objects.filter(pk=proposed_by_id).exists():
        proposed_by_id = None
    proposed_at = snap.get("wikidata_proposed_at")
    source = Speaker(
        id=snap["id"],
        name=snap["name"],
        kind=snap["kind"],
        description=snap["description"],
        wikidata_qid=snap["wikidata_qid"],
        wikidata_qid_proposed=proposal,
        wikidata_proposed_by_id=proposed_by_id if proposal else None,
        wikidata_proposed_at=datetime.datetime.fromisoformat(proposed_at) if proposal and proposed_at else None,
        affiliation_id=snap["affiliation_id"],
    )
    source.full_clean(validate_constraints=False)
    source.save(force_insert=True)
    source.tags.set(snap["tags"])
    SpeakerAttribute.objects.filter(pk__in=moved_back, speaker=target).delete()
    set_at = [row.set_at for row in attribute_rows]
    for row in attribute_rows:
        row.speaker = source
    SpeakerAttribute.objects.bulk_create(attribute_rows)
    # set_at is auto_now (bulk_create stamps the rows now): put back the recorded dates, a row at a time (≤ 5).
    for row, when in zip(attribute_rows, set_at, strict=True):
        SpeakerAttribute.objects.filter(pk=row.pk).update(set_at=when)
    if snap.get("added_alias_id"):
        SpeakerAlias.objects.filter(pk=snap["added_alias_id"]).delete()
    SpeakerAlias.objects.filter(pk__in=snap["alias_ids"], speaker=target).update(speaker=source)
    Speaker.objects.filter(pk__in=snap["member_ids"], affiliation=target).update(affiliation=source)
    if snap["target_was_affiliated"]:
        Speaker.objects.filter(pk=target.pk).update(affiliation=source)
    annotation_services.speaker_replace(
        source=target,
        target=source,
        actor=actor,
        quote_ids=snap["quote_ids"],
        mention_ids=snap["mention_ids"],
        note=f"Merge of “{snap['name']}” into “{target.name}” undone.",
    )
    record.undone_at, record.undone_by = timezone.now(), actor
    record.save(update_fields=["undone_at", "undone_by"])
    return source


# --- Stored agreement ---------------------------------------------------------------------------

REFRESH_BATCH = 200


def agreement_mark_stale(*, article_ids: Iterable[int]) -> None:
    """Mark these articles' stored agreement for recomputation (a row is created if missing).

    Called inside the transaction that changed the annotations or assignments, so the mark commits
    or rolls back with the change."""
    ids = sorted(set(article_ids))
    if not ids:
        return
    # one upsert: a new row, or stale=True on the existing one (its stored figures stay until recomputed)
    ArticleAgreement.objects.bulk_create(
        [ArticleAgreement(article_id=pk, stale=True) for pk in ids],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["stale"],
    )


@dataclass(frozen=True)
class AgreementRefresh:
    articles: int  # article rows recomputed
    pooled: bool  # whether the corpus figures were pooled again


@transaction.atomic
def agreement_refresh(
    *,
    article_ids: Iterable[int] | None = None,
    pool: bool = True,
    on_progress: Callable[[int, int], None] | None = None,
) -> AgreementRefresh:
    """Recompute the stale stored agreement (or only ``article_ids`` among the stale), then pool the
    corpus figures from the stored rows. ``on_progress(done, total)`` is called after each batch of
    articles (the background job reports it and may raise there to cancel: then nothing is kept).

    The stale rows are locked first, so a change committed meanwhile marks its article stale again
    after this transaction (its receiver waits for the lock) instead of being lost."""
    stale = ArticleAgreement.objects.filter(stale=True)
    if article_ids is not None:
        stale = stale.filter(article_id__in=list(article_ids))
    ids = list(stale.select_for_update().order_by("article_id").values_list("article_id", flat=True))
    now = timezone.now()
    for start in range(0, len(ids), REFRESH_BATCH):
        chunk = ids[start : start + REFRESH_BATCH]
        data = selectors.annotations_for_agreement(chunk)
        rows = []
        for article_id in chunk:
            quotes = data.quotes.get(article_id, {})
            report = agreement.compare_article(quotes, data.entities[article_id]) if len(quotes) >= 2 else None
            pending = data.pending.get(article_id, [])
            rows.append(
                ArticleAgreement(
                    article_id=article_id,
                    report=agreement.report_to_data(report) if report is not None else {},
                    annotators=len(quotes),
                    pending=pending,
                    pending_count=len(pending),
                    stale=False,
                    computed_at=now,
                )
            )
        ArticleAgreement.objects.bulk_update(
            rows, ["report", "annotators", "pending", "pending_count", "stale", "computed_at"], batch_size=500
        )
        if on_progress is not None:
            on_progress(start + len(chunk), len(ids))
    if pool:
        _pool_corpus(now)
    return AgreementRefresh(articles=len(ids), pooled=pool)


# A page (or API call) reading the corpus agreement recomputes changed articles itself while that is
# small work: this many changed articles, pooled with at most this many compared ones. Past either, it
# shows the stored figures with their time and a "Recompute now" button (and `manage.py refresh_agreement`).
INLINE_REFRESH_ARTICLES = 50
INLINE_POOL_ARTICLES = 2000


def agreement_catch_up() -> selectors.StoredAgreement:
    """The stored corpus agreement, first brought up to date while that is small work."""
    stored = selectors.stored_agreement()
    if not stored.current and stored.changed <= INLINE_REFRESH_ARTICLES and stored.compared <= INLINE_POOL_ARTICLES:
        agreement_refresh()
        stored = selectors.stored_agreement()
    return stored


def _pool_corpus(now: Any) -> None:
    """The corpus report: every stored article report with two or more annotators, added up."""
    corpus = agreement.Report()
    compared = ArticleAgreement.objects.filter(annotators__gte=2).order_by("article_id")
    for data in compared.values_list("report", flat=True).iterator(chunk_size=2000):
        corpus.add(agreement.report_from_data(data))
    pending = ArticleAgreement.objects.aggregate(n=Sum("pending_count"))["n"] or 0
    CorpusAgreement.objects.update_or_create(
        id=1,
        defaults={
            "report": agreement.report_to_data(corpus),
            "compared": corpus.articles,
            "pending": pending,
            "computed_at": now,
        },
    )

"""Every write to annotations goes through here: validated against the article text, atomic, audited.

Offsets are Python code points of ``Article.body``; a span is half-open, ``body[start:end]``.
"""

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from corpus.errors import validation_messages
from corpus.models import Article, Speaker
from text.marks import CLOSING_MARKS, OPENING_MARKS, balanced_marks

from . import signals
from .curation import best_match
from .exceptions import VersionConflict
from .models import (
    HUMAN_ORIGIN,
    EntityMention,
    Layer,
    MentionEvent,
    Quote,
    QuoteEvent,
    QuoteSpan,
    Stance,
    StanceTarget,
    Status,
)
from .permissions import can_judge_speakers
from .spans import format_span_offsets, parse_span_offsets

Span = tuple[int, int]

QUOTE_TEXT_SEPARATOR = " … "


def span_text(body: str, start: Any, end: Any, *, expected: str | None = None, what: str = "span") -> str:
    """Check one span against the text and return its slice; raise ValidationError with a clear message."""
    if isinstance(start, bool) or isinstance(end, bool) or not isinstance(start, int) or not isinstance(end, int):
        raise ValidationError(f"The {what} offsets must be whole numbers (got {start!r} and {end!r}).")
    if start < 0:
        raise ValidationError(f"The {what} starts at {start}; offsets cannot be negative.")
    if end <= start:
        raise ValidationError(f"The {what} ends at {end}, which is not after its start {start}.")
    if end > len(body):
        raise ValidationError(f"The {what} ends at {end}, past the end of the article text ({len(body)} characters).")
    text = body[start:end]
    if expected is not None and expected != text:
        raise ValidationError(
            f"The {what} text does not match the article at {start}-{end}: "
            f"expected {text!r}, got {expected!r}. The offsets may have drifted."
        )
    if text != text.strip():
        raise ValidationError(f"The {what} {start}-{end} begins or ends with white space; trim the selection.")
    if all(unicodedata.category(ch)[0] in "PZC" for ch in text):
        raise ValidationError(f"The {what} {start}-{end} is only punctuation; select at least one word.")
    return text


def _check_content_span(text: str, start: int, end: int, kind: str) -> None:
    """Content excludes the marks that open and close the quote itself.

    A mixed quote may begin or end with its quoted fragment ("saying he wanted a “tougher direction.”"):
    there the fragment's own marks are part of the content, as long as they pair up inside the span.
    """
    if text[0] in OPENING_MARKS or text[-1] in CLOSING_MARKS:
        if kind == "mixed" and balanced_marks(text):
            return
        raise ValidationError(
            f"The quote span {start}-{end} includes its quotation marks; content spans cover the words "
            f"inside the marks only."
        )


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _normalize_spans(spans: Iterable[Sequence[int]]) -> list[Span]:
    try:
        result = sorted((s[0], s[1]) for s in spans)
    except (TypeError, IndexError, KeyError):
        raise ValidationError("Each quote span must be a pair of offsets [start, end].") from None
    if not result:
        raise ValidationError("A quote needs at least one content span.")
    for left, right in zip(result, result[1:]):
        if _overlaps(left, right):
            raise ValidationError(f"The quote spans {left[0]}-{left[1]} and {right[0]}-{right[1]} overlap.")
    return result


def _optional_span(value: Sequence[int] | None) -> Span | None:
    if value is None:
        return None
    try:
        return (value[0], value[1])
    except (TypeError, IndexError, KeyError):
        raise ValidationError("A cue or speaker mention must be a pair of offsets [start, end].") from None


# --- Snapshots and events -------------------------------------------------------------------------


def _stance_rows(quote_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """Each quote's stances as snapshot rows, one query for any number of quotes."""
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for quote_id, target, label, annotator in (
        Stance.objects.filter(quote_id__in=list(quote_ids))
        .order_by("quote_id", "target__name", "annotator__username")
        .values_list("quote_id", "target__name", "label", "annotator__username")
    ):
        rows[quote_id].append({"target": target, "label": label, "annotator": annotator})
    return rows


def _tag_names(objects: Sequence[Quote]) -> dict[int, list[str]]:
    """Each quote's tag names, one query for any number of quotes."""
    names: dict[int, list[str]] = defaultdict(list)
    if not objects:
        return names
    tagged = Quote.tags.through.objects.filter(object_id__in=[q.pk for q in objects], content_type__model="quote")
    for object_id, name in tagged.order_by("tag__name").values_list("object_id", "tag__name"):
        names[object_id].append(name)
    return names


def quote_snapshot(
    quote: Quote, *, stances: list[dict[str, Any]] | None = None, tags: list[str] | None = None
) -> dict[str, Any]:
    """The reviewable state of a quote as stored in its history: content, speaker, review state,
    stances and tags. Give ``stances``/``tags`` when known to spare the queries."""
    if stances is None:
        stances = _stance_rows([quote.pk]).get(quote.pk, [])
    if tags is None:
        tags = sorted(quote.tags.names())
    return {
        "layer": quote.layer,
        "kind": quote.kind,
        "spans": [list(span) for span in parse_span_offsets(quote.span_offsets)],
        "text": quote.text,
        "speaker_id": quote.speaker_id,
        "speaker": quote.speaker.name if quote.speaker is not None else None,
        "cue": [quote.cue_start, quote.cue_end] if quote.cue_start is not None else None,
        "cue_text": quote.cue_text,
        "speaker_mention": [quote.speaker_mention_start, quote.speaker_mention_end]
        if quote.speaker_mention_start is not None
        else None,
        "status": quote.status,
        "review_note": quote.review_note,
        "curated_id": quote.curated_id,
        "support_count": quote.support_count,
        "supported_by": quote.supported_by,
        "stances": stances,
        "tags": list(tags),
        "version": quote.version,
    }


def _record(
    quote: Quote,
    actor: Any,
    action: str,
    before: dict[str, Any] | None,
    note: str = "",
    *,
    after: dict[str, Any] | None = None,
) -> QuoteEvent:
    return QuoteEvent.objects.create(
        quote=quote,
        actor=actor,
        action=action,
        before=before,
        after=quote_snapshot(quote) if after is None else after,
        note=note,
    )


def mention_snapshot(mention: EntityMention) -> dict[str, Any]:
    return {
        "layer": mention.layer,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "label": mention.label,
        "speaker_id": mention.speaker_id,
        "status": mention.status,
        "curated_id": mention.curated_id,
        "support_count": mention.support_count,
        "supported_by": mention.supported_by,
    }


def _record_mention(
    mention: EntityMention,
    actor: Any,
    action: str,
    before: dict[str, Any] | None,
    note: str = "",
    *,
    deleted: bool = False,
) -> MentionEvent:
    return MentionEvent.objects.create(
        mention=mention,
        actor=actor,
        action=action,
        before=before,
        after=None if deleted else mention_snapshot(mention),
        note=note,
    )


def _changed(*, article_ids: Iterable[int], curated: bool, annotations: bool = False, quotes: bool = True) -> None:
    """Tell the read models above (signals.py). ``quotes``: whether quotes themselves may have changed, or
    only their stances or the entity mentions (which the quote clusters need not look at)."""
    ids = frozenset(article_ids)
    if annotations:
        signals.annotations_changed.send(sender=Quote, article_ids=ids)
    if curated:
        signals.curated_changed.send(sender=Quote, article_ids=ids, quotes=quotes)


def _notify_for(obj: Quote | EntityMention, *, quotes: bool = True) -> None:
    curated = obj.layer == Layer.CURATED
    _changed(
        article_ids=[obj.article_id], curated=curated, annotations=not curated, quotes=quotes and isinstance(obj, Quote)
    )


# --- Content --------------------------------------------------------------------------------------


def _apply_content(
    quote: Quote,
    body: str,
    *,
    spans: Iterable[Sequence[int]],
    cue: Sequence[int] | None,
    speaker_mention: Sequence[int] | None,
    span_texts: Sequence[str] | None = None,
    cue_text: str | None = None,
    speaker_mention_text: str | None = None,
) -> list[QuoteSpan]:
    """Validate spans, cue and mention against the text; set the denormalized fields; return unsaved spans."""
    content = _normalize_spans(spans)
    if len(content) > settings.QUOTE_MAX_SPANS:
        raise ValidationError(f"A quote has at most {settings.QUOTE_MAX_SPANS} spans (got {len(content)}).")
    if span_texts is not None and len(span_texts) != len(content):
        raise ValidationError("Give one text for each quote span.")
    texts = []
    for i, (start, end) in enumerate(content):
        text = span_text(body, start, end, expected=span_texts[i] if span_texts else None, what="quote span")
        _check_content_span(text, start, end, quote.kind)
        texts.append(text)
    cue_span = _optional_span(cue)
    mention_span = _optional_span(speaker_mention)
    quote.cue_start = quote.cue_end = None
    quote.cue_text = ""
    if cue_span is not None:
        quote.cue_text = span_text(body, *cue_span, expected=cue_text, what="cue")
        if any(_overlaps(cue_span, s) for s in content):
            raise ValidationError("The cue overlaps the quote's content; a cue such as “said” stands outside it.")
        quote.cue_start, quote.cue_end = cue_span
    quote.speaker_mention_start = quote.speaker_mention_end = None
    quote.speaker_mention_text = ""
    if mention_span is not None:
        quote.speaker_mention_text = span_text(
            body, *mention_span, expected=speaker_mention_text, what="speaker mention"
        )
        if any(_overlaps(mention_span, s) for s in content):
            raise ValidationError("The speaker mention overlaps the quote's content.")
        if cue_span is not None and _overlaps(mention_span, cue_span):
            raise ValidationError("The speaker mention overlaps the cue.")
        quote.speaker_mention_start, quote.speaker_mention_end = mention_span
    quote.start, quote.end = content[0][0], content[-1][1]
    quote.text = QUOTE_TEXT_SEPARATOR.join(texts)
    quote.span_offsets = format_span_offsets(content)
    return [QuoteSpan(position=i, start=s, end=e, text=t) for i, ((s, e), t) in enumerate(zip(content, texts))]


def _check_speaker(speaker: Speaker | None) -> None:
    if speaker is not None and (speaker.pk is None or not Speaker.objects.filter(pk=speaker.pk).exists()):
        raise ValidationError({"speaker": "Unknown speaker."})


# Foreign keys are checked by the services themselves (the objects come from the caller or a lock),
# and the CHECK constraints stay in the database as the backstop; validating them again in
# ``full_clean`` would cost a query each (Django 5 runs every constraint as a SELECT).
_FK_FIELDS = ["article", "speaker", "annotator", "reviewed_by", "curated"]


def _validate(obj: Quote | EntityMention) -> None:
    obj.clean_fields(exclude=_FK_FIELDS)
    obj.clean()


@transaction.atomic
def quote_create(
    *,
    article: Article,
    spans: Iterable[Sequence[int]],
    annotator: Any,
    kind: str = Quote.Kind.DIRECT,
    speaker: Speaker | None = None,
    cue: Sequence[int] | None = None,
    speaker_mention: Sequence[int] | None = None,
    span_texts: Sequence[str] | None = None,
    cue_text: str | None = None,
    speaker_mention_text: str | None = None,
    status: str = Status.DRAFT,
    origin: str = HUMAN_ORIGIN,
    tags: Iterable[str] = (),
) -> Quote:
    """An annotator's new quote (draft or submitted), validated against the text, with its creation event."""
    if status not in (Status.DRAFT, Status.SUBMITTED):
        raise ValidationError("A new quote starts as a draft or submitted; review sets the other states.")
    _check_speaker(speaker)
    quote = Quote(article=article, kind=kind, speaker=speaker, annotator=annotator, status=status, origin=origin)
    span_rows = _apply_content(
        quote,
        article.body,
        spans=spans,
        cue=cue,
        speaker_mention=speaker_mention,
        span_texts=span_texts,
        cue_text=cue_text,
        speaker_mention_text=speaker_mention_text,
    )
    names = _clean_tags(tags)
    _validate(quote)
    quote.save()
    for row in span_rows:
        row.quote = quote
    QuoteSpan.objects.bulk_create(span_rows)
    if names:
        quote.tags.set(names)
    _record(quote, annotator, QuoteEvent.Action.CREATE, None, after=quote_snapshot(quote, stances=[], tags=names))
    _notify_for(quote)
    return quote


def _clean_tags(tags: Iterable[str] | None) -> list[str]:
    names = sorted({t.strip() for t in (tags or ()) if t and t.strip()})
    if len(names) > settings.TAGS_MAX_PER_OBJECT:
        raise ValidationError({"tags": f"At most {settings.TAGS_MAX_PER_OBJECT} tags (got {len(names)})."})
    for name in names:
        if len(name) > 100:
            raise ValidationError({"tags": f"The tag {name[:20]!r}… is longer than 100 characters."})
    return names


def _lock(quote: Quote, expected_version: int | None) -> Quote:
    """Reload the quote under a row lock and check that the caller saw its current version."""
    current = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("speaker", "annotator", "reviewed_by", "article")
        .get(pk=quote.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(current, expected_version)
    return current


class _Unset:
    """Marks a keyword argument left out (None is a value: "no speaker", "no cue")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@transaction.atomic
def quote_update(
    *,
    quote: Quote,
    actor: Any,
    expected_version: int | None = None,
    spans: Iterable[Sequence[int]] = UNSET,
    kind: str = UNSET,
    speaker: Speaker | None = UNSET,
    cue: Sequence[int] | None = UNSET,
    speaker_mention: Sequence[int] | None = UNSET,
    tags: Iterable[str] | None = None,
    action: str = QuoteEvent.Action.UPDATE,
    note: str = "",
) -> Quote:
    """Change a quote's content; fields left out keep their value. Raises VersionConflict on a stale version.

    An annotator's rejected quote that is edited goes back to draft, so it can be submitted again.
    """
    current = _lock(quote, expected_version)
    stances = _stance_rows([current.pk]).get(current.pk, [])
    old_tags = sorted(current.tags.names())
    before = quote_snapshot(current, stances=stances, tags=old_tags)
    if kind is not UNSET:
        current.kind = kind
    if speaker is not UNSET:
        _check_speaker(speaker)
        current.speaker = speaker
    new_spans = spans if spans is not UNSET else parse_span_offsets(current.span_offsets)
    span_rows = _apply_content(
        current,
        current.article.body,
        spans=new_spans,
        cue=cue if cue is not UNSET else current.cue,
        speaker_mention=speaker_mention if speaker_mention is not UNSET else current.speaker_mention,
    )
    new_tags = old_tags if tags is None else _clean_tags(tags)
    if current.layer == Layer.ANNOTATION and current.status == Status.REJECTED:
        current.status = Status.DRAFT
        current.reviewed_by, current.reviewed_at = None, None
        action = QuoteEvent.Action.REOPEN
        note = note or "Edited after rejection; back to draft."
    after = quote_snapshot(current, stances=stances, tags=new_tags)
    if {k: v for k, v in after.items() if k != "version"} == {k: v for k, v in before.items() if k != "version"}:
        return current  # nothing changed: no new version, no event
    current.version += 1
    after["version"] = current.version
    _validate(current)
    current.save()
    if spans is not UNSET:
        current.spans.all().delete()
        for row in span_rows:
            row.quote = current
        QuoteSpan.objects.bulk_create(span_rows)
    if new_tags != old_tags:
        current.tags.set(new_tags)
    _record(current, actor, action, before, note, after=after)
    _notify_for(current)
    return current


def _set_status(
    current: Quote,
    *,
    actor: Any,
    status: str,
    action: str,
    note: str,
    reviewed: bool,
    curated: Quote | _Unset | None = UNSET,
) -> Quote:
    """Change the status (and the curated link) of a quote that the caller has locked."""
    stances = _stance_rows([current.pk]).get(current.pk, [])
    tags = sorted(current.tags.names())
    before = quote_snapshot(current, stances=stances, tags=tags)
    if not isinstance(curated, _Unset):
        current.curated = curated
    current.status = status
    if reviewed:
        current.reviewed_by = actor
        current.reviewed_at = timezone.now()
        current.review_note = note
    current.version += 1
    _validate(current)
    current.save()
    _record(current, actor, action, before, note, after=quote_snapshot(current, stances=stances, tags=tags))
    return current


# --- The curated layer ----------------------------------------------------------------------------


def curated_match(quote: Quote) -> Quote | None:
    """The curated quote of the same article that is the same quote as ``quote`` (see ``curation``)."""
    candidates = (
        Quote.objects.curated()
        .filter(article_id=quote.article_id, start__lt=quote.end, end__gt=quote.start)
        .values_list("pk", "span_offsets")
    )
    key = best_match(
        parse_span_offsets(quote.span_offsets), ((pk, parse_span_offsets(offsets)) for pk, offsets in candidates)
    )
    return None if key is None else Quote.objects.select_related("speaker", "article").get(pk=key)


def _supporters_text(curated: Quote | EntityMention) -> tuple[int, str]:
    names = list(
        type(curated)
        .objects.filter(curated=curated)
        .order_by("annotator__username")
        .values_list("annotator__username", flat=True)
    )
    return len(names), ";".join(names)


def _curate_new(source: Quote, editor: Any) -> Quote:
    """A curated copy of an annotator's quote (spans, cue, mention, speaker, tags, the annotator's stances)."""
    curated = Quote(
        article=source.article,
        kind=source.kind,
        speaker=source.speaker,
        annotator=editor,
        layer=Layer.CURATED,
        status=Status.ACCEPTED,
        reviewed_by=editor,
        reviewed_at=timezone.now(),
        origin=source.origin,
    )
    span_rows = _apply_content(
        curated,
        source.article.body,
        spans=parse_span_offsets(source.span_offsets),
        cue=source.cue,
        speaker_mention=source.speaker_mention,
    )
    _validate(curated)
    curated.save()
    for row in span_rows:
        row.quote = curated
    QuoteSpan.objects.bulk_create(span_rows)
    tags = sorted(source.tags.names())
    if tags:
        curated.tags.set(tags)
    Stance.objects.bulk_create(
        [
            Stance(quote=curated, target_id=s.target_id, label=s.label, annotator_id=s.annotator_id, note=s.note)
            for s in Stance.objects.filter(quote=source, annotator_id=source.annotator_id)
        ]
    )
    return curated


def _support_changed(curated: Quote, *, actor: Any, note: str, add_stances_from: Quote | None = None) -> None:
    """Recount a curated quote's supporters (and take stances it lacks from a new supporter), with one event."""
    current = Quote.objects.select_for_update(of=("self",)).select_related("speaker").get(pk=curated.pk)
    before = quote_snapshot(current)
    if add_stances_from is not None:
        have = set(Stance.objects.filter(quote=current).values_list("target_id", flat=True))
        Stance.objects.bulk_create(
            [
                Stance(quote=current, target_id=s.target_id, label=s.label, annotator_id=s.annotator_id, note=s.note)
                for s in Stance.objects.filter(quote=add_stances_from, annotator_id=add_stances_from.annotator_id)
                if s.target_id not in have
            ]
        )
    current.support_count, current.supported_by = _supporters_text(current)
    current.version += 1
    current.save(update_fields=["support_count", "supported_by", "version", "updated"])
    _record(current, actor, QuoteEvent.Action.SUPPORT, before, note)


@transaction.atomic
def quote_accept(*, quote: Quote, reviewer: Any, expected_version: int | None = None, note: str = "") -> Quote:
    """Accept an annotator's quote into the curated layer: it creates the curated quote, or joins the
    curated quote that is the same quote (``curation``), never a second copy. Returns the annotator's quote,
    whose ``curated`` is the curated quote."""
    current = _lock(quote, expected_version)
    if current.layer != Layer.ANNOTATION:
        raise ValidationError("Curated quotes are accepted already; correct them instead.")
    if current.status not in (Status.SUBMITTED, Status.REJECTED):
        raise ValidationError(
            f"Quote #{current.pk} is {current.get_status_display().lower()}; only submitted "
            "(or rejected) quotes can be accepted."
        )
    # One curated quote per quote: accepts on one article are serialized by locking the article row.
    Article.objects.select_for_update().filter(pk=current.article_id).values_list("pk", flat=True).first()
    curated = curated_match(current)
    created = curated is None
    if curated is None:
        curated = _curate_new(current, reviewer)
    _set_status(
        current,
        actor=reviewer,
        status=Status.ACCEPTED,
        action=QuoteEvent.Action.ACCEPT,
        note=note.strip() or f"Supports curated quote #{curated.pk}.",
        reviewed=True,
        curated=curated,
    )
    if created:
        curated.support_count, curated.supported_by = _supporters_text(curated)
        curated.save(update_fields=["support_count", "supported_by"])
        _record(
            curated,
            reviewer,
            QuoteEvent.Action.CREATE,
            None,
            note=f"Curated from quote #{current.pk} by {current.annotator.get_username()}.",
        )
    else:
        _support_changed(
            curated,
            actor=reviewer,
            add_stances_from=current,
            note=f"Quote #{current.pk} by {current.annotator.get_username()} supports it.",
        )
    _changed(article_ids=[current.article_id], curated=True, annotations=True)
    return current


@transaction.atomic
def quote_reject(*, quote: Quote, reviewer: Any, reason: str, expected_version: int | None = None) -> Quote:
    """Reject an annotator's quote with a reason the annotator sees; an accepted one stops supporting its
    curated quote (which stays: editors delete curated quotes explicitly)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"review_note": "Give a reason for the rejection; the annotator will see it."})
    current = _lock(quote, expected_version)
    if current.layer != Layer.ANNOTATION:
        raise ValidationError("A curated quote is not rejected; delete it from the curated layer instead.")
    if current.status not in (Status.SUBMITTED, Status.ACCEPTED):
        raise ValidationError(
            f"Quote #{current.pk} is {current.get_status_display().lower()}; only submitted "
            "(or accepted) quotes can be rejected."
        )
    curated = current.curated
    _set_status(
        current,
        actor=reviewer,
        status=Status.REJECTED,
        action=QuoteEvent.Action.REJECT,
        note=reason,
        reviewed=True,
        curated=None,
    )
    if curated is not None:
        _support_changed(curated, actor=reviewer, note=f"Quote #{current.pk} no longer supports it (rejected).")
    _changed(article_ids=[current.article_id], curated=curated is not None, annotations=True)
    return current


@transaction.atomic
def curated_quote_update(
    *,
    quote: Quote,
    editor: Any,
    expected_version: int | None = None,
    note: str = "",
    **changes: Any,
) -> Quote:
    """An editor's correction of a curated quote (spans, kind, speaker, cue, speaker_mention, tags).

    The supporting annotators' quotes stay as they were; the difference is in this quote's history.
    """
    if quote.layer != Layer.CURATED:
        raise ValidationError("Corrections are made on the curated quote; the annotator's quote stays as made.")
    return quote_update(
        quote=quote,
        actor=editor,
        expected_version=expected_version,
        action=QuoteEvent.Action.CORRECT,
        note=note or "Corrected by an editor.",
        **changes,
    )


@transaction.atomic
def quote_submit(*, quote: Quote, actor: Any, expected_version: int | None = None) -> Quote:
    current = _lock(quote, expected_version)
    if current.status != Status.DRAFT or current.layer != Layer.ANNOTATION:
        raise ValidationError("Only draft quotes can be submitted.")
    _set_status(
        current,
        actor=actor,
        status=Status.SUBMITTED,
        action=QuoteEvent.Action.SUBMIT,
        note="",
        reviewed=False,
        curated=UNSET,
    )
    _notify_for(current)
    return current


@transaction.atomic
def annotations_submit(*, article: Article, annotator: Any) -> int:
    """Submit all of one annotator's drafts on an article (quotes and entity mentions) in a fixed number
    of queries, one event each; return how many quotes."""
    drafts = list(
        Quote.objects.annotations()
        .for_article(article)
        .by_annotator(annotator)
        .drafts()
        .select_for_update(of=("self",))
        .select_related("speaker")
        .order_by("pk")
    )
    stances = _stance_rows([q.pk for q in drafts])
    tags = _tag_names(drafts)
    now = timezone.now()
    events = []
    for quote in drafts:
        before = quote_snapshot(quote, stances=stances.get(quote.pk, []), tags=tags.get(quote.pk, []))
        quote.status, quote.version = Status.SUBMITTED, quote.version + 1
        after = quote_snapshot(quote, stances=stances.get(quote.pk, []), tags=tags.get(quote.pk, []))
        events.append(
            QuoteEvent(quote=quote, actor=annotator, action=QuoteEvent.Action.SUBMIT, before=before, after=after)
        )
    if drafts:
        Quote.objects.filter(pk__in=[q.pk for q in drafts]).update(
            status=Status.SUBMITTED, version=F("version") + 1, updated=now
        )
        QuoteEvent.objects.bulk_create(events)
    mentions = list(
        EntityMention.objects.annotations()
        .filter(article=article, annotator=annotator, status=Status.DRAFT)
        .select_for_update()
        .order_by("pk")
    )
    mention_events = []
    for mention in mentions:
        before = mention_snapshot(mention)
        mention.status = Status.SUBMITTED
        mention_events.append(
            MentionEvent(
                mention=mention,
                actor=annotator,
                action=MentionEvent.Action.SUBMIT,
                before=before,
                after=mention_snapshot(mention),
            )
        )
    if mentions:
        EntityMention.objects.filter(pk__in=[m.pk for m in mentions]).update(status=Status.SUBMITTED, updated=now)
        MentionEvent.objects.bulk_create(mention_events)
    if drafts or mentions:
        _changed(article_ids=[article.pk], curated=False, annotations=True)
    return len(drafts)


@transaction.atomic
def quote_admin_save(
    *,
    quote: Quote,
    actor: Any,
    changed: Sequence[str],
    tags: Iterable[str] | None = None,
    stances: Sequence[Stance] = (),
    deleted_stances: Sequence[Stance] = (),
) -> Quote:
    """Save a quote edited in an admin form or inline (kind, speaker, review note, tags, and the stances'
    label and note): versioned, and recorded as one event however many of them changed. A status
    change goes through review (accept, reject)."""
    stored = Quote.objects.select_for_update(of=("self",)).select_related("speaker").get(pk=quote.pk)
    if quote.status != stored.status and quote.layer == Layer.ANNOTATION:
        raise ValidationError("Change the status through review (accept or reject), not by editing it.")
    before = quote_snapshot(stored)
    if any(s.quote_id != stored.pk for s in [*stances, *deleted_stances]):
        raise ValidationError("A stance of another quote.")
    _check_speaker(quote.speaker)
    _validate(quote)
    for stance in stances:
        stance.note = stance.note.strip()
        stance.full_clean(validate_unique=False, validate_constraints=False)
    new_tags = None if tags is None else _clean_tags(tags)
    quote.version = stored.version
    quote.save()
    for stance in stances:
        stance.save()
    for stance in deleted_stances:
        stance.delete()
    if new_tags is not None:
        quote.tags.set(new_tags)
    after = quote_snapshot(quote)
    if {k: v for k, v in after.items() if k != "version"} == {k: v for k, v in before.items() if k != "version"}:
        return quote
    quote.version = stored.version + 1
    Quote.objects.filter(pk=quote.pk).update(version=quote.version)
    after["version"] = quote.version
    _record(quote, actor, QuoteEvent.Action.ADMIN, before, after=after, note="Changed in admin: " + ", ".join(changed))
    _notify_for(quote)
    return quote


@transaction.atomic
def entity_mention_admin_save(*, mention: EntityMention, actor: Any, changed: Sequence[str]) -> EntityMention:
    """Save a mention edited in an admin form or inline (label, speaker), with one history event."""
    stored = EntityMention.objects.select_for_update().get(pk=mention.pk)
    before = mention_snapshot(stored)
    _check_speaker(mention.speaker)
    _validate(mention)
    if mention_snapshot(mention) == before:
        return stored
    mention.save()
    _record_mention(mention, actor, MentionEvent.Action.ADMIN, before, note="Changed in admin: " + ", ".join(changed))
    _notify_for(mention)
    return mention


@transaction.atomic
def stance_admin_save(*, stance: Stance, actor: Any) -> Stance:
    """Save a stance edited in the admin (label, note), recorded in its quote's history."""
    current = Quote.objects.select_for_update(of=("self",)).select_related("speaker").get(pk=stance.quote_id)
    before = quote_snapshot(current)
    stance.note = stance.note.strip()
    stance.full_clean(validate_unique=False, validate_constraints=False)
    stance.save()
    after = quote_snapshot(current)
    if after != before:
        _record(
            current,
            actor,
            QuoteEvent.Action.ADMIN,
            before,
            after=after,
            note=f"Stance on {stance.target.name} changed in admin",
        )
        _notify_for(current)
    return stance


@transaction.atomic
def quote_delete(*, quote: Quote, actor: Any) -> None:
    """Delete a quote, keeping its history (a ``delete`` event with its last state).

    Deleting a curated quote sends its supporting annotators' quotes back to the review queue; deleting
    an accepted annotator's quote withdraws its support.
    """
    current = _lock(quote, None)
    before = quote_snapshot(current)
    curated = current.curated
    supporters = list(current.supporters.select_for_update(of=("self",)).select_related("speaker").order_by("pk"))
    for supporter in supporters:
        supporter.reviewed_by, supporter.reviewed_at = None, None
        _set_status(
            supporter,
            actor=actor,
            status=Status.SUBMITTED,
            action=QuoteEvent.Action.REOPEN,
            note=f"Curated quote #{current.pk} was deleted; back in the review queue.",
            reviewed=False,
            curated=None,
        )
    QuoteEvent.objects.create(
        quote_id=current.pk, actor=actor, action=QuoteEvent.Action.DELETE, before=before, after=None
    )
    pk, article_id, was_curated = current.pk, current.article_id, current.layer == Layer.CURATED
    current.delete()
    if curated is not None:
        _support_changed(curated, actor=actor, note=f"Quote #{pk} was deleted.")
    _changed(
        article_ids=[article_id],
        curated=was_curated or curated is not None,
        annotations=not was_curated or bool(supporters),
    )


@transaction.atomic
def speaker_replace(
    *,
    source: Speaker,
    target: Speaker,
    actor: Any,
    note: str,
    quote_ids: Iterable[int] | None = None,
    mention_ids: Iterable[int] | None = None,
) -> tuple[list[int], list[int]]:
    """Re-point every quote and entity mention (both layers) of ``source`` to ``target`` (or only those
    of ``quote_ids`` / ``mention_ids``) in a fixed number of queries, with one event each; return the
    ids of the quotes and mentions moved."""
    quote_qs = Quote.objects.select_for_update(of=("self",)).filter(speaker=source)
    mention_qs = EntityMention.objects.select_for_update().filter(speaker=source)
    if quote_ids is not None:
        quote_qs = quote_qs.filter(pk__in=list(quote_ids))
    if mention_ids is not None:
        mention_qs = mention_qs.filter(pk__in=list(mention_ids))
    quotes = list(quote_qs.select_related("speaker").order_by("pk"))
    stances = _stance_rows([q.pk for q in quotes])
    tags = _tag_names(quotes)
    events = []
    for quote in quotes:
        before = quote_snapshot(quote, stances=stances.get(quote.pk, []), tags=tags.get(quote.pk, []))
        after = {**before, "speaker_id": target.pk, "speaker": target.name, "version": quote.version + 1}
        events.append(
            QuoteEvent(quote=quote, actor=actor, action=QuoteEvent.Action.MERGE, before=before, after=after, note=note)
        )
    Quote.objects.filter(pk__in=[q.pk for q in quotes]).update(
        speaker=target, version=F("version") + 1, updated=timezone.now()
    )
    QuoteEvent.objects.bulk_create(events)
    mentions = list(mention_qs.order_by("pk"))
    mention_events = []
    for mention in mentions:
        before = mention_snapshot(mention)
        mention.speaker = target
        mention_events.append(
            MentionEvent(
                mention=mention,
                actor=actor,
                action=MentionEvent.Action.MERGE,
                before=before,
                after=mention_snapshot(mention),
                note=note,
            )
        )
    EntityMention.objects.filter(pk__in=[m.pk for m in mentions]).update(speaker=target, updated=timezone.now())
    MentionEvent.objects.bulk_create(mention_events)
    article_ids = {q.article_id for q in quotes} | {m.article_id for m in mentions}
    if article_ids:
        _changed(article_ids=article_ids, curated=True, annotations=True)
    return [q.pk for q in quotes], [m.pk for m in mentions]


# --- Entity mentions ------------------------------------------------------------------------------


@transaction.atomic
def entity_mention_create(
    *,
    article: Article,
    start: int,
    end: int,
    label: str,
    annotator: Any,
    speaker: Speaker | None = None,
    text: str | None = None,
    status: str = Status.DRAFT,
    origin: str = HUMAN_ORIGIN,
) -> EntityMention:
    if status not in (Status.DRAFT, Status.SUBMITTED):
        raise ValidationError("A new entity mention starts as a draft or submitted.")
    _check_speaker(speaker)
    stored = span_text(article.body, start, end, expected=text, what="entity")
    mention = EntityMention(
        article=article,
        start=start,
        end=end,
        text=stored,
        label=label,
        speaker=speaker,
        annotator=annotator,
        status=status,
        origin=origin,
    )
    _validate(mention)
    mention.save()
    _record_mention(mention, annotator, MentionEvent.Action.CREATE, None)
    _notify_for(mention)
    return mention


@transaction.atomic
def entity_mention_update(
    *,
    mention: EntityMention,
    actor: Any,
    start: int | None = None,
    end: int | None = None,
    label: str | None = None,
    speaker: Speaker | None = UNSET,
    action: str = MentionEvent.Action.UPDATE,
) -> EntityMention:
    current = EntityMention.objects.select_for_update().select_related("article").get(pk=mention.pk)
    before = mention_snapshot(current)
    new_start = current.start if start is None else start
    new_end = current.end if end is None else end
    current.text = span_text(current.article.body, new_start, new_end, what="entity")
    current.start, current.end = new_start, new_end
    if label is not None:
        current.label = label
    if speaker is not UNSET:
        _check_speaker(speaker)
        current.speaker = speaker
    if current.layer == Layer.ANNOTATION and current.status == Status.REJECTED:
        current.status = Status.DRAFT
        current.reviewed_by, current.reviewed_at = None, None
    if mention_snapshot(current) == before:
        return current
    _validate(current)
    current.save()
    _record_mention(current, actor, action, before)
    _notify_for(current)
    return current


@transaction.atomic
def entity_mention_delete(*, mention: EntityMention, actor: Any) -> None:
    current = EntityMention.objects.select_for_update().get(pk=mention.pk)
    before = mention_snapshot(current)
    curated = current.curated
    for supporter in EntityMention.objects.select_for_update().filter(curated=current).order_by("pk"):
        supporter_before = mention_snapshot(supporter)
        supporter.curated, supporter.status = None, Status.SUBMITTED
        supporter.reviewed_by, supporter.reviewed_at = None, None
        supporter.save()
        _record_mention(
            supporter,
            actor,
            MentionEvent.Action.REOPEN,
            supporter_before,
            note=f"Curated mention #{current.pk} was deleted; back in review.",
        )
    MentionEvent.objects.create(
        mention_id=current.pk, actor=actor, action=MentionEvent.Action.DELETE, before=before, after=None
    )
    pk, article_id, was_curated = current.pk, current.article_id, current.layer == Layer.CURATED
    current.delete()
    if curated is not None:
        _mention_support_changed(curated, actor=actor, note=f"Mention #{pk} was deleted.")
    _changed(
        article_ids=[article_id], curated=was_curated or curated is not None, annotations=not was_curated, quotes=False
    )


def _mention_support_changed(curated: EntityMention, *, actor: Any, note: str) -> None:
    current = EntityMention.objects.select_for_update().get(pk=curated.pk)
    before = mention_snapshot(current)
    current.support_count, current.supported_by = _supporters_text(current)
    current.save(update_fields=["support_count", "supported_by", "updated"])
    _record_mention(current, actor, MentionEvent.Action.SUPPORT, before, note)


@transaction.atomic
def entity_mention_review(*, mention: EntityMention, reviewer: Any, accept: bool) -> EntityMention:
    """Accept an annotator's mention into the curated layer (joining the curated mention with the same
    span and label, or creating it), or reject it (withdrawing its support)."""
    current = EntityMention.objects.select_for_update().select_related("article").get(pk=mention.pk)
    if current.layer != Layer.ANNOTATION:
        raise ValidationError("Curated mentions are not reviewed; change or delete them instead.")
    before = mention_snapshot(current)
    old_curated = current.curated
    curated = None
    created = False
    if accept:
        Article.objects.select_for_update().filter(pk=current.article_id).values_list("pk", flat=True).first()
        curated = (
            EntityMention.objects.curated()
            .filter(article_id=current.article_id, start=current.start, end=current.end, label=current.label)
            .first()
        )
        if curated is None:
            created = True
            curated = EntityMention(
                article=current.article,
                start=current.start,
                end=current.end,
                text=current.text,
                label=current.label,
                speaker=current.speaker,
                annotator=reviewer,
                layer=Layer.CURATED,
                status=Status.ACCEPTED,
                reviewed_by=reviewer,
                reviewed_at=timezone.now(),
                origin=current.origin,
            )
            _validate(curated)
            curated.save()
    current.status = Status.ACCEPTED if accept else Status.REJECTED
    current.curated = curated
    current.reviewed_by = reviewer
    current.reviewed_at = timezone.now()
    _validate(current)
    current.save()
    _record_mention(current, reviewer, MentionEvent.Action.ACCEPT if accept else MentionEvent.Action.REJECT, before)
    if curated is not None:
        if created:
            curated.support_count, curated.supported_by = _supporters_text(curated)
            curated.save(update_fields=["support_count", "supported_by"])
            _record_mention(
                curated, reviewer, MentionEvent.Action.CREATE, None, note=f"Curated from mention #{current.pk}."
            )
        elif curated.pk != getattr(old_curated, "pk", None):
            _mention_support_changed(curated, actor=reviewer, note=f"Mention #{current.pk} supports it.")
    if old_curated is not None and old_curated.pk != getattr(curated, "pk", None):
        _mention_support_changed(old_curated, actor=reviewer, note=f"Mention #{current.pk} no longer supports it.")
    _changed(article_ids=[current.article_id], curated=True, annotations=True)
    return current


# --- Stances --------------------------------------------------------------------------------------


@transaction.atomic
def stance_target_create(*, name: str, description: str = "") -> StanceTarget:
    target = StanceTarget(name=name.strip(), description=description.strip())
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def stance_set(*, quote: Quote, target: StanceTarget, label: str, annotator: Any, note: str = "") -> Stance:
    """Create or change the stance ``annotator`` reads in ``quote`` toward ``target`` (one per trio),
    recorded in the quote's history."""
    current = Quote.objects.select_for_update(of=("self",)).select_related("speaker").get(pk=quote.pk)
    before = quote_snapshot(current)
    stance = Stance.objects.filter(quote=current, target=target, annotator=annotator).first()
    if stance is None:
        stance = Stance(quote=current, target=target, annotator=annotator)
    elif stance.label == label and stance.note == note.strip():
        return stance
    stance.label = label
    stance.note = note.strip()
    stance.full_clean(validate_unique=False, validate_constraints=False)
    stance.save()
    _record(current, annotator, QuoteEvent.Action.STANCE, before, note=f"{target.name}: {stance.label}")
    _notify_for(current, quotes=False)
    return stance


@transaction.atomic
def stance_delete(*, stance: Stance, actor: Any) -> None:
    """Remove a stance, recorded in its quote's history."""
    current = Quote.objects.select_for_update(of=("self",)).select_related("speaker").get(pk=stance.quote_id)
    before = quote_snapshot(current)
    name = stance.target.name
    stance.delete()
    _record(current, actor, QuoteEvent.Action.STANCE, before, note=f"{name}: removed")
    _notify_for(current, quotes=False)


@transaction.atomic
def stances_delete(
    *,
    quote: Quote,
    actor: Any,
    keep_target_ids: Iterable[int] = (),
    annotator: Any = None,
    target: StanceTarget | None = None,
) -> int:
    """Remove several stances of one quote (``annotator``'s, or on ``target``) with one history event."""
    qs = Stance.objects.filter(quote_id=quote.pk).exclude(target_id__in=list(keep_target_ids))
    if annotator is not None:
        qs = qs.filter(annotator=annotator)
    if target is not None:
        qs = qs.filter(target=target)
    if not qs.exists():
        return 0
    current = Quote.objects.select_for_update(of=("self",)).select_related("speaker").get(pk=quote.pk)
    before = quote_snapshot(current)
    count, _ = qs.delete()
    _record(current, actor, QuoteEvent.Action.STANCE, before, note="Stances removed")
    _notify_for(current, quotes=False)
    return count


# --- Workspace helpers: crossing checks and the one-request quote save used by the annotation page. ---


def _crosses(a: Span, b: Span) -> bool:
    """True when the spans overlap without one containing the other (nesting is allowed, crossing is not)."""
    return _overlaps(a, b) and not (a[0] <= b[0] and b[1] <= a[1]) and not (b[0] <= a[0] and a[1] <= b[1])


def annotation_crossings_check(
    *,
    article: Article,
    annotator: Any,
    spans: Iterable[Sequence[int]],
    exclude_quote_id: int | None = None,
    exclude_mention_id: int | None = None,
    layer: str = Layer.ANNOTATION,
) -> None:
    """Refuse spans that cross one of ``annotator``'s quote content spans or entity mentions on ``article``.

    An entity inside a quote, or a quote around an entity, is fine; a span that starts inside one and
    ends outside it is not (it would cut a word or a quotation in two).
    """
    wanted = [(int(s[0]), int(s[1])) for s in spans]
    quotes = Quote.objects.filter(article=article, annotator=annotator, layer=layer)
    if exclude_quote_id is not None:
        quotes = quotes.exclude(pk=exclude_quote_id)
    for _quote_id, offsets, text in quotes.values_list("pk", "span_offsets", "text"):
        for other in parse_span_offsets(offsets):
            for span in wanted:
                if _crosses(span, other):
                    short = text if len(text) <= 40 else text[:37] + "…"
                    raise ValidationError(
                        f"The selection {span[0]}-{span[1]} crosses the quote “{short}” ({other[0]}-{other[1]}): "
                        "select text inside it or around all of it."
                    )
    mentions = EntityMention.objects.filter(article=article, annotator=annotator, layer=layer)
    if exclude_mention_id is not None:
        mentions = mentions.exclude(pk=exclude_mention_id)
    for start, end, text in mentions.values_list("start", "end", "text"):
        for span in wanted:
            if _crosses(span, (start, end)):
                raise ValidationError(
                    f"The selection {span[0]}-{span[1]} crosses the entity “{text}” ({start}-{end}): "
                    "select text inside it or around all of it."
                )


def stance_target_get_or_create(*, name: str) -> StanceTarget:
    """The stance target called ``name`` (case-insensitive), created if there is none."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"stances": "Name the stance target."})
    existing = StanceTarget.objects.filter(name__iexact=name).first()
    return existing or stance_target_create(name=name)


DESCRIBED_NEEDS_MENTION = (
    "“The article says so” needs the words that say it: take the speaker mention (m) from the text "
    "(“Ms. Scott”, “she said”), or untick it."
)


@transaction.atomic
def quote_save(
    *,
    article: Article,
    actor: Any,
    quote: Quote | None = None,
    expected_version: int | None = None,
    fields: dict[str, Any],
) -> Quote:
    """Create (``quote`` None) or change a quote with its speaker, tags and stances, all in one transaction.

    ``fields`` may hold: kind, spans, span_texts, cue, cue_text, speaker_mention, speaker_mention_text,
    speaker (Speaker or None), new_speaker (dict for ``speaker_create``), tags (list of names) and
    stances (list of dicts with target or target_name, label, note; they replace ``actor``'s stances).
    Anything invalid raises ValidationError and nothing is written.
    """
    from corpus.services import speaker_attributes_record, speaker_create

    fields = dict(fields)
    if fields.get("new_speaker"):
        data = dict(fields.pop("new_speaker"))
        attributes = data.pop("attributes", None)
        try:
            # The role of ``actor`` decides whether a Wikidata pick links the speaker or is a proposal.
            fields["speaker"] = speaker_create(**data, actor=actor)
            if attributes:
                # The words that say so are the quote's speaker mention ("Ms. Scott", "she said").
                mention = fields.get("speaker_mention")
                if mention is None and quote is not None and "speaker_mention" not in fields:
                    mention = quote.speaker_mention
                described = bool(attributes.get("described"))
                if described and mention is None:
                    raise ValidationError(DESCRIBED_NEEDS_MENTION)
                speaker_attributes_record(
                    speaker=fields["speaker"],
                    values=attributes["values"],
                    actor=actor,
                    article=article if described else None,
                    span=mention if described else None,
                    judged=can_judge_speakers(actor),
                )
        except ValidationError as exc:
            raise ValidationError({"new_speaker": validation_messages(exc)}) from None
    else:
        fields.pop("new_speaker", None)
    if "spans" in fields:
        annotation_crossings_check(
            article=article,
            annotator=quote.annotator if quote else actor,
            spans=fields["spans"],
            exclude_quote_id=quote.pk if quote else None,
            layer=quote.layer if quote else Layer.ANNOTATION,
        )
    stances = fields.pop("stances", None)
    tags = fields.pop("tags", None)
    if quote is None:
        quote = quote_create(article=article, annotator=actor, tags=tags or (), **fields)
    else:
        for key in ("span_texts", "cue_text", "speaker_mention_text"):
            fields.pop(key, None)
        quote = quote_update(quote=quote, actor=actor, expected_version=expected_version, tags=tags, **fields)
    if stances is not None:
        keep = set()
        for item in stances:
            target = item.get("target") or stance_target_get_or_create(name=item.get("target_name", ""))
            stance_set(quote=quote, target=target, label=item["label"], annotator=actor, note=item.get("note", ""))
            keep.add(target.pk)
        stances_delete(quote=quote, actor=actor, annotator=actor, keep_target_ids=keep)
    return quote


@transaction.atomic
def entity_mention_save(
    *,
    article: Article,
    actor: Any,
    mention: EntityMention | None = None,
    start: int | None = None,
    end: int | None = None,
    label: str | None = None,
    text: str | None = None,
) -> EntityMention:
    """Create or change an entity mention after the crossing check; a duplicate gets a clear message."""
    new_start = mention.start if start is None and mention else start
    new_end = mention.end if end is None and mention else end
    new_label = label or (mention.label if mention else None)
    if new_start is None or new_end is None or not new_label:
        raise ValidationError("Select the text of the mention and choose a label.")
    owner = mention.annotator if mention else actor
    annotation_crossings_check(
        article=article,
        annotator=owner,
        spans=[(new_start, new_end)],
        exclude_mention_id=mention.pk if mention else None,
    )
    duplicate = EntityMention.objects.filter(
        article=article, annotator=owner, start=new_start, end=new_end, label=new_label
    )
    if mention is not None:
        duplicate = duplicate.exclude(pk=mention.pk)
    if duplicate.exists():
        raise ValidationError(f"This text is already tagged {new_label}.")
    if mention is None:
        return entity_mention_create(
            article=article, start=new_start, end=new_end, label=new_label, annotator=actor, text=text
        )
    return entity_mention_update(mention=mention, actor=actor, start=start, end=end, label=label)

"""Every write to annotations goes through here: validated against the article text, atomic, audited.

Offsets are Python code points of ``Article.body``; a span is half-open, ``body[start:end]``.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from corpus.models import Article, Speaker

from .exceptions import VersionConflict
from text.marks import CLOSING_MARKS, OPENING_MARKS, balanced_marks
from .models import HUMAN_ORIGIN, EntityMention, Quote, QuoteEvent, QuoteSpan, Stance, StanceTarget, Status

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
        raise ValidationError(
            f"The {what} ends at {end}, past the end of the article text ({len(body)} characters)."
        )
    text = body[start:end]
    if expected is not None and expected != text:
        raise ValidationError(
            f"The {what} text does not match the article at {start}-{end}: "
            f"expected {text!r}, got {expected!r}. The offsets may have drifted."
        )
    if text != text.strip():
        raise ValidationError(f"The {what} {start}-{end} begins or ends with white space; trim the selection.")
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


def quote_snapshot(quote: Quote) -> dict:
    """The reviewable state of a quote, as stored in audit events."""
    return {
        "kind": quote.kind,
        "spans": [list(map(int, s.split("-"))) for s in quote.span_offsets.split(";") if s],
        "text": quote.text,
        "speaker_id": quote.speaker_id,
        "speaker": quote.speaker.name if quote.speaker_id else None,
        "cue": [quote.cue_start, quote.cue_end] if quote.cue_start is not None else None,
        "cue_text": quote.cue_text,
        "speaker_mention": [quote.speaker_mention_start, quote.speaker_mention_end]
        if quote.speaker_mention_start is not None
        else None,
        "status": quote.status,
        "review_note": quote.review_note,
        "version": quote.version,
    }


def _record(quote: Quote, actor, action: str, before: dict | None, note: str = "") -> QuoteEvent:
    return QuoteEvent.objects.create(
        quote=quote, actor=actor, action=action, before=before, after=quote_snapshot(quote), note=note
    )


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
    quote.span_offsets = ";".join(f"{s}-{e}" for s, e in content)
    return [QuoteSpan(position=i, start=s, end=e, text=t) for i, ((s, e), t) in enumerate(zip(content, texts))]


def _check_speaker(speaker: Speaker | None) -> None:
    if speaker is not None and (speaker.pk is None or not Speaker.objects.filter(pk=speaker.pk).exists()):
        raise ValidationError({"speaker": "Unknown speaker."})


@transaction.atomic
def quote_create(
    *,
    article: Article,
    spans: Iterable[Sequence[int]],
    annotator,
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
    if status in (Status.ACCEPTED, Status.REJECTED):
        raise ValidationError("A new quote starts as a draft or submitted; review sets the other states.")
    quote.full_clean()
    quote.save()
    for row in span_rows:
        row.quote = quote
        row.full_clean()
    QuoteSpan.objects.bulk_create(span_rows)
    _set_tags(quote, tags)
    _record(quote, annotator, QuoteEvent.Action.CREATE, None)
    return quote


def _set_tags(obj, tags: Iterable[str] | None) -> None:
    if tags is None:
        return
    names = sorted({t.strip() for t in tags if t and t.strip()})
    for name in names:
        if len(name) > 100:
            raise ValidationError({"tags": f"The tag {name[:20]!r}… is longer than 100 characters."})
    obj.tags.set(names)


def _lock(quote: Quote, expected_version: int | None) -> Quote:
    """Reload the quote under a row lock and check that the caller saw its current version."""
    current = Quote.objects.select_for_update(of=("self",)).select_related("speaker", "annotator", "reviewed_by").get(pk=quote.pk)
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(current, expected_version)
    return current


_UNSET: Any = object()


@transaction.atomic
def quote_update(
    *,
    quote: Quote,
    actor,
    expected_version: int | None = None,
    spans: Iterable[Sequence[int]] = _UNSET,
    kind: str = _UNSET,
    speaker: Speaker | None = _UNSET,
    cue: Sequence[int] | None = _UNSET,
    speaker_mention: Sequence[int] | None = _UNSET,
    tags: Iterable[str] | None = None,
    action: str = QuoteEvent.Action.UPDATE,
    note: str = "",
    review_status: str | None = None,
) -> Quote:
    """Change a quote's content; fields left out keep their value. Raises VersionConflict on a stale version.

    ``review_status`` (accepted or rejected) also records ``actor`` as the reviewer, with ``note`` as the
    review note, in the same save and the same audit event (used by review's correct-and-accept).
    """
    if review_status is not None and review_status not in (Status.ACCEPTED, Status.REJECTED):
        raise ValidationError("A review sets a quote to accepted or rejected.")
    current = _lock(quote, expected_version)
    before = quote_snapshot(current)
    if kind is not _UNSET:
        current.kind = kind
    if speaker is not _UNSET:
        _check_speaker(speaker)
        current.speaker = speaker
    new_spans = spans if spans is not _UNSET else [[s.start, s.end] for s in current.spans.all()]
    span_rows = _apply_content(
        current,
        current.article.body,
        spans=new_spans,
        cue=cue if cue is not _UNSET else current.cue,
        speaker_mention=speaker_mention if speaker_mention is not _UNSET else current.speaker_mention,
    )
    if review_status is not None:
        current.status = review_status
        current.reviewed_by = actor
        current.reviewed_at = timezone.now()
        current.review_note = note.strip()
    current.version += 1
    current.full_clean()
    current.save()
    if spans is not _UNSET:
        current.spans.all().delete()
        for row in span_rows:
            row.quote = current
        QuoteSpan.objects.bulk_create(span_rows)
    _set_tags(current, tags)
    _record(current, actor, action, before, note)
    return current


def _set_status(
    quote: Quote, *, actor, status: str, action: str, expected_version: int | None, note: str, reviewed: bool
) -> Quote:
    current = _lock(quote, expected_version)
    before = quote_snapshot(current)
    current.status = status
    if reviewed:
        current.reviewed_by = actor
        current.reviewed_at = timezone.now()
        current.review_note = note
    current.version += 1
    current.full_clean()
    current.save()
    _record(current, actor, action, before, note)
    return current


@transaction.atomic
def quote_accept(*, quote: Quote, reviewer, expected_version: int | None = None, note: str = "") -> Quote:
    return _set_status(
        quote, actor=reviewer, status=Status.ACCEPTED, action=QuoteEvent.Action.ACCEPT,
        expected_version=expected_version, note=note.strip(), reviewed=True,
    )


@transaction.atomic
def quote_reject(*, quote: Quote, reviewer, reason: str, expected_version: int | None = None) -> Quote:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"review_note": "Give a reason for the rejection; the annotator will see it."})
    return _set_status(
        quote, actor=reviewer, status=Status.REJECTED, action=QuoteEvent.Action.REJECT,
        expected_version=expected_version, note=reason, reviewed=True,
    )


@transaction.atomic
def quote_submit(*, quote: Quote, actor, expected_version: int | None = None) -> Quote:
    if quote.status != Status.DRAFT:
        raise ValidationError("Only draft quotes can be submitted.")
    return _set_status(
        quote, actor=actor, status=Status.SUBMITTED, action=QuoteEvent.Action.SUBMIT,
        expected_version=expected_version, note="", reviewed=False,
    )


@transaction.atomic
def annotations_submit(*, article: Article, annotator) -> int:
    """Submit all of one annotator's drafts on an article (quotes and entity mentions); return how many quotes."""
    drafts = list(Quote.objects.for_article(article).by_annotator(annotator).drafts().select_for_update())
    for quote in drafts:
        quote_submit(quote=quote, actor=annotator)
    EntityMention.objects.filter(article=article, annotator=annotator, status=Status.DRAFT).update(
        status=Status.SUBMITTED, updated=timezone.now()
    )
    return len(drafts)


@transaction.atomic
def quote_admin_save(*, quote: Quote, actor, changed: Sequence[str]) -> Quote:
    """Save a quote edited in the admin form, raising its version and recording the change."""
    stored = Quote.objects.select_for_update(of=("self",)).select_related("speaker").get(pk=quote.pk)
    before = quote_snapshot(stored)
    if quote.status in (Status.ACCEPTED, Status.REJECTED) and quote.reviewed_by_id is None:
        quote.reviewed_by = actor
        quote.reviewed_at = timezone.now()
    quote.version = stored.version + 1
    quote.full_clean()
    quote.save()
    _record(quote, actor, QuoteEvent.Action.UPDATE, before, note="Changed in admin: " + ", ".join(changed))
    return quote


@transaction.atomic
def quote_delete(*, quote: Quote) -> None:
    quote.delete()


@transaction.atomic
def entity_mention_create(
    *,
    article: Article,
    start: int,
    end: int,
    label: str,
    annotator,
    speaker: Speaker | None = None,
    text: str | None = None,
    status: str = Status.DRAFT,
    origin: str = HUMAN_ORIGIN,
) -> EntityMention:
    _check_speaker(speaker)
    stored = span_text(article.body, start, end, expected=text, what="entity")
    mention = EntityMention(
        article=article, start=start, end=end, text=stored, label=label, speaker=speaker,
        annotator=annotator, status=status, origin=origin,
    )
    if status in (Status.ACCEPTED, Status.REJECTED):
        raise ValidationError("A new entity mention starts as a draft or submitted.")
    mention.full_clean()
    mention.save()
    return mention


@transaction.atomic
def entity_mention_update(
    *, mention: EntityMention, start: int | None = None, end: int | None = None,
    label: str | None = None, speaker: Speaker | None = _UNSET,
) -> EntityMention:
    new_start = mention.start if start is None else start
    new_end = mention.end if end is None else end
    mention.text = span_text(mention.article.body, new_start, new_end, what="entity")
    mention.start, mention.end = new_start, new_end
    if label is not None:
        mention.label = label
    if speaker is not _UNSET:
        _check_speaker(speaker)
        mention.speaker = speaker
    mention.full_clean()
    mention.save()
    return mention


@transaction.atomic
def entity_mention_delete(*, mention: EntityMention) -> None:
    mention.delete()


@transaction.atomic
def entity_mention_review(*, mention: EntityMention, reviewer, accept: bool) -> EntityMention:
    mention.status = Status.ACCEPTED if accept else Status.REJECTED
    mention.reviewed_by = reviewer
    mention.reviewed_at = timezone.now()
    mention.full_clean()
    mention.save()
    return mention


@transaction.atomic
def stance_target_create(*, name: str, description: str = "") -> StanceTarget:
    target = StanceTarget(name=name.strip(), description=description.strip())
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def stance_set(*, quote: Quote, target: StanceTarget, label: str, annotator, note: str = "") -> Stance:
    """Create or change the stance ``annotator`` reads in ``quote`` toward ``target`` (one per trio)."""
    stance = Stance.objects.filter(quote=quote, target=target, annotator=annotator).first()
    before = quote_snapshot(quote)
    if stance is None:
        stance = Stance(quote=quote, target=target, annotator=annotator)
    stance.label = label
    stance.note = note.strip()
    stance.full_clean()
    stance.save()
    QuoteEvent.objects.create(
        quote=quote, actor=annotator, action=QuoteEvent.Action.STANCE, before=before,
        after=quote_snapshot(quote), note=f"{target.name}: {stance.label}",
    )
    return stance


@transaction.atomic
def stance_delete(*, stance: Stance) -> None:
    stance.delete()


# --- Workspace helpers: crossing checks and the one-request quote save used by the annotation page. ---


def _crosses(a: Span, b: Span) -> bool:
    """True when the spans overlap without one containing the other (nesting is allowed, crossing is not)."""
    return _overlaps(a, b) and not (a[0] <= b[0] and b[1] <= a[1]) and not (b[0] <= a[0] and a[1] <= b[1])


def annotation_crossings_check(
    *, article: Article, annotator, spans: Iterable[Sequence[int]],
    exclude_quote_id: int | None = None, exclude_mention_id: int | None = None,
) -> None:
    """Refuse spans that cross one of ``annotator``'s quote content spans or entity mentions on ``article``.

    An entity inside a quote, or a quote around an entity, is fine; a span that starts inside one and
    ends outside it is not (it would cut a word or a quotation in two).
    """
    wanted = [(int(s[0]), int(s[1])) for s in spans]
    quotes = Quote.objects.filter(article=article, annotator=annotator).exclude(pk=exclude_quote_id)
    for quote_id, offsets, text in quotes.values_list("pk", "span_offsets", "text"):
        for part in offsets.split(";"):
            if not part:
                continue
            other = tuple(map(int, part.split("-")))
            for span in wanted:
                if _crosses(span, other):
                    short = text if len(text) <= 40 else text[:37] + "…"
                    raise ValidationError(
                        f"The selection {span[0]}-{span[1]} crosses the quote “{short}” ({other[0]}-{other[1]}): "
                        "select text inside it or around all of it."
                    )
    mentions = EntityMention.objects.filter(article=article, annotator=annotator).exclude(pk=exclude_mention_id)
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


@transaction.atomic
def quote_save(
    *,
    article: Article,
    actor,
    quote: Quote | None = None,
    expected_version: int | None = None,
    fields: dict,
) -> Quote:
    """Create (``quote`` None) or change a quote with its speaker, tags and stances, all in one transaction.

    ``fields`` may hold: kind, spans, span_texts, cue, cue_text, speaker_mention, speaker_mention_text,
    speaker (Speaker or None), new_speaker (dict for ``speaker_create``), tags (list of names) and
    stances (list of dicts with target or target_name, label, note; they replace ``actor``'s stances).
    Anything invalid raises ValidationError and nothing is written.
    """
    from corpus.services import speaker_create

    fields = dict(fields)
    if fields.get("new_speaker"):
        data = dict(fields.pop("new_speaker"))
        try:
            fields["speaker"] = speaker_create(**data)
        except ValidationError as exc:
            messages = [f"{k}: {m}" if k != "__all__" else m for k, ms in exc.message_dict.items() for m in ms] \
                if hasattr(exc, "error_dict") else exc.messages
            raise ValidationError({"new_speaker": messages}) from None
    else:
        fields.pop("new_speaker", None)
    if "spans" in fields:
        annotation_crossings_check(
            article=article, annotator=quote.annotator if quote else actor, spans=fields["spans"],
            exclude_quote_id=quote.pk if quote else None,
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
        Stance.objects.filter(quote=quote, annotator=actor).exclude(target_id__in=keep).delete()
    return quote


@transaction.atomic
def entity_mention_save(
    *, article: Article, actor, mention: EntityMention | None = None, start: int | None = None,
    end: int | None = None, label: str | None = None, text: str | None = None,
) -> EntityMention:
    """Create or change an entity mention after the crossing check; a duplicate gets a clear message."""
    new_start = mention.start if start is None and mention else start
    new_end = mention.end if end is None and mention else end
    new_label = label or (mention.label if mention else None)
    owner = mention.annotator if mention else actor
    annotation_crossings_check(
        article=article, annotator=owner, spans=[(new_start, new_end)],
        exclude_mention_id=mention.pk if mention else None,
    )
    duplicate = EntityMention.objects.filter(
        article=article, annotator=owner, start=new_start, end=new_end, label=new_label
    ).exclude(pk=mention.pk if mention else None)
    if duplicate.exists():
        raise ValidationError(f"This text is already tagged {new_label}.")
    if mention is None:
        return entity_mention_create(
            article=article, start=new_start, end=new_end, label=new_label, annotator=actor, text=text
        )
    return entity_mention_update(mention=mention, start=start, end=end, label=label)

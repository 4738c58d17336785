"""Writes for the suggestions app: store the extractor's suggestions, accept or reject one.

Accepting creates the annotator's own quote through ``annotations.services.quote_create`` with the
rule as its origin (``rule:<rule>``); every check on spans is the annotations app's own.
"""

import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from annotations.models import Quote
from annotations.services import QUOTE_TEXT_SEPARATOR, quote_create, span_text
from corpus.models import Article, Speaker
from corpus.selectors import speaker_named, speakers_named
from corpus.services import speaker_create
from text.marks import includes_own_marks

from . import extractor
from .exceptions import SuggestionConflict
from .models import Suggestion
from .selectors import known_speaker_aliases

SPEAKER_KINDS = {
    "person": Speaker.Kind.PERSON,
    "group": Speaker.Kind.GROUP,
    "organization": Speaker.Kind.ORGANIZATION,
}


def suggestions_compute(article: Article) -> list[extractor.Suggestion]:
    """Run the extractor on an article, with the known speakers' aliases (reads only)."""
    return extractor.extract(article.body, known_speaker_aliases(article.body))


def _speakers_by_name(names: set[str]) -> dict[str, Speaker]:
    """Name → the one known speaker it matches (names matching none or several are left out)."""
    return {name: match.speaker for name, match in speakers_named(names).items() if match.speaker}


def _optional_pair(body: str, pair: Sequence[int] | None, what: str) -> tuple[int | None, int | None]:
    if pair is None:
        return None, None
    span_text(body, pair[0], pair[1], what=what)
    return pair[0], pair[1]


def _build(article: Article, item: extractor.Suggestion, speakers: dict[str, Speaker]) -> Suggestion:
    body = article.body
    spans = sorted([int(s), int(e)] for s, e in item.spans)
    if not spans:
        raise ValidationError("A suggestion needs at least one content span.")
    texts = []
    for start, end in spans:
        text = span_text(body, start, end, what="suggested span")
        if includes_own_marks(text, item.kind):
            raise ValidationError(f"The suggested span {start}-{end} includes its quotation marks.")
        texts.append(text)
    cue_start, cue_end = _optional_pair(body, item.cue, "cue")
    mention_start, mention_end = _optional_pair(body, item.speaker_mention, "speaker mention")
    suggestion = Suggestion(
        article=article,
        body_hash=article.body_hash,
        kind=item.kind,
        spans=spans,
        start=spans[0][0],
        end=spans[-1][1],
        text=QUOTE_TEXT_SEPARATOR.join(texts),
        cue_start=cue_start,
        cue_end=cue_end,
        speaker_name=(item.speaker or "")[:300],
        speaker_kind=item.speaker_kind or "",
        speaker=speakers.get(item.speaker) if item.speaker else None,
        speaker_mention_start=mention_start,
        speaker_mention_end=mention_end,
        rule=item.rule,
    )
    suggestion.full_clean(exclude=["article"])
    return suggestion


@transaction.atomic
def suggestions_store(
    *, article: Article, items: Sequence[extractor.Suggestion], replace_rule: str | None = None
) -> list[Suggestion]:
    """Replace the article's pending suggestions by ``items``; all or nothing.

    ``replace_rule`` set: only the pending suggestions of that rule are replaced (a model's own push).
    Suggestions already decided on the present text (accepted or rejected) are not proposed again.
    """
    Article.objects.select_for_update().filter(pk=article.pk).first()
    decided = {
        (s.kind, tuple(map(tuple, s.spans)))
        for s in Suggestion.objects.for_article(article).current().exclude(status=Suggestion.Status.PENDING)
    }
    speakers = _speakers_by_name({i.speaker for i in items if i.speaker})
    rows = []
    for index, item in enumerate(items):
        key = (item.kind, tuple(tuple(s) for s in sorted(item.spans)))
        if key in decided:
            continue
        try:
            rows.append(_build(article, item, speakers))
        except ValidationError as exc:
            raise ValidationError({f"suggestions.{index}": exc.messages}) from exc
    replaced = Suggestion.objects.for_article(article).filter(status=Suggestion.Status.PENDING)
    if replace_rule is not None:
        replaced = replaced.filter(rule=replace_rule)
    replaced.delete()
    return Suggestion.objects.bulk_create(rows)


@transaction.atomic
def suggest_for_article(*, article: Article) -> list[Suggestion]:
    return suggestions_store(article=article, items=suggestions_compute(article))


MODEL_PREFIX = "model:"
MODEL_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,43}")
SPEAKER_KIND_NAMES = tuple(SPEAKER_KINDS)


@transaction.atomic
def suggestions_push(*, article: Article, model: str, items: Sequence[dict[str, Any]]) -> list[Suggestion]:
    """Store suggestions made by your own model: rule ``model:<model>`` (accepted quotes get the origin
    ``rule:model:<model>``). They replace that model's pending suggestions of the article, and only
    those; each is checked as the rules' are (spans inside the text, quotation marks outside).

    ``items``: ``{"kind", "spans", "cue"?, "speaker"?, "speaker_kind"?, "speaker_mention"?}``.
    """
    if not MODEL_NAME.fullmatch(model or ""):
        raise ValidationError(
            {
                "model": "1 to 44 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit."
            }
        )
    rule = MODEL_PREFIX + model
    built = []
    for index, item in enumerate(items):
        kind = item.get("kind")
        if kind not in Quote.Kind.values:
            raise ValidationError({f"suggestions.{index}.kind": f"One of {', '.join(Quote.Kind.values)}."})
        speaker_kind = item.get("speaker_kind") or ""
        if speaker_kind and speaker_kind not in SPEAKER_KIND_NAMES:
            raise ValidationError(
                {f"suggestions.{index}.speaker_kind": f"One of {', '.join(SPEAKER_KIND_NAMES)}, or empty."}
            )
        built.append(
            extractor.Suggestion(
                kind=kind,
                spans=[(int(s), int(e)) for s, e in item.get("spans") or []],
                cue=tuple(item["cue"]) if item.get("cue") else None,
                speaker=(item.get("speaker") or "").strip() or None,
                speaker_mention=tuple(item["speaker_mention"]) if item.get("speaker_mention") else None,
                rule=rule,
                speaker_kind=speaker_kind,
            )
        )
    return suggestions_store(article=article, items=built, replace_rule=rule)


def _lock_pending(suggestion: Suggestion) -> Suggestion:
    current = (
        Suggestion.objects.select_for_update(of=("self",)).select_related("article", "speaker").get(pk=suggestion.pk)
    )
    if current.status != Suggestion.Status.PENDING:
        raise SuggestionConflict(
            f"This suggestion was already {current.get_status_display().lower()}.", status=current.status
        )
    if current.body_hash != current.article.body_hash:
        raise SuggestionConflict(
            "The article text changed after this suggestion was made; suggest again.", status=current.status
        )
    return current


def _speaker_for(suggestion: Suggestion) -> Speaker | None:
    """The suggestion's speaker: the known one, or a new speaker of that name when none matches."""
    if suggestion.speaker_id:
        return suggestion.speaker
    name = suggestion.speaker_name.strip()
    if not name:
        return None
    match = speaker_named(name)
    if match.speakers:
        return match.speaker  # None when ambiguous: the annotator picks the speaker in the workspace
    return speaker_create(name=name, kind=SPEAKER_KINDS.get(suggestion.speaker_kind, Speaker.Kind.UNKNOWN))


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, user: Any) -> Quote:
    """Create ``user``'s own draft quote from the suggestion (origin ``rule:<rule>``) and mark it accepted."""
    current = _lock_pending(suggestion)
    quote = quote_create(
        article=current.article,
        spans=current.spans,
        annotator=user,
        kind=current.kind,
        speaker=_speaker_for(current),
        cue=current.cue,
        speaker_mention=current.speaker_mention,
        origin=current.origin,
    )
    current.status = Suggestion.Status.ACCEPTED
    current.decided_by = user
    current.decided_at = timezone.now()
    current.quote = quote
    current.full_clean()
    current.save()
    suggestion.status, suggestion.quote = current.status, quote
    return quote


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, user: Any) -> Suggestion:
    current = _lock_pending(suggestion)
    current.status = Suggestion.Status.REJECTED
    current.decided_by = user
    current.decided_at = timezone.now()
    current.full_clean()
    current.save()
    suggestion.status = current.status
    return current

"""Reads for the suggestions app."""

import re
from typing import Any

from annotations.models import Quote
from corpus.models import Article, SpeakerAlias

from .models import Suggestion

_WORD = re.compile(r"\w+")


def known_speaker_aliases(text: str) -> dict[str, str]:
    """Alias → speaker name for every known alias whose words all occur in ``text`` (one query)."""
    words = {w.casefold() for w in _WORD.findall(text)}
    result: dict[str, str] = {}
    for alias, normalized, name in SpeakerAlias.objects.values_list("alias", "normalized", "speaker__name").iterator():
        if all(w in words for w in _WORD.findall(normalized)):
            result[alias] = name
    return result


def article_suggestions(article: Article, *, status: str | None = Suggestion.Status.PENDING) -> Any:
    """Suggestions on the article's present text, in text order."""
    qs = Suggestion.objects.for_article(article).current().with_related().in_text_order()
    return qs.filter(status=status) if status else qs


def suggestion_counts(article: Article) -> dict[str, int]:
    counts = dict.fromkeys(Suggestion.Status.values, 0)
    rows = Suggestion.objects.for_article(article).current().values_list("status")
    for (status,) in rows:
        counts[status] += 1
    return counts


def suggestion_json(suggestion: Suggestion, body: str) -> dict[str, Any]:
    """The JSON form the panel reads (offsets in code points; the browser converts)."""
    return {
        "id": suggestion.pk,
        "kind": suggestion.kind,
        "rule": suggestion.rule,
        "spans": suggestion.spans,
        "text": suggestion.text,
        "cue": suggestion.cue,
        "cue_text": body[suggestion.cue_start : suggestion.cue_end] if suggestion.cue_start is not None else "",
        "speaker": suggestion.speaker.name if suggestion.speaker is not None else (suggestion.speaker_name or None),
        "speaker_id": suggestion.speaker_id,
        "speaker_known": suggestion.speaker_id is not None,
        "speaker_mention": suggestion.speaker_mention,
        "status": suggestion.status,
        "quote_id": suggestion.quote_id,
    }


def own_quotes(article: Article, user: Any) -> list[dict[str, Any]]:
    """``user``'s own quotes of the article (the panel marks them), in text order."""
    quotes = Quote.objects.for_article(article).by_annotator(user).prefetch_related("spans").in_text_order()
    return [{"id": q.pk, "spans": [[s.start, s.end] for s in q.spans.all()], "origin": q.origin} for q in quotes]


def panel_payload(article: Article, user: Any) -> dict[str, Any]:
    """What the suggestions panel shows: the pending suggestions, the counts and ``user``'s own quotes."""
    return {
        "article": article.pk,
        "suggestions": [suggestion_json(s, article.body) for s in article_suggestions(article)],
        "counts": suggestion_counts(article),
        "quotes": own_quotes(article, user),
    }

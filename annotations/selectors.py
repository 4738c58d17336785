"""Reads for the annotator workspace. Every function runs a fixed number of queries, whatever the data size."""

from collections.abc import Sequence
from typing import Any

from django.db.models import BooleanField, Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from taggit.models import Tag, TaggedItem

from accounts.roles import Role, has_role, users_with_role
from corpus.models import Article, Speaker
from corpus.search import matches, query_words, search_q

from .models import EntityMention, Quote, Stance, StanceTarget, Status
from .permissions import can_change
from .spans import parse_span_offsets

VIEW_MINE = "mine"
VIEW_ACCEPTED = "accepted"
VIEWS = (VIEW_MINE, VIEW_ACCEPTED)


def _count(model: Any, user: Any, **filters: Any) -> Coalesce:
    rows = (
        model.objects.annotations()
        .filter(article=OuterRef("pk"), annotator=user, **filters)
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def annotator_articles(user: Any, *, assigned_ids: list[int] | None = None) -> QuerySet[Article]:
    """Articles for an annotator: assigned to me first, then the ones I have started, then the newest."""
    qs = (
        Article.objects.with_tags()
        .defer("body")
        .annotate(
            my_quotes=_count(Quote, user),
            my_quote_drafts=_count(Quote, user, status=Status.DRAFT),
            my_mentions=_count(EntityMention, user),
            my_mention_drafts=_count(EntityMention, user, status=Status.DRAFT),
        )
    )
    started = Q(my_quotes__gt=0) | Q(my_mentions__gt=0)
    qs = qs.annotate(
        started=Case(When(started, then=Value(1)), default=Value(0), output_field=BooleanField()),
        assigned=Case(When(pk__in=assigned_ids or [], then=Value(1)), default=Value(0), output_field=BooleanField()),
    )
    return qs.order_by("-assigned", "-started", "-published", "title", "id")


def article_filter_choices() -> dict[str, Any]:
    """Outlets and tags that occur on articles, for the list filters (two queries)."""
    outlets = list(Article.objects.exclude(outlet="").order_by("outlet").values_list("outlet", flat=True).distinct())
    tags = list(
        Tag.objects.filter(
            taggit_taggeditem_items__content_type__model="article",
            taggit_taggeditem_items__content_type__app_label="corpus",
        )
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    return {"outlets": outlets, "tags": tags}


def workspace_quotes(article: Article, user: Any, view: str = VIEW_MINE) -> QuerySet[Quote]:
    qs = Quote.objects.for_article(article)
    qs = qs.curated() if view == VIEW_ACCEPTED else qs.annotations().by_annotator(user)
    return qs.in_text_order().select_related("speaker", "annotator").prefetch_related("stances__target")


def quote_tag_names(quote_ids: Any) -> dict[int, list[str]]:
    """Tag names per quote id in one query (taggit's own prefetch costs a queryset per quote)."""
    names: dict[int, list[str]] = {}
    rows = TaggedItem.objects.filter(
        content_type__app_label="annotations", content_type__model="quote", object_id__in=list(quote_ids)
    ).values_list("object_id", "tag__name")
    for object_id, name in rows:
        names.setdefault(object_id, []).append(name)
    return names


def workspace_mentions(article: Article, user: Any, view: str = VIEW_MINE) -> QuerySet[EntityMention]:
    qs = EntityMention.objects.filter(article=article)
    qs = qs.curated() if view == VIEW_ACCEPTED else qs.annotations().filter(annotator=user)
    return qs.select_related("annotator").order_by("start", "end", "id")


def quote_spans(quote: Quote) -> list[list[int]]:
    """The content spans from the denormalized ``span_offsets`` (no query)."""
    return [list(span) for span in parse_span_offsets(quote.span_offsets)]


def quote_data(quote: Quote, user: Any = None, tags: list[str] | None = None) -> dict[str, Any]:
    stances = list(quote.stances.all())
    return {
        "id": quote.pk,
        "type": "quote",
        "kind": quote.kind,
        "kind_display": quote.get_kind_display(),
        "spans": quote_spans(quote),
        "text": quote.text,
        "start": quote.start,
        "end": quote.end,
        "cue": [quote.cue_start, quote.cue_end] if quote.cue_start is not None else None,
        "cue_text": quote.cue_text,
        "speaker_mention": [quote.speaker_mention_start, quote.speaker_mention_end]
        if quote.speaker_mention_start is not None
        else None,
        "speaker_mention_text": quote.speaker_mention_text,
        "speaker": speaker_data(quote.speaker) if quote.speaker is not None else None,
        "status": quote.status,
        "origin": quote.origin,
        "status_display": quote.get_status_display(),
        "review_note": quote.review_note,
        "version": quote.version,
        "tags": sorted(tags if tags is not None else quote_tag_names([quote.pk]).get(quote.pk, [])),
        "stances": [stance_data(s) for s in stances],
        "annotator": quote.annotator.get_username(),
        "editable": bool(user is not None and can_change(user, quote)),
    }


def stance_data(stance: Stance) -> dict[str, Any]:
    return {
        "id": stance.pk,
        "target": {"id": stance.target_id, "name": stance.target.name},
        "label": stance.label,
        "label_display": stance.get_label_display(),
        "note": stance.note,
    }


def mention_data(mention: EntityMention, user: Any = None) -> dict[str, Any]:
    return {
        "id": mention.pk,
        "type": "mention",
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "label": mention.label,
        "label_display": mention.get_label_display(),
        "status": mention.status,
        "status_display": mention.get_status_display(),
        "annotator": mention.annotator.get_username(),
        "editable": bool(user is not None and can_change(user, mention)),
    }


def speaker_data(speaker: Speaker) -> dict[str, Any]:
    return {
        "id": speaker.pk,
        "name": speaker.name,
        "kind": speaker.kind,
        "description": speaker.description,
    }


def workspace_state(article: Article, user: Any, view: str = VIEW_MINE) -> dict[str, Any]:
    """Everything the workspace shows for one article, as JSON-ready data (five queries).

    The same dicts as ``quote_data`` and ``mention_data`` give one annotation at a time, built from
    plain rows: at 5,000 annotations, model instances, a role check and a related-manager queryset
    per annotation cost most of the page (tests/annotations/test_selectors.py checks they agree)."""
    if view not in VIEWS:
        view = VIEW_MINE
    editable = _editable_rule(user)
    labels = _Labels()
    quotes = list(
        workspace_quotes(article, user, view)
        .prefetch_related(None)
        .values(
            "pk", "kind", "span_offsets", "text", "start", "end", "cue_start", "cue_end", "cue_text",
            "speaker_mention_start", "speaker_mention_end", "speaker_mention_text", "speaker_id",
            "speaker__name", "speaker__kind", "speaker__description", "status", "origin", "review_note",
            "version", "annotator_id", "annotator__username",
        )
    )  # fmt: skip
    ids = [q["pk"] for q in quotes]
    tags = quote_tag_names(ids) if ids else {}
    stances: dict[int, list[dict[str, Any]]] = {}
    if ids:
        rows = (
            Stance.objects.filter(quote_id__in=ids)
            .order_by(*(Stance._meta.ordering or ["id"]))
            .values_list("quote_id", "pk", "target_id", "target__name", "label", "note")
        )
        for quote_id, pk, target_id, target_name, label, note in rows:
            stances.setdefault(quote_id, []).append(
                {
                    "id": pk,
                    "target": {"id": target_id, "name": target_name},
                    "label": label,
                    "label_display": labels.stance[label],
                    "note": note,
                }
            )
    mentions = workspace_mentions(article, user, view).values(
        "pk", "start", "end", "text", "label", "status", "annotator_id", "annotator__username"
    )
    return {
        "view": view,
        "quotes": [_quote_row(q, tags.get(q["pk"], []), stances.get(q["pk"], []), editable, labels) for q in quotes],
        "mentions": [
            {
                "id": m["pk"],
                "type": "mention",
                "start": m["start"],
                "end": m["end"],
                "text": m["text"],
                "label": m["label"],
                "label_display": labels.mention[m["label"]],
                "status": m["status"],
                "status_display": labels.status[m["status"]],
                "annotator": m["annotator__username"],
                "editable": editable(m["annotator_id"], m["status"]),
            }
            for m in mentions
        ],
    }


class _Labels:
    """Value -> label of each choice, in the language of the request: the labels are lazy (translated when
    shown), so they are looked up once per page here rather than once per annotation."""

    def __init__(self) -> None:
        self.kind = {value: str(label) for value, label in Quote.Kind.choices}
        self.status = {value: str(label) for value, label in Status.choices}
        self.stance = {value: str(label) for value, label in Stance.Label.choices}
        self.mention = {value: str(label) for value, label in EntityMention.Label.choices}


def _editable_rule(user: Any) -> Any:
    """``can_change`` for one user, its role checks made once: ``(owner_id, status) -> bool``."""
    if has_role(user, Role.EDITOR):
        return lambda owner_id, status: True
    if not has_role(user, Role.ANNOTATOR):
        return lambda owner_id, status: False
    return lambda owner_id, status: owner_id == user.pk and status != Status.ACCEPTED


def _quote_row(
    q: Any, tags: list[str], stances: list[dict[str, Any]], editable: Any, labels: _Labels
) -> dict[str, Any]:
    speaker = None
    if q["speaker_id"] is not None:
        speaker = {
            "id": q["speaker_id"],
            "name": q["speaker__name"],
            "kind": q["speaker__kind"],
            "description": q["speaker__description"],
        }
    return {
        "id": q["pk"],
        "type": "quote",
        "kind": q["kind"],
        "kind_display": labels.kind[q["kind"]],
        "spans": [list(span) for span in parse_span_offsets(q["span_offsets"])],
        "text": q["text"],
        "start": q["start"],
        "end": q["end"],
        "cue": [q["cue_start"], q["cue_end"]] if q["cue_start"] is not None else None,
        "cue_text": q["cue_text"],
        "speaker_mention": [q["speaker_mention_start"], q["speaker_mention_end"]]
        if q["speaker_mention_start"] is not None
        else None,
        "speaker_mention_text": q["speaker_mention_text"],
        "speaker": speaker,
        "status": q["status"],
        "origin": q["origin"],
        "status_display": labels.status[q["status"]],
        "review_note": q["review_note"],
        "version": q["version"],
        "tags": sorted(tags),
        "stances": stances,
        "annotator": q["annotator__username"],
        "editable": editable(q["annotator_id"], q["status"]),
    }


def speaker_search(term: str, limit: int = 10) -> list[dict[str, Any]]:
    """Speakers found by ``Speaker.objects.search_words`` (name or alias, word starts), with the alias
    that matched (two queries)."""
    term = (term or "").strip()
    if not query_words(term):
        return []
    speakers = list(
        Speaker.objects.search_words(term)
        .select_related("affiliation")
        .prefetch_related("aliases")
        .order_by("name", "id")[:limit]
    )
    results = []
    for speaker in speakers:
        data = speaker_data(speaker)
        data["affiliation"] = speaker.affiliation.name if speaker.affiliation is not None else ""
        data["aliases"] = [a.alias for a in speaker.aliases.all() if a.alias != speaker.name]
        data["matched_alias"] = next((a for a in data["aliases"] if matches(a, term)), "")
        results.append(data)
    return results


def new_speaker_data(speaker: Speaker) -> dict[str, Any]:
    """A speaker just created in the workspace, with its Wikidata item: linked (an editor's pick) or
    proposed (anyone else's, waiting for an editor)."""
    return {
        **speaker_data(speaker),
        "wikidata_qid": speaker.wikidata_qid,
        "wikidata_qid_proposed": speaker.wikidata_qid_proposed,
    }


def wikidata_matches(matches: Sequence[Any]) -> list[dict[str, Any]]:
    """Wikidata search results (``corpus.wikidata.Match``) for the new-speaker form, each with the speaker
    already linked to its item, or the one it is proposed for, if any: picking that one reuses the speaker
    (QIDs are unique, and a proposed item is not picked again). One query."""
    qids = [m.qid for m in matches]
    linked: dict[str, Speaker] = {}
    proposed: dict[str, Speaker] = {}
    for speaker in Speaker.objects.filter(Q(wikidata_qid__in=qids) | Q(wikidata_qid_proposed__in=qids)).order_by("pk"):
        if speaker.wikidata_qid:
            linked.setdefault(speaker.wikidata_qid, speaker)
        if speaker.wikidata_qid_proposed:
            proposed.setdefault(speaker.wikidata_qid_proposed, speaker)
    return [
        {
            "qid": m.qid,
            "label": m.label,
            "description": m.description,
            "speaker": speaker_data(linked[m.qid]) if m.qid in linked else None,
            "proposed_for": speaker_data(proposed[m.qid]) if m.qid in proposed and m.qid not in linked else None,
        }
        for m in matches
    ]


def target_search(term: str, limit: int = 10) -> list[dict[str, Any]]:
    qs = StanceTarget.objects.all()
    term = (term or "").strip()
    if term:
        qs = qs.filter(name__icontains=term)
    return [{"id": t.pk, "name": t.name, "description": t.description} for t in qs.order_by("name")[:limit]]


# --- Lookups: the search behind a LookupSelect filter (annotations.widgets) ------------------------

LOOKUP_LIMIT = 10


def _article_lookup(term: str) -> list[dict[str, Any]]:
    """Articles whose title has every word of ``term`` as a word start (the one search, indexed)."""
    rows = Article.objects.filter(search_q(["title"], term)).order_by("title", "id")
    return [
        {"value": pk, "label": title, "detail": f"{outlet} · {published}" if published else outlet}
        for pk, title, outlet, published in rows.values_list("pk", "title", "outlet", "published")[:LOOKUP_LIMIT]
    ]


def _speaker_lookup(term: str) -> list[dict[str, Any]]:
    return [
        {"value": s["id"], "label": s["name"], "detail": s["matched_alias"] or s["affiliation"]}
        for s in speaker_search(term, limit=LOOKUP_LIMIT)
    ]


def _annotator_lookup(term: str) -> list[dict[str, Any]]:
    users = users_with_role(Role.ANNOTATOR, Role.EDITOR).filter(username__icontains=term)
    return [
        {"value": pk, "label": name, "detail": ""} for pk, name in users.values_list("pk", "username")[:LOOKUP_LIMIT]
    ]


LOOKUPS = {"articles": _article_lookup, "speakers": _speaker_lookup, "annotators": _annotator_lookup}


def lookup(kind: str, term: str) -> list[dict[str, Any]]:
    """At most LOOKUP_LIMIT ``{value, label, detail}`` rows of ``kind`` matching ``term`` (one or two queries).

    Raises LookupError for an unknown kind."""
    term = (term or "").strip()[:200]
    return LOOKUPS[kind](term) if term else []

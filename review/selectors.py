"""Reads for the review pages. Each returns its data in a fixed number of queries, whatever the size."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, QuerySet

from accounts.roles import Role, users_with_role
from annotations.curation import best_match
from annotations.filters import QuoteFilter
from annotations.models import EntityMention, Layer, Quote, QuoteEvent, Stance, Status
from annotations.spans import parse_span_offsets
from corpus.models import Article, Speaker, SpeakerAlias, SpeakerAttribute
from text.segments import Highlight, segments
from text.sentences import sentence_bounds

from . import agreement
from .models import ArticleAgreement, Assignment, CorpusAgreement

PARAGRAPH_MAX = 1200  # longer paragraphs are cut to the sentence(s) around the quote

SORTS = {
    "oldest": ("Oldest first", ["updated", "id"]),
    "newest": ("Newest first", ["-updated", "-id"]),
    "article": ("Article, in text order", ["article__title", "article_id", "start", "id"]),
    "speaker": ("Speaker", ["speaker__name", "article_id", "start", "id"]),
    "annotator": ("Annotator", ["annotator__username", "article_id", "start", "id"]),
}
DEFAULT_SORT = "oldest"


# --- Assignment ---------------------------------------------------------------------------------


def assigned_article_ids(user: Any) -> list[int]:
    """Ids of the articles assigned to ``user``, most recently assigned first (one query).

    For the annotator's article list (annotations app), which must not import review: see docs/review.md.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Assignment.objects.for_annotator(user).order_by("-assigned_at", "-id").values_list("article_id", flat=True)
    )


def annotators() -> QuerySet[Any]:
    """Users who can annotate (annotator or editor group, or superuser), by name; each once."""
    return users_with_role(Role.ANNOTATOR, Role.EDITOR)


@dataclass
class Progress:
    annotator: Any  # the user model
    assignment: Assignment | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def state(self) -> str:
        if not self.total:
            return "not started"
        if self.counts.get(Status.DRAFT) and not any(
            self.counts.get(s) for s in (Status.SUBMITTED, Status.ACCEPTED, Status.REJECTED)
        ):
            return "in progress"
        if self.counts.get(Status.SUBMITTED):
            return "awaiting review"
        if self.counts.get(Status.DRAFT):
            return "in progress"
        return "reviewed"


def article_progress(articles: Any) -> dict[int, list[Progress]]:
    """For each article: its assigned annotators (and anyone else who annotated it), with quote counts by status.

    Two queries for any number of articles.
    """
    ids = [a.pk for a in articles]
    rows: dict[int, dict[int, Progress]] = {pk: {} for pk in ids}
    for assignment in (
        Assignment.objects.filter(article_id__in=ids).select_related("annotator").order_by("annotator__username")
    ):
        rows[assignment.article_id][assignment.annotator_id] = Progress(assignment.annotator, assignment)
    counts = (
        Quote.objects.annotations()
        .filter(article_id__in=ids)
        .values("article_id", "annotator_id", "annotator__username", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    User = get_user_model()
    for row in counts:
        progress = rows[row["article_id"]].get(row["annotator_id"])
        if progress is None:
            user = User(pk=row["annotator_id"], username=row["annotator__username"])
            progress = rows[row["article_id"]][row["annotator_id"]] = Progress(user, None)
        progress.counts[row["status"]] = row["n"]
    return {
        pk: sorted(v.values(), key=lambda p: (p.assignment is None, p.annotator.username)) for pk, v in rows.items()
    }


def annotator_load() -> list[dict[str, Any]]:
    """Assignments per annotator (for the spread-evenly form), one query."""
    return list(
        annotators().annotate(assigned=Count("assignments", distinct=True)).values("id", "username", "assigned")
    )


# --- Queue --------------------------------------------------------------------------------------


def queue_filter(data: Any) -> QuoteFilter:
    base = Quote.objects.select_related("article", "speaker", "annotator", "reviewed_by").prefetch_related(  # type: ignore[misc]  # taggit has no stubs
        Prefetch("stances", queryset=Stance.objects.select_related("target", "annotator")),
        "tags",
    )
    return QuoteFilter(data, queryset=base, default_status=Status.SUBMITTED, layer=Layer.ANNOTATION)


def queue_sort(queryset: Any, sort: str) -> Any:
    return queryset.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT])[1])


def status_counts(data: Any) -> dict[str, int]:
    """Counts by status under the same filters except status (one query)."""
    data = data.copy()
    data["status"] = "all"
    filterset = QuoteFilter(data, queryset=Quote.objects.all(), default_status=Status.SUBMITTED, layer=Layer.ANNOTATION)
    qs = filterset.qs if filterset.is_valid() else Quote.objects.none()
    # the filters narrow by pk__in subqueries, never a join: one row per quote, no DISTINCT needed
    found = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    return {value: found.get(value, 0) for value, _ in Status.choices}


def _spans(quote: Quote) -> list[tuple[int, int]]:
    return parse_span_offsets(quote.span_offsets)


def quote_in_paragraph(quote: Quote, body: str | None = None) -> dict[str, Any]:
    """The paragraph around ``quote`` cut into plain segments (quote spans, cue, speaker mention).

    Templates print each segment's text auto-escaped inside its own ``<mark>``: no HTML is built here.
    """
    body = quote.article.body if body is None else body
    spans = _spans(quote)
    start, end = spans[0][0], spans[-1][1]
    left = body.rfind("\n", 0, start) + 1
    right = body.find("\n", end)
    right = len(body) if right == -1 else right
    cut_left = cut_right = False
    if right - left > PARAGRAPH_MAX:
        s_left, _ = sentence_bounds(body, start, start)
        _, s_right = sentence_bounds(body, end, end)
        cut_left, cut_right = s_left > left, s_right < right
        left, right = s_left, s_right
    marks = [Highlight(s, e, "quote", rank=1) for s, e in spans]
    if quote.cue_start is not None and quote.cue_end is not None:
        marks.append(Highlight(quote.cue_start, quote.cue_end, "cue", rank=2))
    if quote.speaker_mention_start is not None and quote.speaker_mention_end is not None:
        marks.append(Highlight(quote.speaker_mention_start, quote.speaker_mention_end, "mention", rank=2))
    # Each segment's ``kind`` is its innermost mark: "quote", "cue", "mention" or "" (plain text).
    return {"segments": segments(body, marks, start=left, end=right), "cut_left": cut_left, "cut_right": cut_right}


# --- How an annotator's quote relates to the curated layer ----------------------------------------


@dataclass(frozen=True)
class Difference:
    field: str  # spans, kind, speaker, cue, speaker mention
    mine: str
    curated: str


@dataclass(frozen=True)
class CuratedRelation:
    """``state``: "supports" (accepted into ``curated``), "agrees" (accepting adds support), "differs"
    (it is the same quote as ``curated`` but not in every field: ``differences``) or "new"."""

    state: str
    curated: Quote | None = None
    differences: tuple[Difference, ...] = ()


def _describe(quote: Quote) -> dict[str, str]:
    def span(start: int | None, end: int | None, text: str) -> str:
        return "" if start is None else f"“{text}” ({start}-{end})"

    return {
        "spans": f"{quote.span_offsets}: “{quote.text}”",
        "kind": quote.get_kind_display(),
        "speaker": quote.speaker.name if quote.speaker is not None else "",
        "cue": span(quote.cue_start, quote.cue_end, quote.cue_text),
        "speaker mention": span(quote.speaker_mention_start, quote.speaker_mention_end, quote.speaker_mention_text),
    }


def quote_differences(quote: Quote, curated: Quote) -> tuple[Difference, ...]:
    """What an editor would have to change to make ``quote`` say what ``curated`` says (no query)."""
    mine, theirs = _describe(quote), _describe(curated)
    return tuple(
        Difference(name, mine[name] or "none", theirs[name] or "none") for name in mine if mine[name] != theirs[name]
    )


def curated_relations(quotes: list[Quote]) -> dict[int, CuratedRelation]:
    """For each annotator's quote, how it relates to its article's curated layer (one query for any page)."""
    article_ids = {q.article_id for q in quotes}
    curated_by_article: dict[int, list[Quote]] = defaultdict(list)
    if article_ids:
        for curated in Quote.objects.curated().filter(article_id__in=article_ids).select_related("speaker"):
            curated_by_article[curated.article_id].append(curated)
    relations = {}
    for quote in quotes:
        candidates = {c.pk: c for c in curated_by_article.get(quote.article_id, [])}
        if quote.curated_id in candidates:
            curated = candidates[quote.curated_id]
            relations[quote.pk] = CuratedRelation("supports", curated, quote_differences(quote, curated))
            continue
        key = best_match(
            parse_span_offsets(quote.span_offsets),
            ((pk, parse_span_offsets(c.span_offsets)) for pk, c in candidates.items()),
        )
        if key is None:
            relations[quote.pk] = CuratedRelation("new")
            continue
        differences = quote_differences(quote, candidates[key])
        relations[quote.pk] = CuratedRelation("differs" if differences else "agrees", candidates[key], differences)
    return relations


def quote_detail(pk: int) -> Quote:
    return (
        Quote.objects.select_related("article", "speaker", "annotator", "reviewed_by")
        .prefetch_related(  # type: ignore[misc]  # taggit has no stubs
            Prefetch("stances", queryset=Stance.objects.select_related("target", "annotator")),
            "tags",
            Prefetch("events", queryset=QuoteEvent.objects.select_related("actor").order_by("-at", "-id")),
            Prefetch("supporters", queryset=Quote.objects.select_related("annotator").order_by("pk")),
        )
        .get(pk=pk)
    )


def my_reviewed_quotes(user: Any) -> Any:
    """The quotes ``user`` annotated that an editor reviewed (accepted or rejected), most recent decision
    first; ``filters.ReviewedQuoteFilter`` narrows them by outcome."""
    return (
        Quote.objects.annotations()
        .filter(annotator=user, status__in=[Status.ACCEPTED, Status.REJECTED])
        .select_related("article", "speaker", "reviewed_by", "curated", "curated__speaker")
        .order_by("-reviewed_at", "-id")
    )


def my_status_counts(user: Any) -> dict[str, int]:
    found = dict(
        Quote.objects.annotations().filter(annotator=user).order_by().values_list("status").annotate(n=Count("id"))
    )
    return {value: found.get(value, 0) for value, _ in Status.choices}


# --- Adjudication and agreement -------------------------------------------------------------------

REVIEWABLE = [Status.SUBMITTED, Status.ACCEPTED, Status.REJECTED]


def _quote_item(quote_id: Any, span_offsets: Any, kind: Any, speaker_id: Any, stances: Any) -> agreement.Item:
    spans = parse_span_offsets(span_offsets)
    return agreement.item(quote_id, spans, label=kind, speaker=speaker_id, stances=stances)


@dataclass
class ArticleAnnotations:
    """Everything the annotators submitted on some articles, as agreement items (5 queries)."""

    quotes: Mapping[int, Mapping[int, list[agreement.Item]]]  # article_id → annotator_id → [Item]
    entities: Mapping[int, Mapping[int, list[agreement.Item]]]
    users: dict[int, str]  # annotator_id → username
    pending: dict[int, list[str]]  # article_id → [username] assigned but with nothing submitted


def annotations_for_agreement(article_ids: Any = None) -> ArticleAnnotations:
    """Annotators' submitted (and reviewed) quotes and entity mentions, drafts excluded.

    Stances count only when set by the quote's own annotator (an editor's correction is not an
    annotator's judgment). An annotator takes part in an article once they submitted anything on it.
    """
    quote_qs = Quote.objects.annotations().filter(status__in=REVIEWABLE)
    mention_qs = EntityMention.objects.annotations().filter(status__in=REVIEWABLE)
    assign_qs = Assignment.objects.all()
    if article_ids is not None:
        quote_qs = quote_qs.filter(article_id__in=article_ids)
        mention_qs = mention_qs.filter(article_id__in=article_ids)
        assign_qs = assign_qs.filter(article_id__in=article_ids)
    stances: defaultdict[int, dict[str, str]] = defaultdict(dict)
    for quote_id, target, label in Stance.objects.filter(
        quote__in=quote_qs, annotator_id=F("quote__annotator_id")
    ).values_list("quote_id", "target__name", "label"):
        stances[quote_id][target] = label
    quotes: defaultdict[int, defaultdict[int, list[agreement.Item]]] = defaultdict(lambda: defaultdict(list))
    entities: defaultdict[int, defaultdict[int, list[agreement.Item]]] = defaultdict(lambda: defaultdict(list))
    users: dict[int, str] = {}
    for pk, article_id, annotator_id, username, offsets, kind, speaker_id in quote_qs.values_list(
        "pk", "article_id", "annotator_id", "annotator__username", "span_offsets", "kind", "speaker_id"
    ).order_by("article_id", "start", "pk"):
        users[annotator_id] = username
        quotes[article_id][annotator_id].append(_quote_item(pk, offsets, kind, speaker_id, stances.get(pk, {})))
    for pk, article_id, annotator_id, username, start, end, label in mention_qs.values_list(
        "pk", "article_id", "annotator_id", "annotator__username", "start", "end", "label"
    ).order_by("article_id", "start", "pk"):
        users[annotator_id] = username
        entities[article_id][annotator_id].append(agreement.item(pk, [(start, end)], label=label))
    # Everyone who took part in an article is compared on both kinds, even with none of one kind.
    for article_id in set(quotes) | set(entities):
        for annotator_id in set(quotes[article_id]) | set(entities[article_id]):
            quotes[article_id].setdefault(annotator_id, [])
            entities[article_id].setdefault(annotator_id, [])
    pending = defaultdict(list)
    for article_id, annotator_id, username in assign_qs.values_list(
        "article_id", "annotator_id", "annotator__username"
    ).order_by("annotator__username"):
        if annotator_id not in quotes.get(article_id, {}):
            pending[article_id].append(username)
    return ArticleAnnotations(quotes, entities, users, pending)


@dataclass
class AgreementResult:
    corpus: agreement.Report
    by_article: dict[int, agreement.Report]
    users: dict[int, str]
    articles: dict[int, Article]  # id, title, slug only
    pending: dict[int, list[str]]


def agreement_figures(article_ids: Any = None) -> AgreementResult:
    """Agreement per article (with two or more annotators) and pooled over them; 6 queries in all."""
    data = annotations_for_agreement(article_ids)
    corpus = agreement.Report()
    by_article = {}
    for article_id in sorted(data.quotes):
        if len(data.quotes[article_id]) < 2:
            continue
        report = agreement.compare_article(data.quotes[article_id], data.entities[article_id])
        by_article[article_id] = report
        corpus.add(report)
    wanted = set(by_article) | set(data.pending) | set(article_ids or [])
    articles = {a.pk: a for a in Article.objects.filter(pk__in=wanted).only("id", "title", "slug")}
    return AgreementResult(corpus, by_article, data.users, articles, dict(data.pending))


@dataclass
class AlignedRow:
    """One position in the article where annotators marked (roughly) the same thing."""

    cells: dict[str, Any]  # annotator_id → Quote or EntityMention
    matching: bool
    start: int
    columns: list[Any] = field(default_factory=list)  # cell or None, one per annotator in column order
    differs: set[str] = field(default_factory=set)  # names of the fields on which the cells disagree

    def quote_ids(self) -> str:
        return ",".join(str(obj.pk) for obj in self.cells.values())


def _quote_signature(quote: Quote, own_stances: Any) -> tuple[Any, ...]:
    return (quote.span_offsets, quote.kind, quote.speaker_id, tuple(sorted(own_stances.items())))


def adjudication(article: Article) -> dict[str, Any]:
    """The annotators' quotes and entity mentions on ``article`` aligned side by side (4 queries)."""
    quotes = list(
        Quote.objects.annotations()
        .filter(article=article, status__in=REVIEWABLE)
        .select_related("speaker", "annotator", "reviewed_by")
        .prefetch_related(Prefetch("stances", queryset=Stance.objects.select_related("target", "annotator")))
        .order_by("start", "pk")
    )
    mentions = list(
        EntityMention.objects.annotations()
        .filter(article=article, status__in=REVIEWABLE)
        .select_related("speaker", "annotator")
        .order_by("start", "pk")
    )
    users = {}
    by_annotator = defaultdict(list)
    objects = {}
    own_stances = {}
    for quote in quotes:
        users[quote.annotator_id] = quote.annotator
        own_stances[quote.pk] = {
            s.target.name: s.label for s in quote.stances.all() if s.annotator_id == quote.annotator_id
        }
        by_annotator[quote.annotator_id].append(
            _quote_item(quote.pk, quote.span_offsets, quote.kind, quote.speaker_id, own_stances[quote.pk])
        )
        objects[quote.pk] = quote
    mention_items = defaultdict(list)
    mention_objects = {}
    for mention in mentions:
        users[mention.annotator_id] = mention.annotator
        mention_items[mention.annotator_id].append(
            agreement.item(mention.pk, [(mention.start, mention.end)], label=mention.label)
        )
        mention_objects[mention.pk] = mention
    annotator_ids = sorted(users, key=lambda pk: users[pk].username)
    quote_rows = []
    for members in agreement.cluster(by_annotator):
        cells = {a: objects[it.key] for a, it in members.items()}
        signatures = [_quote_signature(q, own_stances[q.pk]) for q in cells.values()]
        matching = len(cells) == len(annotator_ids) >= 2 and len(set(signatures)) == 1
        differs = {
            name
            for i, name in enumerate(("spans", "kind", "speaker", "stances"))
            if len({sig[i] for sig in signatures}) > 1
        }
        if len(cells) < len(annotator_ids):
            differs.add("missing")
        quote_rows.append(
            AlignedRow(
                cells,
                matching,
                min(q.start for q in cells.values()),
                [cells.get(a) for a in annotator_ids],
                differs,
            )
        )
    entity_rows = []
    for members in agreement.cluster(mention_items):
        mention_cells = {a: mention_objects[it.key] for a, it in members.items()}
        mention_signatures = [(m.start, m.end, m.label) for m in mention_cells.values()]
        matching = len(mention_cells) == len(annotator_ids) >= 2 and len(set(mention_signatures)) == 1
        differs = {
            name for i, name in enumerate(("start", "end", "label")) if len({sig[i] for sig in mention_signatures}) > 1
        }
        entity_rows.append(
            AlignedRow(
                mention_cells,
                matching,
                min(m.start for m in mention_cells.values()),
                [mention_cells.get(a) for a in annotator_ids],
                differs,
            )
        )
    for quote in quotes:
        quote.own_stances = sorted(own_stances[quote.pk].items())  # type: ignore[attr-defined]  # for the template
    return {
        "annotators": [users[pk] for pk in annotator_ids],
        "annotator_ids": annotator_ids,
        "quote_rows": quote_rows,
        "entity_rows": entity_rows,
        "own_stances": own_stances,
    }


AUDIT_HIDDEN = {"version"}


def events_of(quote_id: int) -> list[QuoteEvent]:
    """A quote's events by id, newest first (also after the quote was deleted), with ``changes``."""
    return _with_changes(
        list(QuoteEvent.objects.filter(quote_id=quote_id).select_related("actor").order_by("-at", "-id"))
    )


def audit_trail(quote: Quote) -> list[QuoteEvent]:
    """The quote's events, newest first, each with ``changes``: (field, before, after) triples."""
    return _with_changes(list(quote.events.all()))


def _with_changes(events: list[QuoteEvent]) -> list[QuoteEvent]:
    for event in events:
        before, after = event.before or {}, event.after or {}
        event.changes = (  # type: ignore[attr-defined]  # for the template
            [
                (name, before.get(name) if event.before is not None else None, after.get(name))
                for name in event.changed_fields()
                if name not in AUDIT_HIDDEN
            ]
            if event.before is not None and event.after is not None
            else []
        )  # creation, deletion: no diff
    return events


def merge_sides(source: Any, target: Any) -> dict[str, Any]:
    """The two speakers of a merge side by side, with what tells whether they are one: each one's Wikidata
    item and attributes with their sources (one query), and whether they are linked to different items."""
    attributes: dict[int, list[SpeakerAttribute]] = defaultdict(list)
    for attribute in SpeakerAttribute.objects.filter(speaker_id__in=[source.pk, target.pk]).order_by("name"):
        attributes[attribute.speaker_id].append(attribute)
    return {
        "sides": [
            {"speaker": source, "attributes": attributes[source.pk], "part": "duplicate"},
            {"speaker": target, "attributes": attributes[target.pk], "part": "kept"},
        ],
        "different_items": bool(source.wikidata_qid and target.wikidata_qid)
        and source.wikidata_qid != target.wikidata_qid,
    }


def wikidata_proposals() -> "QuerySet[Speaker]":
    """Speakers with a Wikidata item an annotator proposed, oldest proposal first, with who proposed it
    (one query per page, on the partial index of pending proposals)."""
    return Speaker.objects.with_wikidata_proposal().select_related("wikidata_proposed_by")


def merge_preview(source: Any) -> dict[str, int]:
    """What merging ``source`` away would move (three counts)."""
    return {
        "aliases": source.aliases.count(),
        "quotes": Quote.objects.filter(speaker=source).count(),
        "mentions": EntityMention.objects.filter(speaker=source).count(),
    }


@dataclass(frozen=True)
class MergeCandidate:
    first: object
    second: object
    reason: str
    outlets: tuple[str, ...]


# Words left out when comparing aliases ("Ms. Maria Scott" and "Scott, Maria" have the same words).
HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "sen",
        "senator",
        "rep",
        "gov",
        "governor",
        "president",
        "minister",
    ]
)


def _same_item_pairs(limit: int) -> list[tuple[int, int, str]]:
    """Speakers whose attributes were read from the Wikidata item another speaker is linked to: one query."""
    from django.db.models import OuterRef, Subquery

    linked = Speaker.objects.filter(wikidata_qid=OuterRef("wikidata_qid")).exclude(pk=OuterRef("speaker_id"))
    rows = (
        SpeakerAttribute.objects.exclude(wikidata_qid="")
        .annotate(other=Subquery(linked.values("pk")[:1]))
        .filter(other__isnull=False)
        .values_list("speaker_id", "other", "wikidata_qid")
        .distinct()
        .order_by("speaker_id", "other")[:limit]
    )
    return [(a, b, f"the same Wikidata item ({qid})") for a, b, qid in rows]


def _alias_pairs(limit: int) -> list[tuple[int, int, str]]:
    """Speakers with aliases of the same words once titles and word order are left aside ("Ms. Maria
    Scott", "Scott, Maria"): one row per alias, stopping at ``limit`` pairs. (Aliases are unique after
    normalization, so two speakers never share one exactly.)"""
    seen: dict[frozenset[str], tuple[int, str]] = {}
    pairs: list[tuple[int, int, str]] = []
    done: set[tuple[int, int]] = set()
    for speaker_id, alias, normalized in SpeakerAlias.objects.order_by("pk").values_list(
        "speaker_id", "alias", "normalized"
    ):
        words = frozenset(normalized.split()) - HONORIFICS
        if not words:
            continue
        other = seen.setdefault(words, (speaker_id, alias))
        pair = (other[0], speaker_id)
        if other[0] != speaker_id and pair not in done:
            done.add(pair)
            pairs.append((*pair, f"shared alias (“{other[1]}”, “{alias}”)"))
            if len(pairs) >= limit:
                break
    return pairs


def _name_pairs(limit: int) -> list[tuple[int, int]]:
    """Persons with the same last name, one name's words inside the other's ("Jane Roe", "Jane M. Roe")."""
    from corpus.text import normalize_alias

    by_last: dict[str, list[tuple[int, str, frozenset[str]]]] = defaultdict(list)
    for pk, name in Speaker.objects.filter(kind=Speaker.Kind.PERSON).order_by("pk").values_list("pk", "name"):
        words = normalize_alias(name).split()
        if len(words) >= 1:
            by_last[words[-1]].append((pk, name, frozenset(words)))
    pairs = []
    for group in by_last.values():
        for i, (pk_a, _, words_a) in enumerate(group):
            for pk_b, _, words_b in group[i + 1 :]:
                if words_a <= words_b or words_b <= words_a:
                    pairs.append((pk_a, pk_b))
        if len(pairs) > limit * 5:
            break
    return pairs


def merge_candidates(limit: int = 100) -> list[MergeCandidate]:
    """Pairs of speakers that may be one, each with why: the same Wikidata item (one has attributes read
    from the item the other is linked to), aliases of the same words, or similar names (same last name,
    one name's words inside the other's) quoted in a same outlet. Five queries; the alias and name
    passes read one row per alias or speaker and stop at ``limit`` pairs."""
    strong = _same_item_pairs(limit) + _alias_pairs(limit)
    names = _name_pairs(limit)
    ids = {pk for pair in names for pk in pair} | {pk for a, b, _ in strong for pk in (a, b)}
    outlets: dict[int, set[str]] = defaultdict(set)
    for speaker_id, outlet in (
        Quote.objects.filter(speaker_id__in=ids)
        .exclude(article__outlet="")
        .values_list("speaker_id", "article__outlet")
        .distinct()
    ):
        outlets[speaker_id].add(outlet)
    speakers = Speaker.objects.in_bulk(ids)
    found, listed = [], set()
    for a, b, reason in strong:
        if (a, b) not in listed and a in speakers and b in speakers:
            listed.add((a, b))
            found.append(MergeCandidate(speakers[a], speakers[b], reason, tuple(sorted(outlets[a] | outlets[b]))))
    for a, b in names:
        shared = outlets[a] & outlets[b]
        if shared and (a, b) not in listed:
            listed.add((a, b))
            found.append(
                MergeCandidate(speakers[a], speakers[b], "similar names in the same outlet", tuple(sorted(shared)))
            )
    return found[:limit]


# --- Stored agreement (review.models.ArticleAgreement, kept by services.agreement_refresh) --------


@dataclass
class StoredAgreement:
    corpus: agreement.Report | None  # None before the first refresh
    computed_at: Any  # datetime | None
    pending: int
    changed: int  # articles whose stored figures are out of date
    compared: int  # stored articles with two or more annotators
    current: bool  # the corpus figures pool exactly the stored, fresh article rows


def stored_agreement() -> StoredAgreement:
    """The corpus figures as stored, and how far they are behind (4 queries, whatever the corpus size)."""
    row = CorpusAgreement.objects.filter(id=1).first()
    changed = ArticleAgreement.objects.filter(stale=True).count()
    compared = ArticleAgreement.objects.filter(annotators__gte=2).count()
    if row is None:
        return StoredAgreement(None, None, 0, changed, compared, False)
    newer = ArticleAgreement.objects.filter(computed_at__gt=row.computed_at).exists()
    current = not changed and not newer and compared == row.compared
    report = agreement.report_from_data(row.report)
    return StoredAgreement(report, row.computed_at, row.pending, changed, compared, current)


def stored_article_agreement() -> QuerySet[ArticleAgreement]:
    """Stored rows of the articles compared (two or more annotators), for a paginated list."""
    return ArticleAgreement.objects.filter(annotators__gte=2).order_by("article_id")


def article_rows_for_page(rows: list[ArticleAgreement]) -> list[dict[str, Any]]:
    """One page of stored article rows, decoded, with their articles (one query)."""
    articles = {
        a.pk: a for a in Article.objects.filter(pk__in=[r.article_id for r in rows]).only("id", "title", "slug")
    }
    out = []
    for row in rows:
        report = agreement.report_from_data(row.report)
        out.append({"article": articles.get(row.article_id), "report": report, "stale": row.stale})
    return out


def usernames(ids: Iterable[int]) -> dict[int, str]:
    return dict(get_user_model().objects.filter(pk__in=set(ids)).values_list("pk", "username"))

"""What the API returns and accepts. Output fields are additive within /api/v1/ (see the README)."""

import datetime
from typing import Any

from ninja import Schema
from pydantic import Field


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = None


class PageMeta(Schema):
    count: int = Field(description="Matching rows, up to 10,000 (see count_capped).")
    count_capped: bool = Field(description="True when more rows match than count says.")
    next: str | None = Field(description="URL of the next page; null on the last one.")


class SpeakerRef(Schema):
    id: int
    name: str
    kind: str


class StanceOut(Schema):
    id: int
    target_id: int
    target: str
    label: str


class QuoteOut(Schema):
    id: int
    url: str
    article_id: int
    layer: str
    status: str
    kind: str
    text: str
    spans: list[tuple[int, int]]
    cue: tuple[int, int] | None
    cue_text: str
    speaker_mention: tuple[int, int] | None
    speaker_mention_text: str
    speaker: SpeakerRef | None
    support_count: int
    supported_by: list[str]
    annotator: str | None = Field(description="Own layer only: the annotator (you).")
    review_note: str
    version: int = Field(description="Send it back with a write; a stale one gets 409.")
    tags: list[str]
    stances: list[StanceOut]
    reviewed_at: datetime.datetime | None
    created: datetime.datetime
    updated: datetime.datetime


class QuotePage(PageMeta):
    results: list[QuoteOut]


class ArticleOut(Schema):
    id: int
    url: str
    title: str
    slug: str
    outlet: str
    byline: str
    dateline: str
    published: datetime.date | None
    source_url: str
    language: str
    body_hash: str
    tags: list[str]


class ArticleDetail(ArticleOut):
    body: str


class ArticlePage(PageMeta):
    results: list[ArticleOut]


class AliasOut(Schema):
    alias: str
    normalized: str


class SpeakerOut(Schema):
    id: int
    url: str
    name: str
    kind: str
    description: str
    affiliation_id: int | None
    wikidata_qid: str = Field(
        description="The Wikidata item an editor confirmed (the one whose claims are research data); empty when none."
    )
    wikidata_qid_proposed: str = Field(
        "",
        description="A Wikidata item an annotator picked, waiting for an editor to confirm or reject it: not a "
        "confirmed match, and no attribute is read from it. Empty when none.",
    )
    wikidata_proposed_at: datetime.datetime | None = Field(
        None, description="When the item was proposed; null when none."
    )
    aliases: list[AliasOut]


class SpeakerPage(PageMeta):
    results: list[SpeakerOut]


class MentionOut(Schema):
    id: int
    article_id: int
    start: int
    end: int
    text: str
    label: str
    speaker_id: int | None
    support_count: int


class MentionPage(PageMeta):
    results: list[MentionOut]


class StanceTargetOut(Schema):
    id: int
    name: str
    description: str


class StanceTargetPage(PageMeta):
    results: list[StanceTargetOut]


class StanceRow(StanceOut):
    quote_id: int


class StancePage(PageMeta):
    results: list[StanceRow]


class AgreementRow(Schema):
    scope: str
    article_id: int | None
    article_title: str
    annotator_a: str
    annotator_b: str
    measure: str
    value: float | None
    counted: int
    detail: str


class AgreementOut(Schema):
    articles: int
    rows: list[AgreementRow]
    # The corpus figures are stored (recomputed for changed articles); these say how current they are.
    computed_at: datetime.datetime | None = None
    current: bool = True


class ExportLink(Schema):
    slug: str
    title: str
    url: str
    format: str


class ExportLinks(Schema):
    query: str
    results: list[ExportLink]


# --- writes -------------------------------------------------------------------------------------


class AcceptIn(Schema):
    version: int = Field(description="The version you saw (GET the quote first).")
    note: str = Field("", max_length=2000)


class RejectIn(Schema):
    version: int
    reason: str = Field(min_length=1, max_length=2000, description="The annotators see it.")


class CorrectIn(Schema):
    version: int
    spans: list[tuple[int, int]] | None = None
    kind: str | None = None
    speaker_id: int | None = Field(None, description="Give clear_speaker to remove the speaker.")
    clear_speaker: bool = False
    cue: tuple[int, int] | None = None
    speaker_mention: tuple[int, int] | None = None
    note: str = Field("", max_length=2000)


class QuoteIn(Schema):
    """A quote of your own layer, as the workspace sends it (checked by the workspace's QuoteForm)."""

    article: int
    kind: str = "direct"
    spans: list[tuple[int, int]] = Field(min_length=1)
    span_texts: list[str] | None = Field(None, description="The text of each span, checked against the article.")
    cue: tuple[int, int] | None = None
    speaker_mention: tuple[int, int] | None = None
    speaker: int | None = Field(None, description="Speaker id")
    tags: list[str] | None = None


class QuotePatch(Schema):
    version: int = Field(description="The version you saw; a stale one gets 409.")
    kind: str | None = None
    spans: list[tuple[int, int]] | None = None
    span_texts: list[str] | None = None
    cue: tuple[int, int] | None = None
    speaker_mention: tuple[int, int] | None = None
    speaker: int | None = None
    tags: list[str] | None = None


# --- the annotators' workspace (api.routers.workspace): the page's own shapes -------------------


class WsSpeaker(Schema):
    id: int
    name: str
    kind: str
    description: str


class WsSpeakerHit(WsSpeaker):
    affiliation: str = Field(description="The affiliation's name; empty when none.")
    aliases: list[str]
    matched_alias: str = Field(description="The alias the search matched; empty when it matched the name.")


class WsSpeakerHits(Schema):
    results: list[WsSpeakerHit]


class WsNewSpeakerOut(WsSpeaker):
    wikidata_qid: str = Field(description="The linked Wikidata item: an editor's pick links at once; else empty.")
    wikidata_qid_proposed: str = Field(
        description="An annotator's pick, stored as a proposal for an editor to confirm; else empty."
    )


class WsSpeakerCreated(Schema):
    speaker: WsNewSpeakerOut


class WsTargetRef(Schema):
    id: int
    name: str


class WsStance(Schema):
    id: int
    target: WsTargetRef
    label: str
    label_display: str
    note: str


class WsStanceCreated(Schema):
    stance: WsStance


class WsQuote(Schema):
    id: int
    type: str = Field(description="Always quote.")
    kind: str
    kind_display: str
    spans: list[list[int]]
    text: str
    start: int
    end: int
    cue: list[int] | None
    cue_text: str
    speaker_mention: list[int] | None
    speaker_mention_text: str
    speaker: WsSpeaker | None
    status: str
    origin: str
    status_display: str
    review_note: str
    version: int = Field(description="Send it back with a change; a stale one gets 409.")
    tags: list[str]
    stances: list[WsStance]
    annotator: str
    editable: bool = Field(description="Whether you may change or delete it.")


class WsQuoteOne(Schema):
    quote: WsQuote


class WsMention(Schema):
    id: int
    type: str = Field(description="Always mention.")
    start: int
    end: int
    text: str
    label: str
    label_display: str
    status: str
    status_display: str
    annotator: str
    editable: bool


class WsMentionOne(Schema):
    mention: WsMention


class WsState(Schema):
    view: str = Field(description="mine, or another view the caller may see (e.g. all for editors).")
    quotes: list[WsQuote]
    mentions: list[WsMention]


class WsSubmitted(WsState):
    submitted: int = Field(description="How many quotes were submitted.")


class WsDeleted(Schema):
    deleted: int


class WsTarget(Schema):
    id: int
    name: str
    description: str


class WsTargets(Schema):
    results: list[WsTarget]


class WsTargetCreated(Schema):
    target: WsTarget


class WsNewSpeaker(Schema):
    name: str = Field(max_length=300)
    kind: str | None = None
    description: str | None = Field(None, max_length=500)
    affiliation: int | None = Field(None, description="Speaker id")
    wikidata_qid: str | None = Field(
        None,
        max_length=20,
        description="The Wikidata item the user picked from GET /workspace/wikidata: an editor's pick links the "
        "speaker; an annotator's is stored as a proposal (wikidata_qid_proposed) until an editor confirms it.",
    )


class WsQuoteNewSpeaker(WsNewSpeaker):
    """A speaker created with the quote, with the gender and role the annotator gives."""

    gender: str | None = Field(
        None, max_length=20, description="woman, man, non-binary, another, unknown; not for organizations and groups"
    )
    role: str | None = Field(None, max_length=40, description="A code of the role codebook")
    described: bool | None = Field(
        None,
        description="The article says so: the quote's speaker mention is the evidence (source: article). "
        "Otherwise only an editor's judgment is recorded (source: editor).",
    )


class WsWikidataMatch(Schema):
    qid: str
    label: str
    description: str
    speaker: WsSpeaker | None = Field(description="The speaker of this corpus already linked to the item")
    proposed_for: WsSpeaker | None = Field(
        None, description="The speaker this item is proposed for, waiting for an editor (when none is linked to it)"
    )


class WsWikidataMatches(Schema):
    available: bool = Field(description="False when Wikidata is turned off or could not be reached")
    message: str = Field(description="Why there are no results, when it is not available")
    results: list[WsWikidataMatch]


class WsStanceIn(Schema):
    target: int | None = Field(None, description="Stance target id; or give target_name")
    target_name: str | None = Field(None, max_length=200, description="Found (case-insensitive) or created")
    label: str = Field(description="favor, against, neutral, unclear")
    note: str | None = Field(None, max_length=5000)


class WsQuoteIn(Schema):
    """A quote as the workspace sends it, checked by its QuoteForm (texts against the article)."""

    kind: str | None = None
    spans: list[tuple[int, int]] | None = None
    span_texts: list[str] | None = None
    cue: tuple[int, int] | None = None
    cue_text: str | None = None
    speaker_mention: tuple[int, int] | None = None
    speaker_mention_text: str | None = None
    speaker: int | None = Field(None, description="Speaker id; null for none")
    new_speaker: WsQuoteNewSpeaker | None = None
    tags: list[str] | None = None
    stances: list[WsStanceIn] | None = Field(None, description="Your stances on the quote (they replace them)")
    version: int | None = Field(None, description="On a change: the version you saw; a stale one gets 409.")


class WsMentionIn(Schema):
    start: int | None = None
    end: int | None = None
    text: str | None = Field(None, description="The text at start-end, checked against the article")
    label: str | None = None


class WsTargetIn(Schema):
    name: str = Field(max_length=200)
    description: str | None = None


# --- suggestions (the panel's payloads: suggestions.selectors.suggestion_json) ---------------------


class SuggestionOut(Schema):
    id: int
    kind: str
    rule: str = Field(description="The rule that made it (model:NAME for a pushed suggestion)")
    spans: list[list[int]] = Field(description="Content spans [[start, end], ...] in code points")
    text: str
    cue: list[int] | None
    cue_text: str
    speaker: str | None
    speaker_id: int | None
    speaker_known: bool
    speaker_mention: list[int] | None
    status: str
    quote_id: int | None


class SuggestionCounts(Schema):
    pending: int
    accepted: int
    rejected: int


class OwnQuote(Schema):
    id: int
    spans: list[list[int]]
    origin: str


class SuggestionList(Schema):
    article: int
    suggestions: list[SuggestionOut] = Field(description="Pending suggestions on the present text, in text order")
    counts: SuggestionCounts
    quotes: list[OwnQuote] = Field(description="Your own quotes of the article")


class SuggestionDecision(Schema):
    id: int
    status: str
    quote_id: int | None = Field(description="Accept: your new draft quote")
    counts: SuggestionCounts


class SuggestionIn(Schema):
    kind: str = Field(description="direct, indirect, mixed")
    spans: list[tuple[int, int]] = Field(min_length=1, max_length=20, description="Content spans, code points")
    cue: tuple[int, int] | None = None
    speaker: str | None = Field(None, max_length=300, description="The speaker's name, resolved like the rules'")
    speaker_kind: str | None = Field(None, description="person, group, organization")
    speaker_mention: tuple[int, int] | None = None


class SuggestionPushIn(Schema):
    model: str = Field(max_length=44, description="Your model's name: rule model:NAME, origin rule:model:NAME")
    suggestions: list[SuggestionIn] = Field(max_length=1000)


# --- article import (ingest.services: the import page's formats and checks) -----------------------


class ImportRowOut(Schema):
    line: int | None
    title: str
    article_id: int | None
    reason: str = Field(description="Skipped: why (a duplicate of which article)")


class ImportProblemOut(Schema):
    line: int | None
    message: str


class ImportFileReport(Schema):
    source: str = Field(description="The file's name (brat files together are one report)")
    format: str
    ok: bool
    summary: str
    created: list[ImportRowOut]
    skipped: list[ImportRowOut]
    errors: list[ImportProblemOut]
    warnings: list[ImportProblemOut]
    quotes: int
    mentions: int
    speakers: int = Field(description="New speakers (brat, doccano)")
    trimmed: int = Field(description="Spans trimmed of white space or quotation marks (brat, doccano)")


class ImportOut(Schema):
    created: int = Field(description="Articles created, all files")
    skipped: int = Field(description="Duplicates skipped, all files")
    quotes: int
    mentions: int
    reports: list[ImportFileReport]


class ImportQueuedOut(Schema):
    job: int = Field(description="The background job importing the files: follow it at url (GET /jobs/{id})")
    status: str
    url: str


class JobOut(Schema):
    id: int
    kind: str = Field(description="e.g. article_import, agreement_refresh, suggest_articles")
    label: str
    status: str = Field(description="queued, running, succeeded, failed, cancelled")
    done: int = Field(description="Steps done (progress)")
    total: int = Field(description="Steps in all; 0 while not known")
    error: str = Field(description="Why it failed")
    result: dict[str, Any] | None = Field(description="What it did, once succeeded")
    created_by: str | None
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    heartbeat_at: datetime.datetime | None
    attempts: int
    cancel_requested: bool
    finished: bool
    url: str = Field(description="The job's page")


class JobPage(Schema):
    results: list[JobOut]
    next: str | None

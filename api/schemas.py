"""What the API returns and accepts. Output fields are additive within /api/v1/ (see the README)."""

import datetime

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
    wikidata_qid: str = Field(description="Empty when unknown.")
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

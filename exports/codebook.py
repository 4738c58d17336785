"""The codebook: every export file, every column, in order. The writers build their header and their
SELECT from these definitions, and the codebook page renders them, so the two cannot drift apart.

A column's ``source`` is an ORM path (``article__title``), a pair of paths (a span), or a callable
returning an expression (computed columns such as tags or counts).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Length

from annotations.models import EntityMention, Quote, Stance
from clusters.models import Cluster
from corpus.models import Article, Speaker, SpeakerAttribute
from text.spreadsheet import DANGEROUS_FIRST_CHARS

from .sql import ClusterSpeakers, aliases_of, tags_of

INT, TEXT, DATE, DATETIME, SPAN = "integer", "text", "date", "datetime", "span"

KIND_HELP = {
    INT: "whole number; empty when there is none",
    TEXT: "text (formula-neutralized, see below); empty when there is none",
    DATE: "date, YYYY-MM-DD",
    DATETIME: "date and time in UTC, YYYY-MM-DDTHH:MM:SSZ",
    SPAN: "offsets start-end (code points of the article body, end exclusive); empty when there is none",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    source: str | tuple[str, str] | Callable[[], Any]
    description: str


@dataclass(frozen=True)
class ExportFile:
    slug: str
    model: type
    title: str
    row: str
    filters: str
    columns: tuple[Column, ...]

    @property
    def filename(self) -> str:
        return f"{self.slug}.csv"

    @property
    def url_name(self) -> str:
        return f"exports:{self.slug}_csv"

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def _accepted_quote_count():
    counts = (
        Quote.objects.curated()
        .filter(speaker=OuterRef("pk"))
        .order_by()
        .values("speaker")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), Value(0))


def _attribute(name: str, field: str = "value", outer: str = "speaker_id"):
    """One provenance field of a speaker attribute (the unique (speaker, name) index finds it)."""

    def expression():
        rows = SpeakerAttribute.objects.filter(speaker=OuterRef(outer), name=name).values(field)[:1]
        return Subquery(rows)

    return expression


ATTRIBUTE_HELP = (
    "How each attribute is decided: from the article's own words (a pronoun, a title such as “Ms.”, a "
    "described role), from Wikidata (P21 sex or gender, P39/P106 position and occupation, P102 party, P108 "
    "employer, P27 country) once a person has confirmed the match, or by an editor's judgment; never from "
    "a first name. Empty means not recorded (counted as unknown in the research pages)."
)


def _speaker_attribute_columns() -> tuple[Column, ...]:
    columns = []
    for name, label in SpeakerAttribute.Name.choices:
        what = {
            "gender": "woman, man, non-binary, another, unknown or not-applicable (organizations, groups)",
            "role": "a code of the role codebook (politician, government-official, police-military, expert, "
            "business, advocacy, journalist, public, other)",
        }.get(name, "free text")
        columns += [
            Column(
                name,
                TEXT,
                _attribute(name, outer="pk"),
                f"{label}: {what}. {ATTRIBUTE_HELP if name == 'gender' else ''}".strip(),
            ),
            Column(
                f"{name}_source",
                TEXT,
                _attribute(name, "source", outer="pk"),
                f"Where the {label.lower()} comes from: article, wikidata, editor or import.",
            ),
            Column(
                f"{name}_evidence",
                TEXT,
                _attribute(name, "evidence", outer="pk"),
                "The article's words that say it (or the Wikidata label).",
            ),
            Column(
                f"{name}_article_id",
                INT,
                _attribute(name, "article_id", outer="pk"),
                "The article those words are in (source article).",
            ),
            Column(
                f"{name}_span_start",
                INT,
                _attribute(name, "span_start", outer="pk"),
                "Where those words start in that article (code points).",
            ),
            Column(f"{name}_span_end", INT, _attribute(name, "span_end", outer="pk"), "Where they end (exclusive)."),
            Column(
                f"{name}_qid",
                TEXT,
                _attribute(name, "wikidata_qid", outer="pk"),
                "The Wikidata item it was read from (source wikidata).",
            ),
            Column(
                f"{name}_retrieved_at",
                DATETIME,
                _attribute(name, "retrieved_at", outer="pk"),
                "When it was read from Wikidata.",
            ),
            Column(f"{name}_set_at", DATETIME, _attribute(name, "set_at", outer="pk"), "When it was last set."),
        ]
    return tuple(columns)


QUOTE_STATUS_FILTERS = (
    "Every filter of the quote browser, given as the same query string: outlet, dates, speaker, kinds, "
    "stance target and label, tag, annotator (the curated quotes an annotator's accepted quotes support), "
    "the text search q, and sort (the rows keep the page's order). Rows are the curated corpus: one row "
    "per quote, however many annotators marked it."
)

QUOTES = ExportFile(
    slug="quotes",
    model=Quote,
    title="Quotes",
    row="one curated quote (all its content spans in one row; one row per quote of an article)",
    filters=QUOTE_STATUS_FILTERS,
    columns=(
        Column("quote_id", INT, "id", "Id of the quote."),
        Column("article_id", INT, "article_id", "Id of the article the quote is in (articles.csv)."),
        Column("article_title", TEXT, "article__title", "Headline of the article."),
        Column("article_outlet", TEXT, "article__outlet", "News outlet that published the article."),
        Column("article_published", DATE, "article__published", "Publication date of the article."),
        Column("article_url", TEXT, "article__url", "Web address of the article."),
        Column("speaker_id", INT, "speaker_id", "Id of the speaker (speakers.csv); empty when not attributed."),
        Column("speaker_name", TEXT, "speaker__name", "Canonical name of the speaker."),
        Column("speaker_kind", TEXT, "speaker__kind", "person, organization, group (unnamed sources) or unknown."),
        Column(
            "speaker_affiliation",
            TEXT,
            "speaker__affiliation__name",
            "Name of the organization the speaker speaks for.",
        ),
        Column(
            "speaker_qid",
            TEXT,
            "speaker__wikidata_qid",
            "Wikidata QID of the speaker, such as Q22686, as an editor confirmed it (an annotator's unconfirmed pick is not given).",
        ),
        Column(
            "speaker_gender",
            TEXT,
            _attribute("gender"),
            "The speaker's gender (see speakers.csv; empty: not recorded).",
        ),
        Column(
            "speaker_gender_source",
            TEXT,
            _attribute("gender", "source"),
            "Where it comes from: article, wikidata, editor or import.",
        ),
        Column("speaker_role", TEXT, _attribute("role"), "The speaker's role category (a code of the role codebook)."),
        Column("speaker_role_source", TEXT, _attribute("role", "source"), "Where it comes from."),
        Column("quote_text", TEXT, "text", "The quoted words: the texts of the content spans joined by “ … ”."),
        Column("quote_spans", TEXT, "span_offsets", "All content spans, start-end;start-end (see Span format)."),
        Column("quote_kind", TEXT, "kind", "direct, indirect or mixed."),
        Column("cue_text", TEXT, "cue_text", "The attribution cue, such as “said”."),
        Column("cue_span", SPAN, ("cue_start", "cue_end"), "Offsets of the cue."),
        Column("speaker_mention_text", TEXT, "speaker_mention_text", "How the text names the speaker here."),
        Column(
            "speaker_mention_span", SPAN, ("speaker_mention_start", "speaker_mention_end"), "Offsets of that mention."
        ),
        Column("status", TEXT, "status", "accepted (every curated quote is)."),
        Column(
            "reviewer", TEXT, "reviewed_by__username", "Username of the editor who accepted the quote into the corpus."
        ),
        Column("reviewed_at", DATETIME, "reviewed_at", "When it was accepted."),
        Column("curator", TEXT, "annotator__username", "Username of the editor who created the curated quote."),
        Column("support", INT, "support_count", "How many annotators' accepted quotes support this curated quote."),
        Column("annotators", TEXT, "supported_by", "Usernames of those annotators, ;-joined in code-point order."),
        Column("tags", TEXT, lambda: tags_of(Quote), "Tags of the quote, ;-joined in code-point order."),
        Column("origin", TEXT, "origin", "“human”, or the name of the suggestion rule that proposed the quote."),
        Column(
            "cluster_id",
            INT,
            "cluster_membership__cluster_id",
            "Id of the quote's cluster (clusters.csv): the same quote in other articles, near-duplicates included. "
            "Ids change when the clusters are rebuilt.",
        ),
        Column(
            "cluster_size",
            INT,
            "cluster_membership__cluster__size",
            "How many curated quotes the cluster holds (1: the quote appears once).",
        ),
    ),
)

STANCES = ExportFile(
    slug="stances",
    model=Stance,
    title="Stances",
    row="one curated stance on one target for one curated quote",
    filters="The quote filters (as for quotes.csv) select the quotes whose stances are listed.",
    columns=(
        Column("stance_id", INT, "id", "Id of the stance."),
        Column("quote_id", INT, "quote_id", "Id of the quote (quotes.csv)."),
        Column("article_id", INT, "quote__article_id", "Id of the article."),
        Column("speaker_id", INT, "quote__speaker_id", "Id of the quote's speaker."),
        Column("speaker_name", TEXT, "quote__speaker__name", "Name of the quote's speaker."),
        Column("target_id", INT, "target_id", "Id of the stance target."),
        Column("target", TEXT, "target__name", "What the stance is about, such as “Immigration enforcement”."),
        Column("label", TEXT, "label", "favor, against, neutral or unclear."),
        Column(
            "annotator",
            TEXT,
            "annotator__username",
            "Username of who set this stance (an annotator whose reading the editor kept, or the editor).",
        ),
        Column("note", TEXT, "note", "The annotator's note."),
        Column("quote_status", TEXT, "quote__status", "Review status of the quote."),
        Column("updated", DATETIME, "updated", "When the stance was last set."),
    ),
)

ENTITIES = ExportFile(
    slug="entities",
    model=EntityMention,
    title="Entity mentions",
    row="one curated entity mention",
    filters=(
        "status (of the mention; accepted by default, status=all for every status), article, outlet, "
        "published_after, published_before."
    ),
    columns=(
        Column("mention_id", INT, "id", "Id of the mention."),
        Column("article_id", INT, "article_id", "Id of the article."),
        Column("start", INT, "start", "Start offset (code points of the article body)."),
        Column("end", INT, "end", "End offset, exclusive."),
        Column("text", TEXT, "text", "The article text at start-end."),
        Column("label", TEXT, "label", "PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, LAW, DATE or MISC."),
        Column("speaker_id", INT, "speaker_id", "Speaker the mention refers to, if linked."),
        Column("speaker_name", TEXT, "speaker__name", "Name of that speaker."),
        Column("status", TEXT, "status", "draft, submitted, accepted or rejected."),
        Column("curator", TEXT, "annotator__username", "Username of the editor who created the curated mention."),
        Column("support", INT, "support_count", "How many annotators' accepted mentions support it."),
        Column("annotators", TEXT, "supported_by", "Usernames of those annotators, ;-joined."),
        Column("reviewer", TEXT, "reviewed_by__username", "Username of the reviewer."),
        Column("reviewed_at", DATETIME, "reviewed_at", "When it was reviewed."),
        Column("origin", TEXT, "origin", "“human”, or the suggestion rule."),
    ),
)

SPEAKERS = ExportFile(
    slug="speakers",
    model=Speaker,
    title="Speakers",
    row="one speaker (person, organization or group)",
    filters="None: every speaker.",
    columns=(
        Column("speaker_id", INT, "id", "Id of the speaker."),
        Column("name", TEXT, "name", "Canonical name."),
        Column("kind", TEXT, "kind", "person, organization, group or unknown."),
        Column("description", TEXT, "description", "Role or description, such as “ICE’s acting director”."),
        Column("affiliation_id", INT, "affiliation_id", "Id of the speaker this one speaks for."),
        Column("affiliation", TEXT, "affiliation__name", "Name of that speaker."),
        Column("qid", TEXT, "wikidata_qid", "Wikidata QID."),
        Column("aliases", TEXT, lambda: aliases_of(), "Other names, ;-joined in code-point order."),
        Column("tags", TEXT, lambda: tags_of(Speaker), "Tags, ;-joined in code-point order."),
        Column("accepted_quotes", INT, _accepted_quote_count, "Number of curated quotes attributed to the speaker."),
        *_speaker_attribute_columns(),
    ),
)

ARTICLES = ExportFile(
    slug="articles",
    model=Article,
    title="Articles",
    row="one article, with its full text",
    filters="article, outlet, published_after, published_before.",
    columns=(
        Column("article_id", INT, "id", "Id of the article."),
        Column("title", TEXT, "title", "Headline."),
        Column("slug", TEXT, "slug", "Short name used in addresses."),
        Column("outlet", TEXT, "outlet", "News outlet."),
        Column("byline", TEXT, "byline", "Authors as printed."),
        Column("dateline", TEXT, "dateline", "Dateline, such as WASHINGTON."),
        Column("published", DATE, "published", "Publication date."),
        Column("url", TEXT, "url", "Web address."),
        Column("language", TEXT, "language", "Language code."),
        Column("tags", TEXT, lambda: tags_of(Article), "Tags, ;-joined in code-point order."),
        Column("body_chars", INT, lambda: Length("body"), "Length of the body in code points."),
        Column(
            "body",
            TEXT,
            "body",
            "The full text every offset points into. Line breaks are \\n inside the cell. A body that starts "
            "with a dangerous character is neutralized like any text cell, which shifts it by one: remove the "
            "leading apostrophe before using offsets on such a body.",
        ),
    ),
)

CLUSTERS = ExportFile(
    slug="clusters",
    model=Cluster,
    title="Clusters",
    row="one cluster: a quote and its repetitions across articles (docs/clusters.md)",
    filters="min_size (occurrences, 1 for every cluster; default 1) and min_outlets.",
    columns=(
        Column("cluster_id", INT, "id", "Id of the cluster (quotes.csv cluster_id)."),
        Column("size", INT, "size", "Occurrences: curated quotes in the cluster."),
        Column("outlets", INT, "outlet_count", "Distinct outlets the quote appeared in."),
        Column("speakers", INT, "speaker_count", "Distinct speakers the quote is attributed to."),
        Column(
            "mixed_speakers",
            INT,
            lambda: Case(When(speaker_count__gt=1, then=Value(1)), default=Value(0)),
            "1 when the occurrences name different speakers, else 0.",
        ),
        Column(
            "speaker_names", TEXT, lambda: ClusterSpeakers(), "Those speakers' names, ;-joined in code-point order."
        ),
        Column("first_quote_id", INT, "first_quote_id", "The first appearance (earliest date, then article)."),
        Column("first_article_id", INT, "first_article_id", "Its article (articles.csv)."),
        Column("first_published", DATE, "first_published", "Its publication date."),
        Column("first_outlet", TEXT, "first_article__outlet", "Its outlet."),
        Column("first_text", TEXT, "first_quote__text", "Its text."),
    ),
)

EXPORT_FILES: dict[str, ExportFile] = {f.slug: f for f in (QUOTES, STANCES, ENTITIES, SPEAKERS, ARTICLES, CLUSTERS)}

NOTES = {
    "encoding": (
        "UTF-8, RFC 4180: comma-separated, fields that contain a comma, a double quote or a line break are "
        "enclosed in double quotes (a double quote inside is doubled), records end with CRLF. Line breaks "
        "inside a cell are kept as they are in the text (\\n). Add ?bom=1 to the address for a UTF-8 byte "
        "order mark, which some spreadsheet programs need to read the file as UTF-8. The first row is the "
        "header; rows of quotes.csv follow the article and then the position of the quote in it."
    ),
    "spans": (
        "Offsets count Unicode code points (Python string indices) of the article body, as in articles.csv, "
        "0-based, end exclusive: body[start:end] is the span's text. A quote whose content is split by its "
        "attribution has several content spans, joined by ';' in text order: 120-188;215-301. Content spans "
        "cover the words only, never the quotation marks around them, and never start or end with white space. "
        "Browsers count UTF-16 units: convert before using offsets in JavaScript."
    ),
    "formula": (
        "Spreadsheet programs run a cell that starts with =, +, - or @ as a formula, and a leading tab or "
        "carriage return can hide one. Every text cell that starts with one of these six characters gets a "
        "leading apostrophe ('), which spreadsheets treat as “this is text”: -5 dollars becomes '-5 dollars. "
        "Remove a leading apostrophe from text cells when you read the file with a program. Numbers and dates "
        "are never changed."
    ),
    "releases": (
        "A corpus release (Research → Releases, docs/releases.md) freezes the curated quotes of a filter into one "
        "zip that never changes: these five CSV files (quotes, stances, entities, speakers, articles) and this "
        "codebook, the same tables as Parquet (plain types, text not neutralized), corpus.jsonl of the release, "
        "W3C Web Annotation JSON-LD (one annotation per quote, code-point TextPositionSelector and "
        "TextQuoteSelector), a PARC-style token file with BIO labels of source, cue and content, a datasheet, "
        "CITATION.cff, DataCite metadata, a change log against the previous release and manifest.json (SHA-256 "
        "of every file; manage.py release_verify checks a zip against it)."
    ),
}

DANGEROUS_DISPLAY = ", ".join({"\t": "tab", "\r": "carriage return"}.get(c, c) for c in DANGEROUS_FIRST_CHARS)

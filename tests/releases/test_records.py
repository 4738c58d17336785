"""The release's fast readers (``releases.rows``, ``releases.records``) give exactly what the model-based
code they replaced gave: the exports' ``corpus_records`` for corpus.jsonl, and the same quotes, spans
and bodies per article for the Web Annotation and token files."""

import datetime
import hashlib
import io
import json
from zoneinfo import ZoneInfo

import pytest

from annotations.models import Quote, Stance
from corpus.models import Article, Speaker, SpeakerAlias
from exports.jsonl import corpus_records
from releases.records import write_corpus_jsonl
from releases.rows import TimeText, articles_with_quotes, iso_time, values
from releases.selection import selection
from tests import factories


def _tagged_and_reviewed(release_editor):
    """Tags (in no sorted order), aliases, a second stance and a reviewer, so that every merged cursor
    has rows for some parents and none for others."""
    quotes = list(Quote.objects.curated().order_by("id"))
    quotes[0].tags.add("zeta", "alpha")
    quotes[-1].tags.add("mid")
    Quote.objects.filter(pk=quotes[1].pk).update(reviewed_by=release_editor)
    Article.objects.first().tags.add("politics", "immigration")
    speaker = Speaker.objects.filter(pk__in=Quote.objects.curated().values("speaker_id")).order_by("id").last()
    speaker.tags.add("official")
    SpeakerAlias.objects.create(speaker=speaker, alias="Zed Alias")
    SpeakerAlias.objects.create(speaker=speaker, alias="An Alias")
    stance = Stance.objects.filter(quote__in=quotes).order_by("id").first()
    Stance.objects.create(
        quote=stance.quote, target=factories.StanceTargetFactory(), label=stance.label, annotator=release_editor
    )


def _old_digest(record):
    published = {k: v for k, v in record.items() if k not in ("created", "updated", "version", "events")}
    return hashlib.sha256(json.dumps(published, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def test_corpus_jsonl_lines_and_digests_equal_the_exports_records(seed, release_editor, django_assert_max_num_queries):
    _tagged_and_reviewed(release_editor)
    chosen = selection({})
    meta = {"release": "seed-corpus", "release_version": "1.0.0"}
    out, digests = io.BytesIO(), io.StringIO()
    with django_assert_max_num_queries(25):  # one cursor per table and per child table, whatever the size
        count = write_corpus_jsonl(meta, chosen, out, digests, lambda: None)
    expected = list(
        corpus_records(
            speakers=chosen.speakers,
            stance_targets=chosen.stance_targets,
            articles=chosen.articles,
            mentions=chosen.entities,
            quotes=chosen.quotes,
            events=False,
            meta=meta,
        )
    )
    lines = out.getvalue().decode().splitlines()
    assert count == len(expected) == len(lines)
    assert [json.loads(line) for line in lines] == expected
    assert lines == [json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":")) for r in expected]
    quotes = [r for r in expected if r["type"] == "quote"]
    tagged = [r["tags"] for r in quotes if "zeta" in r["tags"]]
    assert len(tagged) == 1 and "alpha" in tagged[0] and tagged[0] == sorted(tagged[0])
    assert any(len(r["stances"]) > 1 for r in quotes)
    assert digests.getvalue().splitlines() == ["quote_id,sha256"] + [f"{r['id']},{_old_digest(r)}" for r in quotes]


def test_articles_with_quotes_walks_articles_and_their_quotes_in_text_order(seed, release_editor):
    _tagged_and_reviewed(release_editor)
    chosen = selection({})
    walked = list(articles_with_quotes(chosen.quotes, lambda: None))
    assert [a.id for a, _ in walked] == list(chosen.articles.values_list("id", flat=True))
    expected = list(chosen.quotes.select_related("speaker").prefetch_related("spans"))
    got = [(a.id, q) for a, quotes in walked for q in quotes]
    assert [q.id for _, q in got] == [q.pk for q in expected]
    for (article_id, row), quote in zip(got, expected, strict=True):
        assert article_id == quote.article_id
        assert row.spans == [(s.start, s.end) for s in quote.spans.order_by("position")]
        assert row.speaker_name == (quote.speaker.name if quote.speaker else None)
        assert (row.cue_start, row.cue_end, row.cue_text) == (quote.cue_start, quote.cue_end, quote.cue_text)
        assert (row.mention_start, row.mention_end) == (quote.speaker_mention_start, quote.speaker_mention_end)
    for article, _ in walked:
        assert article.body == Article.objects.get(pk=article.id).body


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2024, 2, 29, 23, 59, 58, tzinfo=datetime.UTC),
        datetime.datetime(2024, 2, 29, 23, 59, 58, 1, tzinfo=datetime.UTC),
        datetime.datetime(2024, 2, 29, 23, 59, 58, 500000, tzinfo=datetime.UTC),
        datetime.datetime(1999, 12, 31, 8, 0, 0, 123400, tzinfo=datetime.UTC),
        datetime.datetime(2025, 3, 30, 1, 30, 0, 999999, tzinfo=ZoneInfo("Europe/Berlin")),
    ],
)
def test_times_read_as_text_are_what_isoformat_writes(db, moment):
    article = factories.ArticleFactory()
    Article.objects.filter(pk=article.pk).update(created=moment)
    ((text,),) = values(Article.objects.filter(pk=article.pk), TimeText("created"))
    stored = Article.objects.get(pk=article.pk).created
    assert iso_time(text) == stored.isoformat() == moment.astimezone(datetime.UTC).isoformat()
    assert iso_time(None) is None

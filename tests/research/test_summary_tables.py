"""The research summary tables (Tally, SpeakerTally, ArticleStats) equal a fresh count after every kind
of change.

The reference counts below are the whole-corpus aggregates the pages used to run on every request;
each test changes the corpus through the services (or the admin's cascade), recounts as the commit
hook would, and compares every tally with them."""

import json
from collections import Counter

import pytest
from django.db.models import Count
from django.db.models.functions import TruncMonth

from annotations import services as annotation_services
from annotations.models import Layer, Quote, Stance
from corpus.models import Article
from research import services
from research.models import ArticleStats, SpeakerTally, Tally
from review import services as review_services
from tests.factories import ArticleFactory, SpeakerFactory, StanceTargetFactory, annotator, editor, find_span

pytestmark = pytest.mark.django_db
D = Tally.Dimension

BODY = (
    "“We will build it,” the mayor said. “Not here,” Ana Lee replied. Critics said the plan would fail, "
    "and “it is late,” the mayor added."
)


def fresh() -> Counter:
    """Every tally, counted from the quotes and stances as they are now."""
    cells: Counter = Counter()
    for outlet, n in Article.objects.values_list("outlet").annotate(n=Count("id")).order_by():
        cells[(D.ARTICLES, 0, outlet)] += n
    for status, n in Quote.objects.annotations().values_list("status").annotate(n=Count("id")).order_by():
        cells[(D.STATUS, 0, status)] += n
    curated = Quote.objects.filter(layer=Layer.CURATED)
    for kind, n in curated.values_list("kind").annotate(n=Count("id")).order_by():
        cells[(D.KIND, 0, kind)] += n
    for outlet, n in curated.values_list("article__outlet").annotate(n=Count("id")).order_by():
        cells[(D.OUTLET, 0, outlet)] += n
    for speaker_id, n in (
        curated.filter(speaker__isnull=False).values_list("speaker_id").annotate(n=Count("id")).order_by()
    ):
        cells[(D.SPEAKER, 0, str(speaker_id))] += n
    dated = curated.filter(article__published__isnull=False).annotate(month=TruncMonth("article__published"))
    for month, speaker_id, n in dated.values_list("month", "speaker_id").annotate(n=Count("id")).order_by():
        key = f"{month.year:04d}-{month.month:02d}"
        cells[(D.MONTH, 0, key)] += n
        if speaker_id is not None:
            cells[(D.SPEAKER_MONTH, speaker_id, key)] += n
    # SpeakerTally: curated quotes per (speaker, outlet, month), no speaker and no date included
    for speaker_id, outlet, month, n in (
        curated.annotate(month=TruncMonth("article__published"))
        .values_list("speaker_id", "article__outlet", "month")
        .annotate(n=Count("id"))
        .order_by()
    ):
        cells[("who", speaker_id, outlet, f"{month:%Y-%m}" if month else "")] += n
    stances = Stance.objects.filter(quote__layer=Layer.CURATED)
    for target_id, n in stances.values_list("target_id").annotate(n=Count("id")).order_by():
        cells[(D.TARGET, 0, str(target_id))] += n
    spoken = stances.filter(quote__speaker__isnull=False)
    for target_id, speaker_id, label, n in (
        spoken.values_list("target_id", "quote__speaker_id", "label").annotate(n=Count("id")).order_by()
    ):
        cells[(D.STANCE, 0, f"{target_id}:{label}")] += n
        cells[(D.SPEAKER_STANCE, speaker_id, f"{target_id}:{label}")] += n
        cells[(D.TARGET_SPEAKER, target_id, f"{speaker_id}:{label}")] += n
        cells[(D.TARGET_SPEAKER_TOTAL, target_id, str(speaker_id))] += n
    return cells


def stored() -> Counter:
    cells = Counter({(t.dimension, t.scope, t.key): t.n for t in Tally.objects.filter(n__gt=0)})
    for row in SpeakerTally.objects.filter(n__gt=0):
        cells[("who", row.speaker_id, row.outlet, row.month)] += row.n
    return cells


def recount_and_compare():
    assert ArticleStats.objects.filter(stale=True).exists()  # the change marked its article
    services.stats_refresh()
    assert stored() == fresh()


@pytest.fixture
def world():
    ann, ed = annotator(), editor()
    mayor, ana = SpeakerFactory(name="The Mayor"), SpeakerFactory(name="Ana Lee")
    wall = StanceTargetFactory(name="The wall")
    articles = [
        ArticleFactory(body=BODY, outlet="Gazette", published="2024-03-05"),
        ArticleFactory(body=BODY, outlet="Herald", published="2024-05-01"),
    ]
    quotes = []
    for article in articles:
        for text, speaker in (("We will build it,", mayor), ("Not here,", ana), ("it is late,", mayor)):
            quote = annotation_services.quote_create(
                article=article, spans=[find_span(BODY, text)], annotator=ann, speaker=speaker
            )
            annotation_services.stance_set(quote=quote, target=wall, label="favor", annotator=ann)
            quotes.append(annotation_services.quote_submit(quote=quote, actor=ann))
    for quote in quotes[:4]:
        annotation_services.quote_accept(quote=quote, reviewer=ed)
    services.stats_refresh()
    return {"ann": ann, "ed": ed, "mayor": mayor, "ana": ana, "wall": wall, "articles": articles, "quotes": quotes}


def test_the_tallies_start_equal_to_a_fresh_count(world):
    assert stored() == fresh()
    assert stored()[("who", world["mayor"].pk, "Gazette", "2024-03")] == 2
    assert stored()[(D.SPEAKER, 0, str(world["mayor"].pk))] == 3  # accepted: two in article 1, one in 2


def test_review_accept_and_reject(world):
    annotation_services.quote_accept(quote=world["quotes"][4], reviewer=world["ed"])
    recount_and_compare()
    annotation_services.quote_reject(quote=world["quotes"][5], reviewer=world["ed"], reason="Not a quote")
    recount_and_compare()


def test_editor_correction_of_a_curated_quote(world):
    curated = Quote.objects.curated().filter(speaker=world["ana"]).first()
    annotation_services.curated_quote_update(quote=curated, editor=world["ed"], speaker=world["mayor"], kind="indirect")
    recount_and_compare()


def test_stance_changes(world):
    curated = Quote.objects.curated().first()
    annotation_services.stance_set(quote=curated, target=world["wall"], label="against", annotator=world["ed"])
    recount_and_compare()
    annotation_services.stance_delete(stance=curated.stances.get(annotator=world["ed"]), actor=world["ed"])
    recount_and_compare()


def test_quote_without_speaker_or_date(world):
    article = ArticleFactory(body=BODY, outlet="", published=None)
    quote = annotation_services.quote_create(
        article=article, spans=[find_span(BODY, "Not here,")], annotator=world["ann"], speaker=None
    )
    annotation_services.quote_accept(
        quote=annotation_services.quote_submit(quote=quote, actor=world["ann"]), reviewer=world["ed"]
    )
    recount_and_compare()
    assert stored()[("who", None, "", "")] == 1


def test_speaker_attribute_and_kind_changes_need_no_recount(world):
    """The speaker's gender, role and kind are joined when the page reads: nothing is marked stale."""
    from corpus import services as corpus_services

    corpus_services.speaker_attribute_set(speaker=world["ana"], name="gender", value="woman", source="editor")
    corpus_services.speaker_attribute_set(speaker=world["mayor"], name="role", value="politician", source="import")
    assert not ArticleStats.objects.filter(stale=True).exists()
    assert stored() == fresh()


def test_quote_delete(world):
    annotation_services.quote_delete(quote=Quote.objects.curated().first(), actor=world["ed"])
    recount_and_compare()


def test_speaker_merge_and_undo(world):
    merge = review_services.speaker_merge(source=world["ana"], target=world["mayor"], actor=world["ed"])
    recount_and_compare()
    review_services.speaker_merge_undo(merge=merge, actor=world["ed"])
    recount_and_compare()


def test_article_outlet_and_date_edit(world):
    from corpus.services import article_update

    article_update(article=world["articles"][0], outlet="Courier", published="2023-01-09")
    recount_and_compare()
    assert stored()[(D.OUTLET, 0, "Gazette")] == 0


def test_new_articles_count_from_their_creation(world):
    from corpus.services import article_create

    article_create(title="A new one", body=BODY, outlet="Gazette")
    recount_and_compare()
    assert stored()[(D.ARTICLES, 0, "Gazette")] == 2


def test_imported_articles_count_from_their_import(world):
    from ingest.services import import_article_file

    lines = [json.dumps({"title": f"Imported {i}", "body": f"Body {i}. " + BODY, "outlet": "Wire"}) for i in range(3)]
    report = import_article_file(data="\n".join(lines).encode(), name="a.jsonl")
    assert len(report.created) == 3
    recount_and_compare()
    assert stored()[(D.ARTICLES, 0, "Wire")] == 3


def test_refresh_command_counts_articles_that_bypassed_the_services(world):
    from django.core.management import call_command

    ArticleStats.objects.filter(article=world["articles"][0]).delete()  # as a restore or raw load leaves it
    Tally.objects.all().delete()
    SpeakerTally.objects.all().delete()
    ArticleStats.objects.update(counts=[], stale=True)
    call_command("refresh_stats")
    assert stored() == fresh()


def test_article_delete_takes_its_counts_out(world):
    world["articles"][0].delete()  # the admin's cascade: no quote service runs
    assert stored() == fresh()  # nothing stale left behind: the delete itself took the counts out


def test_catch_up_is_bounded(world, monkeypatch):
    annotation_services.quote_accept(quote=world["quotes"][4], reviewer=world["ed"])
    assert services.stats_catch_up(limit=0) == 1  # too many to recount here: reported, left stale
    assert stored() != fresh()
    assert services.stats_catch_up(limit=5) == 0
    assert stored() == fresh()


def test_refresh_command(world, capsys):
    from django.core.management import call_command

    annotation_services.quote_accept(quote=world["quotes"][4], reviewer=world["ed"])
    call_command("refresh_stats")
    assert "1 article(s) recounted" in capsys.readouterr().out
    assert stored() == fresh()


def test_a_change_is_recounted_when_it_commits(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        annotation_services.quote_accept(quote=world["quotes"][4], reviewer=world["ed"])
    assert callbacks  # the recount was scheduled for the commit
    assert not ArticleStats.objects.filter(stale=True).exists()
    assert stored() == fresh()


def test_the_migration_adds_the_speaker_totals_per_target_to_counts_counted_before_them(world):
    """research.0005 on tables counted without the ``tg_sp_n`` cells gives what a recount gives."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("research.migrations.0005_speaker_totals_per_target")
    for row in ArticleStats.objects.all():
        row.counts = [cell for cell in row.counts if cell[0] != D.TARGET_SPEAKER_TOTAL]
        row.save()
    Tally.objects.filter(dimension=D.TARGET_SPEAKER_TOTAL).delete()
    assert stored() != fresh()
    migration.add_speaker_totals(apps, None)
    assert stored() == fresh()
    assert stored()[(D.TARGET_SPEAKER_TOTAL, world["wall"].pk, str(world["mayor"].pk))] == 3
    for row in ArticleStats.objects.all():  # each article's stored counts are its fresh counts
        assert sorted(row.counts) == services._to_data(services.article_counts([row.article_id])[row.article_id])


def test_the_migration_adds_the_articles_by_outlet_to_counts_counted_before_them(world):
    """research.0006 on tables counted without articles gives what a recount gives; an article without
    a stats row gets one, stale."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("research.migrations.0006_article_counts_by_outlet")
    for row in ArticleStats.objects.all():
        row.counts = [cell for cell in row.counts if cell[0] != D.ARTICLES]
        row.save()
    Tally.objects.filter(dimension=D.ARTICLES).delete()
    extra = ArticleFactory(outlet="Courier")
    ArticleStats.objects.filter(article=extra).delete()
    migration.add_article_counts(apps, None)
    assert list(ArticleStats.objects.filter(stale=True).values_list("article_id", flat=True)) == [extra.pk]
    services.stats_refresh()
    assert stored() == fresh()
    assert stored()[(D.ARTICLES, 0, "Gazette")] == 1

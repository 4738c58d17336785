import datetime
import itertools

import pytest
from django.core.management import call_command

from annotations import services as annotation_services
from clusters.models import Cluster, ClusterBand, ClusterMember
from clusters.services import clusters_rebuild, clusters_sync
from tests import factories
from tests.clusters.texts import BRIDGE, STOCK, USES_A, USES_B

pytestmark = pytest.mark.django_db

BASE = (
    "The committee will meet again next week to decide whether the new rules on border crossings "
    "should apply to every state in the country"
)
WORDS = BASE.split()
VARIANTS = {
    "re-punctuated": "The committee will meet again, next week, to decide whether the new rules on border-crossings "
    "should apply to every state in the country!",
    "trimmed": " ".join(WORDS[3:-2]),
    "one word changed": BASE.replace("decide", "consider"),
    "words inserted": BASE.replace("new rules", "new and much tougher rules"),
    "split, first part": " ".join(WORDS[:11]),
    "split, second part": " ".join(WORDS[11:]),
    "split, a short first part": " ".join(WORDS[:6]) + ",",  # too short for the score: a run of the whole
    "trimmed to six words": " ".join(WORDS[-6:]),
}
PHRASE_A = "We will not back down, and we will keep the plant open until the owners come back to the table."
PHRASE_B = (
    "The mayor insisted that we will not back down on the housing plan, whatever the council decides next spring."
)


def cluster_of(quote):
    return ClusterMember.objects.get(quote=quote).cluster


def partition():
    groups: dict[int, set[int]] = {}
    for quote_id, cluster_id in ClusterMember.objects.values_list("quote_id", "cluster_id"):
        groups.setdefault(cluster_id, set()).add(quote_id)
    return sorted(sorted(g) for g in groups.values())


def cluster_facts():
    return sorted(
        (c.size, c.outlet_count, c.speaker_count, c.first_quote_id, c.first_article_id, c.first_published)
        for c in Cluster.objects.all()
    )


def test_accepting_a_quote_places_it_at_once():
    quote = factories.curated_quote(text=BASE)
    cluster = cluster_of(quote)
    assert (cluster.size, cluster.outlet_count, cluster.first_quote_id) == (1, 1, quote.pk)
    assert ClusterBand.objects.filter(member_id=quote.pk).count() == 20


@pytest.mark.parametrize("kind", list(VARIANTS))
def test_each_kind_of_variant_joins(kind):
    original = factories.curated_quote(text=BASE, outlet="Daily")
    variant = factories.curated_quote(text=VARIANTS[kind], outlet="Evening")
    assert cluster_of(variant) == cluster_of(original)
    cluster = cluster_of(original)
    assert (cluster.size, cluster.outlet_count) == (2, 2)


def test_a_shared_phrase_does_not_join():
    a = factories.curated_quote(text=PHRASE_A)
    b = factories.curated_quote(text=PHRASE_B)
    phrase = factories.curated_quote(text="We will not back down")
    assert len({cluster_of(a).pk, cluster_of(b).pk, cluster_of(phrase).pk}) == 3


def test_first_appearance_outlets_and_speakers():
    jane, john = factories.SpeakerFactory(name="Jane"), factories.SpeakerFactory(name="John")
    late = factories.curated_quote(text=BASE, outlet="A", published=datetime.date(2024, 5, 2), speaker=jane)
    early = factories.curated_quote(
        text=VARIANTS["trimmed"], outlet="B", published=datetime.date(2023, 1, 9), speaker=john
    )
    same_outlet = factories.curated_quote(
        text=VARIANTS["one word changed"], outlet="A", published=datetime.date(2024, 6, 1), speaker=jane
    )
    cluster = cluster_of(late)
    assert cluster == cluster_of(early) == cluster_of(same_outlet)
    assert cluster.first_quote_id == early.pk
    assert cluster.first_article_id == early.article_id
    assert cluster.first_published == datetime.date(2023, 1, 9)
    assert (cluster.size, cluster.outlet_count, cluster.speaker_count) == (3, 2, 2)
    assert cluster.mixed_speakers


def test_a_bridging_quote_merges_clusters_and_its_deletion_splits_them():
    first = factories.curated_quote(text=" ".join(WORDS[:11]))
    second = factories.curated_quote(text=" ".join(WORDS[11:]))
    assert cluster_of(first) != cluster_of(second)
    whole = factories.curated_quote(text=BASE)
    assert cluster_of(first) == cluster_of(second) == cluster_of(whole)
    assert cluster_of(whole).size == 3
    annotation_services.quote_delete(quote=whole, actor=factories.editor())
    assert cluster_of(first) != cluster_of(second)
    assert cluster_of(first).size == cluster_of(second).size == 1
    assert partition() == [[first.pk], [second.pk]]


def test_an_edited_text_moves_the_quote():
    a = factories.curated_quote(text=BASE)
    b = factories.curated_quote(text=PHRASE_A)
    ClusterMember.objects.filter(quote=b).update(normalized="stale")  # as if its text had changed
    clusters_sync(article_ids=[b.article_id])
    assert cluster_of(b) != cluster_of(a)
    assert ClusterMember.objects.get(quote=b).normalized.startswith("we will not back down")


def test_rebuild_gives_the_same_clusters():
    jane = factories.SpeakerFactory(name="Jane")
    for i, text in enumerate([BASE, *VARIANTS.values(), PHRASE_A, PHRASE_B, "We will not back down", BASE]):
        factories.curated_quote(text=text, outlet=f"Outlet {i % 3}", speaker=jane if i % 2 else None)
    before, facts = partition(), cluster_facts()
    assert len(before) == 4 and max(len(g) for g in before) == len(VARIANTS) + 2
    result = clusters_rebuild()
    assert (result.quotes, result.clusters, result.repeated) == (len(VARIANTS) + 5, 4, 1)
    assert partition() == before
    assert cluster_facts() == facts
    assert ClusterBand.objects.count() == 20 * (len(VARIANTS) + 5)
    call_command("rebuild_clusters", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert partition() == before
    # numbered from 1 by their oldest quote; a quote accepted afterwards is placed as before
    assert sorted(Cluster.objects.values_list("pk", flat=True)) == [1, 2, 3, 4]
    later = factories.curated_quote(text=VARIANTS["trimmed"])
    assert cluster_of(later).size == len(VARIANTS) + 3
    assert len(partition()) == 4


def test_sync_of_nothing():
    assert clusters_sync(article_ids=[]) == set()


def texts_partition():
    text_of = dict(ClusterMember.objects.values_list("quote_id", "quote__text"))
    return sorted(sorted(text_of[q] for q in group) for group in partition())


def test_a_short_part_accepted_before_its_whole_joins_it():
    part = factories.curated_quote(text=VARIANTS["split, a short first part"])
    assert cluster_of(part).size == 1
    whole = factories.curated_quote(text=BASE)
    assert cluster_of(part) == cluster_of(whole)
    assert cluster_of(whole).size == 2


def test_a_short_text_leaves_when_a_second_quote_holds_it_and_returns_when_they_join():
    a = factories.curated_quote(text=USES_A)
    stock = factories.curated_quote(text=STOCK)
    assert cluster_of(stock) == cluster_of(a)
    b = factories.curated_quote(text=USES_B)  # the phrase of two different quotes: it leaves
    assert len({cluster_of(a).pk, cluster_of(b).pk, cluster_of(stock).pk}) == 3
    assert cluster_of(a).size == 1
    bridge = factories.curated_quote(text=BRIDGE)  # A and B are one cluster now: its only home again
    assert cluster_of(stock) == cluster_of(a) == cluster_of(b) == cluster_of(bridge)
    assert cluster_of(a).size == 4
    annotation_services.quote_delete(quote=bridge, actor=factories.editor())
    assert len({cluster_of(a).pk, cluster_of(b).pk, cluster_of(stock).pk}) == 3


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))))
def test_any_order_of_acceptance_gives_the_rebuilt_clusters(order):
    texts = [USES_A, STOCK, USES_B, BRIDGE]
    for i in order:
        factories.curated_quote(text=texts[i])
    kept = texts_partition()
    assert kept == [sorted(texts)]
    clusters_rebuild()
    assert texts_partition() == kept


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_a_phrase_of_two_quotes_stays_alone_in_any_order(order):
    texts = [USES_A, STOCK, USES_B]
    for i in order:
        factories.curated_quote(text=texts[i])
    kept = texts_partition()
    assert kept == [[t] for t in sorted(texts)]
    clusters_rebuild()
    assert texts_partition() == kept


def test_only_changes_to_quotes_resync_clusters(monkeypatch):
    # A stance or an entity mention of the curated layer leaves the clusters as they are: not synced.
    curated = factories.curated_quote(text=PHRASE_A)
    synced = []
    monkeypatch.setattr("clusters.services.clusters_sync", lambda *, article_ids: synced.append(set(article_ids)))
    target = factories.StanceTargetFactory(name="The plant")
    annotation_services.stance_set(quote=curated, target=target, label="favor", annotator=factories.editor())
    assert synced == []
    annotation_services.quote_update(quote=curated, actor=factories.editor(), tags=["labour"])
    assert synced == [{curated.article_id}]


def test_a_recount_writes_only_the_clusters_whose_figures_moved(django_assert_max_num_queries):
    from clusters.services import _recount

    first = factories.curated_quote(text=PHRASE_A)
    cluster = cluster_of(first)
    with django_assert_max_num_queries(2):  # the members and the clusters read; nothing written
        _recount({cluster.pk})
    Cluster.objects.filter(pk=cluster.pk).update(size=9)
    _recount({cluster.pk})
    assert Cluster.objects.get(pk=cluster.pk).size == 1

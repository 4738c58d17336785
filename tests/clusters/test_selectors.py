import datetime

import pytest

from clusters import selectors
from clusters.diff import Piece, word_diff
from clusters.models import ClusterMember
from exports.codebook import EXPORT_FILES
from exports.writers import csv_bytes
from tests import factories
from tests.exports.conftest import read_csv

pytestmark = pytest.mark.django_db

BASE = (
    "The committee will meet again next week to decide whether the new rules on border crossings "
    "should apply to every state in the country"
)


@pytest.fixture
def corpus():
    jane, john = factories.SpeakerFactory(name="=Jane"), factories.SpeakerFactory(name="John")
    a = factories.curated_quote(text=BASE, outlet="A", published=datetime.date(2024, 1, 2), speaker=jane)
    b = factories.curated_quote(text=BASE + " again", outlet="B", published=datetime.date(2024, 1, 1), speaker=john)
    c = factories.curated_quote(text=BASE, outlet="A", published=None, speaker=jane)
    lone = factories.curated_quote(text="Nothing like the others, this one stands alone on the page today")
    return a, b, c, lone


def test_word_diff():
    assert word_diff("we will act now", "We will act, now!") == [Piece("We will act, now!")]
    assert word_diff("we will act now", "we must act now") == [
        Piece("we"),
        Piece("must", changed=True),
        Piece("act now"),
    ]
    assert word_diff("we will act now", "will act") == [Piece("", dropped=1), Piece("will act"), Piece("", dropped=1)]


def test_ranked_clusters_and_outlet_filter(corpus):
    a, b, c, lone = corpus
    cluster = ClusterMember.objects.get(quote=a).cluster
    _, _, rows = selectors.ranked_clusters({})
    assert list(rows) == [cluster]
    assert list(selectors.ranked_clusters({"min_outlets": "2"})[2]) == [cluster]
    assert list(selectors.ranked_clusters({"min_outlets": "3"})[2]) == []
    assert len(selectors.ranked_clusters({"min_size": "1"})[2]) == 2
    assert list(selectors.ranked_clusters({"min_size": "1", "speaker_name": "John"})[2]) == [cluster]
    form, _, rows = selectors.ranked_clusters({"min_outlets": "-1"})
    assert not form.is_valid() and list(rows) == []


def test_occurrences_timeline_and_speakers(corpus):
    a, b, c, lone = corpus
    cluster = ClusterMember.objects.get(quote=a).cluster
    assert [m.quote_id for m in selectors.occurrences(cluster)] == [b.pk, a.pk, c.pk]  # undated last
    assert cluster.first_quote_id == b.pk and cluster.mixed_speakers
    assert [s.name for s in selectors.cluster_speakers(cluster)] == ["=Jane", "John"]
    assert selectors.cluster_outlets(cluster) == ["A", "B"]


def test_exports_carry_the_clusters(corpus):
    a, b, c, lone = corpus
    cluster = ClusterMember.objects.get(quote=a).cluster
    lone_cluster = ClusterMember.objects.get(quote=lone).cluster
    rows = read_csv(csv_bytes(EXPORT_FILES["quotes"], {}))
    data = {int(r[0]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert (data[a.pk]["cluster_id"], data[a.pk]["cluster_size"]) == (str(cluster.pk), "3")
    assert (data[lone.pk]["cluster_id"], data[lone.pk]["cluster_size"]) == (str(lone_cluster.pk), "1")
    rows = read_csv(csv_bytes(EXPORT_FILES["clusters"], {"min_size": "2"}))
    assert rows[0][:5] == ["cluster_id", "size", "outlets", "speakers", "mixed_speakers"]
    (row,) = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert row["size"] == "3" and row["outlets"] == "2" and row["mixed_speakers"] == "1"
    assert row["speaker_names"] == "'=Jane;John" and row["first_quote_id"] == str(b.pk)
    assert row["first_published"] == "2024-01-01" and row["first_outlet"] == "B"
    assert len(read_csv(csv_bytes(EXPORT_FILES["clusters"], {}))) == 3

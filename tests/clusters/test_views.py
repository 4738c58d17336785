import datetime

import pytest
from django.urls import reverse

from clusters.models import ClusterMember
from tests import factories

pytestmark = pytest.mark.django_db

BASE = (
    "The committee will meet again next week to decide whether the new rules on border crossings "
    "should apply to every state in the country"
)
EXPECTED = {"anonymous": 302, "annotator": 403, "editor": 200, "researcher": 200, "admin": 200}


@pytest.fixture
def repeated(db):
    jane, john = factories.SpeakerFactory(name="Jane <b>Doe</b>"), factories.SpeakerFactory(name="John Roe")
    quotes = [
        factories.curated_quote(text=BASE, outlet="Daily", published=datetime.date(2024, 3, 1), speaker=jane),
        factories.curated_quote(
            text=BASE.replace("decide", "consider"), outlet="Evening", published=datetime.date(2024, 3, 4), speaker=john
        ),
        factories.curated_quote(
            text=" ".join(BASE.split()[4:]), outlet="Wire", published=datetime.date(2024, 2, 27), speaker=jane
        ),
        factories.curated_quote(text="A different <script>alert(1)</script> quote about the weather tomorrow"),
    ]
    return quotes, ClusterMember.objects.get(quote=quotes[0]).cluster


def urls(cluster):
    return [
        reverse("clusters:list"),
        reverse("clusters:list") + "?min_outlets=2&q=committee",
        reverse("clusters:detail", args=[cluster.pk]),
    ]


@pytest.mark.parametrize("who", list(EXPECTED))
def test_permission_matrix(repeated, role_users, client_for, who):
    client = client_for(role_users[who])
    for url in urls(repeated[1]):
        response = client.get(url)
        assert response.status_code == EXPECTED[who], (url, who)
        if who == "anonymous":
            assert response["Location"].startswith(reverse("login"))


def test_pages_are_read_only(repeated, client_for, researcher_user):
    client = client_for(researcher_user)
    for url in urls(repeated[1]):
        assert client.post(url).status_code == 405


def test_cluster_page_timeline_and_differences(repeated, client_for, researcher_user, django_assert_max_num_queries):
    quotes, cluster = repeated
    client = client_for(researcher_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("clusters:detail", args=[cluster.pk]))
    html = response.content.decode()
    # first appearance: the trimmed version of Feb 27 (Wire), then Daily, then Evening
    assert (
        html.index(f'id="o-{quotes[2].pk}"')
        < html.index(f'id="o-{quotes[0].pk}"')
        < html.index(f'id="o-{quotes[1].pk}"')
    )
    assert '<ins class="changed">consider</ins>' in html
    assert '<ins class="changed">The committee will meet</ins>' in html  # words the first (trimmed) one lacks
    assert "3 different speakers" not in html and "2 different speakers" in html
    assert "Jane &lt;b&gt;Doe&lt;/b&gt;" in html and "<b>Doe</b>" not in html
    assert response.context["cluster"].size == 3
    assert "3: Daily, Evening, Wire" in html


def test_list_most_repeated_and_filters(repeated, client_for, researcher_user, django_assert_max_num_queries):
    quotes, cluster = repeated
    client = client_for(researcher_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("clusters:list"))
    assert [c.pk for c in response.context["page"].object_list] == [cluster.pk]  # singletons are not listed
    for query, expected in [
        ("?min_outlets=3", [cluster.pk]),
        ("?min_outlets=4", []),
        ("?q=committee", [cluster.pk]),
        ("?q=weather", []),
        ("?q=weather&min_size=1", [ClusterMember.objects.get(quote=quotes[3]).cluster_id]),
        ("?speaker_name=John", [cluster.pk]),
        ("?outlet=Nowhere", []),
    ]:
        # 11: a text search on PostgreSQL adds the planner's estimate (corpus.search), once per request.
        with django_assert_max_num_queries(11):
            response = client.get(reverse("clusters:list") + query)
        assert [c.pk for c in response.context["page"].object_list] == expected, query
    html = client.get(reverse("clusters:list") + "?min_size=1").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    response = client.get(reverse("clusters:list") + "?min_outlets=zero")
    assert response.status_code == 200 and list(response.context["page"].object_list) == []


def test_quote_browser_links_to_the_cluster(repeated, client_for, researcher_user, django_assert_max_num_queries):
    quotes, cluster = repeated
    client = client_for(researcher_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("research:quotes"))
    html = response.content.decode()
    assert html.count(reverse("clusters:detail", args=[cluster.pk])) == 3
    assert "Repeated 3× in 3 outlets" in html


def test_unknown_cluster_is_404(client_for, researcher_user):
    assert client_for(researcher_user).get(reverse("clusters:detail", args=[999])).status_code == 404
